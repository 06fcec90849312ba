// Counting: what the counter records (scan or type a SKU or barcode, quantity, optional bin; saved
// as they go), the count sheet they see (blind: no expected quantity), the review the approver sees
// (book, movements during the count, variance in units and value), and each line's reason and note.
import { countLabel } from "../../counts/count-kind";
import { reviewUncounted, countVariances, isVarianceReason, movementSince, VARIANCE_REASONS, type CountedAs, type UncountedReview, type VarianceReason, type VarianceResolution, type VarianceThresholds } from "../../counts/variance";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop } from "../../db/tenant.server";
import { MAX_UNITS } from "../settings";
import { catalogFacts, linesWithFigures, loadTask, sellableMovements, shopCountSettings, type Scoped, type TaskRow } from "./count-store.server";
import { CountError, CountLineNotFoundError, CountNotCountableError, UnknownCodeError } from "./errors";
import { getCountTaskSummary, recordCountEvent, type ActorOptions, type CountTaskSummary } from "./tasks.server";

/** Statuses in which quantities are recorded: counting, or a recount asked for. */
export const COUNTING_STATUSES = ["in_progress", "recount"] as const;

/** What the counter is told the book is (see count-store.server.ts): shown on the sheet. */
export const WHAT_TO_COUNT = "Count the sellable units of each SKU: leave out damaged units and units already picked or set aside for orders.";

export interface CountSheetLineView {
  lineId: string;
  warehouseSku: string;
  barcode: string | null;
  productTitle: string | null;
  variantTitle: string | null;
  bin: string | null;
  countedQuantity: number | null;
  countedAt: Date | null;
  countedBy: string | null;
  /** The reviewer sent this line back to be counted again. */
  recountRequested: boolean;
  recountQuantity: number | null;
  recountedAt: Date | null;
  note: string | null;
  /** Only on a count that is not blind, once counting has started: book + movements since. */
  expectedQuantity?: number;
}

export interface CountSheet {
  task: CountTaskSummary;
  blind: boolean;
  whatToCount: string;
  /** In walking order: by bin (lines without a bin last), then SKU. */
  lines: CountSheetLineView[];
  /** Lines nobody has counted yet: in a full count they will count as 0, elsewhere they block submission. */
  uncounted: { treatment: UncountedReview<unknown>["treatment"]; blocksSubmission: boolean; lineIds: string[]; skus: string[] };
}

function compareSheet(a: { bin: string | null; warehouseSku: string }, b: { bin: string | null; warehouseSku: string }): number {
  if ((a.bin == null) !== (b.bin == null)) return a.bin == null ? 1 : -1;
  const binA = (a.bin ?? "").toUpperCase();
  const binB = (b.bin ?? "").toUpperCase();
  if (binA !== binB) return binA < binB ? -1 : 1;
  return a.warehouseSku < b.warehouseSku ? -1 : a.warehouseSku > b.warehouseSku ? 1 : 0;
}

async function sheetLines(scoped: Scoped, task: TaskRow, now: Date, showExpected: boolean, onlyLineId?: string): Promise<CountSheetLineView[]> {
  const rows = await scoped.countLine.findMany({
    where: { taskId: task.id, ...(onlyLineId ? { id: onlyLineId } : {}) },
    select: {
      id: true,
      inventoryItemId: true,
      warehouseSku: true,
      bin: true,
      bookQuantity: true,
      snapshotAt: true,
      countedQuantity: true,
      countedAt: true,
      countedBy: true,
      recountRequestedAt: true,
      recountQuantity: true,
      recountedAt: true,
      note: true,
    },
  });
  const facts = await catalogFacts(scoped, task.warehouseId, rows.map((row) => row.inventoryItemId));
  const snapshots = rows.map((row) => row.snapshotAt?.getTime()).filter((t): t is number => t != null);
  const movements = showExpected && snapshots.length ? await sellableMovements(scoped, task.warehouseId, rows.map((row) => row.inventoryItemId), new Date(Math.min(...snapshots))) : null;
  return rows
    .map((row) => {
      const fact = facts.get(row.inventoryItemId);
      const view: CountSheetLineView = {
        lineId: row.id,
        warehouseSku: row.warehouseSku,
        barcode: fact?.barcode ?? null,
        productTitle: fact?.productTitle ?? null,
        variantTitle: fact?.variantTitle ?? null,
        bin: row.bin,
        countedQuantity: row.countedQuantity,
        countedAt: row.countedQuantity == null ? null : row.countedAt,
        countedBy: row.countedBy,
        recountRequested: row.recountRequestedAt != null,
        recountQuantity: row.recountQuantity,
        recountedAt: row.recountedAt,
        note: row.note,
      };
      if (movements && row.bookQuantity != null && row.snapshotAt) {
        view.expectedQuantity = row.bookQuantity + movementSince(movements.get(row.inventoryItemId) ?? [], row.snapshotAt, now);
      }
      return view;
    })
    .sort(compareSheet);
}

/**
 * The counter's sheet. A blind count (the default) never carries the expected quantity, whatever
 * the caller does with the result; a count that is not blind shows it once counting has started.
 */
export async function loadCountSheet(shop: string, taskId: string, options: { db?: Database; now?: Date } = {}): Promise<CountSheet> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const task = await loadTask(scoped, taskId);
  const lines = await sheetLines(scoped, task, now, !task.blind);
  const review = reviewUncounted(task.kind, lines);
  return {
    task: await getCountTaskSummary(shop, taskId, { db, now }),
    blind: task.blind,
    whatToCount: WHAT_TO_COUNT,
    lines,
    uncounted: { treatment: review.treatment, blocksSubmission: review.blocksSubmission, lineIds: review.lines.map((line) => line.lineId), skus: review.lines.map((line) => line.warehouseSku) },
  };
}

// ---------------------------------------------------------------------------------------------
// Recording counts
// ---------------------------------------------------------------------------------------------

export interface RecordCountInput {
  /** What was scanned or typed in the scanner field: a SKU or a barcode. */
  code?: string;
  /** Or the line itself (a click on a row of the sheet). */
  lineId?: string;
  quantity: number | string;
  bin?: string | null;
  /** "set" (default): the quantity replaces what was recorded; "add": it is added (a second bin, a second pass). */
  mode?: "set" | "add";
  /** "auto" (default): a recount on lines sent back for one, else the first count. */
  as?: "auto" | "count" | "recount";
}

export interface RecordedCount {
  line: CountSheetLineView;
  matchedBy: "line" | "sku" | "barcode";
  recorded: "count" | "recount";
  /** The quantity now recorded (after adding, in "add" mode). */
  quantity: number;
}

export function parseCountedQuantity(value: number | string, taskNumber: number, sku?: string): number {
  const text = typeof value === "number" ? String(value) : value.trim();
  const quantity = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_UNITS) {
    throw new CountError(
      "invalid_quantity",
      `"${text}" is not a quantity${sku ? ` for ${sku}` : ""} on count ${countLabel(taskNumber)}: count whole units, from 0 to ${MAX_UNITS}.`,
    );
  }
  return quantity;
}

interface FoundLine {
  id: string;
  inventoryItemId: string;
  warehouseSku: string;
  bin: string | null;
  countedQuantity: number | null;
  recountQuantity: number | null;
  recountRequestedAt: Date | null;
  matchedBy: RecordedCount["matchedBy"];
}

const FOUND_SELECT = { id: true, inventoryItemId: true, warehouseSku: true, bin: true, countedQuantity: true, recountQuantity: true, recountRequestedAt: true } as const;

function barcodeVariants(code: string): string[] {
  // A UPC typed or scanned without its leading zero still finds the EAN-13 that has it, and back.
  return /^\d+$/.test(code) ? [...new Set([code, code.replace(/^0+/, ""), `0${code}`])] : [code];
}

/** The line a scan or a typed code is about: SKU first, then barcode, then SKU ignoring case. */
export async function findLineByCode(scoped: Scoped, task: TaskRow, rawCode: string): Promise<FoundLine> {
  const code = rawCode.trim();
  if (code === "") throw new UnknownCodeError(task.number, rawCode, "unknown_sku");
  const bySku = await scoped.countLine.findFirst({ where: { taskId: task.id, warehouseSku: code }, select: FOUND_SELECT });
  if (bySku) return { ...bySku, matchedBy: "sku" };

  const codes = barcodeVariants(code);
  const [catalog, positions] = await Promise.all([
    scoped.catalogItem.findMany({ where: { barcode: { in: codes } }, select: { inventoryItemId: true } }),
    scoped.inventoryPosition.findMany({ where: { warehouseId: task.warehouseId, warehouseBarcode: { in: codes }, inventoryItemId: { not: null } }, select: { inventoryItemId: true } }),
  ]);
  const items = [...new Set([...catalog.map((c) => c.inventoryItemId), ...positions.map((p) => p.inventoryItemId!)])];
  if (items.length) {
    const lines = await scoped.countLine.findMany({ where: { taskId: task.id, inventoryItemId: { in: items } }, select: FOUND_SELECT });
    const skus = [...new Set(lines.map((line) => line.warehouseSku))];
    if (skus.length > 1) throw new UnknownCodeError(task.number, code, "ambiguous_barcode", skus.join(", "));
    if (lines.length) return { ...lines[0]!, matchedBy: "barcode" };
  }

  // Typed by hand in another letter case: SKUs compare ignoring case, as in SKU mapping.
  const wanted = code.toUpperCase();
  const all = await scoped.countLine.findMany({ where: { taskId: task.id }, select: FOUND_SELECT });
  const loose = all.find((line) => line.warehouseSku.trim().toUpperCase() === wanted);
  if (loose) return { ...loose, matchedBy: "sku" };
  throw new UnknownCodeError(task.number, code, /^\d{6,}$/.test(code) ? "unknown_barcode" : "unknown_sku");
}

/**
 * What the scanner field does on Enter, before the quantity is typed: the line a scanned or typed
 * code is on (to show its product), or UnknownCodeError naming the code, on the spot.
 */
export async function lookUpCountLine(shop: string, taskId: string, code: string, options: { db?: Database; now?: Date } = {}): Promise<{ line: CountSheetLineView; matchedBy: "sku" | "barcode" }> {
  const scoped = forShop(shop, options.db ?? defaultDb);
  const task = await loadTask(scoped, taskId);
  const found = await findLineByCode(scoped, task, code);
  const [line] = await sheetLines(scoped, task, options.now ?? new Date(), !task.blind, found.id);
  return { line: line!, matchedBy: found.matchedBy === "barcode" ? "barcode" : "sku" };
}

function assertCountable(task: TaskRow): void {
  if (!(COUNTING_STATUSES as readonly string[]).includes(task.status)) throw new CountNotCountableError(task.number, task.status);
}

/**
 * Record a counted quantity, saved at once. The code is matched to a line by SKU, then barcode; a
 * code on no line is refused with UnknownCodeError naming it, so the counter hears it on the spot.
 * Lines the reviewer sent back record a recount; the first count stays for the comparison.
 */
export async function recordCount(shop: string, taskId: string, input: RecordCountInput, options: ActorOptions): Promise<RecordedCount> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const task = await loadTask(scoped, taskId);
  assertCountable(task);
  let line: FoundLine;
  if (input.lineId) {
    const row = await scoped.countLine.findFirst({ where: { taskId, id: input.lineId }, select: FOUND_SELECT });
    if (!row) throw new CountLineNotFoundError(task.number, input.lineId);
    line = { ...row, matchedBy: "line" };
  } else {
    line = await findLineByCode(scoped, task, input.code ?? "");
  }
  const quantity = parseCountedQuantity(input.quantity, task.number, line.warehouseSku);
  const recount = input.as === "recount" || (input.as !== "count" && line.recountRequestedAt != null);
  const previous = recount ? line.recountQuantity : line.countedQuantity;
  const total = input.mode === "add" ? (previous ?? 0) + quantity : quantity;
  if (total > MAX_UNITS) parseCountedQuantity(String(total), task.number, line.warehouseSku);
  const bin = input.bin?.trim() ? input.bin.trim() : null;
  const written = await scoped.countLine.updateMany({
    // Only while the count is still being counted: a submit racing this scan wins.
    where: { id: line.id, task: { status: { in: [...COUNTING_STATUSES] } } },
    data: {
      ...(recount ? { recountQuantity: total, recountedAt: now } : { countedQuantity: total, countedAt: now }),
      countedBy: options.actor,
      ...(bin && line.bin == null ? { bin } : {}),
    },
  });
  if (written.count !== 1) throw new CountNotCountableError(task.number, (await loadTask(scoped, taskId)).status);
  const [view] = await sheetLines(scoped, task, now, !task.blind, line.id);
  return { line: view!, matchedBy: line.matchedBy, recorded: recount ? "recount" : "count", quantity: total };
}

/** Record a recount (a second count of a line, compared with the first). */
export function recordRecount(shop: string, taskId: string, input: Omit<RecordCountInput, "as">, options: ActorOptions): Promise<RecordedCount> {
  return recordCount(shop, taskId, { ...input, as: "recount" }, options);
}

/**
 * Why a line differs (damaged, lost, mis_keyed, found, other) and a note. A note on a line whose
 * variance is over the thresholds lets the count be approved without a recount; who wrote it and
 * when is kept as an event of the count.
 */
export async function setLineReason(
  shop: string,
  taskId: string,
  lineId: string,
  input: { reason?: string | null; note?: string | null },
  options: ActorOptions,
): Promise<{ lineId: string; reason: VarianceReason | null; note: string | null }> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const task = await loadTask(scoped, taskId);
  if (["approved", "posted", "cancelled"].includes(task.status)) {
    throw new CountError("not_editable", `Count ${countLabel(task.number)} is ${task.status}: its lines can no longer be changed.`);
  }
  const line = await scoped.countLine.findFirst({ where: { taskId, id: lineId }, select: { id: true, warehouseSku: true, reason: true, note: true } });
  if (!line) throw new CountLineNotFoundError(task.number, lineId);
  const reasonText = input.reason === undefined ? line.reason : input.reason === null || input.reason.trim() === "" ? null : input.reason.trim();
  if (reasonText != null && !isVarianceReason(reasonText)) {
    throw new CountError("invalid_reason", `"${reasonText}" is not a reason; choose one of ${VARIANCE_REASONS.join(", ")}.`);
  }
  const note = input.note === undefined ? line.note : input.note === null || input.note.trim() === "" ? null : input.note.trim().slice(0, 2_000);
  await scoped.$transaction(async (tx) => {
    await tx.countLine.updateMany({ where: { id: lineId }, data: { reason: reasonText, note } });
    await recordCountEvent(tx, shop, task, options.actor, { key: "line_reason", sku: line.warehouseSku, reason: reasonText, note }, now);
  });
  return { lineId, reason: reasonText as VarianceReason | null, note };
}

// ---------------------------------------------------------------------------------------------
// The review
// ---------------------------------------------------------------------------------------------

export interface CountReviewLine {
  lineId: string;
  warehouseSku: string;
  barcode: string | null;
  productTitle: string | null;
  bin: string | null;
  abcClass: string | null;
  bookQuantity: number | null;
  /** Sales, receipts and shipments the ledger recorded between the snapshot and the count. */
  movementSinceSnapshot: number;
  expectedQuantity: number | null;
  countedQuantity: number | null;
  recountQuantity: number | null;
  recountRequested: boolean;
  countedAs: CountedAs | null;
  /** The quantity in effect: the recount, else the count, else 0 in a full count. */
  quantityInEffect: number | null;
  varianceUnits: number | null;
  varianceValue: string | null;
  unitCost: string | null;
  overThreshold: boolean;
  resolution: VarianceResolution | null;
  needsRecountOrNote: boolean;
  reason: string | null;
  note: string | null;
  countedAt: Date | null;
  countedBy: string | null;
}

export interface CountReview {
  task: CountTaskSummary;
  thresholds: VarianceThresholds;
  lines: CountReviewLine[];
  /** SKUs that stop approval, and why (the same words approval would refuse with). */
  blocking: { lineId: string; warehouseSku: string; why: "needs_recount_or_note" | "not_counted" }[];
  uncounted: { treatment: UncountedReview<unknown>["treatment"]; lineIds: string[] };
  totals: { lines: number; linesWithVariance: number; unitsOver: number; unitsShort: number; linesOverThreshold: number };
}

/** What the reviewer sees: every line with its book, movements, variance and whether it blocks approval. */
export async function loadCountReview(shop: string, taskId: string, options: { db?: Database; now?: Date } = {}): Promise<CountReview> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const task = await loadTask(scoped, taskId);
  const settings = await shopCountSettings(scoped, shop);
  const lines = await linesWithFigures(scoped, task, now);
  const facts = await catalogFacts(scoped, task.warehouseId, lines.map((line) => line.row.inventoryItemId));
  const started = lines.some((line) => line.bookQuantity != null);
  const variances = started ? countVariances(lines, { kind: task.kind, thresholds: settings.thresholds }) : null;
  const view: CountReviewLine[] = lines.map((line, index) => {
    const variance = variances?.[index];
    const fact = facts.get(line.row.inventoryItemId);
    return {
      lineId: line.id,
      warehouseSku: line.warehouseSku,
      barcode: fact?.barcode ?? null,
      productTitle: fact?.productTitle ?? null,
      bin: line.row.bin,
      abcClass: line.row.abcClass,
      bookQuantity: line.bookQuantity,
      movementSinceSnapshot: line.movementSinceSnapshot,
      expectedQuantity: variance?.expectedQuantity ?? null,
      countedQuantity: line.countedQuantity,
      recountQuantity: line.recountQuantity ?? null,
      recountRequested: line.row.recountRequestedAt != null,
      countedAs: variance?.countedAs ?? null,
      quantityInEffect: variance?.countedQuantity ?? null,
      varianceUnits: variance?.units ?? null,
      varianceValue: variance?.value ?? null,
      unitCost: line.unitCost,
      overThreshold: variance?.overThreshold ?? false,
      resolution: variance?.resolution ?? null,
      needsRecountOrNote: variance?.needsRecountOrNote ?? false,
      reason: line.row.reason,
      note: line.row.note,
      countedAt: line.row.recountedAt ?? line.row.countedAt,
      countedBy: line.row.countedBy,
    };
  });
  const uncounted = reviewUncounted(task.kind, lines);
  let unitsOver = 0;
  let unitsShort = 0;
  for (const line of view) {
    if (line.varianceUnits != null && line.varianceUnits > 0) unitsOver += line.varianceUnits;
    if (line.varianceUnits != null && line.varianceUnits < 0) unitsShort -= line.varianceUnits;
  }
  return {
    task: await getCountTaskSummary(shop, taskId, { db, now }),
    thresholds: settings.thresholds,
    lines: view,
    blocking: (variances ?? [])
      .filter((variance) => variance.blocksApproval)
      .map((variance) => ({ lineId: variance.line.id, warehouseSku: variance.line.warehouseSku, why: variance.needsRecountOrNote ? ("needs_recount_or_note" as const) : ("not_counted" as const) })),
    uncounted: { treatment: uncounted.treatment, lineIds: uncounted.lines.map((line) => line.id) },
    totals: {
      lines: view.length,
      linesWithVariance: view.filter((line) => line.varianceUnits != null && line.varianceUnits !== 0).length,
      unitsOver,
      unitsShort,
      linesOverThreshold: view.filter((line) => line.overThreshold).length,
    },
  };
}

