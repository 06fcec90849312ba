// The Shipment statements every warehouse shipment makes (find its row, make it leased, lease it,
// give the lease back) in raw SQL. Through Prisma's model API they were four to six operations per
// shipment, each a trip through the query compiler: in a 60-second flash sale they were the most
// expensive operations of the worker (query stats, session 8). Every statement names the shop.
import type { Database } from "../db/client.server";
import { dialectOf, newId, queryRows, executeStatement, rowText, rowTime, SqlParams } from "../db/raw.server";

/** What is read of a Shipment row to decide what a warehouse's copy of the shipment changes, and to act on it. */
export interface ShipmentState {
  id: string;
  warehouseShipmentId: string;
  status: string;
  shopifyFulfillmentId: string | null;
  trackingWritten: string | null;
  warehouseSequence: bigint;
  deliveredAt: Date | null;
  deliveryWritten: string | null;
}

const STATE_COLUMNS = `"id", "warehouseShipmentId", "status", "shopifyFulfillmentId", "trackingWritten", "warehouseSequence", "deliveredAt", "deliveryWritten"`;

function shipmentState(row: Record<string, unknown>): ShipmentState {
  return {
    id: String(row.id),
    warehouseShipmentId: String(row.warehouseShipmentId),
    status: String(row.status),
    shopifyFulfillmentId: rowText(row.shopifyFulfillmentId),
    trackingWritten: rowText(row.trackingWritten),
    warehouseSequence: BigInt(String(row.warehouseSequence ?? 0)),
    deliveredAt: rowTime(row.deliveredAt),
    deliveryWritten: rowText(row.deliveryWritten),
  };
}

/** The row of a warehouse shipment (by its key, app/orders/shipments.server.ts shipmentKey), or null. */
export async function shipmentByKey(db: Database, shop: string, warehouseShipmentId: string): Promise<ShipmentState | null> {
  const sql = new SqlParams(dialectOf(db));
  const [row] = await queryRows(db, `SELECT ${STATE_COLUMNS} FROM "Shipment" WHERE "shop" = ${sql.add(shop)} AND "warehouseShipmentId" = ${sql.add(warehouseShipmentId)}`, ...sql.values);
  return row ? shipmentState(row) : null;
}

export interface NewShipment {
  allocationId: string;
  connectionId: string;
  warehouseShipmentId: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: Date | null;
  /** JSON text of the shipped lines. */
  lines: string;
}

/**
 * A new shipment row, leased until `lockedUntil` (nobody else can have it yet); null when a row
 * with the same key exists already (made meanwhile by another run).
 */
export async function insertLeasedShipment(db: Database, shop: string, shipment: NewShipment, now: Date, lockedUntil: Date): Promise<ShipmentState | null> {
  const sql = new SqlParams(dialectOf(db));
  const values = [
    sql.add(newId()),
    sql.add(shop),
    sql.add(shipment.allocationId),
    sql.add(shipment.connectionId),
    sql.add(shipment.warehouseShipmentId),
    sql.add(shipment.carrier),
    sql.add(shipment.trackingNumber),
    sql.add(shipment.trackingUrl),
    sql.time(shipment.shippedAt),
    sql.add(shipment.lines),
    sql.time(lockedUntil),
    sql.time(now),
    sql.time(now),
  ];
  const [row] = await queryRows(
    db,
    `INSERT INTO "Shipment" ("id", "shop", "allocationId", "connectionId", "warehouseShipmentId", "carrier", "trackingNumber", "trackingUrl", "shippedAt", "lines", "status", "lockedUntil", "createdAt", "updatedAt") ` +
      `VALUES (${values.slice(0, 10).join(", ")}, 'pending', ${values.slice(10).join(", ")}) ON CONFLICT ("shop", "warehouseShipmentId") DO NOTHING RETURNING ${STATE_COLUMNS}`,
    ...sql.values,
  );
  return row ? shipmentState(row) : null;
}

/** The shipment's lease until `lockedUntil`, when nobody holds it; its row, or null when another run does. */
export async function leaseShipment(db: Database, shop: string, id: string, now: Date, lockedUntil: Date): Promise<ShipmentState | null> {
  const sql = new SqlParams(dialectOf(db));
  const [row] = await queryRows(
    db,
    `UPDATE "Shipment" SET "lockedUntil" = ${sql.time(lockedUntil)}, "updatedAt" = ${sql.time(now)} ` +
      `WHERE "id" = ${sql.add(id)} AND "shop" = ${sql.add(shop)} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${sql.time(now)}) RETURNING ${STATE_COLUMNS}`,
    ...sql.values,
  );
  return row ? shipmentState(row) : null;
}

/** Gives the shipment's lease back. */
export async function releaseShipmentLease(db: Database, shop: string, id: string, now: Date): Promise<void> {
  const sql = new SqlParams(dialectOf(db));
  await executeStatement(db, `UPDATE "Shipment" SET "lockedUntil" = NULL, "updatedAt" = ${sql.time(now)} WHERE "id" = ${sql.add(id)} AND "shop" = ${sql.add(shop)}`, ...sql.values);
}

export interface FulfilledShipment {
  shopifyFulfillmentId: string;
  shopifyFulfillmentName: string | null;
  trackingWritten: string;
  warehouseSequence: number;
  /** JSON text of the lines the fulfillment took, when it was made now. */
  lines: string | null;
  /** Give the lease back with this write. */
  release: boolean;
}

/** Records the shipment's fulfillment in Shopify (status fulfilled, the error cleared). */
export async function recordFulfilledShipment(db: Database, shop: string, id: string, fulfilled: FulfilledShipment, now: Date): Promise<void> {
  const sql = new SqlParams(dialectOf(db));
  const set = [
    `"shopifyFulfillmentId" = ${sql.add(fulfilled.shopifyFulfillmentId)}`,
    `"shopifyFulfillmentName" = ${sql.add(fulfilled.shopifyFulfillmentName)}`,
    `"status" = 'fulfilled'`,
    `"trackingWritten" = ${sql.add(fulfilled.trackingWritten)}`,
    `"warehouseSequence" = CAST(${sql.add(String(fulfilled.warehouseSequence))} AS BIGINT)`,
    ...(fulfilled.lines !== null ? [`"lines" = ${sql.add(fulfilled.lines)}`] : []),
    `"lastError" = NULL`,
    ...(fulfilled.release ? [`"lockedUntil" = NULL`] : []),
    `"updatedAt" = ${sql.time(now)}`,
  ];
  await executeStatement(db, `UPDATE "Shipment" SET ${set.join(", ")} WHERE "id" = ${sql.add(id)} AND "shop" = ${sql.add(shop)}`, ...sql.values);
}
