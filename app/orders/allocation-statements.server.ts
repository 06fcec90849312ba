// The allocation writes every order makes several times (a new allocation with its "requested"
// event, a claim of its lease, a change of status with its timeline events, the lease given back)
// as raw SQL: through Prisma each was a model call with a nested write, which Prisma runs as a
// transaction of several statements with awaits between them, holding SQLite's one write lock
// while the process did other work. On SQLite these run straight on the connection; the same text
// runs on PostgreSQL. Every statement names the shop.
import type { Database } from "../db/client.server";
import { dialectOf, executeStatement, newId, queryRows, queryTogether, rowText, rowTime, SqlParams, type Statement } from "../db/raw.server";
import type { AllocationRow, AllocationState } from "./allocations.server";

/** The columns of ALLOCATION_FIELDS (app/orders/allocations.server.ts), as a RETURNING list. */
const RETURNING = `"id", "orderId", "status", "warehouseId", "routingReason", "warehouseOrderRef", "warehouseOrderStatus", "lastError", "cancelRequestedAt", "attempts"`;

function allocationState(row: Record<string, unknown>): AllocationState {
  return {
    id: String(row.id),
    orderId: String(row.orderId),
    status: String(row.status),
    warehouseId: rowText(row.warehouseId),
    routingReason: rowText(row.routingReason),
    warehouseOrderRef: rowText(row.warehouseOrderRef),
    warehouseOrderStatus: rowText(row.warehouseOrderStatus),
    lastError: rowText(row.lastError),
    cancelRequestedAt: rowTime(row.cancelRequestedAt),
    attempts: Number(row.attempts),
  };
}

/** The allocation columns a change may set, and how each is written. */
const COLUMNS = {
  fulfillmentOrderId: "text",
  warehouseId: "text",
  routingReason: "text",
  warehouseOrderRef: "text",
  sentLines: "text",
  warehouseOrderStatus: "text",
  lastError: "text",
  assignedLocationId: "text",
  movedFromLocationId: "text",
  cancelRequestedAt: "time",
  nextAttemptAt: "time",
  attempts: "int",
} as const;

export type AllocationColumns = { [K in keyof typeof COLUMNS]?: (typeof COLUMNS)[K] extends "time" ? Date | null : (typeof COLUMNS)[K] extends "int" ? number : string | null };

export interface TimelineEvent {
  kind: string;
  status: string;
  note: string | null;
  at: Date;
}

function value(sql: SqlParams, kind: "text" | "time" | "int", v: unknown): string {
  if (v === null) return "NULL";
  if (kind === "time") return sql.time(v as Date);
  if (kind === "int") return sql.int(v as number);
  return sql.add(v);
}

/** Appends timeline events to an allocation, only if it exists in this shop (else nothing). */
function eventsInsert(sql: SqlParams, shop: string, allocationId: string, events: readonly TimelineEvent[]): string {
  const rows = events.map(
    (e) =>
      `(CAST(${sql.add(newId())} AS TEXT), CAST(${sql.add(shop)} AS TEXT), CAST(${sql.add(allocationId)} AS TEXT), CAST(${sql.add(e.kind)} AS TEXT), ` +
      `CAST(${sql.add(e.status)} AS TEXT), CAST(${sql.add(e.note)} AS TEXT), ${sql.time(e.at)})`,
  );
  return (
    `INSERT INTO "AllocationEvent" ("id", "shop", "allocationId", "kind", "status", "note", "at") ` +
    `SELECT "v"."column1", "v"."column2", "v"."column3", "v"."column4", "v"."column5", "v"."column6", "v"."column7" FROM (VALUES ${rows.join(", ")}) AS "v" ` +
    `WHERE EXISTS (SELECT 1 FROM "Allocation" WHERE "id" = ${sql.add(allocationId)} AND "shop" = ${sql.add(shop)})`
  );
}

/**
 * One change of an allocation: the columns given (undefined ones left alone), the status when
 * given, the lease given back with `release`, and its timeline events, in one transaction.
 * Throws when the allocation is not there (a shop's data purged while a job ran).
 */
export async function updateAllocation(
  db: Database,
  shop: string,
  allocationId: string,
  change: { columns: AllocationColumns; status?: string; release?: boolean; events: readonly TimelineEvent[] },
  now: Date,
): Promise<AllocationState> {
  const dialect = dialectOf(db);
  const update = new SqlParams(dialect);
  const set: string[] = [];
  for (const [column, kind] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, "text" | "time" | "int"][]) {
    const v = change.columns[column];
    if (v !== undefined) set.push(`"${column}" = ${value(update, kind, v)}`);
  }
  if (change.status) set.push(`"status" = ${update.add(change.status)}`);
  if (change.release) set.push(`"lockedUntil" = NULL`);
  set.push(`"updatedAt" = ${update.time(now)}`);
  const statements: Statement[] = [
    { text: `UPDATE "Allocation" SET ${set.join(", ")} WHERE "id" = ${update.add(allocationId)} AND "shop" = ${update.add(shop)} RETURNING ${RETURNING}`, values: update.values },
  ];
  if (change.events.length) {
    const insert = new SqlParams(dialect);
    statements.push({ text: eventsInsert(insert, shop, allocationId, change.events), values: insert.values });
  }
  const row = (await queryTogether(db, statements))[0]?.[0];
  if (!row) throw new Error(`Allocation ${allocationId} is no longer there; the job will try again.`);
  return allocationState(row);
}

/** The allocation's lease, if it is free (or its holder's lease ran out); null when another run holds it or it is not there. */
export async function claimAllocationLease(db: Database, shop: string, where: { id: string } | { fulfillmentOrderId: string }, now: Date, lockedUntil: Date): Promise<AllocationState | null> {
  // Values are added in the order they appear in the text ("?" binds by position on SQLite).
  const sql = new SqlParams(dialectOf(db));
  const set = `"lockedUntil" = ${sql.time(lockedUntil)}, "updatedAt" = ${sql.time(now)}`;
  const key = "id" in where ? `"id" = ${sql.add(where.id)}` : `"fulfillmentOrderId" = ${sql.add(where.fulfillmentOrderId)}`;
  const [row] = await queryRows(
    db,
    `UPDATE "Allocation" SET ${set} WHERE ${key} AND "shop" = ${sql.add(shop)} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${sql.time(now)}) RETURNING ${RETURNING}`,
    ...sql.values,
  );
  return row ? allocationState(row) : null;
}

/** An allocation's whole row, as Prisma reads it (raw rows name the columns as the model does). */
function allocationRow(row: Record<string, unknown>): AllocationRow {
  return {
    ...allocationState(row),
    shop: String(row.shop),
    fulfillmentOrderId: String(row.fulfillmentOrderId),
    sentLines: rowText(row.sentLines),
    assignedLocationId: rowText(row.assignedLocationId),
    movedFromLocationId: rowText(row.movedFromLocationId),
    nextAttemptAt: rowTime(row.nextAttemptAt),
    lockedUntil: rowTime(row.lockedUntil),
    createdAt: rowTime(row.createdAt)!,
    updatedAt: rowTime(row.updatedAt)!,
  };
}

/** The allocation's lease, as claimAllocationLease, with its whole row. */
export async function claimAllocationRow(db: Database, shop: string, allocationId: string, now: Date, lockedUntil: Date): Promise<AllocationRow | null> {
  const sql = new SqlParams(dialectOf(db));
  const [row] = await queryRows(
    db,
    `UPDATE "Allocation" SET "lockedUntil" = ${sql.time(lockedUntil)}, "updatedAt" = ${sql.time(now)} ` +
      `WHERE "id" = ${sql.add(allocationId)} AND "shop" = ${sql.add(shop)} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${sql.time(now)}) RETURNING *`,
    ...sql.values,
  );
  return row ? allocationRow(row) : null;
}

/**
 * A new allocation (status requested), holding the lease, with its "requested" event; null when
 * the fulfillment order has one already (made meanwhile by another run), which is then left as it is.
 */
export async function insertAllocation(
  db: Database,
  shop: string,
  row: { orderId: string; fulfillmentOrderId: string; assignedLocationId: string | null; lockedUntil: Date },
  event: TimelineEvent,
  now: Date,
): Promise<AllocationState | null> {
  const dialect = dialectOf(db);
  const id = newId();
  const insert = new SqlParams(dialect);
  const text =
    `INSERT INTO "Allocation" ("id", "shop", "orderId", "fulfillmentOrderId", "status", "assignedLocationId", "attempts", "lockedUntil", "createdAt", "updatedAt") ` +
    `VALUES (${insert.add(id)}, ${insert.add(shop)}, ${insert.add(row.orderId)}, ${insert.add(row.fulfillmentOrderId)}, 'requested', ${insert.add(row.assignedLocationId)}, 0, ` +
    `${insert.time(row.lockedUntil)}, ${insert.time(now)}, ${insert.time(now)}) ON CONFLICT ("shop", "fulfillmentOrderId") DO NOTHING RETURNING ${RETURNING}`;
  const events = new SqlParams(dialect);
  const created = (
    await queryTogether(db, [
      { text, values: insert.values },
      { text: eventsInsert(events, shop, id, [event]), values: events.values },
    ])
  )[0]?.[0];
  return created ? allocationState(created) : null;
}

/** Gives the allocation's lease back. */
export async function releaseAllocationLease(db: Database, shop: string, allocationId: string, now: Date = new Date()): Promise<void> {
  const sql = new SqlParams(dialectOf(db));
  await executeStatement(
    db,
    `UPDATE "Allocation" SET "lockedUntil" = NULL, "updatedAt" = ${sql.time(now)} WHERE "id" = ${sql.add(allocationId)} AND "shop" = ${sql.add(shop)}`,
    ...sql.values,
  );
}
