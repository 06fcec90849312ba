// The stock engine's hot statements in raw SQL. Every order moves its reservations three or four
// times (reserved, acknowledged, fulfilled), and each move recomputes a position and writes a
// ledger row: through Prisma's model API that was about 16 calls per order, each about 1 ms of CPU
// in the query compiler and runtime on a small machine, against about 0.3 ms for a raw statement.
// The same text runs on SQLite and PostgreSQL; values are written the way Prisma stores them, so
// Prisma reads these rows back unchanged. Raw SQL names the shop itself (forShop does not see it).
import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.server";
import { type Dialect, dialectOf, executeStatement, executeTogether, queryRows, rowText, rowTime, SqlParams, type Statement } from "../db/raw.server";

export interface LedgerRow {
  shop: string;
  warehouseId: string;
  inventoryItemId: string;
  quantityName: string;
  before: number;
  after: number;
  delta: number;
  source: string;
  reason: string;
  reference: string | null;
  occurredAt: Date;
}

const LEDGER_COLUMNS = `"shop", "warehouseId", "inventoryItemId", "quantityName", "before", "after", "delta", "source", "reason", "reference", "occurredAt", "recordedAt"`;

/** One ledger row's values, typed for both databases (an INSERT ... SELECT needs the casts on PostgreSQL). */
function ledgerValues(sql: SqlParams, row: LedgerRow, recordedAt: Date): string {
  const text = (value: string | null) => (value === null ? "NULL" : `CAST(${sql.add(value)} AS TEXT)`);
  return [
    text(row.shop),
    text(row.warehouseId),
    text(row.inventoryItemId),
    text(row.quantityName),
    sql.int(row.before),
    sql.int(row.after),
    sql.int(row.delta),
    text(row.source),
    text(row.reason),
    text(row.reference),
    sql.time(row.occurredAt),
    sql.time(recordedAt),
  ].join(", ");
}

/** Ledger rows in one INSERT. */
export function insertLedgerRows(db: Database, rows: readonly LedgerRow[], recordedAt: Date) {
  const { text, values } = ledgerRowsInsert(dialectOf(db), rows, recordedAt);
  return executeStatement(db, text, ...values);
}

/** The statement that appends these ledger rows, for a caller's transaction. */
export function ledgerRowsInsert(dialect: Dialect, rows: readonly LedgerRow[], recordedAt: Date): Statement {
  const sql = new SqlParams(dialect);
  const values = rows.map((row) => `(${ledgerValues(sql, row, recordedAt)})`).join(", ");
  return { text: `INSERT INTO "InventoryLedgerEntry" (${LEDGER_COLUMNS}) VALUES ${values}`, values: sql.values };
}

/** A position as a reservation recompute reads it, with the reservation totals read in the same statement. */
export interface ReservedTotals {
  id: string;
  warehouseId: string;
  inventoryItemId: string;
  warehouseSku: string;
  reservedUnacknowledged: number;
  acknowledgedUnfulfilled: number;
  syncState: string;
  dirtySince: Date | null;
  version: number;
  /** Sum of the item's active reservations at the warehouse. */
  reserved: number;
  /** Sum of its acknowledged reservations there. */
  acknowledged: number;
}

/**
 * The item's positions at the warehouse and the sums of its open reservations there, in one
 * statement (one snapshot: the sums and the versions belong together).
 */
export async function readReservedTotals(db: Database, shop: string, warehouseId: string, inventoryItemId: string): Promise<ReservedTotals[]> {
  const sql = new SqlParams(dialectOf(db));
  const sum = (status: string) =>
    `(SELECT CAST(COALESCE(SUM(r."quantity"), 0) AS INTEGER) FROM "Reservation" r ` +
    `WHERE r."shop" = p."shop" AND r."warehouseId" = p."warehouseId" AND r."inventoryItemId" = p."inventoryItemId" AND r."status" = '${status}')`;
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT p."id", p."warehouseSku", p."reservedUnacknowledged", p."acknowledgedUnfulfilled", p."syncState", p."dirtySince", p."version", ` +
      `${sum("active")} AS "reserved", ${sum("acknowledged")} AS "acknowledged" ` +
      `FROM "InventoryPosition" p WHERE p."shop" = ${sql.add(shop)} AND p."warehouseId" = ${sql.add(warehouseId)} AND p."inventoryItemId" = ${sql.add(inventoryItemId)}`,
    ...sql.values,
  );
  return rows.map((row) => ({
    id: String(row.id),
    warehouseId,
    inventoryItemId,
    warehouseSku: String(row.warehouseSku),
    reservedUnacknowledged: Number(row.reservedUnacknowledged),
    acknowledgedUnfulfilled: Number(row.acknowledgedUnfulfilled),
    syncState: String(row.syncState),
    dirtySince: rowTime(row.dirtySince),
    version: Number(row.version),
    reserved: Number(row.reserved),
    acknowledged: Number(row.acknowledged),
  }));
}

/**
 * Writes the new reservation totals on a position if its version is still the one read, with the
 * ledger row, atomically. Returns false when the position changed since it was read (nothing is
 * written then). PostgreSQL: one statement (the ledger row is inserted from the UPDATE's RETURNING).
 * SQLite: the ledger row first, only while the version is still the one read, then the UPDATE with
 * the same guard, in one transaction; SQLite's single writer makes both see the same row.
 */
export async function writeReservedTotals(
  db: Database,
  position: ReservedTotals,
  ledger: LedgerRow,
  now: Date,
): Promise<boolean> {
  const dialect = dialectOf(db);
  const dirtySince = position.syncState === "dirty" ? position.dirtySince : now;
  const update = (sql: SqlParams) =>
    `UPDATE "InventoryPosition" SET "reservedUnacknowledged" = ${sql.int(position.reserved)}, "acknowledgedUnfulfilled" = ${sql.int(position.acknowledged)}, ` +
    `"syncState" = 'dirty', "dirtySince" = ${sql.time(dirtySince)}, "version" = "version" + 1, "updatedAt" = ${sql.time(now)} ` +
    `WHERE "id" = ${sql.add(position.id)} AND "shop" = ${sql.add(ledger.shop)} AND "version" = ${sql.int(position.version)}`;
  if (dialect === "postgresql") {
    const sql = new SqlParams(dialect);
    const moved = update(sql);
    const values = ledgerValues(sql, ledger, now);
    const inserted = await executeStatement(
      db,
      `WITH "moved" AS (${moved} RETURNING "id") INSERT INTO "InventoryLedgerEntry" (${LEDGER_COLUMNS}) SELECT ${values} FROM "moved"`,
      ...sql.values,
    );
    return inserted === 1;
  }
  const insert = new SqlParams(dialect);
  const insertText =
    `INSERT INTO "InventoryLedgerEntry" (${LEDGER_COLUMNS}) SELECT ${ledgerValues(insert, ledger, now)} ` +
    `WHERE EXISTS (SELECT 1 FROM "InventoryPosition" WHERE "id" = ${insert.add(position.id)} AND "version" = ${insert.int(position.version)})`;
  const write = new SqlParams(dialect);
  const updateText = update(write);
  // Inside a caller's transaction (a transaction client has no $transaction) the two run in it.
  const [inserted, updated] =
    await executeTogether(db, [
      { text: insertText, values: insert.values },
      { text: updateText, values: write.values },
    ]);
  if (inserted !== updated) throw new Error(`The reserved quantity of ${ledger.inventoryItemId} was written without its ledger row; the job will try again.`);
  return updated === 1;
}

/** The warehouse at a Shopify location, if the location is one of the shop's warehouses. */
export async function warehouseAtLocation(db: Database, shop: string, locationId: string): Promise<{ id: string } | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<{ id: string }[]>(
    db,
    `SELECT "id" FROM "Warehouse" WHERE "shop" = ${sql.add(shop)} AND "shopifyLocationId" = ${sql.add(locationId)} LIMIT 1`,
    ...sql.values,
  );
  return rows[0] ? { id: String(rows[0].id) } : null;
}

export interface ReservationRow {
  id: string;
  lineItemId: string;
  warehouseId: string;
  quantity: number;
  status: string;
}

/** The reservation of one order line at one warehouse, if any. */
export async function findLineReservation(db: Database, shop: string, lineItemId: string, warehouseId: string): Promise<ReservationRow | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "lineItemId", "warehouseId", "quantity", "status" FROM "Reservation" ` +
      `WHERE "shop" = ${sql.add(shop)} AND "lineItemId" = ${sql.add(lineItemId)} AND "warehouseId" = ${sql.add(warehouseId)}`,
    ...sql.values,
  );
  const row = rows[0];
  return row ? { id: String(row.id), lineItemId: String(row.lineItemId), warehouseId: String(row.warehouseId), quantity: Number(row.quantity), status: String(row.status) } : null;
}

export async function setReservationQuantity(db: Database, shop: string, id: string, quantity: number): Promise<void> {
  const sql = new SqlParams(dialectOf(db));
  await executeStatement(db, `UPDATE "Reservation" SET "quantity" = ${sql.int(quantity)} WHERE "id" = ${sql.add(id)} AND "shop" = ${sql.add(shop)}`, ...sql.values);
}

export interface NewReservation {
  shop: string;
  warehouseId: string;
  inventoryItemId: string;
  orderId: string;
  lineItemId: string;
  quantity: number;
}

/**
 * A new active reservation; its id. Two jobs reserving the same line at the same warehouse at once:
 * the second is refused (as the unique key refused it before) and its job tries again, finding the
 * first one's row.
 */
export async function insertReservation(db: Database, reservation: NewReservation, now: Date): Promise<string> {
  const sql = new SqlParams(dialectOf(db));
  const id = randomUUID();
  const inserted = await executeStatement(
    db,
    `INSERT INTO "Reservation" ("id", "shop", "warehouseId", "inventoryItemId", "orderId", "lineItemId", "quantity", "status", "createdAt") ` +
      `VALUES (${sql.add(id)}, ${sql.add(reservation.shop)}, ${sql.add(reservation.warehouseId)}, ${sql.add(reservation.inventoryItemId)}, ${sql.add(reservation.orderId)}, ` +
      `${sql.add(reservation.lineItemId)}, ${sql.int(reservation.quantity)}, 'active', ${sql.time(now)}) ` +
      `ON CONFLICT ("shop", "lineItemId", "warehouseId") DO NOTHING`,
    ...sql.values,
  );
  if (inserted !== 1) {
    throw new Error(`Line ${reservation.lineItemId} was being reserved by another job at the same time; this job will try again.`);
  }
  return id;
}

export interface ReservationMove {
  shop: string;
  orderId: string;
  from: readonly string[];
  warehouseId?: string;
  lineItemIds?: readonly string[];
}

/**
 * Moves the order's matching reservations on in one statement (acknowledged, or released with a
 * reason) and returns the positions they belong to.
 */
export async function moveReservationRows(
  db: Database,
  move: ReservationMove,
  to: { status: "acknowledged" } | { status: "released"; reason: string },
  now: Date,
): Promise<{ warehouseId: string; inventoryItemId: string }[]> {
  if (move.lineItemIds && !move.lineItemIds.length) return [];
  const sql = new SqlParams(dialectOf(db));
  const set =
    to.status === "acknowledged"
      ? `"status" = 'acknowledged', "acknowledgedAt" = ${sql.time(now)}`
      : `"status" = 'released', "releasedReason" = ${sql.add(to.reason)}, "releasedAt" = ${sql.time(now)}`;
  const where = [
    `"shop" = ${sql.add(move.shop)}`,
    `"orderId" = ${sql.add(move.orderId)}`,
    `"status" IN (${move.from.map((s) => sql.add(s)).join(", ")})`,
    ...(move.warehouseId ? [`"warehouseId" = ${sql.add(move.warehouseId)}`] : []),
    ...(move.lineItemIds ? [`"lineItemId" IN (${move.lineItemIds.map((id) => sql.add(id)).join(", ")})`] : []),
  ];
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `UPDATE "Reservation" SET ${set} WHERE ${where.join(" AND ")} RETURNING "warehouseId", "inventoryItemId"`,
    ...sql.values,
  );
  return rows.map((row) => ({ warehouseId: String(row.warehouseId), inventoryItemId: String(row.inventoryItemId) }));
}

/** What applying a warehouse level reads of a position. */
export interface LevelPosition {
  id: string;
  warehouseId: string;
  warehouseSku: string;
  inventoryItemId: string | null;
  warehouseBarcode: string | null;
  warehouseSellable: number;
  warehouseDamaged: number;
  warehouseSequence: bigint;
  syncState: string;
  dirtySince: Date | null;
}

/** The connection's warehouses, and the positions of these SKUs in them, and the SKUs' mappings: three reads. */
export async function readLevelTargets(db: Database, shop: string, connectionId: string, skus: readonly string[]) {
  const dialect = dialectOf(db);
  const warehousesSql = new SqlParams(dialect);
  const warehouses = queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "externalCode" FROM "Warehouse" WHERE "shop" = ${warehousesSql.add(shop)} AND "connectionId" = ${warehousesSql.add(connectionId)}`,
    ...warehousesSql.values,
  );
  const mappingsSql = new SqlParams(dialect);
  const mappings = queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "warehouseSku", "inventoryItemId" FROM "SkuMapping" WHERE "shop" = ${mappingsSql.add(shop)} AND "connectionId" = ${mappingsSql.add(connectionId)} ` +
      `AND "warehouseSku" IN (${skus.map((sku) => mappingsSql.add(sku)).join(", ")})`,
    ...mappingsSql.values,
  );
  const positionsSql = new SqlParams(dialect);
  const positions = queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "warehouseId", "warehouseSku", "inventoryItemId", "warehouseBarcode", "warehouseSellable", "warehouseDamaged", ` +
      `CAST("warehouseSequence" AS TEXT) AS "warehouseSequence", "syncState", "dirtySince" FROM "InventoryPosition" ` +
      `WHERE "shop" = ${positionsSql.add(shop)} AND "warehouseId" IN (SELECT "id" FROM "Warehouse" WHERE "shop" = ${positionsSql.add(shop)} AND "connectionId" = ${positionsSql.add(connectionId)}) ` +
      `AND "warehouseSku" IN (${skus.map((sku) => positionsSql.add(sku)).join(", ")})`,
    ...positionsSql.values,
  );
  return {
    warehouses: (await warehouses).map((row) => ({ id: String(row.id), externalCode: String(row.externalCode) })),
    mappings: (await mappings).map((row) => ({ warehouseSku: String(row.warehouseSku), inventoryItemId: String(row.inventoryItemId) })),
    positions: (await positions).map(
      (row): LevelPosition => ({
        id: String(row.id),
        warehouseId: String(row.warehouseId),
        warehouseSku: String(row.warehouseSku),
        inventoryItemId: rowText(row.inventoryItemId),
        warehouseBarcode: rowText(row.warehouseBarcode),
        warehouseSellable: Number(row.warehouseSellable),
        warehouseDamaged: Number(row.warehouseDamaged),
        warehouseSequence: BigInt(String(row.warehouseSequence)),
        syncState: String(row.syncState),
        dirtySince: rowTime(row.dirtySince),
      }),
    ),
  };
}

export interface LevelWrite {
  inventoryItemId: string | null;
  warehouseBarcode: string | null;
  warehouseSellable: number;
  warehouseReserved: number;
  warehouseDamaged: number;
  warehouseSequence: bigint;
  warehouseUpdatedAt: Date;
  lastConfirmedAt: Date;
  /** Set when the position becomes (or stays) dirty. */
  dirtySince?: Date | null;
}

/**
 * A new warehouse level on a position, only if its sequence is newer than the one applied (a
 * concurrent newer level wins). Returns the statement, for the caller's transaction.
 */
export function levelUpdate(dialect: Dialect, shop: string, positionId: string, level: LevelWrite, now: Date): Statement {
  const sql = new SqlParams(dialect);
  const bigint = (value: bigint) => `CAST(${sql.add(value.toString())} AS ${dialect === "postgresql" ? "BIGINT" : "INTEGER"})`;
  const set = [
    `"inventoryItemId" = ${sql.add(level.inventoryItemId)}`,
    `"warehouseBarcode" = ${sql.add(level.warehouseBarcode)}`,
    `"warehouseSellable" = ${sql.int(level.warehouseSellable)}`,
    `"warehouseReserved" = ${sql.int(level.warehouseReserved)}`,
    `"warehouseDamaged" = ${sql.int(level.warehouseDamaged)}`,
    `"warehouseSequence" = ${bigint(level.warehouseSequence)}`,
    `"warehouseUpdatedAt" = ${sql.time(level.warehouseUpdatedAt)}`,
    `"lastConfirmedAt" = ${sql.time(level.lastConfirmedAt)}`,
    ...(level.dirtySince !== undefined ? [`"syncState" = 'dirty'`, `"dirtySince" = ${sql.time(level.dirtySince)}`] : []),
    `"version" = "version" + 1`,
    `"updatedAt" = ${sql.time(now)}`,
  ];
  return {
    text: `UPDATE "InventoryPosition" SET ${set.join(", ")} WHERE "id" = ${sql.add(positionId)} AND "shop" = ${sql.add(shop)} AND "warehouseSequence" < ${bigint(level.warehouseSequence)}`,
    values: sql.values,
  };
}

/** An order's reservations (optionally of some lines only), every status: what reserveOrderLines calls `known`. */
export async function readOrderReservations(
  db: Database,
  shop: string,
  orderId: string,
  lineItemIds?: readonly string[],
): Promise<(ReservationRow & { inventoryItemId: string })[]> {
  if (lineItemIds && !lineItemIds.length) return [];
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "lineItemId", "warehouseId", "inventoryItemId", "quantity", "status" FROM "Reservation" ` +
      `WHERE "shop" = ${sql.add(shop)} AND "orderId" = ${sql.add(orderId)}` +
      (lineItemIds ? ` AND "lineItemId" IN (${lineItemIds.map((id) => sql.add(id)).join(", ")})` : ""),
    ...sql.values,
  );
  return rows.map((row) => ({
    id: String(row.id),
    lineItemId: String(row.lineItemId),
    warehouseId: String(row.warehouseId),
    inventoryItemId: String(row.inventoryItemId),
    quantity: Number(row.quantity),
    status: String(row.status),
  }));
}
