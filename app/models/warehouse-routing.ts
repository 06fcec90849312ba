// A warehouse's routing details as the merchant edits them on the warehouses settings page:
// priority (lower goes first), the markets it can reach, and the country it stands in (orders to
// the same country go to it before one abroad). Pure; error messages are translation keys.
import type { MessageKey } from "../i18n";
import { ANY_MARKET, isCountryCode, normalizeMarket } from "../orders/markets";

export const MAX_WAREHOUSE_PRIORITY = 10_000;

export const WAREHOUSE_ROUTING_FIELDS = ["priority", "regions", "countryCode"] as const;
export type WarehouseRoutingField = (typeof WAREHOUSE_ROUTING_FIELDS)[number];

/** What the form shows and posts: every field as text; markets separated by commas or spaces. */
export type WarehouseRoutingForm = Record<WarehouseRoutingField, string>;

export interface WarehouseRoutingValues {
  priority: number;
  /** Canonical market codes; ["*"] for everywhere. */
  regions: string[];
  countryCode: string | null;
}

export type WarehouseRoutingErrors = Partial<Record<WarehouseRoutingField, MessageKey>>;

export type WarehouseRoutingValidation = { values: WarehouseRoutingValues; errors?: undefined } | { errors: WarehouseRoutingErrors; values?: undefined };

function text(input: Record<string, unknown>, field: WarehouseRoutingField): string {
  const value = input[field];
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

export function validateWarehouseRouting(input: Record<string, unknown>): WarehouseRoutingValidation {
  const errors: WarehouseRoutingErrors = {};
  const priorityText = text(input, "priority");
  const priority = /^\d+$/.test(priorityText) ? Number(priorityText) : NaN;
  if (!(priority >= 0 && priority <= MAX_WAREHOUSE_PRIORITY)) errors.priority = "warehouses.routing.errors.priority";

  const entries = text(input, "regions")
    .split(/[\s,;]+/)
    .filter(Boolean);
  const regions = entries.map(normalizeMarket);
  if (entries.length === 0) errors.regions = "warehouses.routing.errors.regionsRequired";
  else if (regions.some((code) => code === null)) errors.regions = "warehouses.routing.errors.regionsInvalid";

  const country = text(input, "countryCode").toUpperCase();
  if (country !== "" && !isCountryCode(country)) errors.countryCode = "warehouses.routing.errors.country";

  if (Object.keys(errors).length > 0) return { errors };
  const unique = [...new Set(regions as string[])];
  // "Everywhere" says it all; other codes next to it add nothing.
  return { values: { priority, regions: unique.includes(ANY_MARKET) ? [ANY_MARKET] : unique, countryCode: country || null } };
}

/** The form's text for stored values. */
export function warehouseRoutingForm(warehouse: { priority: number; regions: readonly string[]; countryCode: string | null }): WarehouseRoutingForm {
  return { priority: String(warehouse.priority), regions: warehouse.regions.join(", "), countryCode: warehouse.countryCode ?? "" };
}
