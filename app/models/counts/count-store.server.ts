// What the count server functions share: loading a task, the shop's count settings, catalog facts
// for lines, and the ledger movements that turn a book snapshot into an expected quantity.
//
// The book quantity of a line is the warehouse's SELLABLE quantity of the SKU (InventoryPosition
// .warehouseSellable) when counting starts: good units on the shelf that are not set aside for an
// order. It is the bucket the warehouse reports movements of (InventoryLedgerEntry rows named
// "warehouse_sellable": receipts, orders acknowledged, returns, adjustments), the bucket a count
// adjustment is posted to at the warehouse (the protocol's default bucket) and the quantity
// Shopify's available is derived from. Units picked or held for acknowledged orders (reserved) and
// damaged units are not part of it, so counters count what could be sold: the sheet says so.
import type { Prisma } from "@prisma/client";
import type { AbcCadence, AbcThresholds } from "../../counts/abc-count";
import { isCountKind, type CountKind } from "../../counts/count-kind";
import { isCountTaskStatus, type CountTaskStatus } from "../../counts/task-status";
import { DEFAULT_VARIANCE_THRESHOLDS, movementSince, type CountLineFigures, type VarianceThresholds } from "../../counts/variance";
import type { ShopDatabase } from "../../db/tenant.server";
import { CountNotFoundError } from "./errors";

/**
 * Ids per IN list: Prisma refuses queries with more bound parameters than SQLite allows, so long
 * lists (a full count's thousands of SKUs) are queried a part at a time.
 */
export const IN_LIST_LIMIT = 500;

export function inParts<T>(items: readonly T[], size = IN_LIST_LIMIT): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/** Runs a query per part of a long id list and joins the rows. */
export async function findInParts<T, R>(items: readonly T[], query: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (const part of inParts(items)) rows.push(...(await query(part)));
  return rows;
}

/** Tasks not yet posted or cancelled: their SKUs are "being counted". */
export const OPEN_STATUSES = ["draft", "assigned", "in_progress", "submitted", "review", "recount", "approved"] as const satisfies readonly CountTaskStatus[];

/** The ledger quantity whose movements are applied to the book (see the note above). */
export const BOOK_QUANTITY_NAME = "warehouse_sellable";

/** The shop-scoped client or one of its transactions: both carry the shop scope. */
export type Scoped = Omit<ShopDatabase, "$transaction" | "$connect" | "$disconnect" | "$on" | "$extends">;

export const TASK_SELECT = {
  id: true,
  number: true,
  status: true,
  kind: true,
  warehouseId: true,
  planId: true,
  blind: true,
  assignee: true,
  dueAt: true,
  startedAt: true,
  submittedAt: true,
  approvedAt: true,
  postedAt: true,
  createdBy: true,
  createdAt: true,
} as const;

export interface TaskRow {
  id: string;
  number: number;
  status: CountTaskStatus;
  kind: CountKind;
  warehouseId: string;
  planId: string | null;
  blind: boolean;
  assignee: string | null;
  dueAt: Date | null;
  startedAt: Date | null;
  submittedAt: Date | null;
  approvedAt: Date | null;
  postedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

export function toTaskRow(row: Omit<TaskRow, "status" | "kind"> & { status: string; kind: string }): TaskRow {
  if (!isCountTaskStatus(row.status)) throw new Error(`Count CC-${row.number} has an unknown status "${row.status}"`);
  if (!isCountKind(row.kind)) throw new Error(`Count CC-${row.number} has an unknown kind "${row.kind}"`);
  return { ...row, status: row.status, kind: row.kind };
}

export async function loadTask(scoped: Scoped, taskId: string): Promise<TaskRow> {
  const row = await scoped.countTask.findFirst({ where: { id: taskId }, select: TASK_SELECT });
  if (!row) throw new CountNotFoundError(taskId);
  return toTaskRow(row);
}

export interface ShopCountSettings {
  thresholds: VarianceThresholds;
  /** Accuracy target in percent, e.g. "99.5". */
  targetPercent: string;
  timeZone: string;
  abcThresholds: AbcThresholds;
  abcCadence: AbcCadence;
}

export async function shopCountSettings(scoped: Scoped, shop: string): Promise<ShopCountSettings> {
  const row = await scoped.shopSettings.findFirst({
    where: { shop },
    select: {
      varianceThresholdUnits: true,
      varianceThresholdValue: true,
      accuracyTargetPercent: true,
      timeZone: true,
      abcThresholdAPercent: true,
      abcThresholdBPercent: true,
      countCadenceDaysA: true,
      countCadenceDaysB: true,
      countCadenceDaysC: true,
    },
  });
  if (!row) {
    return { thresholds: DEFAULT_VARIANCE_THRESHOLDS, targetPercent: "99.5", timeZone: "UTC", abcThresholds: { aPercent: 80, bPercent: 95 }, abcCadence: { A: 7, B: 30, C: 90 } };
  }
  return {
    thresholds: { units: row.varianceThresholdUnits, value: row.varianceThresholdValue.toString() },
    targetPercent: row.accuracyTargetPercent.toString(),
    timeZone: row.timeZone || "UTC",
    abcThresholds: { aPercent: row.abcThresholdAPercent, bPercent: row.abcThresholdBPercent },
    abcCadence: { A: row.countCadenceDaysA, B: row.countCadenceDaysB, C: row.countCadenceDaysC },
  };
}

export interface CatalogFacts {
  barcode: string | null;
  productTitle: string | null;
  variantTitle: string | null;
  unitCost: string | null;
}

/** Barcode, title and unit cost of inventory items (the catalog first, the warehouse's barcode as a fallback). */
export async function catalogFacts(scoped: Scoped, warehouseId: string, inventoryItemIds: readonly string[]): Promise<Map<string, CatalogFacts>> {
  const ids = [...new Set(inventoryItemIds)];
  const facts = new Map<string, CatalogFacts>();
  if (!ids.length) return facts;
  const client = scoped;
  const [items, positions] = await Promise.all([
    findInParts(ids, (part) => client.catalogItem.findMany({ where: { inventoryItemId: { in: part } }, select: { inventoryItemId: true, barcode: true, productTitle: true, variantTitle: true, unitCost: true } })),
    findInParts(ids, (part) => client.inventoryPosition.findMany({ where: { warehouseId, inventoryItemId: { in: part } }, select: { inventoryItemId: true, warehouseBarcode: true } })),
  ]);
  const warehouseBarcode = new Map(positions.map((p) => [p.inventoryItemId!, p.warehouseBarcode]));
  for (const id of ids) facts.set(id, { barcode: warehouseBarcode.get(id) ?? null, productTitle: null, variantTitle: null, unitCost: null });
  for (const item of items) {
    facts.set(item.inventoryItemId, {
      barcode: item.barcode ?? warehouseBarcode.get(item.inventoryItemId) ?? null,
      productTitle: item.productTitle,
      variantTitle: item.variantTitle,
      unitCost: item.unitCost == null ? null : item.unitCost.toString(),
    });
  }
  return facts;
}

export interface Movement {
  at: Date;
  delta: number;
}

/** Sellable movements of the given items at a warehouse that happened after `since`, by item. */
export async function sellableMovements(scoped: Scoped, warehouseId: string, inventoryItemIds: readonly string[], since: Date): Promise<Map<string, Movement[]>> {
  const byItem = new Map<string, Movement[]>();
  const ids = [...new Set(inventoryItemIds)];
  if (!ids.length) return byItem;
  const rows = await findInParts(ids, (part) =>
    scoped.inventoryLedgerEntry.findMany({
      where: { warehouseId, quantityName: BOOK_QUANTITY_NAME, inventoryItemId: { in: part }, occurredAt: { gt: since } },
      select: { inventoryItemId: true, occurredAt: true, delta: true },
    }),
  );
  for (const row of rows) {
    const list = byItem.get(row.inventoryItemId);
    const movement = { at: row.occurredAt, delta: row.delta };
    if (list) list.push(movement);
    else byItem.set(row.inventoryItemId, [movement]);
  }
  return byItem;
}

/** The stored line, as read for variance work. */
export const LINE_SELECT = {
  id: true,
  inventoryItemId: true,
  warehouseSku: true,
  bin: true,
  abcClass: true,
  bookQuantity: true,
  snapshotAt: true,
  countedQuantity: true,
  countedAt: true,
  countedBy: true,
  recountRequestedAt: true,
  recountQuantity: true,
  recountedAt: true,
  movementSinceSnapshot: true,
  varianceUnits: true,
  unitCost: true,
  varianceValue: true,
  reason: true,
  note: true,
} as const;

export type LineRow = Prisma.CountLineGetPayload<{ select: typeof LINE_SELECT }>;

export interface LineWithFigures extends CountLineFigures {
  id: string;
  row: LineRow;
}

/**
 * A stored line with its movements worked out from the ledger: the movement up to the count in
 * effect (the recount when there is one) and between the first count and the recount. A line not
 * counted yet (a full count's line that counts as 0) takes the movements up to `uncountedAt`.
 */
export function lineFigures(row: LineRow, movements: readonly Movement[] | undefined, uncountedAt: Date): LineWithFigures {
  const snapshotAt = row.snapshotAt;
  const list = movements ?? [];
  const inEffectAt = row.recountedAt ?? row.countedAt ?? uncountedAt;
  const movement = snapshotAt ? movementSince(list, snapshotAt, inEffectAt) : 0;
  const between = snapshotAt && row.countedAt && row.recountedAt && row.recountQuantity != null ? movementSince(list, row.countedAt, row.recountedAt) : 0;
  return {
    id: row.id,
    row,
    warehouseSku: row.warehouseSku,
    bin: row.bin,
    bookQuantity: row.bookQuantity,
    movementSinceSnapshot: movement,
    countedQuantity: row.countedQuantity,
    recountQuantity: row.recountQuantity,
    movementBetweenCounts: between,
    unitCost: row.unitCost == null ? null : row.unitCost.toString(),
    reason: row.reason,
    note: row.note,
  };
}

/** Lines of a task with their ledger movements, for review, approval and refreshes. */
export async function linesWithFigures(scoped: Scoped, task: Pick<TaskRow, "id" | "warehouseId">, now: Date): Promise<LineWithFigures[]> {
  const rows = await scoped.countLine.findMany({ where: { taskId: task.id }, select: LINE_SELECT, orderBy: [{ warehouseSku: "asc" }, { id: "asc" }] });
  const snapshots = rows.map((row) => row.snapshotAt?.getTime()).filter((time): time is number => time != null);
  if (!snapshots.length) return rows.map((row) => lineFigures(row, undefined, now));
  const movements = await sellableMovements(scoped, task.warehouseId, rows.map((row) => row.inventoryItemId), new Date(Math.min(...snapshots)));
  return rows.map((row) => lineFigures(row, movements.get(row.inventoryItemId), now));
}

/** One write per distinct value: lines sharing a value are updated together. */
export function groupByValue<V>(entries: Iterable<{ id: string; value: V }>, key: (value: V) => string): Map<string, { value: V; ids: string[] }> {
  const groups = new Map<string, { value: V; ids: string[] }>();
  for (const entry of entries) {
    const k = key(entry.value);
    const group = groups.get(k);
    if (group) group.ids.push(entry.id);
    else groups.set(k, { value: entry.value, ids: [entry.id] });
  }
  return groups;
}
