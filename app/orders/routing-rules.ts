// The merchant's routing rules (Settings > Routing): what they mean and what makes a valid set.
//
// Rules are an ordered list; each names one warehouse and some markets (see ./markets):
// - ship_to_markets               this warehouse ships only to these markets. Several such rules
//                                 for one warehouse add up. They narrow the warehouse's own
//                                 regions (what the 3PL can reach), never widen them.
// - exclude_warehouse_for_market  this warehouse never ships to these markets. An exclusion wins
//                                 over any rule that would allow the market, wherever it stands.
// - prefer_warehouse              for these markets, this warehouse goes before warehouse priority.
//                                 Order matters here only: the earlier preference is the stronger.
// Plus two options: whether an order may be split across warehouses, and into at most how many
// shipments.
//
// Pure (no I/O) so the rules can be tested on their own; error messages are translation keys.
import { marketCovers, marketWithin, normalizeMarket, type DestinationMarket } from "./markets";

export const ROUTING_RULE_KINDS = ["ship_to_markets", "exclude_warehouse_for_market", "prefer_warehouse"] as const;
export type RoutingRuleKind = (typeof ROUTING_RULE_KINDS)[number];

export interface RoutingRule {
  kind: RoutingRuleKind;
  warehouseId: string;
  /** Canonical market codes: "US", "US-CA" or "*". */
  markets: readonly string[];
}

export interface RoutingOptions {
  /** May one order go out as several shipments from several warehouses? */
  allowSplit: boolean;
  /** With splits allowed, the most shipments one order may become; no limit when absent. */
  maxShipments?: number;
}

export const DEFAULT_ROUTING_OPTIONS: RoutingOptions = { allowSplit: false };

export const MAX_ROUTING_RULES = 100;
export const MAX_MARKETS_PER_RULE = 300;
export const MAX_SHIPMENTS = 10;

// ---------------------------------------------------------------------------------------------
// What the rules say about one warehouse and one destination
// ---------------------------------------------------------------------------------------------

export type MarketRefusal =
  | { code: "excluded_market"; ruleIndex: number; market: string }
  | { code: "market_not_allowed"; ruleIndex: number };

/**
 * Why the rules forbid this warehouse from shipping to the destination, or null when they allow it.
 * `ruleIndex` is the rule's position in the list (0-based): the first exclusion that matches, or
 * the warehouse's first ship_to_markets rule when none of them takes in the destination.
 */
export function marketRefusal(warehouseId: string, destination: DestinationMarket, rules: readonly RoutingRule[]): MarketRefusal | null {
  let firstRestriction: number | null = null;
  let allowed = false;
  for (const [ruleIndex, rule] of rules.entries()) {
    if (rule.warehouseId !== warehouseId) continue;
    if (rule.kind === "exclude_warehouse_for_market") {
      const market = rule.markets.find((m) => marketCovers(m, destination));
      if (market !== undefined) return { code: "excluded_market", ruleIndex, market: market.trim().toUpperCase() };
    } else if (rule.kind === "ship_to_markets") {
      firstRestriction ??= ruleIndex;
      if (rule.markets.some((m) => marketCovers(m, destination))) allowed = true;
    }
  }
  return firstRestriction !== null && !allowed ? { code: "market_not_allowed", ruleIndex: firstRestriction } : null;
}

export interface Preference {
  ruleIndex: number;
  market: string;
}

/** The first prefer_warehouse rule for this warehouse that takes in the destination, if any. */
export function preferenceFor(warehouseId: string, destination: DestinationMarket, rules: readonly RoutingRule[]): Preference | null {
  for (const [ruleIndex, rule] of rules.entries()) {
    if (rule.kind !== "prefer_warehouse" || rule.warehouseId !== warehouseId) continue;
    const market = rule.markets.find((m) => marketCovers(m, destination));
    if (market !== undefined) return { ruleIndex, market: market.trim().toUpperCase() };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The Settings form
// ---------------------------------------------------------------------------------------------

export type RoutingRuleErrorKey =
  | "routing.errors.rulesList"
  | "routing.errors.tooManyRules"
  | "routing.errors.ruleShape"
  | "routing.errors.unknownKind"
  | "routing.errors.warehouseRequired"
  | "routing.errors.unknownWarehouse"
  | "routing.errors.marketsRequired"
  | "routing.errors.invalidMarket"
  | "routing.errors.tooManyMarkets"
  | "routing.errors.duplicateRule"
  | "routing.errors.preferExcluded"
  | "routing.errors.preferOutsideMarkets"
  | "routing.errors.maxShipments";

/**
 * Errors by form field: "rules" for the list, "rules.<i>" for a whole rule, "rules.<i>.kind",
 * "rules.<i>.warehouseId", "rules.<i>.markets", and "maxShipments". Indexes are 0-based.
 */
export type RoutingRuleErrors = Record<string, RoutingRuleErrorKey>;

export interface RoutingSettings {
  rules: RoutingRule[];
  options: RoutingOptions;
}

export type RoutingSettingsValidation = { values: RoutingSettings; errors?: undefined } | { errors: RoutingRuleErrors; values?: undefined };

const WHOLE_NUMBER = /^\d+$/;

function isRuleKind(value: unknown): value is RoutingRuleKind {
  return typeof value === "string" && (ROUTING_RULE_KINDS as readonly string[]).includes(value);
}

/** Markets as the form sends them: a list, or text separated by commas, spaces or new lines. */
function marketEntries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(/[\s,;]+/).filter((part) => part !== "");
  return [];
}

function flag(value: unknown): boolean {
  return value === true || value === "true" || value === "on" || value === "1";
}

/**
 * Checks the routing rules and options from the Settings form against the shop's warehouses.
 * `input` is `{ rules: [{ kind, warehouseId, markets }], allowSplit, maxShipments }`; markets may be
 * a list or comma-separated text, in any case; duplicates within one rule are dropped.
 */
export function validateRoutingRules(input: Record<string, unknown>, warehouses: readonly { id: string }[]): RoutingSettingsValidation {
  const errors: RoutingRuleErrors = {};
  const known = new Set(warehouses.map((w) => w.id));
  const rawRules = input.rules ?? [];
  const rules: (RoutingRule | null)[] = [];

  if (!Array.isArray(rawRules)) {
    errors.rules = "routing.errors.rulesList";
  } else if (rawRules.length > MAX_ROUTING_RULES) {
    errors.rules = "routing.errors.tooManyRules";
  } else {
    for (const [i, raw] of rawRules.entries()) {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        errors[`rules.${i}`] = "routing.errors.ruleShape";
        rules.push(null);
        continue;
      }
      const { kind, warehouseId, markets } = raw as Record<string, unknown>;
      let valid = true;
      if (!isRuleKind(kind)) {
        errors[`rules.${i}.kind`] = "routing.errors.unknownKind";
        valid = false;
      }
      const warehouse = typeof warehouseId === "string" ? warehouseId.trim() : "";
      if (warehouse === "") {
        errors[`rules.${i}.warehouseId`] = "routing.errors.warehouseRequired";
        valid = false;
      } else if (!known.has(warehouse)) {
        errors[`rules.${i}.warehouseId`] = "routing.errors.unknownWarehouse";
        valid = false;
      }
      const entries = marketEntries(markets);
      const codes = entries.map((entry) => (typeof entry === "string" ? normalizeMarket(entry) : null));
      if (entries.length === 0) {
        errors[`rules.${i}.markets`] = "routing.errors.marketsRequired";
        valid = false;
      } else if (codes.some((code) => code === null)) {
        errors[`rules.${i}.markets`] = "routing.errors.invalidMarket";
        valid = false;
      } else if (entries.length > MAX_MARKETS_PER_RULE) {
        errors[`rules.${i}.markets`] = "routing.errors.tooManyMarkets";
        valid = false;
      }
      rules.push(valid ? { kind: kind as RoutingRuleKind, warehouseId: warehouse, markets: [...new Set(codes as string[])] } : null);
    }
  }

  // Across rules: a market named twice for the same warehouse and kind says nothing new, and a
  // preference that an exclusion or a restriction of the same warehouse makes void would mislead.
  for (const [i, rule] of rules.entries()) {
    if (!rule) continue;
    const earlier = rules.slice(0, i).filter((r): r is RoutingRule => r !== null && r.warehouseId === rule.warehouseId);
    if (earlier.some((r) => r.kind === rule.kind && r.markets.some((m) => rule.markets.includes(m)))) {
      errors[`rules.${i}`] = "routing.errors.duplicateRule";
      continue;
    }
    if (rule.kind !== "prefer_warehouse") continue;
    const same = rules.filter((r): r is RoutingRule => r !== null && r.warehouseId === rule.warehouseId);
    const exclusions = same.filter((r) => r.kind === "exclude_warehouse_for_market").flatMap((r) => r.markets);
    const restrictions = same.filter((r) => r.kind === "ship_to_markets").flatMap((r) => r.markets);
    if (rule.markets.every((m) => exclusions.some((x) => marketWithin(m, x)))) {
      errors[`rules.${i}`] = "routing.errors.preferExcluded";
    } else if (restrictions.length > 0 && rule.markets.every((m) => !restrictions.some((r) => marketWithin(m, r) || marketWithin(r, m)))) {
      errors[`rules.${i}`] = "routing.errors.preferOutsideMarkets";
    }
  }

  const allowSplit = flag(input.allowSplit);
  const rawMax = input.maxShipments;
  const maxText = typeof rawMax === "number" ? String(rawMax) : typeof rawMax === "string" ? rawMax.trim() : "";
  let maxShipments: number | undefined;
  if (maxText !== "") {
    const value = WHOLE_NUMBER.test(maxText) ? Number(maxText) : NaN;
    if (value >= 1 && value <= MAX_SHIPMENTS) maxShipments = value;
    else errors.maxShipments = "routing.errors.maxShipments";
  }

  if (Object.keys(errors).length > 0) return { errors };
  const options: RoutingOptions = { allowSplit };
  if (allowSplit && maxShipments !== undefined) options.maxShipments = maxShipments;
  return { values: { rules: rules as RoutingRule[], options } };
}
