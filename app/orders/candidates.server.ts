// The inputs of the routing decision, read from the database: every warehouse that could ship,
// with what it has available for this order (availableToSell, the one rule, over its positions),
// and the merchant's routing rules and options.
//
// The order's own units must not count against it: its reservation at the warehouse Shopify
// assigned it to, and its units in Shopify's committed figure there, are taken back out before
// the rule runs, so that the assigned warehouse is judged on the stock this order may use.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { availableToSell, effectiveSafetyStock } from "../inventory/available";
import { readOrderReservations } from "../inventory/position-statements.server";
import { routingPositions, routingSettings, routingWarehouses } from "./routing-reads.server";
import { log } from "../observability/logger.server";
import { FulfillmentError } from "./errors";
import { parseRegions } from "./regions";
import type { FulfillmentRequest, WarehouseCandidate } from "./routing";
import { validateRoutingRules, type RoutingOptions, type RoutingRule } from "./routing-rules";

export interface RoutedWarehouse {
  id: string;
  name: string;
  connectionId: string;
  connectionName: string;
  externalCode: string;
  locationId: string;
  fulfillmentServiceLocationId: string | null;
}

/** What is read of a warehouse to send an order there. */
export const ROUTED_WAREHOUSE_FIELDS = {
  id: true,
  name: true,
  connectionId: true,
  externalCode: true,
  shopifyLocationId: true,
  fulfillmentServiceLocationId: true,
  connection: { select: { name: true, status: true } },
} as const;

/** A warehouse an order can be sent to: mapped to a Shopify location and not disconnected; else null. */
export function routedWarehouse(
  w: { id: string; name: string; connectionId: string; externalCode: string; shopifyLocationId: string | null; fulfillmentServiceLocationId: string | null; connection: { name: string; status: string } } | null,
): RoutedWarehouse | null {
  if (!w || !w.shopifyLocationId || w.connection.status === "disconnected") return null;
  return {
    id: w.id,
    name: w.name,
    connectionId: w.connectionId,
    connectionName: w.connection.name,
    externalCode: w.externalCode,
    locationId: w.shopifyLocationId,
    fulfillmentServiceLocationId: w.fulfillmentServiceLocationId,
  };
}

/** One of the order's own reservations, as routing read it. */
export interface OwnReservation {
  lineItemId: string;
  warehouseId: string;
  inventoryItemId: string;
  quantity: number;
  /** active | acknowledged | released */
  status: string;
}

export interface RoutingContext {
  candidates: WarehouseCandidate[];
  warehouses: Map<string, RoutedWarehouse>;
  rules: RoutingRule[];
  options: RoutingOptions;
  names: Record<string, string>;
  /** Every reservation of the order (any status, any item), as read for the decision. */
  reservations: OwnReservation[];
}

function regionsOf(warehouse: { id: string; regions: string }): string[] {
  const { regions, readable } = parseRegions(warehouse.regions);
  if (!readable) log.warn("A warehouse's regions could not be read; it is treated as shipping everywhere", { warehouseId: warehouse.id, regions: warehouse.regions });
  return regions;
}

async function loadRules(
  settings: { routingRules: string; routingAllowSplit: boolean; routingMaxShipments: number | null } | null,
  warehouses: readonly { id: string }[],
): Promise<{ rules: RoutingRule[]; options: RoutingOptions }> {
  if (!settings) return { rules: [], options: { allowSplit: false } };
  let stored: unknown;
  try {
    stored = JSON.parse(settings.routingRules);
  } catch {
    throw new FulfillmentError("routing_rules_invalid", "The routing rules saved in Settings > Routing cannot be read. Open Settings > Routing and save them again.", false);
  }
  const known = new Set(warehouses.map((w) => w.id));
  // A rule about a warehouse that was removed since says nothing any more.
  const rules = Array.isArray(stored) ? stored.filter((rule) => !(rule && typeof rule === "object" && "warehouseId" in rule) || known.has(String((rule as { warehouseId: unknown }).warehouseId))) : stored;
  const checked = validateRoutingRules({ rules, allowSplit: settings.routingAllowSplit, maxShipments: settings.routingMaxShipments ?? "" }, warehouses);
  if (checked.errors) {
    throw new FulfillmentError(
      "routing_rules_invalid",
      `The routing rules saved in Settings > Routing are not valid (${Object.keys(checked.errors).join(", ")}). Open Settings > Routing, correct them and save.`,
      false,
    );
  }
  return checked.values;
}

export async function routingContext(shop: string, request: FulfillmentRequest, shopifyOrderId: string, db: Database = defaultDb): Promise<RoutingContext> {
  const [rows, settings] = await Promise.all([routingWarehouses(db, shop), routingSettings(db, shop)]);
  const { rules, options } = await loadRules(settings, rows);
  const mapped = rows.filter((w) => w.shopifyLocationId);
  const items = [...new Set(request.lines.map((l) => l.inventoryItemId).filter(Boolean))];
  const [positions, reservations] = await Promise.all([
    routingPositions(
      db,
      shop,
      mapped.map((w) => w.id),
      items,
    ),
    // All of the order's reservations (a few rows): the active ones of its items count below, and
    // the caller reserves from what they show (reserveOrderLines would read each one again).
    readOrderReservations(db, shop, shopifyOrderId),
  ]);
  const own = reservations.filter((r) => r.status === "active" && items.includes(r.inventoryItemId));
  const key = (warehouseId: string, item: string) => `${warehouseId}\n${item}`;
  const ownReserved = new Map<string, number>();
  for (const r of own) ownReserved.set(key(r.warehouseId, r.inventoryItemId), (ownReserved.get(key(r.warehouseId, r.inventoryItemId)) ?? 0) + r.quantity);
  const ownUnits = new Map<string, number>();
  for (const line of request.lines) ownUnits.set(line.inventoryItemId, (ownUnits.get(line.inventoryItemId) ?? 0) + line.quantity);
  const defaultSafety = settings?.defaultSafetyStock ?? 0;

  const available = new Map<string, Record<string, number>>();
  for (const p of positions) {
    if (!p.inventoryItemId) continue;
    const warehouse = mapped.find((w) => w.id === p.warehouseId)!;
    const atAssigned = warehouse.shopifyLocationId === request.assignedLocationId;
    const ownCommitted = atAssigned ? (ownUnits.get(p.inventoryItemId) ?? 0) : 0;
    const result = availableToSell({
      warehouseSellable: p.warehouseSellable,
      unacknowledgedReserved: Math.max(0, p.reservedUnacknowledged - (ownReserved.get(key(p.warehouseId, p.inventoryItemId)) ?? 0)),
      safetyStock: effectiveSafetyStock(p.safetyStock, defaultSafety),
      shopifyCommitted: p.shopifyCommitted == null ? null : Math.max(0, p.shopifyCommitted - ownCommitted),
      acknowledgedUnfulfilled: p.acknowledgedUnfulfilled,
    });
    const perItem = available.get(p.warehouseId) ?? {};
    perItem[p.inventoryItemId] = (perItem[p.inventoryItemId] ?? 0) + result.available;
    available.set(p.warehouseId, perItem);
  }

  const candidates: WarehouseCandidate[] = mapped.map((w) => ({
    id: w.id,
    name: w.name,
    locationId: w.shopifyLocationId!,
    priority: w.priority,
    // A paused connection takes no orders; one whose last test failed still does (calls retry).
    active: w.connection.status !== "paused",
    regions: regionsOf(w),
    origin: {
      countryCode: w.countryCode,
      latitude: w.latitude == null ? null : Number(w.latitude),
      longitude: w.longitude == null ? null : Number(w.longitude),
    },
    available: available.get(w.id) ?? {},
  }));
  const warehouses = new Map<string, RoutedWarehouse>(
    mapped.map((w) => [w.id, routedWarehouse(w)!]),
  );
  return { candidates, warehouses, rules, options, names: Object.fromEntries(rows.map((w) => [w.id, w.name])), reservations };
}
