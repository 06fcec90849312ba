// The app's own strings, in English and Simplified Chinese. Keys are flat ("settings.save") so
// that `MessageKey` is simply the keys of the English catalog; the zh-CN catalog is typed
// against it, and test/unit/i18n.test.ts checks both have the same keys and placeholders.
import { createContext, createElement, useContext, useMemo, type ReactNode } from "react";
import enShell from "./en.json";
import enCounts from "./en.counts.json";
import enInventory from "./en.inventory.json";
import enOrders from "./en.orders.json";
import enWarehouses from "./en.warehouses.json";
import zhCNShell from "./zh-CN.json";
import zhCNCounts from "./zh-CN.counts.json";
import zhCNInventory from "./zh-CN.inventory.json";
import zhCNOrders from "./zh-CN.orders.json";
import zhCNWarehouses from "./zh-CN.warehouses.json";

// One catalog per locale, kept in a file per area of the app (shell, warehouses, inventory) so
// that areas can grow independently; keys stay flat and unique across files.
const en = { ...enShell, ...enWarehouses, ...enInventory, ...enOrders, ...enCounts };
const zhCN = { ...zhCNShell, ...zhCNWarehouses, ...zhCNInventory, ...zhCNOrders, ...zhCNCounts };

export const SUPPORTED_LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const catalogs: Record<Locale, Catalog> = { en, "zh-CN": zhCN as Catalog };

export type MessageVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(PLACEHOLDER)].map((match) => match[1]!).sort();
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The `t(key, vars)` for one locale; numbers in `vars` are formatted for that locale. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const numbers = new Intl.NumberFormat(locale);
  return (key, vars) => {
    const message = catalog[key] ?? catalogs[DEFAULT_LOCALE][key] ?? key;
    if (!vars) return message;
    return message.replace(PLACEHOLDER, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? numbers.format(value) : value;
    });
  };
}

/** Maps a BCP 47 tag to a locale we have, or null. Traditional Chinese is not served Simplified. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const [language, ...rest] = tag.trim().toLowerCase().replace(/_/g, "-").split("-");
  if (language === "en") return "en";
  if (language === "zh") {
    const subtags = rest.filter(Boolean);
    if (subtags.length === 0) return "zh-CN";
    if (subtags.includes("hant") || subtags.some((s) => ["tw", "hk", "mo"].includes(s))) return null;
    return "zh-CN";
  }
  return null;
}

/** Language tags of an Accept-Language header, most preferred first (q=0 means "not this one"). */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

/**
 * The admin user's language: Shopify passes `locale` to embedded apps on the URL; without it (or
 * when we do not have that language) the browser's Accept-Language decides; then English.
 */
export function resolveLocale(request: Request): Locale {
  const fromUrl = matchLocale(new URL(request.url).searchParams.get("locale"));
  if (fromUrl) return fromUrl;
  for (const tag of acceptedLanguages(request.headers.get("Accept-Language"))) {
    const locale = matchLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

interface I18nValue {
  locale: Locale;
  t: Translate;
}

const I18nContext = createContext<I18nValue>({ locale: DEFAULT_LOCALE, t: translator(DEFAULT_LOCALE) });

export function I18nProvider({ locale, children }: { locale: Locale; children?: ReactNode }) {
  const value = useMemo(() => ({ locale, t: translator(locale) }), [locale]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}

export function useLocale(): Locale {
  return useContext(I18nContext).locale;
}

/** A moment in the shop's time zone, e.g. "Nov 3, 2026, 2:15 PM"; UTC if the zone is unknown. */
export function formatDateTime(iso: string, locale: Locale, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(iso));
  }
}
