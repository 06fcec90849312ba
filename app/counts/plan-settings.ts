// What each kind of count plan needs, as stored in CountPlan.settings (JSON text), and the check
// that a stored or posted value makes sense. Messages are for the merchant.
//   rolling:   { "everyDays": 30, "dailyLines": 40 }
//   abc:       { "cadenceDays": { "A": 7, "B": 30, "C": 90 }, "thresholds": { "aPercent": 80, "bPercent": 95 } }
//              (both optional: the shop's settings apply)
//   full:      { "countOn": "2025-06-01" }
//   campaign:  { "scope": { "by": "tag", "tag": "live-0612" }, "dueAt": "2025-06-11T12:00:00.000Z" }
//              scope is { "by": "products", "productIds": [...] } | { "by": "collection", "collectionId": "..." } | { "by": "tag", "tag": "..." }
//   exception: { "driftUnits": 5 }  (optional)
// Pure.
import type { AbcCadence, AbcThresholds } from "./abc-count";
import { dayNumber, type ShopDay } from "./calendar";
import type { CampaignScope } from "./campaign-count";
import { isCountKind, type CountKind } from "./count-kind";

export type CountPlanSettings =
  | { kind: "rolling"; everyDays: number; dailyLines: number }
  | { kind: "abc"; cadenceDays?: AbcCadence; thresholds?: AbcThresholds }
  | { kind: "full"; countOn: ShopDay }
  | { kind: "campaign"; scope: CampaignScope; dueAt: Date }
  | { kind: "exception"; driftUnits?: number };

export type PlanSettingsResult = { settings: CountPlanSettings; errors?: undefined } | { errors: string[]; settings?: undefined };

const MAX_DAYS = 365;
const MAX_DAILY_LINES = 100_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function wholeNumber(value: unknown, min: number, max: number): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

function isDay(value: unknown): value is ShopDay {
  if (typeof value !== "string") return false;
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

function nonEmptyText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function cadence(value: unknown, errors: string[]): AbcCadence | undefined {
  if (value === undefined) return undefined;
  const days = isObject(value) ? { A: wholeNumber(value.A, 1, MAX_DAYS), B: wholeNumber(value.B, 1, MAX_DAYS), C: wholeNumber(value.C, 1, MAX_DAYS) } : null;
  if (!days || days.A == null || days.B == null || days.C == null) {
    errors.push(`Days between counts must be whole numbers from 1 to ${MAX_DAYS} for classes A, B and C`);
    return undefined;
  }
  if (days.B < days.A || days.C < days.B) errors.push("Class A must be counted at least as often as B, and B at least as often as C");
  return { A: days.A, B: days.B, C: days.C };
}

function thresholds(value: unknown, errors: string[]): AbcThresholds | undefined {
  if (value === undefined) return undefined;
  const a = isObject(value) ? wholeNumber(value.aPercent, 1, 99) : null;
  const b = isObject(value) ? wholeNumber(value.bPercent, 1, 99) : null;
  if (a == null || b == null || b <= a) {
    errors.push("Class shares must be whole percents, with A below B and B below 100");
    return undefined;
  }
  return { aPercent: a, bPercent: b };
}

function scope(value: unknown, errors: string[]): CampaignScope | undefined {
  if (isObject(value)) {
    if (value.by === "products" && Array.isArray(value.productIds) && value.productIds.length > 0 && value.productIds.every(nonEmptyText)) {
      return { by: "products", productIds: value.productIds };
    }
    if (value.by === "collection" && nonEmptyText(value.collectionId)) return { by: "collection", collectionId: value.collectionId };
    if (value.by === "tag" && nonEmptyText(value.tag)) return { by: "tag", tag: value.tag.trim() };
  }
  errors.push("Choose the products to count: one or more products, a collection or a tag");
  return undefined;
}

/** Read a plan's settings for its kind; every problem is listed. */
export function readPlanSettings(kind: string, settings: unknown): PlanSettingsResult {
  if (!isCountKind(kind)) return { errors: [`"${kind}" is not a kind of count plan`] };
  const input: Json = isObject(settings) ? settings : {};
  const errors: string[] = [];
  let result: CountPlanSettings | undefined;
  switch (kind as CountKind) {
    case "rolling": {
      const everyDays = wholeNumber(input.everyDays, 1, MAX_DAYS);
      const dailyLines = wholeNumber(input.dailyLines, 1, MAX_DAILY_LINES);
      if (everyDays == null) errors.push(`Count every SKU every 1 to ${MAX_DAYS} days`);
      if (dailyLines == null) errors.push(`Lines a day must be a whole number from 1 to ${MAX_DAILY_LINES}`);
      if (everyDays != null && dailyLines != null) result = { kind: "rolling", everyDays, dailyLines };
      break;
    }
    case "abc": {
      const cadenceDays = cadence(input.cadenceDays, errors);
      const shares = thresholds(input.thresholds, errors);
      result = { kind: "abc", ...(cadenceDays ? { cadenceDays } : {}), ...(shares ? { thresholds: shares } : {}) };
      break;
    }
    case "full":
      if (isDay(input.countOn)) result = { kind: "full", countOn: input.countOn };
      else errors.push("Choose the day of the full count");
      break;
    case "campaign": {
      const chosen = scope(input.scope, errors);
      const dueAt = typeof input.dueAt === "string" ? new Date(input.dueAt) : null;
      if (!dueAt || Number.isNaN(dueAt.getTime())) errors.push("Choose when the campaign count is due");
      else if (chosen) result = { kind: "campaign", scope: chosen, dueAt };
      break;
    }
    case "exception": {
      if (input.driftUnits === undefined) result = { kind: "exception" };
      else {
        const driftUnits = wholeNumber(input.driftUnits, 0, 1_000_000);
        if (driftUnits == null) errors.push("Drift threshold must be a whole number of units, 0 or more");
        else result = { kind: "exception", driftUnits };
      }
      break;
    }
  }
  return errors.length > 0 || !result ? { errors } : { settings: result };
}

/** Read CountPlan.settings text. */
export function parsePlanSettings(kind: string, json: string): PlanSettingsResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { errors: ["The plan's settings are not readable"] };
  }
  return readPlanSettings(kind, value);
}

/** CountPlan.settings text for a plan (the kind is stored in its own column). */
export function planSettingsJson(settings: CountPlanSettings): string {
  const { kind: _kind, ...rest } = settings;
  return JSON.stringify(rest);
}
