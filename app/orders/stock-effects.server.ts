// What orders do to stock, through the stock engine's own functions (app/inventory/): reservations
// follow the order (reserved where it is committed, acknowledged when the warehouse accepted it,
// released when it ships or is cancelled), and the warehouse's levels are read again after it
// moved units, so that positions never wait for a late stock webhook.
import { applyWarehouseLevels, changeOrderReservations, reserveOrderLines, type ReservationChange } from "../inventory/positions.server";
import { forShop } from "../db/tenant.server";
import { readOrderReservations } from "../inventory/position-statements.server";
import type { OrderDeps } from "./deps";
import type { FulfillmentOrderView } from "./gateway";

export interface WarehouseRef {
  id: string;
  connectionId: string;
  externalCode: string;
}

/** Reserves the fulfillment order's unfulfilled units at the warehouse of `locationId`. Idempotent per line. */
export async function reserveFulfillmentOrder(shop: string, fo: FulfillmentOrderView, locationId: string, deps: OrderDeps): Promise<number> {
  const lines = fo.lines
    .filter((line) => line.remainingQuantity > 0 && line.inventoryItemId)
    .map((line) => ({ orderId: fo.orderId, lineItemId: line.lineItemId, inventoryItemId: line.inventoryItemId!, locationId, quantity: line.remainingQuantity }));
  // Several lines: what they already hold in one read, instead of one per line.
  const known =
    lines.length > 1
      ? await readOrderReservations(deps.db, shop, fo.orderId, lines.map((l) => l.lineItemId))
      : undefined;
  const reserved = await reserveOrderLines(shop, lines, deps.db, deps.now(), known);
  if (reserved) await deps.stockChanged(shop);
  return reserved;
}

/** Units of one order line that moved to another location (part of a fulfillment order). */
export interface MovedUnits {
  lineItemId: string;
  inventoryItemId: string | null;
  quantity: number;
}

/**
 * The fulfillment order moved: its reservations leave the old warehouse and follow it. With
 * `moved`, only those units moved (a split) and `fo` is the original as it stands after the move:
 * a line that moved whole is released at the old warehouse, one that moved in part keeps what
 * stayed there, and the moved units are reserved at the new one. Safe to repeat.
 */
export async function moveReservations(
  shop: string,
  fo: FulfillmentOrderView,
  fromLocationId: string | null,
  toLocationId: string,
  deps: OrderDeps,
  moved?: readonly MovedUnits[],
): Promise<void> {
  const scoped = forShop(shop, deps.db);
  const from = fromLocationId ? await scoped.warehouse.findFirst({ where: { shopifyLocationId: fromLocationId }, select: { id: true } }) : null;
  if (!moved) {
    if (from) await changeOrderReservations(shop, fo.orderId, "rerouted", { warehouseId: from.id, lineItemIds: fo.lines.map((l) => l.lineItemId) }, deps.db, deps.now());
    await reserveFulfillmentOrder(shop, fo, toLocationId, deps);
    await deps.stockChanged(shop);
    return;
  }
  if (from) {
    const staying = new Map<string, number>();
    for (const line of fo.lines) staying.set(line.lineItemId, (staying.get(line.lineItemId) ?? 0) + line.remainingQuantity);
    const gone = moved.filter((m) => !staying.get(m.lineItemId)).map((m) => m.lineItemId);
    if (gone.length) await changeOrderReservations(shop, fo.orderId, "rerouted", { warehouseId: from.id, lineItemIds: gone }, deps.db, deps.now());
    // A line split between the warehouses: its reservation at the old one shrinks to what stayed.
    const shared = moved.filter((m) => staying.get(m.lineItemId)).map((m) => m.lineItemId);
    const reserved = shared.length
      ? await scoped.reservation.findMany({ where: { orderId: fo.orderId, warehouseId: from.id, status: "active", lineItemId: { in: shared } }, select: { lineItemId: true, inventoryItemId: true } })
      : [];
    await reserveOrderLines(
      shop,
      reserved.map((r) => ({ orderId: fo.orderId, lineItemId: r.lineItemId, inventoryItemId: r.inventoryItemId, locationId: fromLocationId!, quantity: staying.get(r.lineItemId)! })),
      deps.db,
      deps.now(),
    );
  }
  await reserveOrderLines(
    shop,
    moved
      .filter((m) => m.inventoryItemId && m.quantity > 0)
      .map((m) => ({ orderId: fo.orderId, lineItemId: m.lineItemId, inventoryItemId: m.inventoryItemId!, locationId: toLocationId, quantity: m.quantity })),
    deps.db,
    deps.now(),
  );
  await deps.stockChanged(shop);
}

/** Moves the order's reservations at a warehouse on (acknowledged, fulfilled, cancelled). */
export async function changeReservations(
  shop: string,
  shopifyOrderId: string,
  change: ReservationChange,
  warehouseId: string,
  deps: OrderDeps,
  lineItemIds?: string[],
): Promise<number> {
  const changed = await changeOrderReservations(shop, shopifyOrderId, change, { warehouseId, ...(lineItemIds ? { lineItemIds } : {}) }, deps.db, deps.now());
  if (changed) await deps.stockChanged(shop);
  return changed;
}

/**
 * Reads the warehouse's current levels of these SKUs and applies them (absolute, by sequence: a
 * level the stock webhooks already brought changes nothing, and nothing is counted twice).
 */
export async function refreshWarehouseLevels(shop: string, warehouse: WarehouseRef, skus: string[], reference: string, deps: OrderDeps): Promise<number> {
  if (!skus.length) return 0;
  const connector = await deps.connectorFor(shop, warehouse.connectionId);
  const levels = await connector.readStockLevels(warehouse.externalCode, skus);
  const applied = await applyWarehouseLevels(shop, warehouse.connectionId, levels, "warehouse_poll", reference, deps.db, deps.now());
  if (applied.dirtied) await deps.stockChanged(shop);
  return applied.dirtied;
}
