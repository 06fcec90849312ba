// What orders do to stock, through the stock engine's own functions (app/inventory/): reservations
// follow the order (reserved where it is committed, acknowledged when the warehouse accepted it,
// released when it ships or is cancelled), and the warehouse's levels are read again after it
// moved units, so that positions never wait for a late stock webhook.
import { applyWarehouseLevels, changeOrderReservations, reserveOrderLines, type ReservationChange } from "../inventory/positions.server";
import { forShop } from "../db/tenant.server";
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
  const reserved = await reserveOrderLines(shop, lines, deps.db, deps.now());
  if (reserved) await deps.stockChanged(shop);
  return reserved;
}

/** The fulfillment order moved: its reservations leave the old warehouse and follow it. */
export async function moveReservations(shop: string, fo: FulfillmentOrderView, fromLocationId: string | null, toLocationId: string, deps: OrderDeps): Promise<void> {
  const from = fromLocationId
    ? await forShop(shop, deps.db).warehouse.findFirst({ where: { shopifyLocationId: fromLocationId }, select: { id: true } })
    : null;
  if (from) await changeOrderReservations(shop, fo.orderId, "rerouted", { warehouseId: from.id, lineItemIds: fo.lines.map((l) => l.lineItemId) }, deps.db, deps.now());
  await reserveFulfillmentOrder(shop, fo, toLocationId, deps);
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
