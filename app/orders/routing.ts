// Where a fulfillment request ships from: the one routing decision.
//
// Shopify assigns each fulfillment order to a location; ours are one fulfillment-service location
// per warehouse. Before accepting a request we decide which warehouse(s) should really ship it,
// in this order of precedence:
//   1. which active warehouses may ship to the destination (their regions, then the merchant's
//      rules: an exclusion always wins);
//   2. stock available after safety stock (the output of ../inventory/available);
//   3. one shipment when any single warehouse can ship everything, even from a lower-priority
//      warehouse; otherwise, when splitting is allowed, the fewest shipments (at most maxShipments);
//   4. among warehouses that qualify alike: a prefer_warehouse rule for the market, then warehouse
//      priority (lower first), then proximity, then staying at the location Shopify assigned
//      (no move), then warehouse id, so that the same input always gives the same answer.
// Proximity: a warehouse in the destination's country comes before one abroad (customs, duties
// and a domestic carrier outweigh a few hundred km), then the shorter great-circle distance when
// both ends have coordinates, then warehouses whose distance is unknown.
//
// The answer is to route (with the lines each warehouse ships, and the location to move the
// fulfillment order away from when it is not where Shopify put it), to wait (stock short now; the
// order sits in a visible queue and is retried as stock arrives), or to reject (no active warehouse
// may ship there at all). Every answer carries reasons as codes with parameters, for the UI to
// translate; `describeRouting` makes an English sentence for logs.
//
// Pure: no I/O, no clock.
import { destinationMarket, isCountryCode, marketCovers, marketLabel, type DestinationMarket } from "./markets";
import { DEFAULT_ROUTING_OPTIONS, marketRefusal, preferenceFor, type RoutingOptions, type RoutingRule } from "./routing-rules";

export interface Coordinates {
  latitude: number;
  longitude: number;
}

export interface Destination {
  countryCode: string;
  /** Shopify's province code ("CA") or the ISO 3166-2 code ("US-CA"). */
  provinceCode?: string | null;
  /** Carried for the record; proximity needs coordinates (geocode it before routing). */
  postalCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface FulfillmentRequestLine {
  /** The fulfillment order line item. */
  lineItemId: string;
  inventoryItemId: string;
  sku?: string | null;
  quantity: number;
}

export interface FulfillmentRequest {
  fulfillmentOrderId: string;
  /** The location Shopify assigned the fulfillment order to. */
  assignedLocationId: string;
  destination: Destination;
  lines: readonly FulfillmentRequestLine[];
}

export interface WarehouseOrigin {
  countryCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface WarehouseCandidate {
  id: string;
  name: string;
  /** Its Shopify (fulfillment-service) location. */
  locationId: string;
  /** Lower goes first. */
  priority: number;
  active: boolean;
  /** Markets the warehouse can ship to ("US", "US-CA", "*"); an empty list ships nowhere. */
  regions: readonly string[];
  origin?: WarehouseOrigin | null;
  /** Units available to sell after safety stock, by inventory item id; a missing item is 0. */
  available: Readonly<Record<string, number>>;
}

export interface RoutingInput {
  request: FulfillmentRequest;
  warehouses: readonly WarehouseCandidate[];
  /** In the merchant's order. */
  rules?: readonly RoutingRule[];
  options?: RoutingOptions;
}

export interface AssignedLine {
  lineItemId: string;
  quantity: number;
}

export interface Assignment {
  warehouseId: string;
  locationId: string;
  lines: AssignedLine[];
}

export type RoutingReason =
  // Why a warehouse may not ship to the destination
  | { code: "warehouse_inactive"; warehouseId: string }
  | { code: "region_not_served"; warehouseId: string; market: string }
  | { code: "market_not_allowed"; warehouseId: string; market: string; ruleIndex: number }
  | { code: "excluded_market"; warehouseId: string; market: string; ruleIndex: number }
  // Why a warehouse that may ship there cannot ship everything
  | { code: "insufficient_stock"; warehouseId: string; inventoryItemId: string; sku: string | null; needed: number; available: number }
  // What decided between warehouses that can each ship everything (`overWarehouseId` came next)
  | { code: "chosen_only_option"; warehouseId: string }
  | { code: "chosen_preferred"; warehouseId: string; overWarehouseId: string; ruleIndex: number; market: string }
  | { code: "chosen_priority"; warehouseId: string; overWarehouseId: string; priority: number; overPriority: number }
  | {
      code: "tie_break_proximity";
      warehouseId: string;
      overWarehouseId: string;
      basis: "country" | "distance";
      /** Whole km, null when unknown. */
      km: number | null;
      overKm: number | null;
    }
  | { code: "tie_break_assigned_location"; warehouseId: string; overWarehouseId: string }
  | { code: "tie_break_id"; warehouseId: string; overWarehouseId: string }
  /** Splitting was allowed, but a warehouse that can ship everything beat better-ranked ones that could ship only part. */
  | { code: "kept_one_shipment"; warehouseId: string; overWarehouseIds: string[] }
  | { code: "split_fewest_shipments"; shipments: number; warehouseIds: string[] }
  // Why the order waits or is rejected
  | { code: "split_not_allowed"; shipmentsNeeded: number }
  | { code: "too_many_shipments"; shipmentsNeeded: number; maxShipments: number }
  | { code: "stock_short"; inventoryItemId: string; sku: string | null; needed: number; available: number }
  | { code: "no_warehouse_serves_market"; market: string };

export type RoutingReasonCode = RoutingReason["code"];

export type RoutingDecision =
  | {
      kind: "route";
      /** In rank order: the first ships the most favoured share. */
      assignments: Assignment[];
      /** Shopify's assigned location, present when some assignment is elsewhere: move the fulfillment order from it. */
      moveFrom?: string;
      reasons: RoutingReason[];
    }
  | { kind: "wait"; reasons: RoutingReason[] }
  | { kind: "reject"; reasons: RoutingReason[] };

/** The input cannot be routed as given: a caller's bug or bad data, never a stock situation. */
export class RoutingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RoutingInputError";
  }
}

// Above this many warehouses that hold some of the order, the fewest-shipments search (which
// tries every combination) gives way to a greedy pick in rank order.
const EXACT_SPLIT_SEARCH_LIMIT = 12;
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance in km. */
export function greatCircleKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------------------------

function coordinates(what: string, latitude: number | null | undefined, longitude: number | null | undefined): Coordinates | null {
  if (latitude == null || longitude == null) return null;
  if (!(Number.isFinite(latitude) && Math.abs(latitude) <= 90 && Number.isFinite(longitude) && Math.abs(longitude) <= 180)) {
    throw new RoutingInputError(`${what} has coordinates out of range: ${latitude}, ${longitude}`);
  }
  return { latitude, longitude };
}

function checkRequest(request: FulfillmentRequest): void {
  const fo = request.fulfillmentOrderId;
  if (!isCountryCode(request.destination.countryCode ?? "")) {
    throw new RoutingInputError(`Fulfillment order ${fo} has no valid destination country code (got "${request.destination.countryCode}")`);
  }
  if (request.lines.length === 0) throw new RoutingInputError(`Fulfillment order ${fo} has no lines to route`);
  const seen = new Set<string>();
  for (const line of request.lines) {
    const label = line.sku ? `${line.lineItemId} (SKU ${line.sku})` : line.lineItemId;
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new RoutingInputError(`Line ${label} of fulfillment order ${fo} must ask for a whole number of units above 0, got ${line.quantity}`);
    }
    if (!line.inventoryItemId) throw new RoutingInputError(`Line ${label} of fulfillment order ${fo} has no inventory item, so its stock cannot be checked`);
    if (seen.has(line.lineItemId)) throw new RoutingInputError(`Line ${line.lineItemId} appears twice in fulfillment order ${fo}`);
    seen.add(line.lineItemId);
  }
}

function checkWarehouses(warehouses: readonly WarehouseCandidate[]): WarehouseCandidate[] {
  const seen = new Set<string>();
  for (const w of warehouses) {
    if (seen.has(w.id)) throw new RoutingInputError(`Warehouse ${w.id} is listed twice among the routing candidates`);
    seen.add(w.id);
    if (!Number.isInteger(w.priority)) throw new RoutingInputError(`Warehouse ${w.name} (${w.id}) has a priority that is not a whole number: ${w.priority}`);
    for (const [item, units] of Object.entries(w.available)) {
      if (!Number.isInteger(units)) {
        throw new RoutingInputError(`Warehouse ${w.name} (${w.id}) has a fractional available quantity for inventory item ${item}: ${units}`);
      }
    }
  }
  // Sorted by id, so that nothing downstream depends on the order the caller listed them in.
  return [...warehouses].sort((a, b) => compareText(a.id, b.id));
}

function checkOptions(options: RoutingOptions): number {
  if (!options.allowSplit) return 1;
  if (options.maxShipments === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(options.maxShipments) || options.maxShipments < 1) {
    throw new RoutingInputError(`The most shipments per order must be a whole number of 1 or more, got ${options.maxShipments}`);
  }
  return options.maxShipments;
}

// Code-unit order, not localeCompare: the same on every machine and locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------

interface Need {
  inventoryItemId: string;
  sku: string | null;
  needed: number;
}

interface Ranked {
  warehouse: WarehouseCandidate;
  preference: { ruleIndex: number; market: string } | null;
  sameCountry: boolean;
  km: number | null;
  atAssignedLocation: boolean;
}

function stockOf(warehouse: WarehouseCandidate, inventoryItemId: string): number {
  return Math.max(0, warehouse.available[inventoryItemId] ?? 0);
}

function refusalFor(w: WarehouseCandidate, destination: DestinationMarket, rules: readonly RoutingRule[]): RoutingReason | null {
  const market = marketLabel(destination);
  if (!w.active) return { code: "warehouse_inactive", warehouseId: w.id };
  if (!w.regions.some((region) => marketCovers(region, destination))) return { code: "region_not_served", warehouseId: w.id, market };
  const refusal = marketRefusal(w.id, destination, rules);
  if (refusal?.code === "excluded_market") return { code: "excluded_market", warehouseId: w.id, market: refusal.market, ruleIndex: refusal.ruleIndex };
  if (refusal?.code === "market_not_allowed") return { code: "market_not_allowed", warehouseId: w.id, market, ruleIndex: refusal.ruleIndex };
  return null;
}

/** The rank keys in precedence order; Infinity stands for "none" so that it sorts last. */
function rankKeys(r: Ranked): [number, number, number, number, number] {
  return [
    r.preference?.ruleIndex ?? Number.POSITIVE_INFINITY,
    r.warehouse.priority,
    r.sameCountry ? 0 : 1,
    r.km ?? Number.POSITIVE_INFINITY,
    r.atAssignedLocation ? 0 : 1,
  ];
}

function compareRanked(a: Ranked, b: Ranked): number {
  const ka = rankKeys(a);
  const kb = rankKeys(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  }
  return compareText(a.warehouse.id, b.warehouse.id);
}

/** The reason `a` ranks before `b`: the first key that differs. */
function decidingFactor(a: Ranked, b: Ranked): RoutingReason {
  const [warehouseId, overWarehouseId] = [a.warehouse.id, b.warehouse.id];
  const [ka, kb] = [rankKeys(a), rankKeys(b)];
  if (ka[0] !== kb[0] && a.preference) {
    return { code: "chosen_preferred", warehouseId, overWarehouseId, ruleIndex: a.preference.ruleIndex, market: a.preference.market };
  }
  if (ka[1] !== kb[1]) return { code: "chosen_priority", warehouseId, overWarehouseId, priority: a.warehouse.priority, overPriority: b.warehouse.priority };
  if (ka[2] !== kb[2] || ka[3] !== kb[3]) {
    const km = (r: Ranked) => (r.km === null ? null : Math.round(r.km));
    return { code: "tie_break_proximity", warehouseId, overWarehouseId, basis: ka[2] !== kb[2] ? "country" : "distance", km: km(a), overKm: km(b) };
  }
  if (ka[4] !== kb[4]) return { code: "tie_break_assigned_location", warehouseId, overWarehouseId };
  return { code: "tie_break_id", warehouseId, overWarehouseId };
}

function shortages(r: Ranked, needs: readonly Need[]): RoutingReason[] {
  return needs
    .filter((need) => stockOf(r.warehouse, need.inventoryItemId) < need.needed)
    .map((need) => ({
      code: "insufficient_stock",
      warehouseId: r.warehouse.id,
      inventoryItemId: need.inventoryItemId,
      sku: need.sku,
      needed: need.needed,
      available: stockOf(r.warehouse, need.inventoryItemId),
    }));
}

function covers(group: readonly Ranked[], needs: readonly Need[]): boolean {
  return needs.every((need) => group.reduce((sum, r) => sum + stockOf(r.warehouse, need.inventoryItemId), 0) >= need.needed);
}

/** Index combinations of size k from 0..n-1, in lexicographic order. */
function* combinations(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) yield* combinations(n, k, i + 1, [...prefix, i]);
}

/**
 * The fewest warehouses that together hold every unit, best-ranked first among equally few
 * (the first combination in lexicographic order of rank). `useful` is in rank order and, together,
 * covers the needs.
 */
function fewestShipments(useful: readonly Ranked[], needs: readonly Need[]): Ranked[] {
  if (useful.length <= EXACT_SPLIT_SEARCH_LIMIT) {
    for (let k = 2; k <= useful.length; k++) {
      for (const picks of combinations(useful.length, k)) {
        const group = picks.map((i) => useful[i]!);
        if (covers(group, needs)) return group;
      }
    }
  }
  // Greedy in rank order: take a warehouse when it holds something still missing.
  const missing = new Map(needs.map((n) => [n.inventoryItemId, n.needed]));
  const group: Ranked[] = [];
  for (const r of useful) {
    if (![...missing].some(([item, units]) => units > 0 && stockOf(r.warehouse, item) > 0)) continue;
    group.push(r);
    for (const [item, units] of missing) missing.set(item, Math.max(0, units - stockOf(r.warehouse, item)));
    if ([...missing.values()].every((units) => units === 0)) break;
  }
  return group;
}

/**
 * Which units each warehouse of the group ships. A line goes whole to the first warehouse (in
 * rank order) that can take it; only a line no single warehouse of the group can take is split.
 */
function assign(group: readonly Ranked[], lines: readonly FulfillmentRequestLine[]): Assignment[] {
  const left = new Map(group.map((r) => [r.warehouse.id, new Map<string, number>()]));
  const remaining = (r: Ranked, item: string) => left.get(r.warehouse.id)!.get(item) ?? stockOf(r.warehouse, item);
  const take = (r: Ranked, item: string, units: number) => left.get(r.warehouse.id)!.set(item, remaining(r, item) - units);
  const shares = new Map<string, AssignedLine[]>(group.map((r) => [r.warehouse.id, []]));

  for (const line of lines) {
    const whole = group.find((r) => remaining(r, line.inventoryItemId) >= line.quantity);
    if (whole) {
      take(whole, line.inventoryItemId, line.quantity);
      shares.get(whole.warehouse.id)!.push({ lineItemId: line.lineItemId, quantity: line.quantity });
      continue;
    }
    let units = line.quantity;
    for (const r of group) {
      const portion = Math.min(units, remaining(r, line.inventoryItemId));
      if (portion <= 0) continue;
      take(r, line.inventoryItemId, portion);
      shares.get(r.warehouse.id)!.push({ lineItemId: line.lineItemId, quantity: portion });
      units -= portion;
      if (units === 0) break;
    }
    // Unreachable when the group covers the needs; a guard against a broken caller of assign().
    if (units > 0) throw new RoutingInputError(`Line ${line.lineItemId} could not be covered by the chosen warehouses`);
  }
  return group
    .map((r) => ({ warehouseId: r.warehouse.id, locationId: r.warehouse.locationId, lines: shares.get(r.warehouse.id)! }))
    .filter((a) => a.lines.length > 0);
}

function routed(request: FulfillmentRequest, group: readonly Ranked[], reasons: RoutingReason[]): RoutingDecision {
  const assignments = assign(group, request.lines);
  const moves = assignments.some((a) => a.locationId !== request.assignedLocationId);
  return moves ? { kind: "route", assignments, moveFrom: request.assignedLocationId, reasons } : { kind: "route", assignments, reasons };
}

/** Decides which warehouse(s) ship a fulfillment request, or why it waits or is rejected. */
export function routeFulfillmentRequest(input: RoutingInput): RoutingDecision {
  const { request } = input;
  const rules = input.rules ?? [];
  checkRequest(request);
  const warehouses = checkWarehouses(input.warehouses);
  const options = input.options ?? DEFAULT_ROUTING_OPTIONS;
  const maxShipments = checkOptions(options);
  const destination = destinationMarket(request.destination.countryCode, request.destination.provinceCode);
  const market = marketLabel(destination);
  const destinationPoint = coordinates(`The destination of fulfillment order ${request.fulfillmentOrderId}`, request.destination.latitude, request.destination.longitude);

  // 1. Who may ship there at all
  const reasons: RoutingReason[] = [];
  const eligible: WarehouseCandidate[] = [];
  for (const w of warehouses) {
    const refusal = refusalFor(w, destination, rules);
    if (refusal) reasons.push(refusal);
    else eligible.push(w);
  }
  if (eligible.length === 0) return { kind: "reject", reasons: [...reasons, { code: "no_warehouse_serves_market", market }] };

  const ranked: Ranked[] = eligible
    .map((w) => {
      const origin = coordinates(`Warehouse ${w.name} (${w.id})`, w.origin?.latitude, w.origin?.longitude);
      return {
        warehouse: w,
        preference: preferenceFor(w.id, destination, rules),
        sameCountry: (w.origin?.countryCode ?? "").trim().toUpperCase() === destination.country,
        km: origin && destinationPoint ? greatCircleKm(origin, destinationPoint) : null,
        atAssignedLocation: w.locationId === request.assignedLocationId,
      };
    })
    .sort(compareRanked);

  const needs: Need[] = [];
  for (const line of request.lines) {
    const need = needs.find((n) => n.inventoryItemId === line.inventoryItemId);
    if (need) need.needed += line.quantity;
    else needs.push({ inventoryItemId: line.inventoryItemId, sku: line.sku || null, needed: line.quantity });
  }

  // 2-4. One shipment from the best-ranked warehouse that holds everything
  const whole = ranked.filter((r) => covers([r], needs));
  const chosen = whole[0];
  if (chosen) {
    const passedOver = ranked.slice(0, ranked.indexOf(chosen));
    for (const r of passedOver) reasons.push(...shortages(r, needs));
    const runnerUp = whole[1];
    reasons.push(runnerUp ? decidingFactor(chosen, runnerUp) : { code: "chosen_only_option", warehouseId: chosen.warehouse.id });
    if (passedOver.length > 0 && maxShipments > 1) {
      reasons.push({ code: "kept_one_shipment", warehouseId: chosen.warehouse.id, overWarehouseIds: passedOver.map((r) => r.warehouse.id) });
    }
    return routed(request, [chosen], reasons);
  }

  // No single warehouse holds everything.
  for (const r of ranked) reasons.push(...shortages(r, needs));
  const short: RoutingReason[] = needs
    .map((need) => ({ need, total: ranked.reduce((sum, r) => sum + stockOf(r.warehouse, need.inventoryItemId), 0) }))
    .filter(({ need, total }) => total < need.needed)
    .map(({ need, total }) => ({ code: "stock_short", inventoryItemId: need.inventoryItemId, sku: need.sku, needed: need.needed, available: total }));
  if (short.length > 0) return { kind: "wait", reasons: [...reasons, ...short] };

  const useful = ranked.filter((r) => needs.some((need) => stockOf(r.warehouse, need.inventoryItemId) > 0));
  const group = fewestShipments(useful, needs);
  if (group.length > maxShipments) {
    const reason: RoutingReason =
      !options.allowSplit
        ? { code: "split_not_allowed", shipmentsNeeded: group.length }
        : { code: "too_many_shipments", shipmentsNeeded: group.length, maxShipments };
    return { kind: "wait", reasons: [...reasons, reason] };
  }
  reasons.push({ code: "split_fewest_shipments", shipments: group.length, warehouseIds: group.map((r) => r.warehouse.id) });
  return routed(request, group, reasons);
}

// ---------------------------------------------------------------------------------------------
// A sentence for logs (the UI translates the codes itself)
// ---------------------------------------------------------------------------------------------

/** The reasons in short English, e.g. "Ship from Los Angeles: priority 1 beats Newark (priority 2)." */
export function describeRouting(decision: RoutingDecision, warehouseNames: Readonly<Record<string, string>> = {}): string {
  const name = (id: string) => warehouseNames[id] ?? id;
  const names = (ids: readonly string[]) => ids.map(name).join(", ");
  const item = (r: { sku: string | null; inventoryItemId: string }) => (r.sku ? `SKU ${r.sku}` : `item ${r.inventoryItemId}`);
  const rule = (index: number) => `rule ${index + 1}`;

  const clause = (r: RoutingReason): string => {
    switch (r.code) {
      case "warehouse_inactive":
        return `${name(r.warehouseId)} is inactive`;
      case "region_not_served":
        return `${name(r.warehouseId)} does not ship to ${r.market}`;
      case "market_not_allowed":
        return `${name(r.warehouseId)} may not ship to ${r.market} (${rule(r.ruleIndex)})`;
      case "excluded_market":
        return `${name(r.warehouseId)} is excluded for ${r.market} (${rule(r.ruleIndex)})`;
      case "insufficient_stock":
        return `${name(r.warehouseId)} has ${r.available} of ${r.needed} ${item(r)}`;
      case "chosen_only_option":
        return "the only warehouse that can ship the whole order";
      case "chosen_preferred":
        return `preferred for ${r.market} by ${rule(r.ruleIndex)} over ${name(r.overWarehouseId)}`;
      case "chosen_priority":
        return `priority ${r.priority} beats ${name(r.overWarehouseId)} (priority ${r.overPriority})`;
      case "tie_break_proximity":
        return r.basis === "country"
          ? `same priority as ${name(r.overWarehouseId)} and in the destination country`
          : `same priority as ${name(r.overWarehouseId)} and closer (${r.km} km vs ${r.overKm === null ? "unknown" : `${r.overKm} km`})`;
      case "tie_break_assigned_location":
        return `ranks with ${name(r.overWarehouseId)} and is where Shopify assigned the order`;
      case "tie_break_id":
        return `ranks with ${name(r.overWarehouseId)}; first by id`;
      case "kept_one_shipment":
        return `one shipment rather than a split with ${names(r.overWarehouseIds)}`;
      case "split_fewest_shipments":
        return `no single warehouse has every item, so ${r.shipments} shipments`;
      case "split_not_allowed":
        return `no single warehouse has every item and splits are off (${r.shipmentsNeeded} shipments would do)`;
      case "too_many_shipments":
        return `it would take ${r.shipmentsNeeded} shipments, more than the limit of ${r.maxShipments}`;
      case "stock_short":
        return `${item(r)} needs ${r.needed}, ${r.available} available across warehouses`;
      case "no_warehouse_serves_market":
        return `no active warehouse may ship to ${r.market}`;
    }
  };

  const refusals: readonly RoutingReasonCode[] = ["warehouse_inactive", "region_not_served", "market_not_allowed", "excluded_market"];
  const passedOver = decision.reasons.filter((r) => r.code === "insufficient_stock");
  const refused = decision.reasons.filter((r) => refusals.includes(r.code));
  const deciding = decision.reasons.filter((r) => r.code !== "insufficient_stock" && !refusals.includes(r.code));

  if (decision.kind === "reject") return `Reject: ${[...deciding, ...refused].map(clause).join("; ")}.`;
  if (decision.kind === "wait") return `Wait for stock: ${[...deciding, ...passedOver].map(clause).join("; ")}.`;
  const from = names(decision.assignments.map((a) => a.warehouseId));
  const move = decision.moveFrom ? `; move from location ${decision.moveFrom}` : "";
  return `Ship from ${from}: ${[...deciding, ...passedOver].map(clause).join("; ")}${move}.`;
}
