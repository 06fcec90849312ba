// Count tasks: created (by the scheduler or by hand) with their lines and a human number per shop
// (CC-1042), then moved through their life by the pure rules of app/counts/task-status.ts:
//
//   draft -> assigned -> in_progress -> submitted -> review -> (recount) -> approved -> posted
//                                                                 or cancelled before posted
//
// Every move is one transaction: the status (compare-and-set on the status read, so two people
// cannot both move it), a CountTaskEvent saying who and when, and the move's effects: the book
// snapshot when counting starts, and for a full count the warehouse's stock sync frozen while it
// runs and resumed (with a sync requested) when it is posted or cancelled.
import { OVERDUE_STATUSES } from "../../counts/discrepancy-report";
import { countLabel, isCountKind, type CountKind } from "../../counts/count-kind";
import { readCountNote, storeCountNote, type CountEventNote, type CountNote } from "../../counts/count-note";
import { allowedActions, transition, type CountTaskAction, type CountTaskActionType, type CountTaskStatus } from "../../counts/task-status";
import { countVariances, lineVariance, type LineVariance } from "../../counts/variance";
import { db as defaultDb } from "../../db.server";
import type { Prisma } from "@prisma/client";
import { kindOf, type Database } from "../../db/client.server";
import { isUniqueViolation } from "../../db/errors";
import { forShop } from "../../db/tenant.server";
import { requestStockSync } from "../../inventory/jobs.server";
import { jobRow, notifyJobEnqueued } from "../../jobs/queue.server";
import {
  findInParts,
  groupByValue,
  inParts,
  linesWithFigures,
  loadTask,
  OPEN_STATUSES,
  shopCountSettings,
  TASK_SELECT,
  toTaskRow,
  type LineWithFigures,
  type Scoped,
  type TaskRow,
} from "./count-store.server";
import { CountChangedError, CountError, CountLineNotFoundError, WarehouseNotLinkedError } from "./errors";

/** The posting job (posting.server.ts registers its handler). */
export const COUNT_POSTING_JOB = "counts.post";

/** Who does it, and when (tests pass the time in). */
export interface ActorOptions {
  /**
   * Who acts, kept on every event: "staff:<user id>" (staffActor), a name or email, or "system"
   * (see app/counts/count-actor.ts).
   */
  actor: string;
  db?: Database;
  now?: Date;
}

// Full counts keep the warehouse frozen in these states (task-status.ts).
const SYNC_FROZEN_STATUSES: CountTaskStatus[] = ["in_progress", "submitted", "review", "recount", "approved"];

const FIRST_NUMBER = 1001;
const CREATE_ATTEMPTS = 8;
// Creating a full count of a large warehouse writes thousands of lines in one transaction.
const LONG_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

// ---------------------------------------------------------------------------------------------
// Creating tasks
// ---------------------------------------------------------------------------------------------

export interface NewCountLine {
  inventoryItemId: string;
  warehouseSku: string;
  abcClass?: string | null;
  bin?: string | null;
}

export interface NewCountTask {
  warehouseId: string;
  kind: CountKind;
  planId?: string | null;
  dueAt?: Date | null;
  blind?: boolean;
  /** The scheduler's key (plan, shop day, warehouse): a second task with the same key is never made. */
  scheduleKey?: string | null;
  lines: readonly NewCountLine[];
  /** Said on the task's first event (why it was raised, warnings); by default its lines to count. */
  note?: CountNote | null;
}

export type InsertedTask = { created: true; taskId: string; number: number } | { created: false; reason: "already_created" };

/**
 * Inserts a task, its lines and its first event with the next free number. Two inserts racing for
 * a number (or for a schedule key) meet the unique index: the loser tries again with a new number,
 * or learns that its task already exists.
 */
export async function insertCountTask(shop: string, input: NewCountTask, options: ActorOptions): Promise<InsertedTask> {
  const scoped = forShop(shop, options.db ?? defaultDb);
  const now = options.now ?? new Date();
  // One line per inventory item: the book is per item, a bin is where it was found.
  const seen = new Set<string>();
  const lines = input.lines.filter((line) => (seen.has(line.inventoryItemId) ? false : (seen.add(line.inventoryItemId), true)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await scoped.$transaction(async (tx) => {
        const top = await tx.countTask.aggregate({ _max: { number: true } });
        const number = Math.max(FIRST_NUMBER - 1, top._max.number ?? 0) + 1;
        const task = await tx.countTask.create({
          data: {
            shop,
            number,
            status: "draft",
            kind: input.kind,
            warehouseId: input.warehouseId,
            planId: input.planId ?? null,
            dueAt: input.dueAt ?? null,
            blind: input.blind ?? true,
            scheduleKey: input.scheduleKey ?? null,
            createdBy: options.actor,
          },
          select: { id: true },
        });
        if (lines.length) {
          await tx.countLine.createMany({
            data: lines.map((line) => ({ shop, taskId: task.id, inventoryItemId: line.inventoryItemId, warehouseSku: line.warehouseSku, abcClass: line.abcClass ?? null, bin: line.bin ?? null })),
          });
        }
        await tx.countTaskEvent.create({
          data: { shop, taskId: task.id, actor: options.actor, fromStatus: null, toStatus: "draft", note: storeCountNote(input.note ?? { key: "to_count", lines: lines.length }), at: now },
        });
        return { created: true as const, taskId: task.id, number };
      }, LONG_TRANSACTION);
    } catch (error) {
      if (!isUniqueViolation(error) && !isWriteConflict(error)) throw error;
      if (input.scheduleKey) {
        const existing = await scoped.countTask.findFirst({ where: { scheduleKey: input.scheduleKey }, select: { id: true } });
        if (existing) return { created: false, reason: "already_created" };
      }
      if (attempt >= CREATE_ATTEMPTS) throw error;
    }
  }
}

// PostgreSQL may also refuse a racing transaction as a serialization failure or deadlock.
function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "P2034" || code === "40001" || code === "40P01";
}

export interface ManualCountInput {
  warehouseId: string;
  /** campaign (chosen SKUs), full (every mapped SKU) or exception; rolling and ABC come from plans. */
  kind?: CountKind;
  /** The SKUs to count; every mapped SKU of the warehouse when left out. */
  inventoryItemIds?: readonly string[];
  dueAt?: Date | null;
  blind?: boolean;
}

/** A count made by hand ("count these now"): lines are the warehouse's mapped SKUs chosen. */
export async function createCountTask(shop: string, input: ManualCountInput, options: ActorOptions): Promise<CountTaskSummary> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findFirst({ where: { id: input.warehouseId }, select: { id: true, name: true } });
  if (!warehouse) throw new CountError("warehouse_not_found", `Warehouse ${input.warehouseId} is not connected to this shop.`);
  const kind = input.kind ?? (input.inventoryItemIds ? "campaign" : "full");
  if (!isCountKind(kind)) throw new CountError("not_editable", `"${String(kind)}" is not a kind of count.`);
  const select = { inventoryItemId: true, warehouseSku: true } as const;
  const positions = input.inventoryItemIds
    ? await findInParts([...input.inventoryItemIds], (part) => scoped.inventoryPosition.findMany({ where: { warehouseId: warehouse.id, inventoryItemId: { in: part } }, select }))
    : await scoped.inventoryPosition.findMany({ where: { warehouseId: warehouse.id, inventoryItemId: { not: null } }, select, orderBy: [{ warehouseSku: "asc" }] });
  if (input.inventoryItemIds) {
    const found = new Set(positions.map((p) => p.inventoryItemId));
    const missing = input.inventoryItemIds.filter((id) => !found.has(id));
    if (missing.length) throw new CountError("line_not_found", `${missing.length} chosen item(s) are not stocked at ${warehouse.name} (${missing.slice(0, 3).join(", ")}); count them at their warehouse.`);
  }
  if (!positions.length) throw new CountError("line_not_found", `${warehouse.name} has no mapped SKUs to count yet.`);
  const inserted = await insertCountTask(
    shop,
    { warehouseId: warehouse.id, kind, dueAt: input.dueAt ?? null, blind: input.blind ?? true, lines: positions.map((p) => ({ inventoryItemId: p.inventoryItemId!, warehouseSku: p.warehouseSku })) },
    options,
  );
  if (!inserted.created) throw new Error("a count without a schedule key cannot already exist");
  return getCountTaskSummary(shop, inserted.taskId, { db });
}

// ---------------------------------------------------------------------------------------------
// Moving tasks on
// ---------------------------------------------------------------------------------------------

type Tx = Scoped;

interface MoveContext {
  shop: string;
  db: Database;
  task: TaskRow;
  now: Date;
  actor: string;
}

/**
 * One move: decide with transition(), then write the status (only if it is still the one read),
 * the event, the timestamps and the effects in one transaction; `extra` adds the action's own
 * writes to it. A full count resumed asks for a stock sync once committed.
 */
async function move(context: MoveContext, action: CountTaskAction, extra?: (tx: Tx) => Promise<void>): Promise<TaskRow> {
  const { shop, db, task, now, actor } = context;
  const decision = transition({ number: task.number, status: task.status, kind: task.kind }, action, actor, now);
  if (!decision.ok) throw decision.error;
  const scoped = forShop(shop, db);
  await scoped.$transaction(async (tx) => {
    const moved = await tx.countTask.updateMany({
      where: { id: task.id, status: task.status },
      data: { status: decision.status, ...decision.timestamps, ...(decision.assignee !== undefined ? { assignee: decision.assignee } : {}) },
    });
    if (moved.count !== 1) throw new CountChangedError(task.number);
    await tx.countTaskEvent.create({
      data: { shop, taskId: task.id, actor, fromStatus: decision.event.fromStatus, toStatus: decision.event.toStatus, note: storeCountNote(decision.event.note), at: now },
    });
    for (const effect of decision.effects) {
      if (effect === "snapshot_book_quantities") await snapshotBook(tx, task, now);
      if (effect === "freeze_warehouse_sync") await freezeWarehouse(tx, task);
      if (effect === "resume_warehouse_sync") await resumeWarehouse(tx, task);
    }
    if (extra) await extra(tx);
  }, LONG_TRANSACTION);
  if (decision.effects.includes("resume_warehouse_sync")) await requestStockSync(shop);
  return { ...task, status: decision.status, ...decision.timestamps, ...(decision.assignee !== undefined ? { assignee: decision.assignee } : {}) };
}

/** The book of each line: the warehouse's sellable units of the SKU now, with the SKU's unit cost. */
async function snapshotBook(tx: Tx, task: TaskRow, now: Date): Promise<void> {
  const lines = await tx.countLine.findMany({ where: { taskId: task.id }, select: { id: true, inventoryItemId: true } });
  const items = lines.map((line) => line.inventoryItemId);
  const positions = await findInParts(items, (part) => tx.inventoryPosition.findMany({ where: { warehouseId: task.warehouseId, inventoryItemId: { in: part } }, select: { inventoryItemId: true, warehouseSellable: true } }));
  const catalog = await findInParts(items, (part) => tx.catalogItem.findMany({ where: { inventoryItemId: { in: part } }, select: { inventoryItemId: true, unitCost: true } }));
  const sellable = new Map<string, number>();
  for (const position of positions) sellable.set(position.inventoryItemId!, (sellable.get(position.inventoryItemId!) ?? 0) + position.warehouseSellable);
  const cost = new Map(catalog.map((item) => [item.inventoryItemId, item.unitCost == null ? null : item.unitCost.toString()]));
  // One UPDATE per distinct value, not per line: a full count of thousands of SKUs has few distinct books.
  for (const { value, ids } of groupByValue(lines.map((line) => ({ id: line.id, value: sellable.get(line.inventoryItemId) ?? 0 })), String).values()) {
    for (const part of inParts(ids)) await tx.countLine.updateMany({ where: { id: { in: part } }, data: { bookQuantity: value, snapshotAt: now } });
  }
  for (const { value, ids } of groupByValue(lines.map((line) => ({ id: line.id, value: cost.get(line.inventoryItemId) ?? null })), (v) => v ?? "").values()) {
    if (value != null) for (const part of inParts(ids)) await tx.countLine.updateMany({ where: { id: { in: part } }, data: { unitCost: value } });
  }
}

function frozenReason(task: Pick<TaskRow, "number">): string {
  return `Full count ${countLabel(task.number)} is in progress: stock sync for this warehouse is paused and resumes when the count is posted or cancelled.`;
}

async function freezeWarehouse(tx: Tx, task: TaskRow): Promise<void> {
  await tx.warehouse.updateMany({ where: { id: task.warehouseId }, data: { syncFrozen: true, syncFrozenReason: frozenReason(task) } });
}

/** Unfreeze, unless another full count of the same warehouse is still running. */
async function resumeWarehouse(tx: Tx, task: TaskRow): Promise<void> {
  const other = await tx.countTask.findFirst({
    where: { warehouseId: task.warehouseId, kind: "full", status: { in: SYNC_FROZEN_STATUSES }, id: { not: task.id } },
    select: { number: true },
    orderBy: { number: "asc" },
  });
  await tx.warehouse.updateMany({
    where: { id: task.warehouseId },
    data: other ? { syncFrozen: true, syncFrozenReason: frozenReason(other) } : { syncFrozen: false, syncFrozenReason: null },
  });
}

async function context(shop: string, taskId: string, options: ActorOptions): Promise<MoveContext> {
  const db = options.db ?? defaultDb;
  const task = await loadTask(forShop(shop, db), taskId);
  return { shop, db, task, now: options.now ?? new Date(), actor: options.actor };
}

/** Give the count to a counter (also to hand a count under way to someone else). */
export async function assignCountTask(shop: string, taskId: string, assignee: string, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  await move(ctx, { type: "assign", assignee });
  return getCountTaskSummary(shop, taskId, options);
}

/**
 * Counting starts: the first start snapshots each line's book (warehouse sellable) and unit cost;
 * a full count freezes its warehouse's stock sync. Starting a recount keeps the first snapshot.
 */
export async function startCountTask(shop: string, taskId: string, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  await move(ctx, { type: "start" });
  return getCountTaskSummary(shop, taskId, options);
}

/** A line of a full count nobody counted, counted as 0 on submission. */
export interface UncountedLine {
  lineId: string;
  warehouseSku: string;
  bin: string | null;
}

export interface SubmitResult {
  task: CountTaskSummary;
  /** Full count: the lines nobody counted, now counted as 0 (show them to the reviewer). */
  uncountedAsZero: UncountedLine[];
}

/**
 * The counter hands the count in. Outside a full count every line must be counted (refused with
 * the SKUs otherwise); in a full count the lines nobody counted count as 0 and are listed.
 */
export async function submitCountTask(shop: string, taskId: string, options: ActorOptions): Promise<SubmitResult> {
  const ctx = await context(shop, taskId, options);
  const scoped = forShop(shop, ctx.db);
  const lines = await scoped.countLine.findMany({ where: { taskId }, select: { id: true, warehouseSku: true, bin: true, countedQuantity: true, recountQuantity: true } });
  const uncounted = lines.filter((line) => line.countedQuantity == null && line.recountQuantity == null);
  const settings = await shopCountSettings(scoped, shop);
  await move(ctx, { type: "submit", lines }, async (tx) => {
    // The day an uncounted line was "counted" as 0, for the report and the rolling plan.
    for (const part of inParts(uncounted.map((line) => line.id))) await tx.countLine.updateMany({ where: { id: { in: part }, countedAt: null }, data: { countedAt: ctx.now } });
    await storeFigures(tx, { ...ctx.task, status: "submitted" }, settings.thresholds, ctx.now);
  });
  return {
    task: await getCountTaskSummary(shop, taskId, options),
    uncountedAsZero: ctx.task.kind === "full" ? uncounted.map((line) => ({ lineId: line.id, warehouseSku: line.warehouseSku, bin: line.bin })) : [],
  };
}

/** The reviewer opens a submitted count. */
export async function startCountReview(shop: string, taskId: string, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  const settings = await shopCountSettings(forShop(shop, ctx.db), shop);
  await move(ctx, { type: "start_review" }, (tx) => storeFigures(tx, ctx.task, settings.thresholds, ctx.now));
  return getCountTaskSummary(shop, taskId, options);
}

/**
 * Send lines back to be counted again (default: the lines that need a recount or a note, else
 * every line with a variance). The counter records their recounts on the same snapshot.
 */
export async function requestRecount(shop: string, taskId: string, input: { lineIds?: readonly string[]; note?: string }, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  const scoped = forShop(shop, ctx.db);
  let lineIds = input.lineIds ? [...input.lineIds] : null;
  if (lineIds) {
    const found = new Set((await findInParts(lineIds, (part) => scoped.countLine.findMany({ where: { taskId, id: { in: part } }, select: { id: true } }))).map((line) => line.id));
    const missing = lineIds.find((id) => !found.has(id));
    if (missing) throw new CountLineNotFoundError(ctx.task.number, missing);
  } else {
    const settings = await shopCountSettings(scoped, shop);
    const variances = countVariances(await linesWithFigures(scoped, ctx.task, ctx.now), { kind: ctx.task.kind, thresholds: settings.thresholds });
    const pick = (keep: (variance: LineVariance<LineWithFigures>) => boolean) => variances.filter(keep).map((variance) => variance.line.id);
    lineIds = pick((v) => v.needsRecountOrNote);
    if (!lineIds.length) lineIds = pick((v) => v.overThreshold);
    if (!lineIds.length) lineIds = pick((v) => v.units != null && v.units !== 0);
  }
  const ids = lineIds;
  await move(ctx, { type: "request_recount", note: input.note, lines: ids.length }, async (tx) => {
    for (const part of inParts(ids)) await tx.countLine.updateMany({ where: { id: { in: part } }, data: { recountRequestedAt: ctx.now } });
  });
  return getCountTaskSummary(shop, taskId, options);
}

/**
 * Approve a reviewed count. Refused (CountTaskError "variance_needs_recount_or_note", naming the
 * SKUs) while a line's variance is over the shop's thresholds with neither a matching recount nor a
 * note. On approval the lines' figures are fixed, one CountAdjustment per line with a variance is
 * recorded (each with its idempotency key) and the posting job is queued, all in one transaction.
 */
export async function approveCountTask(shop: string, taskId: string, input: { note?: string }, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  const scoped = forShop(shop, ctx.db);
  const settings = await shopCountSettings(scoped, shop);
  const lines = await linesWithFigures(scoped, ctx.task, ctx.now);
  const variances = countVariances(lines, { kind: ctx.task.kind, thresholds: settings.thresholds });
  const withVariance = variances.filter((variance) => variance.units != null && variance.units !== 0);
  if (withVariance.length) {
    const warehouse = await scoped.warehouse.findFirst({ where: { id: ctx.task.warehouseId }, select: { name: true, shopifyLocationId: true } });
    if (!warehouse?.shopifyLocationId) throw new WarehouseNotLinkedError(ctx.task.number, warehouse?.name ?? ctx.task.warehouseId);
  }
  await move(ctx, { type: "approve", variances, note: input.note }, async (tx) => {
    await writeFigures(tx, variances);
    if (withVariance.length) {
      await tx.countAdjustment.createMany({
        data: withVariance.map((variance) => ({
          shop,
          taskId,
          lineId: variance.line.id,
          warehouseId: ctx.task.warehouseId,
          inventoryItemId: variance.line.row.inventoryItemId,
          delta: variance.units!,
          idempotencyKey: `tallysync-count-${taskId}-${variance.line.id}`,
        })),
      });
    }
    await tx.job.create({ data: jobRow(shop, COUNT_POSTING_JOB, { taskId }, { dedupeKey: `post:${taskId}` }) });
  });
  notifyJobEnqueued();
  return getCountTaskSummary(shop, taskId, options);
}

/**
 * Cancel a count before it is posted. A full count's warehouse resumes syncing. Once posting has
 * sent anything to Shopify the count can no longer be cancelled (the adjustments may be applied).
 */
export async function cancelCountTask(shop: string, taskId: string, input: { note?: string }, options: ActorOptions): Promise<CountTaskSummary> {
  const ctx = await context(shop, taskId, options);
  const scoped = forShop(shop, ctx.db);
  if (ctx.task.status === "approved") {
    const sent = await scoped.countAdjustment.count({ where: { taskId, OR: [{ shopifyBatchKey: { not: null } }, { shopifyStatus: "posted" }, { warehouseStatus: "posted" }] } });
    if (sent > 0) {
      throw new CountError("not_editable", `Count ${countLabel(ctx.task.number)} is being posted: its adjustments have been sent and it can no longer be cancelled.`);
    }
  }
  await move(ctx, { type: "cancel", note: input.note }, async (tx) => {
    // Only adjustments no posting run has taken; one that took some first wins, and the cancel is refused.
    await tx.countAdjustment.updateMany({
      where: { taskId, shopifyStatus: "pending", shopifyBatchKey: null },
      data: { shopifyStatus: "failed", warehouseStatus: "failed", error: `Count ${countLabel(ctx.task.number)} was cancelled before it was posted` },
    });
    const taken = await tx.countAdjustment.count({ where: { taskId, OR: [{ shopifyBatchKey: { not: null } }, { shopifyStatus: "posted" }] } });
    if (taken > 0) throw new CountError("not_editable", `Count ${countLabel(ctx.task.number)} is being posted: its adjustments have been sent and it can no longer be cancelled.`);
  });
  return getCountTaskSummary(shop, taskId, options);
}

/** The posting job's last step: every adjustment reached Shopify (and the warehouse where it can). */
export async function markCountPosted(shop: string, taskId: string, options: ActorOptions & { note?: CountNote; extra?: (tx: Tx) => Promise<void> }): Promise<void> {
  const ctx = await context(shop, taskId, options);
  if (ctx.task.status === "posted") return;
  await move(ctx, { type: "post" }, async (tx) => {
    if (options.note) {
      await tx.countTaskEvent.create({ data: { shop, taskId, actor: ctx.actor, fromStatus: "posted", toStatus: "posted", note: storeCountNote(options.note), at: ctx.now } });
    }
    if (options.extra) await options.extra(tx);
  });
}

/** Records something that happened to a count without moving it (an import, a note). */
export async function recordCountEvent(tx: Tx, shop: string, task: Pick<TaskRow, "id" | "status">, actor: string, note: CountNote, at: Date): Promise<void> {
  await tx.countTaskEvent.create({ data: { shop, taskId: task.id, actor, fromStatus: task.status, toStatus: task.status, note: storeCountNote(note), at } });
}

// ---------------------------------------------------------------------------------------------
// Figures kept on the lines (movement, variance in units and value) for lists and the report
// ---------------------------------------------------------------------------------------------

async function storeFigures(tx: Tx, task: TaskRow, thresholds: { units: number; value: string }, now: Date): Promise<void> {
  const lines = await linesWithFigures(tx, task, now);
  await writeFigures(tx, countVariances(lines, { kind: task.kind, thresholds }));
}

async function writeFigures(tx: Tx, variances: readonly LineVariance<LineWithFigures>[]): Promise<void> {
  const changed = variances
    .filter(({ line, units, value }) => {
      const row = line.row;
      const storedValue = row.varianceValue == null ? null : row.varianceValue.toString();
      return row.movementSinceSnapshot !== line.movementSinceSnapshot || row.varianceUnits !== units || !sameMoney(storedValue, value);
    })
    .map(({ line, units, value }) => ({ id: line.id, value: { movement: line.movementSinceSnapshot, units, money: value } }));
  for (const { value, ids } of groupByValue(changed, (v) => `${v.movement}|${v.units}|${v.money}`).values()) {
    for (const part of inParts(ids)) await tx.countLine.updateMany({ where: { id: { in: part } }, data: { movementSinceSnapshot: value.movement, varianceUnits: value.units, varianceValue: value.money } });
  }
}

function sameMoney(a: string | null, b: string | null): boolean {
  if (a == null || b == null) return a === b;
  return Number(a) === Number(b) && a.replace(/\.?0+$/, "") === b.replace(/\.?0+$/, "");
}

// ---------------------------------------------------------------------------------------------
// Reading tasks: the list (filters, search, pages) and one task
// ---------------------------------------------------------------------------------------------

export interface CountTaskSummary {
  id: string;
  number: number;
  /** "CC-1042" */
  label: string;
  status: CountTaskStatus;
  kind: CountKind;
  warehouseId: string;
  warehouseName: string | null;
  planId: string | null;
  planName: string | null;
  assignee: string | null;
  blind: boolean;
  dueAt: Date | null;
  /** Due before now and nobody has finished counting it. */
  overdue: boolean;
  lines: number;
  linesCounted: number;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  submittedAt: Date | null;
  approvedAt: Date | null;
  postedAt: Date | null;
}

export type DueFilter = "overdue" | "today" | "upcoming" | "none";

export interface CountTaskQuery {
  /** One status, several, or "open" (not yet posted or cancelled). */
  status?: CountTaskStatus | readonly CountTaskStatus[] | "open";
  warehouseId?: string;
  planId?: string;
  kind?: CountKind;
  /** overdue: due before now and not counted; today: due by the end of today (UTC day of `now`); upcoming: due later; none: no due date. */
  due?: DueFilter;
  /** "CC-1042", "1042", or part of a SKU on the count, or of the assignee. */
  search?: string;
  /** From 1. */
  page?: number;
  pageSize?: number;
  now?: Date;
}

export interface CountTaskPage {
  tasks: CountTaskSummary[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export const COUNT_TASKS_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 250;

// SQLite's LIKE ignores ASCII case already; PostgreSQL needs `mode: "insensitive"` (as in inventory-view.server.ts).
function containsText(search: string): Prisma.StringFilter {
  return (kindOf() === "postgresql" ? { contains: search, mode: "insensitive" } : { contains: search }) as Prisma.StringFilter;
}

function isOverdue(task: Pick<TaskRow, "dueAt" | "status">, now: Date): boolean {
  return task.dueAt != null && task.dueAt < now && OVERDUE_STATUSES.includes(task.status);
}

async function summaries(shop: string, db: Database, rows: TaskRow[], now: Date): Promise<CountTaskSummary[]> {
  if (!rows.length) return [];
  const scoped = forShop(shop, db);
  const ids = rows.map((row) => row.id);
  const [warehouses, plans, lineCounts, counted] = await Promise.all([
    scoped.warehouse.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.warehouseId))] } }, select: { id: true, name: true } }),
    scoped.countPlan.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.planId).filter((id): id is string => id != null))] } }, select: { id: true, name: true } }),
    scoped.countLine.groupBy({ by: ["taskId"], where: { taskId: { in: ids } }, _count: { _all: true } }),
    scoped.countLine.groupBy({ by: ["taskId"], where: { taskId: { in: ids }, OR: [{ countedQuantity: { not: null } }, { recountQuantity: { not: null } }] }, _count: { _all: true } }),
  ]);
  const warehouseName = new Map(warehouses.map((w) => [w.id, w.name]));
  const planName = new Map(plans.map((p) => [p.id, p.name]));
  const total = new Map(lineCounts.map((row) => [row.taskId, row._count._all]));
  const done = new Map(counted.map((row) => [row.taskId, row._count._all]));
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    label: countLabel(row.number),
    status: row.status,
    kind: row.kind,
    warehouseId: row.warehouseId,
    warehouseName: warehouseName.get(row.warehouseId) ?? null,
    planId: row.planId,
    planName: row.planId ? (planName.get(row.planId) ?? null) : null,
    assignee: row.assignee,
    blind: row.blind,
    dueAt: row.dueAt,
    overdue: isOverdue(row, now),
    lines: total.get(row.id) ?? 0,
    linesCounted: done.get(row.id) ?? 0,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    submittedAt: row.submittedAt,
    approvedAt: row.approvedAt,
    postedAt: row.postedAt,
  }));
}

/** The Counts list: filters, search and pages are in the query; newest first. */
export async function listCountTasks(shop: string, query: CountTaskQuery = {}, options: { db?: Database } = {}): Promise<CountTaskPage> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = query.now ?? new Date();
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? COUNT_TASKS_PAGE_SIZE)));
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const statuses = query.status === "open" ? [...OPEN_STATUSES] : query.status === undefined ? null : typeof query.status === "string" ? [query.status] : [...query.status];
  const endOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const due =
    query.due === "overdue"
      ? { dueAt: { lt: now }, status: { in: OVERDUE_STATUSES.filter((s) => !statuses || statuses.includes(s)) } }
      : query.due === "today"
        ? { dueAt: { gte: now, lt: endOfDay } }
        : query.due === "upcoming"
          ? { dueAt: { gte: endOfDay } }
          : query.due === "none"
            ? { dueAt: null }
            : {};
  const search = query.search?.trim() ?? "";
  const number = /^(?:cc-?)?(\d{1,9})$/i.exec(search)?.[1];
  const searchWhere = !search
    ? {}
    : number
      ? { number: Number(number) }
      : { OR: [{ assignee: containsText(search) }, { lines: { some: { warehouseSku: containsText(search) } } }] };
  const where = {
    ...(statuses && query.due !== "overdue" ? { status: { in: statuses } } : {}),
    ...(query.warehouseId ? { warehouseId: query.warehouseId } : {}),
    ...(query.planId ? { planId: query.planId } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...due,
    ...searchWhere,
  };
  const [total, rows] = await Promise.all([
    scoped.countTask.count({ where }),
    scoped.countTask.findMany({ where, select: TASK_SELECT, orderBy: [{ number: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { tasks: await summaries(shop, db, rows.map(toTaskRow), now), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

export async function getCountTaskSummary(shop: string, taskId: string, options: { db?: Database; now?: Date } = {}): Promise<CountTaskSummary> {
  const db = options.db ?? defaultDb;
  const task = await loadTask(forShop(shop, db), taskId);
  return (await summaries(shop, db, [task], options.now ?? new Date()))[0]!;
}

export interface CountTaskEventView {
  /** An actor id (app/counts/count-actor.ts). */
  actor: string;
  fromStatus: string | null;
  toStatus: string;
  /** Structured (said in the reader's language), or the text of an older row. */
  note: CountEventNote | null;
  at: Date;
}

export interface CountTaskDetail {
  task: CountTaskSummary;
  /** Who did what, oldest first. */
  events: CountTaskEventView[];
  /** The buttons to show. */
  actions: CountTaskActionType[];
  /** The warehouse's stock sync is paused (a full count): the banner's words. */
  syncFrozen: { frozen: boolean; reason: string | null };
}

/** One task with its history, its allowed actions and the frozen-sync banner. */
export async function getCountTask(shop: string, taskId: string, options: { db?: Database; now?: Date } = {}): Promise<CountTaskDetail> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const task = await getCountTaskSummary(shop, taskId, options);
  const [events, warehouse] = await Promise.all([
    scoped.countTaskEvent.findMany({ where: { taskId }, select: { actor: true, fromStatus: true, toStatus: true, note: true, at: true }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    scoped.warehouse.findFirst({ where: { id: task.warehouseId }, select: { syncFrozen: true, syncFrozenReason: true } }),
  ]);
  return {
    task,
    events: events.map((event) => ({ ...event, note: readCountNote(event.note) })),
    actions: allowedActions(task.status),
    syncFrozen: { frozen: warehouse?.syncFrozen ?? false, reason: warehouse?.syncFrozenReason ?? null },
  };
}

/** The variance of one line as it stands (for the review page and tests). */
export function varianceOf(line: LineWithFigures, kind: CountKind, thresholds: { units: number; value: string }): LineVariance<LineWithFigures> {
  return lineVariance(line, { kind, thresholds });
}
