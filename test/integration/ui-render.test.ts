// The embedded admin pages render on the server, in the admin's language, for an authenticated
// shop: the app's own Remix build (through Vite, as `remix vite:dev` serves it) answers document
// requests carrying a Shopify session token, with a stored offline session so no token exchange
// reaches Shopify.
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { loadAppForRendering } from "../helpers/render-app";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { ACCESS_SCOPES } from "~/config.server";

const shop = "render-shop.myshopify.com";

let vite: ViteDevServer;
let handle: (request: Request) => Promise<Response>;

async function adminPage(pathname: string, query: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`http://localhost:3000${pathname}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const request = await setUpValidRequest(
    { type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
    new Request(url, init),
  );
  return handle(request);
}

/** Absolute URLs a page links or loads that are not on this machine. */
function externalUrls(page: string): string[] {
  return [...page.matchAll(/(?:href|src)="(https?:\/\/[^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((url) => !["localhost", "127.0.0.1"].includes(new URL(url).hostname));
}

async function html(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
}

beforeAll(async () => {
  await sessionStorage.storeSession(
    setUpValidSession({ shop, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) }),
  );
  ({ vite, handle } = await loadAppForRendering());
}, 120_000);

afterAll(async () => {
  await vite?.close();
});

describe("embedded admin pages", () => {
  it("the Dashboard renders real counts and guides a shop without a warehouse to Settings", async () => {
    const page = await html(await adminPage("/app"));
    expect(page).toContain("Dashboard");
    expect(page).toContain("Connect your first warehouse");
    expect(page).toContain('href="/app/settings"');
    expect(page).toContain("No failed tasks.");
    expect(await db.shop.count({ where: { shop } })).toBe(1);
  });

  it("a failed background task is listed with a Retry button", async () => {
    await db.job.create({
      data: { shop, type: "warehouse.sync", payload: "{}", status: "dead", attempts: 8, lastError: "Warehouse API answered 503", finishedAt: new Date() },
    });
    const page = await html(await adminPage("/app"));
    expect(page).toContain("warehouse.sync");
    expect(page).toContain("Warehouse API answered 503");
    expect(page).toContain("Retry");
  });

  it("pages follow the admin's language from Shopify's locale parameter", async () => {
    const page = await html(await adminPage("/app", { locale: "zh-CN" }));
    expect(page).toContain('lang="zh-CN"');
    expect(page).toContain("连接您的第一个仓库");
    expect(page).toContain("盘点");
  });

  it("the Inventory, Orders, Counts and Discrepancies pages explain what will appear", async () => {
    const expected: Record<string, string> = {
      "/app/inventory": "Stock by warehouse will appear here",
      "/app/orders": "Orders sent to your warehouses will appear here",
      "/app/counts": "Stock counts will appear here",
      "/app/discrepancies": "Count variances will appear here",
    };
    for (const [pathname, heading] of Object.entries(expected)) {
      expect(await html(await adminPage(pathname)), pathname).toContain(heading);
    }
  });

  it("the Settings page shows the shop's settings and a save bar", async () => {
    const page = await html(await adminPage("/app/settings"));
    expect(page).toContain("Default safety stock");
    expect(page).toContain('value="99.5"');
    expect(page).toContain('value="50.00"');
    expect(page).toContain("ui-save-bar");
  });

  it("Polaris styles come from our build, and only App Bridge comes from Shopify's CDN", async () => {
    const page = await html(await adminPage("/app"));
    expect(page).toMatch(/<link rel="stylesheet" href="\/[^"]*styles[^"]*\.css/);
    expect(externalUrls(page).sort()).toEqual(["https://cdn.shopify.com/", "https://cdn.shopify.com/shopifycloud/app-bridge.js"]);
  });

  it("with APP_BRIDGE_URL set (offline), pages reach nothing on the internet", async () => {
    process.env.APP_BRIDGE_URL = "http://localhost:4000/app-bridge.js";
    try {
      const page = await html(await adminPage("/app/settings"));
      expect(page).toContain('src="http://localhost:4000/app-bridge.js"');
      expect(externalUrls(page)).toEqual([]);
    } finally {
      delete process.env.APP_BRIDGE_URL;
    }
  });
});

describe("public pages", () => {
  it("the landing page offers a shop-domain login form, in the browser's language", async () => {
    const english = await html(await handle(new Request("http://localhost:3000/")));
    expect(english).toContain('action="/auth/login"');
    expect(english).toContain('name="shop"');
    const chinese = await html(await handle(new Request("http://localhost:3000/", { headers: { "Accept-Language": "zh-CN,zh;q=0.9" } })));
    expect(chinese).toContain("店铺域名");
  });

  it("opened from the admin with ?shop=, the landing page goes to the app keeping the query", async () => {
    const response = await handle(new Request("http://localhost:3000/?shop=render-shop.myshopify.com&host=abc&locale=zh-CN"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/app?shop=render-shop.myshopify.com&host=abc&locale=zh-CN");
  });

  it("logging in without a shop domain says what to enter", async () => {
    const response = await handle(
      new Request("http://localhost:3000/auth/login", {
        method: "POST",
        body: new URLSearchParams({ shop: "" }),
        headers: { "Accept-Language": "zh-CN" },
      }),
    );
    expect(await html(response)).toContain("请输入店铺域名后登录。");
  });
});

describe("embedded admin actions", () => {
  async function post<A extends (args: never) => unknown>(action: A, pathname: string, form: Record<string, string>) {
    const request = await setUpValidRequest(
      { type: RequestType.Bearer, store: "render-shop", apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
      new Request(`http://localhost:3000${pathname}`, { method: "POST", body: new URLSearchParams(form) }),
    );
    return (await action({ request, params: {}, context: {} } as never)) as Awaited<ReturnType<A>>;
  }

  it("saving valid settings stores them, decimals exactly", async () => {
    const { action } = await import("~/routes/app.settings");
    const result = await post(action, "/app/settings", {
      defaultSafetyStock: "3",
      accuracyTargetPercent: "99.95",
      countCadenceDaysA: "14",
      countCadenceDaysB: "30",
      countCadenceDaysC: "120",
      abcThresholdAPercent: "70",
      abcThresholdBPercent: "90",
      varianceThresholdUnits: "2",
      varianceThresholdValue: "12345.67",
      timeZone: "Asia/Shanghai",
    });
    expect(result).toMatchObject({ settings: { accuracyTargetPercent: "99.95", varianceThresholdValue: "12345.67", timeZone: "Asia/Shanghai" } });
    const row = await db.shopSettings.findUniqueOrThrow({ where: { shop } });
    expect(row.varianceThresholdValue.toString()).toBe("12345.67");
    expect(row.accuracyTargetPercent.toString()).toBe("99.95");
    expect(row).toMatchObject({ defaultSafetyStock: 3, countCadenceDaysC: 120, abcThresholdBPercent: 90 });
  });

  it("invalid settings are answered 422 with the errors, and nothing is saved", async () => {
    const { action } = await import("~/routes/app.settings");
    const before = await db.shopSettings.findUniqueOrThrow({ where: { shop } });
    const result = await post(action, "/app/settings", { defaultSafetyStock: "-1", timeZone: "Asia/Shanghai" });
    expect(result).toMatchObject({ init: { status: 422 }, data: { errors: { defaultSafetyStock: "settings.errors.wholeNumber" } } });
    expect(await db.shopSettings.findUniqueOrThrow({ where: { shop } })).toEqual(before);
  });

  it("Retry queues a failed task again and resolves its alert", async () => {
    const { action } = await import("~/routes/app._index");
    const job = await db.job.create({
      data: { shop, type: "warehouse.push", payload: "{}", status: "dead", attempts: 8, lastError: "timeout", finishedAt: new Date() },
    });
    await db.alert.create({ data: { shop, kind: "job_failed", severity: "warning", message: "failed", reference: `job:${job.id}` } });
    expect(await post(action, "/app?index", { intent: "retry-task", jobId: job.id })).toEqual({ retried: true });
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    expect(await db.alert.count({ where: { shop, reference: `job:${job.id}`, resolvedAt: null } })).toBe(0);
    expect(await post(action, "/app?index", { intent: "retry-task", jobId: job.id })).toEqual({ retried: false });
  });

  it("Retry cannot reach another shop's task", async () => {
    const { action } = await import("~/routes/app._index");
    const other = await db.job.create({ data: { shop: "other-shop.myshopify.com", type: "warehouse.push", payload: "{}", status: "dead" } });
    expect(await post(action, "/app?index", { intent: "retry-task", jobId: other.id })).toEqual({ retried: false });
    expect(await db.job.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: "dead" });
  });
});
