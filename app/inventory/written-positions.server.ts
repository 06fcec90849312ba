// Recording a written batch on its positions in one statement.
//
// 250 separate UPDATEs cost more than the Shopify call itself (about 1 ms each through the driver
// adapter), which would make the database, not Shopify's rate limit, the bottleneck of the sync.
// This is one UPDATE with CASE per column, valid SQL on both SQLite and PostgreSQL. It is raw SQL,
// so it names the shop itself (forShop does not see raw queries).
import { inBatches } from "../db/in-batches";
import { dialectOf, SqlParams, queryRows, executeStatement } from "../db/raw.server";
import type { Database } from "../db/client.server";
import { insertLedgerRows } from "./position-statements.server";

export interface WrittenPosition {
  positionId: string;
  quantityAfterChange: number;
  /** The version the write was planned at: unchanged since means the position is now clean. */
  plannedVersion: number;
}

/**
 * Sets Shopify's new value on each position; a position not changed since it was planned becomes
 * clean, the others stay dirty (something arrived while we were writing). One UPDATE joined to a
 * VALUES list (SQLite 3.33+ and PostgreSQL both take UPDATE ... FROM), which returns the positions
 * it found with their warehouse, so that the caller needs no second read. A CASE per column was
 * tried first: SQLite compared every row with every id, 40 ms for a batch of 250.
 */
export async function recordWrittenPositions(
  db: Database,
  shop: string,
  written: WrittenPosition[],
  at: Date,
): Promise<{ id: string; warehouseId: string }[]> {
  if (!written.length) return [];
  const sql$ = new SqlParams(dialectOf(db));
  const param = (value: unknown) => sql$.add(value);
  const int = (value: number) => sql$.int(value);
  const stamp = () => sql$.time(at);
  // "?" placeholders bind in textual order: the VALUES list comes first in the text.
  const values = written.map((w) => `(${param(w.positionId)}, ${int(w.quantityAfterChange)}, ${int(w.plannedVersion)})`).join(", ");
  const lastWrittenAt = stamp();
  const updatedAt = stamp();
  const shopParam = param(shop);
  const p = `"InventoryPosition"`;
  const sql =
    `WITH "written" ("id", "quantity", "plannedVersion") AS (VALUES ${values}) ` +
    `UPDATE ${p} SET ` +
    `"shopifyAvailable" = "written"."quantity", ` +
    `"lastWrittenAvailable" = "written"."quantity", ` +
    `"syncState" = CASE WHEN ${p}."version" = "written"."plannedVersion" THEN 'clean' ELSE ${p}."syncState" END, ` +
    `"dirtySince" = CASE WHEN ${p}."version" = "written"."plannedVersion" THEN NULL ELSE ${p}."dirtySince" END, ` +
    `"version" = ${p}."version" + 1, ` +
    `"lastWrittenAt" = ${lastWrittenAt}, "updatedAt" = ${updatedAt} ` +
    `FROM "written" WHERE ${p}."id" = "written"."id" AND ${p}."shop" = ${shopParam} ` +
    `RETURNING ${p}."id", ${p}."warehouseId"`;
  return queryRows<{ id: string; warehouseId: string }[]>(db, sql, ...sql$.values);
}

export interface WrittenLedgerRow {
  warehouseId: string;
  inventoryItemId: string;
  before: number;
  after: number;
  reference: string;
}

/**
 * The ledger rows of a written batch in one INSERT (Prisma's createMany spends about 0.3 ms a row
 * in the query compiler, more than the Shopify call for a full batch).
 */
export async function appendWrittenLedger(db: Database, shop: string, rows: WrittenLedgerRow[], at: Date): Promise<void> {
  if (!rows.length) return;
  await insertLedgerRows(
    db,
    rows.map((r) => ({
      shop,
      warehouseId: r.warehouseId,
      inventoryItemId: r.inventoryItemId,
      quantityName: "shopify_available",
      before: r.before,
      after: r.after,
      delta: r.after - r.before,
      source: "stock_sync",
      reason: "written_to_shopify",
      reference: r.reference,
      occurredAt: at,
    })),
    at,
  );
}

export interface ShopifyRead {
  positionId: string;
  available: number;
  committed: number;
  onHand: number | null;
}

/**
 * What Shopify said of each position (read before a write), in one UPDATE per slice of 200 (was
 * one Prisma update per position, about a millisecond of CPU each, in every stock sync).
 */
export async function recordShopifyReads(db: Database, shop: string, reads: readonly ShopifyRead[], at: Date): Promise<void> {
  for (const slice of inBatches(reads, 200)) {
    const sql$ = new SqlParams(dialectOf(db));
    const values = slice
      .map((r) => `(${sql$.add(r.positionId)}, ${sql$.int(r.available)}, ${sql$.int(r.committed)}, ${r.onHand === null ? "CAST(NULL AS INTEGER)" : sql$.int(r.onHand)})`)
      .join(", ");
    const readAt = sql$.time(at);
    const updatedAt = sql$.time(at);
    const shopParam = sql$.add(shop);
    const p = `"InventoryPosition"`;
    await executeStatement(
      db,
      `WITH "shopify" ("id", "available", "committed", "onHand") AS (VALUES ${values}) ` +
        `UPDATE ${p} SET "shopifyAvailable" = "shopify"."available", "shopifyCommitted" = "shopify"."committed", "shopifyOnHand" = "shopify"."onHand", ` +
        `"shopifyReadAt" = ${readAt}, "needsShopifyRead" = FALSE, "updatedAt" = ${updatedAt} ` +
        `FROM "shopify" WHERE ${p}."id" = "shopify"."id" AND ${p}."shop" = ${shopParam}`,
      ...sql$.values,
    );
  }
}

export interface UnchangedPosition {
  positionId: string;
  /** The version the plan was made at: a position changed since stays dirty. */
  version: number;
  /** What Shopify already shows, and what it should show. */
  target: number;
}

/** Positions Shopify already shows right become clean, unless they changed since the plan: one UPDATE per slice of 200. */
export async function markPositionsClean(db: Database, shop: string, positions: readonly UnchangedPosition[], at: Date): Promise<void> {
  for (const slice of inBatches(positions, 200)) {
    const sql$ = new SqlParams(dialectOf(db));
    const values = slice.map((u) => `(${sql$.add(u.positionId)}, ${sql$.int(u.version)}, ${sql$.int(u.target)})`).join(", ");
    const updatedAt = sql$.time(at);
    const shopParam = sql$.add(shop);
    const p = `"InventoryPosition"`;
    await executeStatement(
      db,
      `WITH "same" ("id", "plannedVersion", "target") AS (VALUES ${values}) ` +
        `UPDATE ${p} SET "syncState" = 'clean', "dirtySince" = NULL, "lastWrittenAvailable" = "same"."target", "updatedAt" = ${updatedAt} ` +
        `FROM "same" WHERE ${p}."id" = "same"."id" AND ${p}."version" = "same"."plannedVersion" AND ${p}."shop" = ${shopParam}`,
      ...sql$.values,
    );
  }
}
