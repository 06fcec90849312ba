import { describe, expect, it } from "vitest";
import { acceptedLanguages, catalogs, placeholdersOf, resolveLocale, translator } from "../../app/i18n";

// The merged catalogs: every area file of one locale against the same of the other.
const en = catalogs.en;
const zhCN = catalogs["zh-CN"];

function request(url: string, acceptLanguage?: string) {
  return new Request(url, acceptLanguage ? { headers: { "Accept-Language": acceptLanguage } } : {});
}

describe("translation catalogs", () => {
  it("English and Simplified Chinese have exactly the same keys", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("every message has the same {placeholders} in both languages", () => {
    const mismatched = Object.entries(en)
      .filter(([key, message]) => {
        const other = (zhCN as Record<string, string>)[key] ?? "";
        return placeholdersOf(message).join() !== placeholdersOf(other).join();
      })
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it("no message is empty", () => {
    for (const catalog of Object.values(catalogs)) {
      expect(Object.entries(catalog).filter(([, message]) => message.trim() === "")).toEqual([]);
    }
  });

  it("t fills placeholders and formats numbers for the locale", () => {
    expect(translator("en")("dashboard.jobs.more", { shown: 5, total: 1200 })).toBe("Showing the latest 5 of 1,200.");
    expect(translator("zh-CN")("dashboard.webhooks.failed", { count: 3 })).toBe("处理失败：3");
  });

  it("t leaves a placeholder visible when its value is missing", () => {
    expect(translator("en")("dashboard.webhooks.failed")).toBe("Failed to process: {count}");
  });
});

describe("resolveLocale", () => {
  it("picks Simplified Chinese from Shopify's locale parameter", () => {
    expect(resolveLocale(request("https://app.example/app?shop=a.myshopify.com&locale=zh-CN"))).toBe("zh-CN");
  });

  it("picks Simplified Chinese from Accept-Language when the URL has no locale", () => {
    expect(resolveLocale(request("https://app.example/app", "zh-CN,zh;q=0.9"))).toBe("zh-CN");
  });

  it("prefers the admin's locale parameter over the browser's languages", () => {
    expect(resolveLocale(request("https://app.example/app?locale=en", "zh-CN,zh;q=0.9"))).toBe("en");
  });

  it("falls back to Accept-Language when the admin's language is one we do not have", () => {
    expect(resolveLocale(request("https://app.example/app?locale=fr", "zh-CN,zh;q=0.9"))).toBe("zh-CN");
  });

  it("honours Accept-Language quality values", () => {
    expect(resolveLocale(request("https://app.example/app", "fr;q=1, en;q=0.5, zh-CN;q=0.8"))).toBe("zh-CN");
  });

  it("does not serve Simplified Chinese to a Traditional Chinese reader", () => {
    expect(resolveLocale(request("https://app.example/app?locale=zh-TW"))).toBe("en");
    expect(resolveLocale(request("https://app.example/app", "zh-Hant-TW"))).toBe("en");
  });

  it("falls back to English otherwise", () => {
    expect(resolveLocale(request("https://app.example/app"))).toBe("en");
    expect(resolveLocale(request("https://app.example/app", "fr-FR,de;q=0.8"))).toBe("en");
    expect(resolveLocale(request("https://app.example/app?locale=ja"))).toBe("en");
  });

  it("reads Accept-Language in order of preference, dropping q=0", () => {
    expect(acceptedLanguages("de;q=0.1, zh-CN;q=0, en-GB, fr;q=0.7")).toEqual(["en-GB", "fr", "de"]);
  });
});

describe("catalog files", () => {
  it("no key is defined in two area files (a later file would silently win)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const path = await import("node:path");
    // Every area file there is, so that a new one is checked without being listed here.
    const files = readdirSync(path.join(import.meta.dirname, "../../app/i18n")).filter((f) => f.endsWith(".json"));
    expect(files).toEqual(expect.arrayContaining(["en.json", "en.orders.json", "zh-CN.json", "zh-CN.orders.json"]));
    for (const locale of ["en", "zh-CN"]) {
      const seen = new Map<string, string>();
      for (const file of files.filter((f) => f.startsWith(`${locale}.`))) {
        const keys = Object.keys(JSON.parse(readFileSync(path.join(import.meta.dirname, "../../app/i18n", file), "utf8")));
        for (const key of keys) {
          expect(seen.get(key), `${key} in ${file} and ${seen.get(key)}`).toBeUndefined();
          seen.set(key, file);
        }
      }
    }
  });
});
