// The count plan form as the merchant fills it in: every field as text, one set of fields per kind
// of plan, checked field by field with translation keys for the messages (the page shows each next
// to its field), then turned into the plan's input for createCountPlan/updateCountPlan, whose own
// rules (plan-form.ts, plan-settings.ts) still apply. And back: a stored plan as form fields.
// Pure: the shop's time zone is passed in; product SKUs are turned into product ids by the caller.
import { startOfShopDay, dayNumber } from "../../counts/calendar";
import { COUNT_KINDS, isCountKind, type CountKind } from "../../counts/count-kind";
import type { CountPlanSettings } from "../../counts/plan-settings";
import { MAX_PLAN_NAME, type CountPlanInput } from "./plan-form";

/** Kinds a merchant creates; exception counts are raised by TallySync (an exception plan only tunes them). */
export const PLAN_FORM_KINDS = COUNT_KINDS;

export const CAMPAIGN_SCOPES = ["products", "collection", "tag"] as const;
export type CampaignScopeBy = (typeof CAMPAIGN_SCOPES)[number];

export const PLAN_FIELDS = [
  "name",
  "kind",
  "warehouseId",
  "everyDays",
  "dailyLines",
  "cadenceA",
  "cadenceB",
  "cadenceC",
  "thresholdA",
  "thresholdB",
  "countOn",
  "scopeBy",
  "productSkus",
  "collectionId",
  "tag",
  "dueOn",
  "dueTime",
  "driftUnits",
] as const;

export type PlanField = (typeof PLAN_FIELDS)[number];
export type PlanFields = Record<PlanField, string>;

/** A message key of the counts catalog, with its placeholders. */
export interface FieldError {
  key: string;
  vars?: Record<string, string | number>;
}

export type PlanFieldErrors = Partial<Record<PlanField, FieldError>>;

export const MAX_PLAN_DAYS = 365;
export const MAX_DAILY_LINES = 100_000;

export function emptyPlanFields(kind: CountKind = "rolling"): PlanFields {
  return {
    name: "",
    kind,
    warehouseId: "",
    everyDays: "30",
    dailyLines: "25",
    cadenceA: "",
    cadenceB: "",
    cadenceC: "",
    thresholdA: "",
    thresholdB: "",
    countOn: "",
    scopeBy: "tag",
    productSkus: "",
    collectionId: "",
    tag: "",
    dueOn: "",
    dueTime: "09:00",
    driftUnits: "",
  };
}

/** The posted form, every known field as trimmed text. */
export function readPlanFields(form: Record<string, unknown>): PlanFields {
  const fields = emptyPlanFields();
  for (const name of PLAN_FIELDS) {
    const value = form[name];
    fields[name] = typeof value === "string" ? (name === "productSkus" ? value : value.trim()) : "";
  }
  return fields;
}

export function planFieldsChanged(a: PlanFields, b: PlanFields): boolean {
  return PLAN_FIELDS.some((name) => a[name] !== b[name]);
}

/** SKUs typed one per line, or separated by commas or spaces. */
export function skuList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;，、]+/)
        .map((sku) => sku.trim())
        .filter(Boolean)
    ),
  ];
}

/** A Shopify collection as typed: its number (from the admin URL) or its GID. */
export function collectionGid(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return `gid://shopify/Collection/${trimmed}`;
  if (/^gid:\/\/shopify\/Collection\/\d+$/.test(trimmed)) return trimmed;
  return null;
}

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    dayNumber(text);
    return true;
  } catch {
    return false;
  }
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** A day and time of the shop's time zone as an instant. */
export function shopDateTime(day: string, time: string, timeZone: string): Date {
  const match = TIME.exec(time) ?? ["", "0", "0"];
  return new Date(startOfShopDay(day, timeZone).getTime() + Number(match[1]) * 3_600_000 + Number(match[2]) * 60_000);
}

/** An instant as a day ("2025-06-11") and a time ("18:00") in the shop's time zone. */
export function shopDayAndTime(instant: Date, timeZone: string): { day: string; time: string } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
      instant
    );
  } catch {
    parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "UTC",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(instant);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return { day: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

export type PlanFieldsCheck = { input: CountPlanInput; productSkus: string[]; errors?: undefined } | { errors: PlanFieldErrors; input?: undefined; productSkus?: undefined };

/**
 * Check the form and build the plan's input. A campaign by products carries the SKUs typed: the
 * caller turns them into product ids (settings.scope.productIds) before saving.
 */
export function checkPlanFields(fields: PlanFields, timeZone: string): PlanFieldsCheck {
  const errors: PlanFieldErrors = {};
  const whole = (name: PlanField, min: number, max: number, optional = false): number | null => {
    const text = fields[name];
    if (text === "") {
      if (!optional) errors[name] = { key: "counts.plan.errors.required" };
      return null;
    }
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      errors[name] = { key: "counts.plan.errors.wholeNumber", vars: { min, max } };
      return null;
    }
    return value;
  };

  if (fields.name === "") errors.name = { key: "counts.plan.errors.name" };
  else if (fields.name.length > MAX_PLAN_NAME) errors.name = { key: "counts.plan.errors.nameLength", vars: { max: MAX_PLAN_NAME } };
  const kind = fields.kind;
  if (!isCountKind(kind)) errors.kind = { key: "counts.plan.errors.kind" };

  let settings: Record<string, unknown> = {};
  let productSkus: string[] = [];
  switch (isCountKind(kind) ? kind : null) {
    case "rolling": {
      const everyDays = whole("everyDays", 1, MAX_PLAN_DAYS);
      const dailyLines = whole("dailyLines", 1, MAX_DAILY_LINES);
      settings = { everyDays, dailyLines };
      break;
    }
    case "abc": {
      const cadence = [whole("cadenceA", 1, MAX_PLAN_DAYS, true), whole("cadenceB", 1, MAX_PLAN_DAYS, true), whole("cadenceC", 1, MAX_PLAN_DAYS, true)] as const;
      const given = cadence.filter((days) => days != null).length;
      const typed = [fields.cadenceA, fields.cadenceB, fields.cadenceC].filter((text) => text !== "").length;
      if (typed > 0 && typed < 3) {
        for (const name of ["cadenceA", "cadenceB", "cadenceC"] as const) if (fields[name] === "") errors[name] = { key: "counts.plan.errors.cadenceAll" };
      } else if (given === 3) {
        const [a, b, c] = cadence as unknown as [number, number, number];
        if (b < a) errors.cadenceB = { key: "counts.plan.errors.cadenceOrder" };
        else if (c < b) errors.cadenceC = { key: "counts.plan.errors.cadenceOrder" };
        else settings.cadenceDays = { A: a, B: b, C: c };
      }
      const thresholdA = whole("thresholdA", 1, 99, true);
      const thresholdB = whole("thresholdB", 1, 99, true);
      if ((fields.thresholdA === "") !== (fields.thresholdB === "")) {
        errors[fields.thresholdA === "" ? "thresholdA" : "thresholdB"] = { key: "counts.plan.errors.thresholdBoth" };
      } else if (thresholdA != null && thresholdB != null) {
        if (thresholdB <= thresholdA) errors.thresholdB = { key: "counts.plan.errors.thresholdOrder" };
        else settings.thresholds = { aPercent: thresholdA, bPercent: thresholdB };
      }
      break;
    }
    case "full":
      if (!isDay(fields.countOn)) errors.countOn = { key: "counts.plan.errors.day" };
      settings = { countOn: fields.countOn };
      break;
    case "campaign": {
      const by = fields.scopeBy as CampaignScopeBy;
      if (by === "products") {
        productSkus = skuList(fields.productSkus);
        if (!productSkus.length) errors.productSkus = { key: "counts.plan.errors.productSkus" };
        // Replaced by the product ids of these SKUs before the plan is saved.
        settings.scope = { by: "products", productIds: productSkus };
      } else if (by === "collection") {
        const gid = collectionGid(fields.collectionId);
        if (!gid) errors.collectionId = { key: "counts.plan.errors.collection" };
        settings.scope = { by: "collection", collectionId: gid ?? "" };
      } else if (by === "tag") {
        if (fields.tag === "") errors.tag = { key: "counts.plan.errors.tag" };
        settings.scope = { by: "tag", tag: fields.tag };
      } else {
        errors.scopeBy = { key: "counts.plan.errors.scope" };
      }
      if (!isDay(fields.dueOn)) errors.dueOn = { key: "counts.plan.errors.day" };
      else if (!TIME.test(fields.dueTime)) errors.dueTime = { key: "counts.plan.errors.time" };
      else settings.dueAt = shopDateTime(fields.dueOn, fields.dueTime, timeZone).toISOString();
      break;
    }
    case "exception": {
      const drift = whole("driftUnits", 0, 1_000_000, true);
      settings = drift == null ? {} : { driftUnits: drift };
      break;
    }
    default:
      break;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { input: { name: fields.name, kind, warehouseId: fields.warehouseId || null, settings }, productSkus };
}

/** A stored plan as form fields; `skusOfProducts` gives the SKUs of a products campaign. */
export function planFieldsOf(
  plan: { name: string; kind: CountKind; warehouseId: string | null; settings: CountPlanSettings | null },
  timeZone: string,
  skusOfProducts: (productIds: readonly string[]) => string[] = () => []
): PlanFields {
  const fields = { ...emptyPlanFields(plan.kind), name: plan.name, warehouseId: plan.warehouseId ?? "", everyDays: "", dailyLines: "" };
  const settings = plan.settings;
  switch (settings?.kind) {
    case "rolling":
      fields.everyDays = String(settings.everyDays);
      fields.dailyLines = String(settings.dailyLines);
      break;
    case "abc":
      if (settings.cadenceDays)
        Object.assign(fields, { cadenceA: String(settings.cadenceDays.A), cadenceB: String(settings.cadenceDays.B), cadenceC: String(settings.cadenceDays.C) });
      if (settings.thresholds) Object.assign(fields, { thresholdA: String(settings.thresholds.aPercent), thresholdB: String(settings.thresholds.bPercent) });
      break;
    case "full":
      fields.countOn = settings.countOn;
      break;
    case "campaign": {
      const due = shopDayAndTime(settings.dueAt, timeZone);
      fields.dueOn = due.day;
      fields.dueTime = due.time;
      fields.scopeBy = settings.scope.by;
      if (settings.scope.by === "products") fields.productSkus = skusOfProducts(settings.scope.productIds).join("\n");
      if (settings.scope.by === "collection") fields.collectionId = settings.scope.collectionId.replace(/^gid:\/\/shopify\/Collection\//, "");
      if (settings.scope.by === "tag") fields.tag = settings.scope.tag;
      break;
    }
    case "exception":
      fields.driftUnits = settings.driftUnits == null ? "" : String(settings.driftUnits);
      break;
    default:
      break;
  }
  if (settings?.kind !== "rolling") Object.assign(fields, { everyDays: "30", dailyLines: "25" });
  return fields;
}

export { COUNT_KINDS };
