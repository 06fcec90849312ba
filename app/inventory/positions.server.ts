// Positions change here, and only here: warehouse stock levels (webhooks, polling, reconciler)
// and Shopify order reservations. Every change is a ledger row and marks the position dirty, so
// the sync job writes the new "available" to Shopify.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, executeTogether } from "../db/raw.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import type { WarehouseStockLevel } from "../warehouses/connector";
import {
  findLineReservation,
  insertReservation,
  ledgerRowsInsert,
  levelUpdate,
  moveReservationRows,
  readLevelTargets,
  readReservedTotals,
  type ReservationRow,
  setReservationQuantity,
  warehouseAtLocation,
  writeReservedTotals,
} from "./position-statements.server";

export type StockSource = "warehouse_webhook" | "warehouse_poll" | "reconciler" | "count";

export interface LevelsApplied {
  applied: number;
  /** Levels older than (or equal to) the one already applied: duplicates and out-of-order events. */
  stale: number;
  /** SKUs in a warehouse code we do not know for this connection. */
  unknownWarehouse: number;
  /** Positions that became dirty (mapped and changed). */
  dirtied: number;
}

type PositionRow = NonNullable<Awaited<ReturnType<ShopDatabase["inventoryPosition"]["findFirst"]>>>;

function ledgerRow(shop: string, position: Pick<PositionRow, "warehouseId" | "inventoryItemId" | "warehouseSku">, quantityName: string, before: number, after: number, source: string, reason: string, reference: string | null, occurredAt: Date) {
  return {
    shop,
    warehouseId: position.warehouseId,
    inventoryItemId: position.inventoryItemId ?? `sku:${position.warehouseSku}`,
    quantityName,
    before,
    after,
    delta: after - before,
    source,
    reason,
    reference,
    occurredAt,
  };
}

/**
 * Apply absolute stock levels from a warehouse. Idempotent and order-proof: a level whose
 * sequence is not newer than the applied one changes nothing.
 */
export async function applyWarehouseLevels(
  shop: string,
  connectionId: string,
  levels: (WarehouseStockLevel & { reference?: string })[],
  source: StockSource,
  reference: string | null = null,
  db: Database = defaultDb,
  now: Date = new Date(),
): Promise<LevelsApplied> {
  const result: LevelsApplied = { applied: 0, stale: 0, unknownWarehouse: 0, dirtied: 0 };
  if (!levels.length) return result;
  // Only the SKUs in hand: a full read comes a page at a time, an event one SKU at a time.
  const skus = [...new Set(levels.map((l) => l.sku))];
  const { warehouses, mappings, positions: existingRows } = await readLevelTargets(db, shop, connectionId, skus);
  const byCode = new Map(warehouses.map((w) => [w.externalCode, w]));
  const itemBySku = new Map(mappings.map((m) => [m.warehouseSku, m.inventoryItemId]));
  const existing = new Map(existingRows.map((p) => [`${p.warehouseId}\n${p.warehouseSku}`, p]));
  // The newest level per SKU and warehouse wins within a batch too.
  const newest = new Map<string, { level: WarehouseStockLevel & { reference?: string }; warehouseId: string }>();
  for (const level of levels) {
    const warehouse = byCode.get(level.warehouseCode);
    if (!warehouse) {
      result.unknownWarehouse++;
      continue;
    }
    const key = `${warehouse.id}\n${level.sku}`;
    const seen = newest.get(key);
    if (seen && seen.level.sequence >= level.sequence) {
      result.stale++;
      continue;
    }
    if (seen) result.stale++;
    newest.set(key, { level, warehouseId: warehouse.id });
  }

  const creates = [];
  const updates = [];
  const ledger = [];
  for (const [key, { level, warehouseId }] of newest) {
    const current = existing.get(key);
    const sequence = BigInt(level.sequence);
    if (current && sequence <= current.warehouseSequence) {
      result.stale++;
      continue;
    }
    const inventoryItemId = current?.inventoryItemId ?? itemBySku.get(level.sku) ?? null;
    const before = current ?? { warehouseSellable: 0, warehouseDamaged: 0 };
    const sellableChanged = before.warehouseSellable !== level.sellable;
    const dirty = Boolean(inventoryItemId) && (sellableChanged || !current);
    const data = {
      inventoryItemId,
      warehouseBarcode: level.barcode ?? current?.warehouseBarcode ?? null,
      warehouseSellable: level.sellable,
      warehouseReserved: level.reserved,
      warehouseDamaged: level.damaged,
      warehouseSequence: sequence,
      warehouseUpdatedAt: level.updatedAt,
      lastConfirmedAt: now,
    };
    const dirtySince = current?.syncState === "dirty" ? current.dirtySince : now;
    const positionKey = { warehouseId, inventoryItemId, warehouseSku: level.sku };
    if (sellableChanged) ledger.push(ledgerRow(shop, positionKey, "warehouse_sellable", before.warehouseSellable, level.sellable, source, "warehouse_level", level.reference ?? reference, level.updatedAt));
    if (before.warehouseDamaged !== level.damaged) ledger.push(ledgerRow(shop, positionKey, "warehouse_damaged", before.warehouseDamaged, level.damaged, source, "warehouse_level", level.reference ?? reference, level.updatedAt));
    if (current) {
      // the sequence guard again, in the write: a concurrent newer level wins
      updates.push(levelUpdate(dialectOf(db), shop, current.id, dirty ? { ...data, dirtySince } : data, now));
    } else {
      creates.push({ shop, warehouseId, warehouseSku: level.sku, ...data, ...(dirty ? { syncState: "dirty", dirtySince } : {}) });
    }
    result.applied++;
    if (dirty) result.dirtied++;
  }
  // One transaction for the batch: positions and their ledger rows land together.
  const scoped = forShop(shop, db);
  const statements = [...updates, ...(ledger.length ? [ledgerRowsInsert(dialectOf(db), ledger, now)] : [])];
  if (creates.length) {
    // A SKU's first level: its new position is created by Prisma, in the same transaction.
    await db.$transaction([scoped.inventoryPosition.createMany({ data: creates }), ...statements.map((s) => db.$executeRawUnsafe(s.text, ...s.values))]);
  } else if (statements.length) {
    await executeTogether(db, statements);
  }
  return result;
}

export interface ReservationLine {
  orderId: string;
  lineItemId: string;
  inventoryItemId: string;
  /** The Shopify location the order's fulfillment order is assigned to. */
  locationId: string;
  quantity: number;
}

async function recomputeReserved(db: Database, shop: string, warehouseId: string, inventoryItemId: string, reason: string, reference: string, now: Date) {
  // Two orders for the same item, worked on at once, each recompute after writing their own
  // reservation: the position is written only if it has not changed since it was read (its
  // version), so a recompute that summed before the other's reservation reads again instead of
  // overwriting a newer total with an older one. The position and the sums come from one read,
  // and the new totals go with their ledger row in one write (position-statements.server.ts).
  for (let attempt = 0; attempt < 20; attempt++) {
    const positions = await readReservedTotals(db, shop, warehouseId, inventoryItemId);
    if (!positions.length) return;
    let raced = false;
    for (const position of positions) {
      if (position.reservedUnacknowledged === position.reserved && position.acknowledgedUnfulfilled === position.acknowledged) continue;
      const ledger = ledgerRow(shop, position, "reserved", position.reservedUnacknowledged, position.reserved, "shopify_order", reason, reference, now);
      if (!(await writeReservedTotals(db, position, ledger, now))) raced = true;
    }
    if (!raced) return;
  }
  throw new Error(`The reserved quantity of ${inventoryItemId} kept changing while it was being recomputed; the job will try again.`);
}

/** A reservation as reserveOrderLines needs it (see `known` there). */
export type KnownReservation = ReservationRow;

/**
 * Reserve order lines at the warehouse of their assigned location. Idempotent per line.
 *
 * `known`: every reservation of these lines (whatever their status and warehouse), already read by
 * the caller: the order's reservations in one query instead of one per line. It is kept up to date
 * with what this call writes, so the caller may read it afterwards.
 */
export async function reserveOrderLines(shop: string, lines: ReservationLine[], db: Database = defaultDb, now: Date = new Date(), known?: KnownReservation[]) {
  let reserved = 0;
  // The lines of an order are mostly at one location: its warehouse is looked up once.
  const warehouses = new Map<string, Promise<{ id: string } | null>>();
  for (const line of lines) {
    let lookup = warehouses.get(line.locationId);
    if (!lookup) warehouses.set(line.locationId, (lookup = warehouseAtLocation(db, shop, line.locationId)));
    const warehouse = await lookup;
    if (!warehouse) continue; // not a warehouse-managed location: Shopify's own stock, not ours
    const existing = known
      ? (known.find((r) => r.lineItemId === line.lineItemId && r.warehouseId === warehouse.id) ?? null)
      : await findLineReservation(db, shop, line.lineItemId, warehouse.id);
    if (existing && existing.quantity === line.quantity) continue;
    if (existing) {
      if (existing.status !== "active") continue;
      await setReservationQuantity(db, shop, existing.id, line.quantity);
      existing.quantity = line.quantity;
    } else {
      const id = await insertReservation(
        db,
        { shop, warehouseId: warehouse.id, inventoryItemId: line.inventoryItemId, orderId: line.orderId, lineItemId: line.lineItemId, quantity: line.quantity },
        now,
      );
      known?.push({ id, lineItemId: line.lineItemId, warehouseId: warehouse.id, quantity: line.quantity, status: "active" });
    }
    reserved++;
    await recomputeReserved(db, shop, warehouse.id, line.inventoryItemId, "order_reserved", line.orderId, now);
  }
  return reserved;
}

export type ReservationChange = "acknowledged" | "fulfilled" | "cancelled" | "refunded" | "rerouted";

/** The warehouse acknowledged, Shopify fulfilled, or the order went away: move the order's reservations on. */
export async function changeOrderReservations(
  shop: string,
  orderId: string,
  change: ReservationChange,
  options: { warehouseId?: string; lineItemIds?: string[] } = {},
  db: Database = defaultDb,
  now: Date = new Date(),
) {
  const from = change === "acknowledged" ? ["active"] : ["active", "acknowledged"];
  // Every reservation that moves gets the same change: one statement finds and changes them all,
  // and says which positions to recompute.
  const rows = await moveReservationRows(
    db,
    { shop, orderId, from, ...(options.warehouseId ? { warehouseId: options.warehouseId } : {}), ...(options.lineItemIds ? { lineItemIds: options.lineItemIds } : {}) },
    change === "acknowledged" ? { status: "acknowledged" } : { status: "released", reason: change },
    now,
  );
  const touched = new Set(rows.map((r) => `${r.warehouseId}\n${r.inventoryItemId}`));
  for (const key of touched) {
    const [warehouseId, inventoryItemId] = key.split("\n") as [string, string];
    await recomputeReserved(db, shop, warehouseId, inventoryItemId, `order_${change}`, orderId, now);
  }
  return rows.length;
}
