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

