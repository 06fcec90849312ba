// The reconciler: finds stock that drifted behind the engine's back and hands it to the sync.
//
//   re-read the warehouse -> apply (source "reconciler") -> read Shopify -> drift per position
//   -> drift != 0: mark dirty + needsShopifyRead -> the normal sync write heals it (CAS and all)
//
// Drift = Shopify available - availableToSell(fresh warehouse level, fresh Shopify committed).
// The reconciler never writes to Shopify itself: healing goes through syncShopStock, so a hand
// edit, an order placed meanwhile or a concurrent write is handled exactly as in a normal run.
//
// delta: the positions not confirmed by the warehouse in the last 15 minutes.
// full:  every mapped position, and the whole warehouse stock read.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { connectorFor as defaultConnectorFor } from "../warehouses/connections.server";
import type { WarehouseConnector, WarehouseStockLevel } from "../warehouses/connector";
import { availableToSell, effectiveSafetyStock } from "./available";
import type { ShopifyInventoryGateway, ShopifyLevel } from "./gateway";
import { requestStockSync } from "./jobs.server";
import { applyWarehouseLevels } from "./positions.server";

export type ReconcileKind = "delta" | "full";

/** A position the warehouse has not confirmed for this long is re-read by the delta run. */
export const DELTA_STALE_AFTER_MS = 15 * 60_000;
/** Shopify's inventoryLevels lookups take at most 250 items per call. */
const SHOPIFY_READ_BATCH = 250;

export interface ReconcileOptions {
  kind: ReconcileKind;
  db?: Database;
  now?: Date;
  /** Tests may hand in connectors; the default builds them from the stored connection. */
  connectorFor?: (shop: string, connectionId: string, db: Database) => Promise<WarehouseConnector>;
}

export type ReconcileRunRow = NonNullable<Awaited<ReturnType<ShopDatabase["reconcileRun"]["findFirst"]>>>;

interface Checked {
  id: string;
  warehouseId: string;
  connectionId: string;
  warehouseCode: string;
  locationId: string;
  sku: string;
  inventoryItemId: string;
  /** Already waiting for a write before this run: a pending write, not drift. */
  pendingBefore: boolean;
}

/** Mapped positions at warehouses whose stock we publish to a Shopify location. */
async function positionsToCheck(scoped: ShopDatabase, kind: ReconcileKind, now: Date): Promise<Checked[]> {
  const warehouses = await scoped.warehouse.findMany({
    // a frozen warehouse (a full count) is not written to Shopify, so it cannot be healed either
    where: { syncFrozen: false, shopifyLocationId: { not: null }, connection: { status: { not: "disconnected" } } },
    select: { id: true, connectionId: true, externalCode: true, shopifyLocationId: true },
  });
  if (!warehouses.length) return [];
  const byId = new Map(warehouses.map((w) => [w.id, w]));
  const staleBefore = new Date(now.getTime() - DELTA_STALE_AFTER_MS);
  const rows = await scoped.inventoryPosition.findMany({
    where: {
      warehouseId: { in: [...byId.keys()] },
      inventoryItemId: { not: null },
      ...(kind === "delta" ? { OR: [{ lastConfirmedAt: null }, { lastConfirmedAt: { lt: staleBefore } }] } : {}),
    },
    select: { id: true, warehouseId: true, warehouseSku: true, inventoryItemId: true, syncState: true },
    orderBy: [{ warehouseId: "asc" }, { warehouseSku: "asc" }],
  });
  return rows.map((r) => {
    const w = byId.get(r.warehouseId)!;
    return {
      id: r.id,
      warehouseId: r.warehouseId,
      connectionId: w.connectionId,
      warehouseCode: w.externalCode,
      locationId: w.shopifyLocationId!,
      sku: r.warehouseSku,
      inventoryItemId: r.inventoryItemId!,
      pendingBefore: r.syncState === "dirty",
    };
  });
}

/**
 * Re-read the warehouse side of one connection and apply it. `wanted` limits a delta run to the
 * stale positions' SKUs (warehouseCode\nsku); null reads everything. First cut: a delta run pages
 * through readStock and keeps the SKUs it wants, stopping once it has them all.
 */
async function rereadWarehouse(
  shop: string,
  connectionId: string,
  connector: WarehouseConnector,
  wanted: Set<string> | null,
  db: Database,
  now: Date,
): Promise<number> {
  const scoped = forShop(shop, db);
  const warehouses = await scoped.warehouse.findMany({ where: { connectionId }, select: { id: true, externalCode: true } });
  const idOf = new Map(warehouses.map((w) => [w.externalCode, w.id]));
  const remaining = wanted ? new Set(wanted) : null;
  let dirtied = 0;
  let cursor: string | null = null;
  do {
    const page = await connector.readStock(cursor);
    const levels: WarehouseStockLevel[] = remaining ? page.levels.filter((l) => remaining.has(`${l.warehouseCode}\n${l.sku}`)) : page.levels;
    if (levels.length) {
      dirtied += (await applyWarehouseLevels(shop, connectionId, levels, "reconciler", `reconcile:${now.toISOString()}`, db, now)).dirtied;
      // A level equal to the one applied changes nothing in applyWarehouseLevels, but it is a
      // confirmation all the same: the warehouse still says what we have.
      const byWarehouse = new Map<string, string[]>();
      for (const l of levels) {
        const id = idOf.get(l.warehouseCode);
        if (id) byWarehouse.set(id, [...(byWarehouse.get(id) ?? []), l.sku]);
      }
      for (const [warehouseId, skus] of byWarehouse) {
        await scoped.inventoryPosition.updateMany({ where: { warehouseId, warehouseSku: { in: skus } }, data: { lastConfirmedAt: now } });
      }
      if (remaining) for (const l of levels) remaining.delete(`${l.warehouseCode}\n${l.sku}`);
    }
    cursor = page.nextCursor;
  } while (cursor && (!remaining || remaining.size > 0));
  return dirtied;
}

async function readAllByLocation(readAllLevels: () => Promise<ShopifyLevel[]>): Promise<Map<string, Map<string, ShopifyLevel>>> {
  const byLocation = new Map<string, Map<string, ShopifyLevel>>();
  for (const level of await readAllLevels()) {
    let items = byLocation.get(level.locationId);
    if (!items) byLocation.set(level.locationId, (items = new Map()));
    items.set(level.inventoryItemId, level);
  }
  return byLocation;
}

/** One reconciliation run for a shop; always records a ReconcileRun row and returns it. */
export async function reconcileShop(shop: string, gateway: ShopifyInventoryGateway, options: ReconcileOptions): Promise<ReconcileRunRow> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? new Date();
  const connectorFor = options.connectorFor ?? defaultConnectorFor;
  const scoped = forShop(shop, db);
  const run = await scoped.reconcileRun.create({ data: { shop, kind: options.kind, status: "running", startedAt: now } });
  const totals = { itemsChecked: 0, driftFound: 0, unitsDrifted: 0, healed: 0 };
  try {
    const before = await positionsToCheck(scoped, options.kind, now);
    await scoped.reconcileRun.update({ where: { id: run.id }, data: { itemsTotal: before.length } });

    // Warehouse side.
    const connections = await scoped.warehouseConnection.findMany({ where: { status: { not: "disconnected" } }, select: { id: true } });
    let dirtied = 0;
    for (const { id: connectionId } of connections) {
      const wanted = options.kind === "full" ? null : new Set(before.filter((p) => p.connectionId === connectionId).map((p) => `${p.warehouseCode}\n${p.sku}`));
      if (wanted && !wanted.size) continue;
      const connector = await connectorFor(shop, connectionId, db);
      dirtied += await rereadWarehouse(shop, connectionId, connector, wanted, db, now);
    }

    // Shopify side, with the levels just applied. The set checked is the one counted in
    // itemsTotal (a full read may have created positions; the next run checks those).
    // A full run reads every Shopify level in one bulk operation when the gateway can (no page
    // size, no cost limit); the delta reads its few positions 250 items per call and location.
    const bulk = options.kind === "full" && gateway.readAllLevels ? await readAllByLocation(gateway.readAllLevels) : null;
    const settings = await scoped.shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true } });
    const defaultSafety = settings?.defaultSafetyStock ?? 0;
    const byLocation = new Map<string, Checked[]>();
    for (const p of before) byLocation.set(p.locationId, [...(byLocation.get(p.locationId) ?? []), p]);
    for (const [locationId, group] of byLocation) {
      for (let i = 0; i < group.length; i += SHOPIFY_READ_BATCH) {
        const chunk = group.slice(i, i + SHOPIFY_READ_BATCH);
        const levels = bulk ? (bulk.get(locationId) ?? new Map<string, ShopifyLevel>()) : await gateway.readLevels(locationId, [...new Set(chunk.map((p) => p.inventoryItemId))]);
        const fresh = await scoped.inventoryPosition.findMany({ where: { id: { in: chunk.map((p) => p.id) } } });
        const freshById = new Map(fresh.map((r) => [r.id, r]));
        const marks = [];
        for (const p of chunk) {
          const row = freshById.get(p.id);
          if (!row) continue; // removed meanwhile
          const level = levels.get(p.inventoryItemId);
          const shopifyAvailable = level?.available ?? 0;
          const expected = availableToSell({
            warehouseSellable: row.warehouseSellable,
            unacknowledgedReserved: row.reservedUnacknowledged,
            safetyStock: effectiveSafetyStock(row.safetyStock, defaultSafety),
            shopifyCommitted: level?.committed ?? 0,
            acknowledgedUnfulfilled: row.acknowledgedUnfulfilled,
          }).available;
          const drift = shopifyAvailable - expected;
          // A position that was waiting for a write before this run is not drift: the sync knows.
          if (drift === 0 || p.pendingBefore) continue;
          totals.driftFound++;
          totals.unitsDrifted += Math.abs(drift);
          totals.healed++;
          marks.push(
            scoped.inventoryPosition.update({
              where: { id: p.id },
              data: {
                syncState: "dirty",
                dirtySince: row.syncState === "dirty" && row.dirtySince ? row.dirtySince : now,
                needsShopifyRead: true,
                lastDrift: drift,
                lastDriftAt: now,
                version: { increment: 1 },
              },
            }),
          );
        }
        if (marks.length) await scoped.$transaction(marks);
        totals.itemsChecked += chunk.length;
        await scoped.reconcileRun.update({ where: { id: run.id }, data: { ...totals } });
      }
    }
    if (totals.healed || dirtied) await requestStockSync(shop);
    return await scoped.reconcileRun.update({ where: { id: run.id }, data: { ...totals, status: "succeeded", finishedAt: new Date() } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return await scoped.reconcileRun.update({
      where: { id: run.id },
      data: { ...totals, status: "failed", error: message.slice(0, 2_000), finishedAt: new Date() },
    });
  }
}
