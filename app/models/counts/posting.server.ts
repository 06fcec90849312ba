// Posting an approved count: its adjustments go to Shopify, then to the warehouse, exactly once.
//
// 1. Approval (tasks.server.ts) recorded one CountAdjustment per line with a variance, each with its
//    own idempotency key, and queued this job, in one transaction: nothing is sent before they exist.
// 2. Shopify, in batches of up to 250 at the warehouse's location: `available` is read fresh, each
//    change is computed from it (changeFromQuantity, compare-and-swap), the batch's idempotency key
//    and payload are written on its adjustments BEFORE the call, then inventoryAdjustQuantities is
//    sent (reason cycle_count_available, reference gid://tallysync/CycleCount/<task id>). A batch
//    found recorded but unconfirmed (a crash between the call and recording its result, a timeout)
//    is sent again unchanged with the same key, so Shopify replays its first answer and applies it
//    once. CHANGE_FROM_QUANTITY_STALE applies nothing: the batch is read again and recomputed under
//    a new key, never forced. Each batch's result is recorded as it lands (the progress bar).
// 3. The warehouse, where its API adjusts stock: one adjustment idempotent by the same reference,
//    with the same lines on every retry; then its new levels are read back into the positions.
//    Where it cannot, the adjustments are marked not_supported, the merchant is alerted and the
//    report says the warehouse was not adjusted.
// 4. The task becomes posted, "counted" ledger rows record each change, and a full count's warehouse
//    resumes syncing (a stock sync is requested).
//
// Posting and the stock sync. Shopify's available at a warehouse's location is what the stock sync
// derives from the warehouse (sellable - orders it has not acknowledged - safety stock, never below
// 0), written as absolute values with compare-and-swap. So:
// - the Shopify change of a line is not the raw variance but the change that variance makes to that
//   rule (availableToSell with the warehouse's sellable + variance, minus without): a shortfall
//   hidden by safety stock moves nothing, and Shopify never goes below what the rule allows;
// - Shopify is adjusted first and the warehouse second, never the other way round: once the
//   warehouse's adjusted level flows back (we read it back at once, and its webhook or poll brings
//   it again), the sync's target already equals what Shopify shows and it writes nothing. Adjusting
//   the warehouse first would let the sync write the new number and our delta land on top of it:
//   a double adjustment. The position records what Shopify now shows (recordWrittenPositions), so
//   the echo of our change is not taken for a hand edit in the admin;
// - a full count's warehouse is frozen until the count is posted, so no sync runs between the two;
//   for other counts a sync of the same SKU racing the few seconds between our Shopify change and
//   the warehouse's read-back can briefly write the old number, and the next sync puts it right;
// - a warehouse that cannot be adjusted through its API stays the source of truth of its location:
//   Shopify shows the counted figure until the next sync or reconcile of that SKU brings it back to
//   what the warehouse reports. The merchant is alerted to have the warehouse correct its records.
import { createHash } from "node:crypto";
import { countLabel } from "../../counts/count-kind";
import type { WarehouseAdjustmentOutcome } from "../../counts/count-note";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop } from "../../db/tenant.server";
import { availableToSell, effectiveSafetyStock } from "../../inventory/available";
import { applyWarehouseLevels } from "../../inventory/positions.server";
import { recordWrittenPositions } from "../../inventory/written-positions.server";
import { jobQueue } from "../../jobs/queue.server";
import { log } from "../../observability/logger.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import { adjustAvailable, readInventoryLevels, type AdjustAvailableInput, type InventoryWriteResult } from "../../shopify/inventory.server";
import { MAX_INPUT_ITEMS } from "../../shopify/operations";
import { shopAdminClient } from "../../shopify/shop-client.server";
import { connectorFor as defaultConnectorFor } from "../../warehouses/connections.server";
import { WarehouseApiError, type WarehouseConnector } from "../../warehouses/connector";
import { findInParts, inParts, loadTask } from "./count-store.server";
import { COUNT_POSTING_JOB, markCountPosted } from "./tasks.server";

export { COUNT_POSTING_JOB };

/** Shopify's adjustment reason for count corrections of `available`. */
export const CYCLE_COUNT_REASON = "cycle_count_available";
/** Rounds of re-read and recompute after compare-and-swap refusals before the job tries again later. */
const MAX_STALE_ROUNDS = 5;
/** Shopify keeps idempotency keys 24 hours: an older unconfirmed batch can no longer be replayed safely. */
const KEY_RETENTION_MS = 23 * 3_600_000;

export function cycleCountReference(taskId: string): string {
  return `gid://tallysync/CycleCount/${taskId}`;
}

/** What posting needs from Shopify: a fresh read of available, and the adjustment itself. */
export interface CountShopifyGateway {
  /** Available per inventory item at the location; items not stocked there are absent. */
  readAvailable(locationId: string, inventoryItemIds: string[]): Promise<Map<string, number>>;
  adjustAvailable(input: AdjustAvailableInput): Promise<InventoryWriteResult>;
}

export function countShopifyGateway(client: AdminClient): CountShopifyGateway {
  return {
    async readAvailable(locationId, inventoryItemIds) {
      const levels = await readInventoryLevels(client, locationId, inventoryItemIds);
      return new Map([...levels].map(([id, quantities]) => [id, quantities.available]));
    },
    adjustAvailable: (input) => adjustAvailable(client, input),
  };
}

export interface PostingOptions {
  db?: Database;
  now?: () => Date;
  /** Defaults to the shop's Admin client (shopAdminClient, pointed at the simulator in tests). */
  gateway?: CountShopifyGateway;
  connectorFor?: (shop: string, connectionId: string) => Promise<WarehouseConnector>;
}

export interface CountPostingProgress {
  taskId: string;
  label: string;
  /** waiting: approved, nothing sent yet; posting: under way; posted: done. */
  status: "not_approved" | "waiting" | "posting" | "posted" | "cancelled";
  /** Adjustments (lines with a variance). */
  total: number;
  shopify: { posted: number; failed: number; pending: number; inFlight: number };
  warehouse: { posted: number; notSupported: number; failed: number; pending: number };
  /** Shopify calls of up to 250 lines: how many the posting needs, and how many have landed. */
  batches: { total: number; done: number };
  /** 0-100, for the progress bar. */
  percent: number;
  /** The warehouse was not adjusted (its API cannot, or it refused): the report says so. */
  warehouseNotAdjusted: boolean;
  /** Lines Shopify or the warehouse refused, with why (first 50). */
  problems: { warehouseSku: string; message: string }[];
}

type AdjustmentRow = {
  id: string;
  lineId: string;
  inventoryItemId: string;
  delta: number;
  idempotencyKey: string;
  shopifyStatus: string;
  shopifyDelta: number | null;
  shopifyChangeFrom: number | null;
  shopifyBatchKey: string | null;
  shopifyBatchAt: Date | null;
  shopifyAttempts: number;
  warehouseStatus: string;
};

const ADJUSTMENT_SELECT = {
  id: true,
  lineId: true,
  inventoryItemId: true,
  delta: true,
  idempotencyKey: true,
  shopifyStatus: true,
  shopifyDelta: true,
  shopifyChangeFrom: true,
  shopifyBatchKey: true,
  shopifyBatchAt: true,
  shopifyAttempts: true,
  warehouseStatus: true,
} as const;

interface PostingContext {
  shop: string;
  db: Database;
  taskId: string;
  taskNumber: number;
  warehouse: { id: string; name: string; externalCode: string; connectionId: string; shopifyLocationId: string | null };
  gateway: () => Promise<CountShopifyGateway>;
  now: () => Date;
}

function batchKey(taskId: string, adjustments: readonly AdjustmentRow[], attempt: number): string {
  const keys = adjustments.map((a) => a.idempotencyKey).sort().join(";");
  return `tallysync-count-${taskId}-${createHash("sha256").update(`${keys}#${attempt}`).digest("hex").slice(0, 32)}`;
}

async function pendingAdjustments(ctx: PostingContext): Promise<AdjustmentRow[]> {
  return forShop(ctx.shop, ctx.db).countAdjustment.findMany({ where: { taskId: ctx.taskId, shopifyStatus: "pending" }, select: ADJUSTMENT_SELECT, orderBy: [{ id: "asc" }] });
}

async function failAdjustments(ctx: PostingContext, ids: string[], message: string, where: "shopify" | "warehouse"): Promise<void> {
  if (!ids.length) return;
  for (const part of inParts(ids)) {
    await forShop(ctx.shop, ctx.db).countAdjustment.updateMany({
      where: { id: { in: part }, ...(where === "shopify" ? { shopifyStatus: "pending" } : { warehouseStatus: "pending" }) },
      data: where === "shopify" ? { shopifyStatus: "failed", shopifyBatchKey: null, error: message.slice(0, 2_000) } : { warehouseStatus: "failed", error: message.slice(0, 2_000) },
    });
  }
}

/** The batch goes back to be read and recomputed under a new key (Shopify applied none of it). */
async function releaseBatch(ctx: PostingContext, key: string): Promise<void> {
  await forShop(ctx.shop, ctx.db).countAdjustment.updateMany({ where: { taskId: ctx.taskId, shopifyBatchKey: key, shopifyStatus: "pending" }, data: { shopifyBatchKey: null, shopifyBatchAt: null } });
}

/** Send one recorded batch (first time or again: same key, same payload) and record what Shopify did. */
async function sendBatch(ctx: PostingContext, key: string, batch: AdjustmentRow[]): Promise<"applied" | "retry"> {
  const locationId = ctx.warehouse.shopifyLocationId!;
  const gateway = await ctx.gateway();
  const result = await gateway.adjustAvailable({
    locationId,
    reason: CYCLE_COUNT_REASON,
    referenceDocumentUri: cycleCountReference(ctx.taskId),
    idempotencyKey: key,
    changes: batch.map((a) => ({ inventoryItemId: a.inventoryItemId, delta: a.shopifyDelta!, changeFromQuantity: a.shopifyChangeFrom })),
  });
  if (result.applied.length > 0) {
    await recordApplied(ctx, key, batch, result);
    return "applied";
  }
  // Shopify applied nothing in this call.
  const codes = new Set(result.errors.map((error) => error.code));
  if (result.stale.length > 0 || codes.has("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED")) {
    await releaseBatch(ctx, key);
    return "retry";
  }
  if (codes.has("IDEMPOTENCY_CONCURRENT_REQUEST")) throw new Error(`Shopify is still processing count ${countLabel(ctx.taskNumber)}'s adjustment; trying again shortly.`);
  const byItem = new Map(batch.map((a) => [a.inventoryItemId, a]));
  const refused = result.errors.filter((error) => error.inventoryItemId && byItem.has(error.inventoryItemId));
  if (refused.length > 0) {
    for (const error of refused) await failAdjustments(ctx, [byItem.get(error.inventoryItemId!)!.id], `Shopify refused the adjustment: ${error.message}`, "shopify");
    await releaseBatch(ctx, key); // the others were not applied either: again, without the refused items
    return "retry";
  }
  const message = result.errors.map((error) => error.message).join("; ") || "Shopify answered without applying the adjustment";
  await failAdjustments(ctx, batch.map((a) => a.id), `Shopify refused the adjustment: ${message}`, "shopify");
  return "applied";
}

async function recordApplied(ctx: PostingContext, key: string, batch: AdjustmentRow[], result: InventoryWriteResult): Promise<void> {
  const at = ctx.now();
  const after = new Map(result.applied.map((applied) => [applied.inventoryItemId, applied.quantityAfterChange]));
  const scoped = forShop(ctx.shop, ctx.db);
  const recorded = await scoped.$transaction(async (tx) => {
    let count = 0;
    for (const adjustment of batch) {
      const quantityAfter = after.get(adjustment.inventoryItemId) ?? (adjustment.shopifyChangeFrom == null ? null : adjustment.shopifyChangeFrom + adjustment.shopifyDelta!);
      const updated = await tx.countAdjustment.updateMany({
        where: { id: adjustment.id, shopifyBatchKey: key, shopifyStatus: "pending" },
        data: { shopifyStatus: "posted", shopifyPostedAt: at, shopifyQuantityAfter: quantityAfter, error: null },
      });
      if (updated.count === 1) {
        count++;
        await tx.inventoryLedgerEntry.create({
          data: {
            shop: ctx.shop,
            warehouseId: ctx.warehouse.id,
            inventoryItemId: adjustment.inventoryItemId,
            quantityName: "shopify_available",
            before: adjustment.shopifyChangeFrom ?? (quantityAfter ?? 0) - adjustment.shopifyDelta!,
            after: quantityAfter ?? 0,
            delta: adjustment.shopifyDelta!,
            source: "count",
            reason: CYCLE_COUNT_REASON,
            reference: cycleCountReference(ctx.taskId),
            occurredAt: at,
          },
        });
      }
    }
    return count;
  });
  if (!recorded) return; // another run recorded this batch first
  // What Shopify now shows, so the sync compares with it (and the echo is not taken for a hand edit).
  const positions = await scoped.inventoryPosition.findMany({
    where: { warehouseId: ctx.warehouse.id, inventoryItemId: { in: batch.map((a) => a.inventoryItemId) } },
    select: { id: true, inventoryItemId: true },
  });
  const written = positions
    .map((position) => ({ positionId: position.id, quantityAfterChange: after.get(position.inventoryItemId!) ?? null }))
    .filter((w): w is { positionId: string; quantityAfterChange: number } => w.quantityAfterChange != null)
    // version -1 never matches: the position keeps its own sync state.
    .map((w) => ({ ...w, plannedVersion: -1 }));
  await recordWrittenPositions(ctx.db, ctx.shop, written, at);
}

/** The change to Shopify's available that a variance makes under the stock sync's rule. */
function shopifyChangeFor(
  position: { warehouseSellable: number; reservedUnacknowledged: number; safetyStock: number | null; shopifyCommitted: number | null; acknowledgedUnfulfilled: number } | undefined,
  variance: number,
  defaultSafety: number,
): number {
  const base = position ?? { warehouseSellable: 0, reservedUnacknowledged: 0, safetyStock: null, shopifyCommitted: null, acknowledgedUnfulfilled: 0 };
  const inputs = {
    unacknowledgedReserved: base.reservedUnacknowledged,
    safetyStock: effectiveSafetyStock(base.safetyStock, defaultSafety),
    shopifyCommitted: base.shopifyCommitted,
    acknowledgedUnfulfilled: base.acknowledgedUnfulfilled,
  };
  const before = availableToSell({ ...inputs, warehouseSellable: base.warehouseSellable }).available;
  const after = availableToSell({ ...inputs, warehouseSellable: Math.max(0, base.warehouseSellable + variance) }).available;
  return after - before;
}

/** Read, compute and record a new batch (before it is sent); returns its key, or null when nothing needs a call. */
async function prepareBatch(ctx: PostingContext, chunk: AdjustmentRow[]): Promise<{ key: string; batch: AdjustmentRow[] } | null> {
  const scoped = forShop(ctx.shop, ctx.db);
  const locationId = ctx.warehouse.shopifyLocationId!;
  const gateway = await ctx.gateway();
  const items = chunk.map((a) => a.inventoryItemId);
  const [available, positions, settings] = await Promise.all([
    gateway.readAvailable(locationId, items),
    scoped.inventoryPosition.findMany({
      where: { warehouseId: ctx.warehouse.id, inventoryItemId: { in: items } },
      select: { inventoryItemId: true, warehouseSellable: true, reservedUnacknowledged: true, safetyStock: true, shopifyCommitted: true, acknowledgedUnfulfilled: true },
    }),
    scoped.shopSettings.findFirst({ where: { shop: ctx.shop }, select: { defaultSafetyStock: true } }),
  ]);
  const positionOf = new Map(positions.map((p) => [p.inventoryItemId!, p]));
  const at = ctx.now();
  const toSend: AdjustmentRow[] = [];
  for (const adjustment of chunk) {
    const read = available.get(adjustment.inventoryItemId);
    if (read === undefined) {
      await failAdjustments(ctx, [adjustment.id], `The item is not stocked at ${ctx.warehouse.name}'s Shopify location, so Shopify could not be adjusted`, "shopify");
      continue;
    }
    const change = shopifyChangeFor(positionOf.get(adjustment.inventoryItemId), adjustment.delta, settings?.defaultSafetyStock ?? 0);
    if (change === 0) {
      // Safety stock or orders in flight already hide the difference: Shopify's available stays.
      await scoped.countAdjustment.updateMany({
        where: { id: adjustment.id, shopifyStatus: "pending", shopifyBatchKey: null },
        data: { shopifyStatus: "posted", shopifyPostedAt: at, shopifyDelta: 0, shopifyChangeFrom: read, shopifyQuantityAfter: read },
      });
      continue;
    }
    toSend.push({ ...adjustment, shopifyDelta: change, shopifyChangeFrom: read });
  }
  if (!toSend.length) return null;
  const attempt = Math.max(...toSend.map((a) => a.shopifyAttempts)) + 1;
  const key = batchKey(ctx.taskId, toSend, attempt);
  // Recorded before the call: a crash after it leaves the key and payload to send again.
  await scoped.$transaction(
    toSend.map((a) =>
      scoped.countAdjustment.updateMany({
        where: { id: a.id, shopifyStatus: "pending", shopifyBatchKey: null },
        data: { shopifyBatchKey: key, shopifyBatchAt: at, shopifyDelta: a.shopifyDelta, shopifyChangeFrom: a.shopifyChangeFrom, shopifyAttempts: { increment: 1 } },
      }),
    ),
  );
  // Only what this run recorded (a concurrent run may have taken some of them).
  const batch = await scoped.countAdjustment.findMany({ where: { taskId: ctx.taskId, shopifyBatchKey: key, shopifyStatus: "pending" }, select: ADJUSTMENT_SELECT, orderBy: [{ id: "asc" }] });
  return batch.length ? { key, batch } : null;
}

async function postToShopify(ctx: PostingContext): Promise<boolean> {
  for (let round = 0; round < MAX_STALE_ROUNDS; round++) {
    const pending = await pendingAdjustments(ctx);
    if (!pending.length) return true;
    if (!ctx.warehouse.shopifyLocationId) {
      await failAdjustments(ctx, pending.map((a) => a.id), `${ctx.warehouse.name} is not linked to a Shopify location, so Shopify could not be adjusted`, "shopify");
      return true;
    }
    // First the batches sent before and never confirmed: the same key and payload again.
    const recorded = new Map<string, AdjustmentRow[]>();
    for (const adjustment of pending.filter((a) => a.shopifyBatchKey)) recorded.set(adjustment.shopifyBatchKey!, [...(recorded.get(adjustment.shopifyBatchKey!) ?? []), adjustment]);
    for (const [key, batch] of recorded) {
      const oldest = Math.min(...batch.map((a) => a.shopifyBatchAt?.getTime() ?? Date.now()));
      if (ctx.now().getTime() - oldest > KEY_RETENTION_MS) {
        await failAdjustments(
          ctx,
          batch.map((a) => a.id),
          `This adjustment was sent to Shopify over a day ago and its result never came back; Shopify no longer remembers the request, so TallySync will not send it again. Check Shopify's inventory history for ${cycleCountReference(ctx.taskId)}.`,
          "shopify",
        );
        continue;
      }
      await sendBatch(ctx, key, batch);
    }
    const fresh = (await pendingAdjustments(ctx)).filter((a) => !a.shopifyBatchKey);
    for (let i = 0; i < fresh.length; i += MAX_INPUT_ITEMS) {
      const prepared = await prepareBatch(ctx, fresh.slice(i, i + MAX_INPUT_ITEMS));
      if (prepared) await sendBatch(ctx, prepared.key, prepared.batch);
    }
  }
  return (await pendingAdjustments(ctx)).length === 0;
}

function merchantWarehouseError(error: unknown, warehouseName: string): string {
  if (error instanceof WarehouseApiError) {
    if (error.code === "insufficient_stock") return `${warehouseName} refused the adjustment: it holds fewer sellable units than the count removes (${error.message}). Check the warehouse's stock and adjust it there.`;
    return `${warehouseName} refused the adjustment: ${error.message}`;
  }
  return `${warehouseName} refused the adjustment: ${error instanceof Error ? error.message : String(error)}`;
}

async function postToWarehouse(ctx: PostingContext, connectorFor: NonNullable<PostingOptions["connectorFor"]>): Promise<void> {
  const scoped = forShop(ctx.shop, ctx.db);
  const pending = await scoped.countAdjustment.count({ where: { taskId: ctx.taskId, warehouseStatus: "pending" } });
  if (!pending) return;
  const adjustments = await scoped.countAdjustment.findMany({ where: { taskId: ctx.taskId }, select: { id: true, lineId: true, delta: true, warehouseStatus: true } });
  const lines = await findInParts(adjustments.map((a) => a.lineId), (part) => scoped.countLine.findMany({ where: { id: { in: part } }, select: { id: true, warehouseSku: true } }));
  const skuOf = new Map(lines.map((line) => [line.id, line.warehouseSku]));
  const connector = await connectorFor(ctx.shop, ctx.warehouse.connectionId);
  const at = ctx.now();
  if (!connector.capabilities.stockAdjustments) {
    await scoped.countAdjustment.updateMany({ where: { taskId: ctx.taskId, warehouseStatus: "pending" }, data: { warehouseStatus: "not_supported" } });
    const skus = adjustments.map((a) => `${skuOf.get(a.lineId)} ${a.delta > 0 ? "+" : ""}${a.delta}`);
    await scoped.alert.create({
      data: {
        shop: ctx.shop,
        kind: "count_not_posted_to_warehouse",
        severity: "warning",
        message: `Count ${countLabel(ctx.taskNumber)} was posted to Shopify, but ${ctx.warehouse.name} cannot be adjusted through its API. Ask ${ctx.warehouse.name} to correct ${skus.length} SKU(s): ${skus.slice(0, 10).join(", ")}${skus.length > 10 ? ` and ${skus.length - 10} more` : ""}. Until it does, TallySync keeps Shopify equal to what the warehouse reports, so Shopify will return to the warehouse's numbers.`,
        reference: `count:${ctx.taskId}`,
      },
    });
    return;
  }
  // The same lines on every attempt (the warehouse's idempotency is by reference and lines).
  const orderedLines = adjustments
    .map((a) => ({ warehouseCode: ctx.warehouse.externalCode, sku: skuOf.get(a.lineId)!, delta: a.delta, reason: "cycle_count" as const }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  try {
    await connector.adjustStock(cycleCountReference(ctx.taskId), orderedLines);
  } catch (error) {
    if (error instanceof WarehouseApiError && !error.retryable) {
      const message = merchantWarehouseError(error, ctx.warehouse.name);
      await failAdjustments(ctx, adjustments.filter((a) => a.warehouseStatus === "pending").map((a) => a.id), message, "warehouse");
      await scoped.alert.create({ data: { shop: ctx.shop, kind: "count_not_posted_to_warehouse", severity: "warning", message: `Count ${countLabel(ctx.taskNumber)}: ${message}`, reference: `count:${ctx.taskId}` } });
      return;
    }
    throw error;
  }
  await scoped.countAdjustment.updateMany({ where: { taskId: ctx.taskId, warehouseStatus: "pending" }, data: { warehouseStatus: "posted", warehousePostedAt: at } });
  // The warehouse's own numbers, adjusted, flow back now rather than whenever its webhook arrives.
  try {
    const levels = await connector.readStockLevels(ctx.warehouse.externalCode, [...new Set(orderedLines.map((line) => line.sku))]);
    await applyWarehouseLevels(ctx.shop, ctx.warehouse.connectionId, levels, "count", cycleCountReference(ctx.taskId), ctx.db, at);
  } catch (error) {
    log.warn("Reading the warehouse back after a count posting failed; its webhook or the next poll will bring the levels", { shop: ctx.shop, taskId: ctx.taskId, error });
  }
}

/**
 * Post an approved count (the posting job calls this; safe to call again at any point: what was
 * done is not done twice). Returns the progress; throws for failures worth a retry.
 */
export async function postCountTask(shop: string, taskId: string, options: PostingOptions = {}): Promise<CountPostingProgress> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? (() => new Date());
  const scoped = forShop(shop, db);
  const task = await loadTask(scoped, taskId);
  if (task.status !== "approved") return countPostingProgress(shop, taskId, { db });
  const warehouse = await scoped.warehouse.findFirst({ where: { id: task.warehouseId }, select: { id: true, name: true, externalCode: true, connectionId: true, shopifyLocationId: true } });
  if (!warehouse) throw new Error(`The warehouse of count ${countLabel(task.number)} is no longer connected; its adjustments cannot be posted.`);
  let gateway: CountShopifyGateway | undefined = options.gateway;
  const ctx: PostingContext = {
    shop,
    db,
    taskId,
    taskNumber: task.number,
    warehouse,
    gateway: async () => (gateway ??= countShopifyGateway(await shopAdminClient(shop))),
    now,
  };
  if (!(await postToShopify(ctx))) {
    throw new Error(`Shopify's stock kept changing while count ${countLabel(task.number)} was being posted; trying again shortly.`);
  }
  await postToWarehouse(ctx, options.connectorFor ?? ((s, c) => defaultConnectorFor(s, c, db)));

  const adjustments = await scoped.countAdjustment.findMany({ where: { taskId }, select: { lineId: true, inventoryItemId: true, delta: true, shopifyStatus: true, warehouseStatus: true } });
  const lines = await findInParts(adjustments.map((a) => a.lineId), (part) => scoped.countLine.findMany({ where: { id: { in: part } }, select: { id: true, bookQuantity: true, movementSinceSnapshot: true } }));
  const lineOf = new Map(lines.map((line) => [line.id, line]));
  const at = now();
  const shopifyPosted = adjustments.filter((a) => a.shopifyStatus === "posted").length;
  const warehouseOutcome: WarehouseAdjustmentOutcome =
    adjustments.length === 0
      ? "nothing_to_adjust"
      : adjustments.every((a) => a.warehouseStatus === "posted")
        ? "adjusted"
        : adjustments.some((a) => a.warehouseStatus === "not_supported")
          ? "not_supported"
          : "not_adjusted";
  await markCountPosted(shop, taskId, {
    actor: "system",
    db,
    now: at,
    note: { key: "posted", posted: shopifyPosted, total: adjustments.length, warehouse: warehouseOutcome },
    extra: async (tx) => {
      if (!adjustments.length) return;
      await tx.inventoryLedgerEntry.createMany({
        data: adjustments.map((a) => {
          const line = lineOf.get(a.lineId);
          const expected = (line?.bookQuantity ?? 0) + (line?.movementSinceSnapshot ?? 0);
          return {
            shop,
            warehouseId: warehouse.id,
            inventoryItemId: a.inventoryItemId,
            quantityName: "counted",
            before: expected,
            after: expected + a.delta,
            delta: a.delta,
            source: "count",
            reason: "cycle_count",
            reference: cycleCountReference(taskId),
            occurredAt: at,
          };
        }),
      });
    },
  });
  return countPostingProgress(shop, taskId, { db });
}

/** Queue the posting job again (the job died, or a merchant pressed "Retry posting"). */
export async function requestCountPosting(shop: string, taskId: string): Promise<void> {
  await jobQueue.enqueue(shop, COUNT_POSTING_JOB, { taskId }, { dedupeKey: `post:${taskId}` });
}

/** Where posting stands, for the progress bar and the report's "warehouse not adjusted". */
export async function countPostingProgress(shop: string, taskId: string, options: { db?: Database } = {}): Promise<CountPostingProgress> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const task = await loadTask(scoped, taskId);
  const rows = await scoped.countAdjustment.findMany({ where: { taskId }, select: { lineId: true, shopifyStatus: true, shopifyBatchKey: true, warehouseStatus: true, error: true } });
  const count = (keep: (row: (typeof rows)[number]) => boolean) => rows.filter(keep).length;
  const shopify = {
    posted: count((r) => r.shopifyStatus === "posted"),
    failed: count((r) => r.shopifyStatus === "failed"),
    pending: count((r) => r.shopifyStatus === "pending"),
    inFlight: count((r) => r.shopifyStatus === "pending" && r.shopifyBatchKey != null),
  };
  const warehouse = {
    posted: count((r) => r.warehouseStatus === "posted"),
    notSupported: count((r) => r.warehouseStatus === "not_supported"),
    failed: count((r) => r.warehouseStatus === "failed"),
    pending: count((r) => r.warehouseStatus === "pending"),
  };
  const total = rows.length;
  const done = shopify.posted + shopify.failed + warehouse.posted + warehouse.notSupported + warehouse.failed;
  const problemRows = rows.filter((r) => r.error && (r.shopifyStatus === "failed" || r.warehouseStatus === "failed")).slice(0, 50);
  const skus = problemRows.length ? await scoped.countLine.findMany({ where: { id: { in: problemRows.map((r) => r.lineId) } }, select: { id: true, warehouseSku: true } }) : [];
  const skuOf = new Map(skus.map((line) => [line.id, line.warehouseSku]));
  const status: CountPostingProgress["status"] =
    task.status === "posted" ? "posted" : task.status === "cancelled" ? "cancelled" : task.status !== "approved" ? "not_approved" : done === 0 && shopify.inFlight === 0 ? "waiting" : "posting";
  return {
    taskId,
    label: countLabel(task.number),
    status,
    total,
    shopify,
    warehouse,
    batches: { total: Math.ceil(total / MAX_INPUT_ITEMS), done: shopify.pending === 0 ? Math.ceil(total / MAX_INPUT_ITEMS) : Math.floor((shopify.posted + shopify.failed) / MAX_INPUT_ITEMS) },
    percent: status === "posted" ? 100 : total === 0 ? 0 : Math.floor((done * 100) / (total * 2)),
    warehouseNotAdjusted: warehouse.notSupported + warehouse.failed > 0,
    problems: problemRows.map((r) => ({ warehouseSku: skuOf.get(r.lineId) ?? r.lineId, message: r.error! })),
  };
}
