// The stock sync job: writes what Shopify should show for every dirty position.
//
//   dirty positions -> (read Shopify where unknown) -> availableToSell -> plan -> outbox -> Shopify
//
// Writes are compare-and-swap: a position whose Shopify value changed under us (an order, a hand
// edit) comes back stale, is re-read and recomputed, never overwritten. Each batch is recorded in
// the outbox before it is sent; after a crash the same batch is resent with the same idempotency
// key, so Shopify applies it once.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, queryRows, SqlParams } from "../db/raw.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { log } from "../observability/logger.server";
import { availableToSell, effectiveSafetyStock } from "./available";
import type { ShopifyInventoryGateway } from "./gateway";
import { planShopifyWrites, type PlannedQuantity, type PositionToWrite } from "./write-plan";
import { appendWrittenLedger, markPositionsClean, recordShopifyReads, recordWrittenPositions, type ShopifyRead } from "./written-positions.server";

export { SYNC_JOB } from "./job-types";
const MAX_ROUNDS = 4;
const DEFAULT_POSITIONS_PER_RUN = 5_000;

export interface SyncOutcome {
  written: number;
  unchanged: number;
  read: number;
  stale: number;
  failed: number;
  /** Dirty positions left for the next run. */
  remaining: number;
}

type Scoped = ShopDatabase;

interface DirtyPosition {
  id: string;
  version: number;
  inventoryItemId: string;
  warehouseId: string;
  locationId: string;
  warehouseSellable: number;
  reservedUnacknowledged: number;
  acknowledgedUnfulfilled: number;
  safetyStock: number | null;
  shopifyAvailable: number | null;
  shopifyCommitted: number | null;
  needsShopifyRead: boolean;
  /** What we believed Shopify showed before this run (to tell a hand edit from an order). */
  priorAvailable: number | null;
  /** When that belief was last checked against Shopify (a read, or else our last write). */
  priorReadAt: Date | null;
  sku: string;
}

async function loadDirty(scoped: Scoped, limit: number): Promise<DirtyPosition[]> {
  const warehouses = await scoped.warehouse.findMany({
    where: { syncFrozen: false, shopifyLocationId: { not: null } },
    select: { id: true, shopifyLocationId: true },
  });
  const locationOf = new Map(warehouses.map((w) => [w.id, w.shopifyLocationId!]));
  if (!locationOf.size) return [];
  const rows = await scoped.inventoryPosition.findMany({
    where: { syncState: "dirty", inventoryItemId: { not: null }, warehouseId: { in: [...locationOf.keys()] } },
    orderBy: [{ dirtySince: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    inventoryItemId: r.inventoryItemId!,
    warehouseId: r.warehouseId,
    locationId: locationOf.get(r.warehouseId)!,
    warehouseSellable: r.warehouseSellable,
    reservedUnacknowledged: r.reservedUnacknowledged,
    acknowledgedUnfulfilled: r.acknowledgedUnfulfilled,
    safetyStock: r.safetyStock,
    shopifyAvailable: r.needsShopifyRead ? null : r.shopifyAvailable,
    shopifyCommitted: r.shopifyCommitted,
    needsShopifyRead: r.needsShopifyRead,
    priorAvailable: r.shopifyAvailable,
    priorReadAt: r.shopifyReadAt ?? r.lastWrittenAt,
    sku: r.warehouseSku,
  }));
}

function target(position: DirtyPosition, defaultSafety: number): number {
  return availableToSell({
    warehouseSellable: position.warehouseSellable,
    unacknowledgedReserved: position.reservedUnacknowledged,
    safetyStock: effectiveSafetyStock(position.safetyStock, defaultSafety),
    shopifyCommitted: position.shopifyCommitted,
    acknowledgedUnfulfilled: position.acknowledgedUnfulfilled,
  }).available;
}

/**
 * Orders move units between available and committed; cancellations move them back; fulfilments
 * take them out of committed. Units that appear in or vanish from `available` without a matching
 * move of `committed` were edited by hand in the admin.
 */
export function handEdit(
  priorAvailable: number | null,
  priorCommitted: number | null,
  read: { available: number; committed: number },
): { from: number; to: number } | null {
  if (priorAvailable == null || priorCommitted == null) return null;
  const dAvailable = read.available - priorAvailable;
  const dCommitted = read.committed - priorCommitted;
  if (dAvailable === 0 || dAvailable + dCommitted === 0) return null;
  const appeared = dAvailable > 0 && dCommitted >= 0;
  const vanished = dAvailable < 0 && dCommitted <= 0;
  return appeared || vanished ? { from: priorAvailable, to: read.available } : null;
}

/**
 * Whether an order reserved, acknowledged or released units of the position (a sale, its shipment,
 * a cancellation, a move to another warehouse) since `since`: TallySync sees every order at its
 * warehouses' locations, so stock no order moved and Shopify shows changed was changed by hand.
 */
export async function ordersMovedStock(db: Database, shop: string, position: { warehouseId: string; inventoryItemId: string }, since: Date | null): Promise<boolean> {
  const sql = new SqlParams(dialectOf(db));
  // "?" binds in textual order on SQLite: the values are added in the order they appear.
  const text =
    `SELECT 1 AS "moved" FROM "Reservation" WHERE "shop" = ${sql.add(shop)} AND "warehouseId" = ${sql.add(position.warehouseId)} ` +
    `AND "inventoryItemId" = ${sql.add(position.inventoryItemId)}`;
  const moved = since
    ? ` AND ("createdAt" > ${sql.time(since)} OR "acknowledgedAt" > ${sql.time(since)} OR "releasedAt" > ${sql.time(since)})`
    : "";
  const rows = await queryRows(db, `${text}${moved} LIMIT 1`, ...sql.values);
  return rows.length > 0;
}

async function recordHandEdit(scoped: Scoped, p: DirtyPosition, edit: { from: number; to: number }, now: Date) {
  const warehouse = await scoped.warehouse.findUnique({ where: { id: p.warehouseId }, select: { name: true, shop: true } });
  if (!warehouse) return;
  await scoped.inventoryLedgerEntry.create({
    data: {
      shop: warehouse.shop,
      warehouseId: p.warehouseId,
      inventoryItemId: p.inventoryItemId,
      quantityName: "shopify_available",
      before: edit.from,
      after: edit.to,
      delta: edit.to - edit.from,
      source: "shopify_admin",
      reason: "edited_in_admin",
      reference: null,
      occurredAt: now,
    },
  });
  await scoped.alert.create({
    data: {
      shop: warehouse.shop,
      kind: "manual_edit_restored",
      severity: "warning",
      message: `Available for ${p.sku} at ${warehouse.name} was changed in the Shopify admin from ${edit.from} to ${edit.to}. The warehouse decides this location's stock, so TallySync puts it back to what the warehouse can ship.`,
      reference: `position:${p.id}`,
    },
  });
}

async function readFromShopify(db: Database, shop: string, scoped: Scoped, gateway: ShopifyInventoryGateway, positions: DirtyPosition[], now: Date) {
  const byLocation = new Map<string, DirtyPosition[]>();
  for (const p of positions) byLocation.set(p.locationId, [...(byLocation.get(p.locationId) ?? []), p]);
  for (const [locationId, group] of byLocation) {
    for (let i = 0; i < group.length; i += 250) {
      const chunk = group.slice(i, i + 250);
      const levels = await gateway.readLevels(locationId, chunk.map((p) => p.inventoryItemId));
      // Mapped items not stocked at the warehouse's location yet (a new fulfillment-service
      // location starts empty): stock them there, at 0, so that the write below can set them.
      const unstocked = chunk.filter((p) => !levels.has(p.inventoryItemId)).map((p) => p.inventoryItemId);
      if (unstocked.length && gateway.stockAt) {
        const refused = await gateway.stockAt(locationId, unstocked);
        if (refused.length) log.warn("Shopify refused to stock items at a warehouse location", { locationId, refused: refused.slice(0, 20) });
      }
      const reads: ShopifyRead[] = [];
      for (const p of chunk) {
        const level = levels.get(p.inventoryItemId);
        const read = { available: level?.available ?? 0, committed: level?.committed ?? 0 };
        const edit = handEdit(p.priorAvailable, p.shopifyCommitted, read);
        // An order placed and fulfilled between two reads leaves the same numbers as a hand edit
        // (available down, committed back where it was): only stock no order moved since the last
        // read is taken for an edit. Either way the position is put back below.
        if (edit && !(await ordersMovedStock(db, shop, p, p.priorReadAt))) await recordHandEdit(scoped, p, edit, now);
        p.shopifyAvailable = read.available;
        p.shopifyCommitted = read.committed;
        p.needsShopifyRead = false;
        reads.push({ positionId: p.id, available: p.shopifyAvailable, committed: p.shopifyCommitted, onHand: level?.onHand ?? null });
      }
      await recordShopifyReads(db, shop, reads, now);
    }
  }
}

/** Resend batches that were recorded but never confirmed (a crash between send and record). */
async function resumeOutbox(db: Database, shop: string, scoped: Scoped, gateway: ShopifyInventoryGateway, outcome: SyncOutcome, now: () => Date) {
  const pending = await scoped.shopifyInventoryWrite.findMany({ where: { status: "pending" }, orderBy: [{ createdAt: "asc" }] });
  for (const row of pending) {
    await send(db, shop, scoped, gateway, row.id, row.idempotencyKey, JSON.parse(row.quantities) as PlannedQuantity[], outcome, now);
  }
}

async function send(
  db: Database,
  shop: string,
  scoped: Scoped,
  gateway: ShopifyInventoryGateway,
  outboxId: string,
  idempotencyKey: string,
  quantities: PlannedQuantity[],
  outcome: SyncOutcome,
  now: () => Date,
) {
  await scoped.shopifyInventoryWrite.update({ where: { id: outboxId }, data: { attempts: { increment: 1 } } });
  const result = await gateway.setAvailable({
    idempotencyKey,
    reason: "correction",
    referenceDocumentUri: `gid://tallysync/StockSync/${outboxId}`,
    quantities: quantities.map(({ inventoryItemId, locationId, quantity, changeFromQuantity }) => ({ inventoryItemId, locationId, quantity, changeFromQuantity })),
  });
  const at = now();
  const byItem = new Map(quantities.map((q) => [`${q.inventoryItemId}@${q.locationId}`, q]));
  // One statement for the batch's positions, one for its ledger rows.
  const appliedQuantities = result.applied
    .map((applied) => ({ applied, q: byItem.get(`${applied.inventoryItemId}@${applied.locationId}`) }))
    .filter((x): x is { applied: (typeof result.applied)[number]; q: PlannedQuantity } => Boolean(x.q));
  // One statement sets the new values and says which positions still exist (a purge may have
  // removed some meanwhile), with their warehouse for the ledger rows.
  const recorded = await recordWrittenPositions(
    db,
    shop,
    appliedQuantities.map(({ applied, q }) => ({ positionId: q.positionId, quantityAfterChange: applied.quantityAfterChange, plannedVersion: q.version })),
    at,
  );
  const warehouseOf = new Map(recorded.map((p) => [p.id, p.warehouseId]));
  const present = appliedQuantities.filter(({ q }) => warehouseOf.has(q.positionId));
  if (present.length) {
    await appendWrittenLedger(
      db,
      shop,
      present.map(({ applied, q }) => ({
        warehouseId: warehouseOf.get(q.positionId)!,
        inventoryItemId: q.inventoryItemId,
        before: q.changeFromQuantity,
        after: applied.quantityAfterChange,
        reference: `gid://tallysync/StockSync/${outboxId}`,
      })),
      at,
    );
  }
  outcome.written += present.length;
  const staleIds = result.stale.map((stale) => byItem.get(`${stale.inventoryItemId}@${stale.locationId}`)?.positionId).filter((id): id is string => Boolean(id));
  // Items Shopify says are not stocked at the location (unstocked by hand since): the read before
  // the next write stocks them again.
  const unstockedIds = result.errors
    .filter((error) => error.code === "ITEM_NOT_STOCKED_AT_LOCATION" && error.inventoryItemId)
    .map((error) => byItem.get(`${error.inventoryItemId}@${error.locationId}`)?.positionId)
    .filter((id): id is string => Boolean(id));
  if (staleIds.length || unstockedIds.length) {
    await scoped.inventoryPosition.updateMany({ where: { id: { in: [...staleIds, ...unstockedIds] } }, data: { needsShopifyRead: true } });
  }
  outcome.stale += staleIds.length;
  outcome.failed += result.errors.length;
  const status = result.errors.length ? "failed" : result.stale.length ? "stale" : "applied";
  await scoped.shopifyInventoryWrite.update({
    where: { id: outboxId },
    data: { status, completedAt: at, error: result.errors.length ? result.errors.map((e) => e.message).join("; ").slice(0, 2_000) : null },
  });
  if (result.errors.length) log.warn("Shopify refused stock writes", { shop, outboxId, errors: result.errors });
}

export interface SyncOptions {
  db?: Database;
  now?: () => Date;
  positionsPerRun?: number;
}

/** One run of the sync for a shop. Safe to run concurrently with itself only through the job queue. */
export async function syncShopStock(shop: string, gateway: ShopifyInventoryGateway, options: SyncOptions = {}): Promise<SyncOutcome> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? (() => new Date());
  const scoped = forShop(shop, db);
  const outcome: SyncOutcome = { written: 0, unchanged: 0, read: 0, stale: 0, failed: 0, remaining: 0 };
  await resumeOutbox(db, shop, scoped, gateway, outcome, now);
  const settings = await scoped.shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true } });
  const defaultSafety = settings?.defaultSafetyStock ?? 0;

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const dirty = await loadDirty(scoped, options.positionsPerRun ?? DEFAULT_POSITIONS_PER_RUN);
    if (!dirty.length) break;
    const unknown = dirty.filter((p) => p.shopifyAvailable == null);
    if (unknown.length) {
      await readFromShopify(db, shop, scoped, gateway, unknown, now());
      outcome.read += unknown.length;
    }
    const toPlan: PositionToWrite[] = dirty.map((p) => ({
      positionId: p.id,
      inventoryItemId: p.inventoryItemId,
      locationId: p.locationId,
      target: target(p, defaultSafety),
      shopifyAvailable: p.shopifyAvailable,
      version: p.version,
    }));
    const plan = planShopifyWrites(shop, toPlan);
    if (plan.unchanged.length) {
      await markPositionsClean(db, shop, plan.unchanged.map((same) => ({ positionId: same.positionId, version: same.version, target: same.target })), now());
      outcome.unchanged += plan.unchanged.length;
    }
    for (const write of plan.writes) {
      const existing = await scoped.shopifyInventoryWrite.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey: write.idempotencyKey } } });
      const row =
        existing ??
        (await scoped.shopifyInventoryWrite.create({
          data: { shop, idempotencyKey: write.idempotencyKey, quantities: JSON.stringify(write.quantities), itemCount: write.quantities.length },
        }));
      await send(db, shop, scoped, gateway, row.id, write.idempotencyKey, write.quantities, outcome, now);
    }
    if (!plan.writes.length && !plan.needsRead.length) break;
  }
  outcome.remaining = await scoped.inventoryPosition.count({ where: { syncState: "dirty", inventoryItemId: { not: null } } });
  return outcome;
}
