// Per-order statements of the order jobs in raw SQL: which allocation a warehouse event names, the
// mark of an order's first shipment attempt, and the warehouse SKUs of an order's items. Each ran
// once per order in a sale through Prisma's model API, about a millisecond of CPU apiece on a
// small machine (the mark with a relation filter, among the most expensive to compile). Raw SQL names the shop itself (forShop does not see it).
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows, executeStatement, rowText } from "../db/raw.server";

/** The allocation of a fulfillment order, with what tells whether a warehouse order status is news. */
export async function allocationForEvent(db: Database, shop: string, fulfillmentOrderId: string): Promise<{ id: string; warehouseOrderStatus: string | null } | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "warehouseOrderStatus" FROM "Allocation" WHERE "shop" = ${sql.add(shop)} AND "fulfillmentOrderId" = ${sql.add(fulfillmentOrderId)}`,
    ...sql.values,
  );
  const row = rows[0];
  return row ? { id: String(row.id), warehouseOrderStatus: rowText(row.warehouseOrderStatus) } : null;
}

/**
 * Marks a shipment's fulfillment as being created ("creating") if it is the allocation's only
 * shipment, checked in the same statement; false when another shipment of the allocation exists.
 */
export async function markFirstShipmentAttempt(db: Database, shop: string, shipmentId: string, allocationId: string, now: Date): Promise<boolean> {
  const sql = new SqlParams(dialectOf(db));
  const count = await executeStatement(
    db,
    `UPDATE "Shipment" SET "status" = 'creating', "updatedAt" = ${sql.time(now)} ` +
      `WHERE "id" = ${sql.add(shipmentId)} AND "shop" = ${sql.add(shop)} AND "allocationId" = ${sql.add(allocationId)} ` +
      `AND NOT EXISTS (SELECT 1 FROM "Shipment" AS "other" WHERE "other"."shop" = ${sql.add(shop)} AND "other"."allocationId" = ${sql.add(allocationId)} AND "other"."id" <> ${sql.add(shipmentId)})`,
    ...sql.values,
  );
  return count > 0;
}

/** The warehouse SKU of each of these items at a connection (items without a mapping are left out). */
export async function warehouseSkusOf(db: Database, shop: string, connectionId: string, items: readonly string[]): Promise<Map<string, string>> {
  if (!items.length) return new Map();
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "inventoryItemId", "warehouseSku" FROM "SkuMapping" WHERE "shop" = ${sql.add(shop)} AND "connectionId" = ${sql.add(connectionId)} ` +
      `AND "inventoryItemId" IN (${items.map((id) => sql.add(id)).join(", ")})`,
    ...sql.values,
  );
  return new Map(rows.map((row) => [String(row.inventoryItemId), String(row.warehouseSku)]));
}


export interface StoredOrder {
  orderId: string;
  lines: Array<{ lineItemId: string; inventoryItemId: string | null; quantity: number }>;
  /** The allocation of the given fulfillment order under this order, if any. */
  allocationId: string | null;
}

/**
 * Our copy of a Shopify order with its lines and the allocation of one of its fulfillment orders,
 * in one statement (through Prisma, a read with two relations: three queries). Null when the order
 * is not recorded.
 */
export async function storedOrder(db: Database, shop: string, shopifyOrderId: string, fulfillmentOrderId: string): Promise<StoredOrder | null> {
  const sql = new SqlParams(dialectOf(db));
  // "?" binds in textual order on SQLite: the values are added in the order they appear.
  const allocation = `(SELECT "a"."id" FROM "Allocation" AS "a" WHERE "a"."shop" = ${sql.add(shop)} AND "a"."orderId" = "o"."id" AND "a"."fulfillmentOrderId" = ${sql.add(fulfillmentOrderId)})`;
  const rows = await queryRows(
    db,
    `SELECT "o"."id" AS "orderId", ${allocation} AS "allocationId", "l"."lineItemId", "l"."inventoryItemId", "l"."quantity" ` +
      `FROM "Order" AS "o" LEFT JOIN "OrderLine" AS "l" ON "l"."orderId" = "o"."id" AND "l"."shop" = "o"."shop" ` +
      `WHERE "o"."shop" = ${sql.add(shop)} AND "o"."shopifyOrderId" = ${sql.add(shopifyOrderId)}`,
    ...sql.values,
  );
  const first = rows[0];
  if (!first) return null;
  return {
    orderId: String(first.orderId),
    allocationId: rowText(first.allocationId),
    lines: rows
      .filter((row) => row.lineItemId != null)
      .map((row) => ({ lineItemId: String(row.lineItemId), inventoryItemId: rowText(row.inventoryItemId), quantity: Number(row.quantity) })),
  };
}

/** Names the inventory item of an order line (the orders/create webhook does not). */
export async function setOrderLineItem(db: Database, shop: string, lineItemId: string, inventoryItemId: string): Promise<void> {
  const sql = new SqlParams(dialectOf(db));
  await executeStatement(db, `UPDATE "OrderLine" SET "inventoryItemId" = ${sql.add(inventoryItemId)} WHERE "shop" = ${sql.add(shop)} AND "lineItemId" = ${sql.add(lineItemId)}`, ...sql.values);
}
