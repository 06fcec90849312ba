// The Discrepancies page's data: count lines of a period (or of one count) run through the pure
// discrepancyReport, the finance CSV export, and the Dashboard's current accuracy against target.
//
// A period report covers counts that were approved or posted (their figures are final), by the
// time their lines were counted; a per-count report covers that count in whatever state it is once
// submitted. Most counted lines match the books: the database adds those up (per count, reason,
// class and week) and only the lines with a variance are read one by one, with only the columns the
// report needs, so a year of 100,000 lines is two queries (test/bench/count-report.ts measures it).
import type { Prisma } from "@prisma/client";
import { isVarianceReason, type VarianceReason } from "../../counts/variance";
import type { AbcClass } from "../../counts/abc-count";
import { countLabel } from "../../counts/count-kind";
import { isoWeek } from "../../counts/calendar";
import { discrepancyReport, OVERDUE_STATUSES, type CountTaskDue, type DiscrepancyLine, type DiscrepancyReport, type LinesWithoutVariance } from "../../counts/discrepancy-report";
import { moneyText, parseMoney } from "../../counts/money";
import { financeCsvHeader, financeCsvLine, type FinanceCsvRow } from "../../counts/finance-csv";
import { db as defaultDb } from "../../db.server";
import { dialectOf, rowText, rowTime, SqlParams, queryRows } from "../../db/raw.server";
import type { Database } from "../../db/client.server";
import { forShop, type ShopDatabase } from "../../db/tenant.server";
import { findInParts, IN_LIST_LIMIT, shopCountSettings } from "./count-store.server";

/** Statuses whose lines a period report counts: the figures are final. */
export const REPORTED_STATUSES = ["approved", "posted"] as const;

export interface DiscrepancyQuery {
  /** One count (any status once submitted); otherwise a period. */
  taskId?: string;
  /** Counted at or after. */
  from?: Date;
  /** Counted before. */
  to?: Date;
  warehouseId?: string;
  abcClass?: AbcClass;
  reason?: VarianceReason;
  /** Worst SKUs and bins to list (default 10). */
  worstLimit?: number;
  now?: Date;
}

export interface DiscrepancyReportView {
  report: DiscrepancyReport;
  /** Names for the warehouse ids in the report. */
  warehouses: { id: string; name: string }[];
  /** Counts whose lines are in the report. */
  counts: number;
  /** Lines whose adjustment did not reach the warehouse (its API cannot adjust, or it refused). */
  linesWarehouseNotAdjusted: number;
  query: DiscrepancyQuery;
}

// One count by id; one warehouse through its counts; otherwise every line of the period, kept or
// dropped in memory by its count (a relation filter per line costs more than the map lookup).
function lineWhere(query: DiscrepancyQuery): Prisma.CountLineWhereInput {
  return {
    varianceUnits: { not: null },
    countedAt: { not: null, ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) },
    ...(query.taskId ? { taskId: query.taskId } : query.warehouseId ? { task: { warehouseId: query.warehouseId, status: { in: [...REPORTED_STATUSES] } } } : {}),
    ...(query.abcClass ? { abcClass: query.abcClass } : {}),
    ...(query.reason ? { reason: query.reason } : {}),
  };
}

interface TaskFacts {
  id: string;
  number: number;
  warehouseId: string;
  postedAt: Date | null;
}

/** The counts a query covers (few: one per plan, warehouse and day at most). */
async function reportedTasks(scoped: ShopDatabase, query: DiscrepancyQuery): Promise<TaskFacts[]> {
  return scoped.countTask.findMany({
    where: query.taskId
      ? { id: query.taskId }
      : { status: { in: [...REPORTED_STATUSES] }, ...(query.warehouseId ? { warehouseId: query.warehouseId } : {}) },
    select: { id: true, number: true, warehouseId: true, postedAt: true },
  });
}

const VARIED_SELECT = {
  taskId: true,
  warehouseSku: true,
  bin: true,
  abcClass: true,
  reason: true,
  countedAt: true,
  recountedAt: true,
  bookQuantity: true,
  movementSinceSnapshot: true,
  varianceUnits: true,
  varianceValue: true,
} as const;

type VariedRow = Prisma.CountLineGetPayload<{ select: typeof VARIED_SELECT }>;

/**
 * The lines with a variance (or a recount) in the period, in one raw statement: about 6,000 rows
 * of a 100,000-line year, which Prisma's query compiler took 200 ms to map and SQLite reads in 50
 * through the report index. Lines of counts not reported (not approved) are dropped by the caller.
 * Raw SQL names the shop itself (forShop does not see raw queries).
 */
async function variedLineRows(db: Database, shop: string, query: DiscrepancyQuery): Promise<VariedRow[]> {
  const sql = new SqlParams(dialectOf(db));
  const param = (value: unknown) => sql.add(value);
  const time = (at: Date) => sql.time(at);
  const conditions = [
    `"shop" = ${param(shop)}`,
    `"varianceUnits" IS NOT NULL`,
    `"countedAt" IS NOT NULL`,
    `("varianceUnits" <> 0 OR "recountedAt" IS NOT NULL)`,
    ...(query.from ? [`"countedAt" >= ${time(query.from)}`] : []),
    ...(query.to ? [`"countedAt" < ${time(query.to)}`] : []),
    ...(query.taskId ? [`"taskId" = ${param(query.taskId)}`] : []),
    ...(query.abcClass ? [`"abcClass" = ${param(query.abcClass)}`] : []),
    ...(query.reason ? [`"reason" = ${param(query.reason)}`] : []),
  ];
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "taskId", "warehouseSku", "bin", "abcClass", "reason", "countedAt", "recountedAt", "bookQuantity", "movementSinceSnapshot", "varianceUnits", ` +
      `CAST("varianceValue" AS TEXT) AS "varianceValue" FROM "CountLine" WHERE ${conditions.join(" AND ")}`,
    ...sql.values,
  );
  const date = rowTime;
  const int = (value: unknown) => (value == null ? null : Number(value));
  return rows.map((row) => ({
    taskId: String(row.taskId),
    warehouseSku: String(row.warehouseSku),
    bin: rowText(row.bin),
    abcClass: rowText(row.abcClass),
    reason: rowText(row.reason),
    countedAt: date(row.countedAt),
    recountedAt: date(row.recountedAt),
    bookQuantity: int(row.bookQuantity),
    movementSinceSnapshot: Number(row.movementSinceSnapshot ?? 0),
    varianceUnits: int(row.varianceUnits),
    // PostgreSQL's numeric text carries the column's 30 decimals; Prisma's Decimal would not.
    varianceValue: row.varianceValue == null ? null : (String(row.varianceValue).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "") as unknown as VariedRow["varianceValue"]),
  }));
}

function abcClassOf(value: string | null): AbcClass | null {
  return value === "A" || value === "B" || value === "C" ? value : null;
}

function reasonOf(value: string | null): VarianceReason | null {
  return value == null ? null : isVarianceReason(value) ? value : "other";
}

function weekOf(at: Date): string {
  return isoWeek(at).week;
}

/**
 * The report's input, read the fast way: lines with a variance (or a recount) one by one, and the
 * many lines that matched the books added up by the database per count, reason and class, with the
 * week they were counted in. A group whose lines span two ISO weeks is read again by week.
 */
async function reportInputs(db: Database, shop: string, scoped: ShopDatabase, query: DiscrepancyQuery, tasks: TaskFacts[]): Promise<{ lines: DiscrepancyLine[]; matched: LinesWithoutVariance[] }> {
  if (!tasks.length) return { lines: [], matched: [] };
  const warehouseOf = new Map(tasks.map((task) => [task.id, task.warehouseId]));
  const where = lineWhere(query);
  const matchedWhere: Prisma.CountLineWhereInput = { ...where, varianceUnits: 0, recountedAt: null };
  const [rows, groups] = await Promise.all([
    variedLineRows(db, shop, query),
    scoped.countLine.groupBy({
      by: ["taskId", "reason", "abcClass"],
      where: matchedWhere,
      _count: { _all: true },
      _sum: { bookQuantity: true, movementSinceSnapshot: true },
      _min: { countedAt: true },
      _max: { countedAt: true },
    }),
  ]);
  const lines: DiscrepancyLine[] = [];
  for (const row of rows) {
    const warehouseId = warehouseOf.get(row.taskId);
    if (warehouseId === undefined) continue; // a count not (yet) approved
    lines.push({
      taskId: row.taskId,
      warehouseId,
      warehouseSku: row.warehouseSku,
      bin: row.bin,
      abcClass: abcClassOf(row.abcClass),
      reason: reasonOf(row.reason),
      countedAt: row.recountedAt ?? row.countedAt!,
      expectedQuantity: (row.bookQuantity ?? 0) + row.movementSinceSnapshot,
      varianceUnits: row.varianceUnits!,
      varianceValue: row.varianceValue == null ? null : row.varianceValue.toString(),
    });
  }
  const matched: LinesWithoutVariance[] = [];
  const spanning: string[] = [];
  for (const group of groups) {
    const warehouseId = warehouseOf.get(group.taskId);
    const first = group._min.countedAt;
    const last = group._max.countedAt;
    if (warehouseId === undefined || !first || !last) continue;
    if (weekOf(first) !== weekOf(last)) {
      spanning.push(group.taskId);
      continue;
    }
    matched.push({
      taskId: group.taskId,
      warehouseId,
      abcClass: abcClassOf(group.abcClass),
      reason: reasonOf(group.reason),
      countedAt: first,
      lines: group._count._all,
      expectedQuantity: (group._sum.bookQuantity ?? 0) + (group._sum.movementSinceSnapshot ?? 0),
    });
  }
  // Counts whose matched lines were counted across a week boundary (rare): added up per week here.
  if (spanning.length) {
    const byWeek = new Map<string, LinesWithoutVariance>();
    const split = await findInParts([...new Set(spanning)], (part) =>
      scoped.countLine.findMany({ where: { ...matchedWhere, taskId: { in: part } }, select: { taskId: true, reason: true, abcClass: true, countedAt: true, bookQuantity: true, movementSinceSnapshot: true } }),
    );
    for (const row of split) {
      const key = `${row.taskId}|${row.reason}|${row.abcClass}|${weekOf(row.countedAt!)}`;
      let group = byWeek.get(key);
      if (!group) {
        group = { taskId: row.taskId, warehouseId: warehouseOf.get(row.taskId)!, abcClass: abcClassOf(row.abcClass), reason: reasonOf(row.reason), countedAt: row.countedAt!, lines: 0, expectedQuantity: 0 };
        byWeek.set(key, group);
      }
      group.lines += 1;
      group.expectedQuantity += (row.bookQuantity ?? 0) + row.movementSinceSnapshot;
    }
    matched.push(...byWeek.values());
  }
  return { lines, matched };
}

/** The worst SKUs' and bins' `lines`: every line of theirs in the period, matched ones included. */
async function countWorstLines(scoped: ShopDatabase, query: DiscrepancyQuery, tasks: TaskFacts[], report: DiscrepancyReport): Promise<void> {
  const skus = [...new Set(report.worstSkus.map((entry) => entry.name))];
  const bins = [...new Set(report.worstBins.map((entry) => entry.name))];
  if (!skus.length && !bins.length) return;
  const warehouseOf = new Map(tasks.map((task) => [task.id, task.warehouseId]));
  const rows = await scoped.countLine.groupBy({
    by: ["taskId", "warehouseSku", "bin"],
    where: { ...lineWhere(query), OR: [...(skus.length ? [{ warehouseSku: { in: skus } }] : []), ...(bins.length ? [{ bin: { in: bins } }] : [])] },
    _count: { _all: true },
  });
  const perSku = new Map<string, number>();
  const perBin = new Map<string, number>();
  for (const row of rows) {
    const warehouseId = warehouseOf.get(row.taskId);
    if (warehouseId === undefined) continue;
    const sku = `${warehouseId}\n${row.warehouseSku}`;
    perSku.set(sku, (perSku.get(sku) ?? 0) + row._count._all);
    if (row.bin) {
      const bin = `${warehouseId}\n${row.bin.trim()}`;
      perBin.set(bin, (perBin.get(bin) ?? 0) + row._count._all);
    }
  }
  for (const entry of report.worstSkus) entry.lines = Math.max(entry.lines, perSku.get(`${entry.warehouseId}\n${entry.name}`) ?? 0);
  for (const entry of report.worstBins) entry.lines = Math.max(entry.lines, perBin.get(`${entry.warehouseId}\n${entry.name}`) ?? 0);
}

/** Open counts past their due date, each with its class (the highest class among its lines). */
async function overdueTasks(scoped: ShopDatabase, query: DiscrepancyQuery, now: Date): Promise<CountTaskDue[]> {
  const tasks = await scoped.countTask.findMany({
    where: { status: { in: [...OVERDUE_STATUSES] }, dueAt: { lt: now }, ...(query.warehouseId ? { warehouseId: query.warehouseId } : {}) },
    select: { id: true, warehouseId: true, status: true, dueAt: true },
  });
  if (!tasks.length) return [];
  const classes = await findInParts(
    tasks.map((task) => task.id),
    (part) => scoped.countLine.groupBy({ by: ["taskId", "abcClass"], where: { taskId: { in: part }, abcClass: { not: null } } }),
  );
  const best = new Map<string, AbcClass>();
  for (const row of classes) {
    const klass = row.abcClass as AbcClass;
    const current = best.get(row.taskId);
    if (!current || klass < current) best.set(row.taskId, klass);
  }
  return tasks.map((task) => ({ warehouseId: task.warehouseId, status: task.status as CountTaskDue["status"], dueAt: task.dueAt, abcClass: best.get(task.id) ?? null }));
}

/** The discrepancy report for a period or one count, with the filters of the page. */
export async function loadDiscrepancyReport(shop: string, query: DiscrepancyQuery = {}, options: { db?: Database } = {}): Promise<DiscrepancyReportView> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = query.now ?? new Date();
  const [settings, tasks, overdue, warehouses] = await Promise.all([
    shopCountSettings(scoped, shop),
    reportedTasks(scoped, query),
    overdueTasks(scoped, query, now),
    scoped.warehouse.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const { lines, matched } = await reportInputs(db, shop, scoped, query, tasks);
  const report = discrepancyReport(lines, {
    now,
    targetPercent: settings.targetPercent,
    worstLimit: query.worstLimit,
    tasks: overdue,
    linesWithoutVariance: matched,
    filter: { ...(query.warehouseId ? { warehouseId: query.warehouseId } : {}), ...(query.abcClass ? { abcClass: query.abcClass } : {}) },
  });
  await countWorstLines(scoped, query, tasks, report);
  const counted = new Set([...lines.map((line) => line.taskId), ...matched.map((group) => group.taskId)]);
  // Few adjustments miss the warehouse: read them all and keep those of the counts reported.
  const missed = counted.size ? await scoped.countAdjustment.findMany({ where: { warehouseStatus: { in: ["not_supported", "failed"] } }, select: { taskId: true } }) : [];
  const notAdjusted = missed.filter((row) => counted.has(row.taskId)).length;
  return { report, warehouses, counts: counted.size, linesWarehouseNotAdjusted: notAdjusted, query };
}

export interface DashboardAccuracy {
  /** "99.50" */
  targetPercent: string;
  lineAccuracy: DiscrepancyReport["totals"]["lineAccuracy"];
  unitAccuracy: DiscrepancyReport["totals"]["unitAccuracy"];
  linesCounted: number;
  from: Date;
  to: Date;
}

/** Current accuracy against the target, over the counts of the last `days` days (default 30). */
export async function dashboardCountAccuracy(shop: string, options: { db?: Database; now?: Date; days?: number } = {}): Promise<DashboardAccuracy> {
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - (options.days ?? 30) * 86_400_000);
  const { report } = await loadDiscrepancyReport(shop, { from, to: new Date(to.getTime() + 1), now: to, worstLimit: 0 }, { db: options.db });
  return { targetPercent: report.targetPercent, lineAccuracy: report.totals.lineAccuracy, unitAccuracy: report.totals.unitAccuracy, linesCounted: report.totals.linesCounted, from, to };
}

// Each batch looks its catalog titles and adjustments up by id: keep the lists short.
const EXPORT_BATCH = IN_LIST_LIMIT;

const FINANCE_SELECT = {
  id: true,
  taskId: true,
  inventoryItemId: true,
  warehouseSku: true,
  bin: true,
  bookQuantity: true,
  movementSinceSnapshot: true,
  varianceUnits: true,
  unitCost: true,
  varianceValue: true,
  reason: true,
  note: true,
  countedAt: true,
  recountedAt: true,
} as const;

type FinanceLineRow = Prisma.CountLineGetPayload<{ select: typeof FINANCE_SELECT }>;

/** The finance export's rows for a query, a batch at a time. */
export async function* financeRows(shop: string, query: DiscrepancyQuery = {}, db: Database = defaultDb): AsyncGenerator<FinanceCsvRow[]> {
  const scoped = forShop(shop, db);
  const tasks = await reportedTasks(scoped, query);
  if (!tasks.length) return;
  const taskOf = new Map(tasks.map((task) => [task.id, task]));
  const [warehouses, approvals] = await Promise.all([
    scoped.warehouse.findMany({ select: { id: true, name: true } }),
    scoped.countTaskEvent.findMany({ where: query.taskId ? { taskId: query.taskId, toStatus: "approved", fromStatus: "review" } : { toStatus: "approved", fromStatus: "review" }, select: { taskId: true, actor: true }, orderBy: { at: "asc" } }),
  ]);
  const warehouseName = new Map(warehouses.map((w) => [w.id, w.name]));
  const approvedBy = new Map(approvals.map((event) => [event.taskId, event.actor]));
  const base = lineWhere(query);
  let after: { countedAt: Date; id: string } | null = null;
  for (;;) {
    // In the order the lines were counted, a page at a time from where the last page ended (a
    // keyset on counted-at and id, so each page is one range of the counted-at index).
    const where: Prisma.CountLineWhereInput = after
      ? { ...base, AND: [{ countedAt: { gte: after.countedAt } }, { OR: [{ countedAt: { gt: after.countedAt } }, { id: { gt: after.id } }] }] }
      : base;
    const rows: FinanceLineRow[] = await scoped.countLine.findMany({ where, select: FINANCE_SELECT, orderBy: [{ countedAt: "asc" }, { id: "asc" }], take: EXPORT_BATCH });
    const kept = rows.filter((row) => taskOf.has(row.taskId));
    if (kept.length) {
      const ids = kept.map((row) => row.id);
      const [catalog, adjustments] = await Promise.all([
        scoped.catalogItem.findMany({ where: { inventoryItemId: { in: [...new Set(kept.map((row) => row.inventoryItemId))] } }, select: { inventoryItemId: true, productTitle: true, variantTitle: true } }),
        scoped.countAdjustment.findMany({ where: { lineId: { in: ids } }, select: { lineId: true, warehouseStatus: true } }),
      ]);
      const title = new Map(catalog.map((item) => [item.inventoryItemId, [item.productTitle, item.variantTitle && item.variantTitle !== "Default Title" ? item.variantTitle : null].filter(Boolean).join(" - ") || null]));
      const warehouseStatus = new Map(adjustments.map((a) => [a.lineId, a.warehouseStatus]));
      yield kept.map((row) => {
        const task = taskOf.get(row.taskId)!;
        const expected = (row.bookQuantity ?? 0) + row.movementSinceSnapshot;
        return {
          taskNumber: task.number,
          warehouseSku: row.warehouseSku,
          productTitle: title.get(row.inventoryItemId) ?? null,
          warehouseName: warehouseName.get(task.warehouseId) ?? task.warehouseId,
          bin: row.bin,
          expectedQuantity: expected,
          countedQuantity: expected + row.varianceUnits!,
          varianceUnits: row.varianceUnits!,
          unitCost: row.unitCost == null ? null : moneyText(parseMoney(row.unitCost.toString())),
          varianceValue: row.varianceValue == null ? null : moneyText(parseMoney(row.varianceValue.toString())),
          reason: row.reason,
          note: row.note,
          countedAt: row.recountedAt ?? row.countedAt,
          approvedBy: approvedBy.get(row.taskId) ?? null,
          postedAt: task.postedAt,
          warehouseAdjustment: warehouseStatus.get(row.id) ?? null,
        };
      });
    }
    if (rows.length < EXPORT_BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { countedAt: last.countedAt!, id: last.id };
  }
}

/** The finance CSV as a stream (UTF-8 with BOM, CRLF), for a loader's Response. */
export function financeCsvStream(shop: string, query: DiscrepancyQuery = {}, options: { db?: Database; header?: readonly string[] } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<FinanceCsvRow[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(financeCsvHeader(options.header)));
    },
    async pull(controller) {
      batches ??= financeRows(shop, query, options.db ?? defaultDb);
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(financeCsvLine).join("")));
    },
  });
}

/** The finance CSV as one string (small exports, tests). */
export async function financeCsv(shop: string, query: DiscrepancyQuery = {}, options: { db?: Database; header?: readonly string[] } = {}): Promise<string> {
  let csv = financeCsvHeader(options.header);
  for await (const batch of financeRows(shop, query, options.db ?? defaultDb)) csv += batch.map(financeCsvLine).join("");
  return csv;
}

export function financeCsvFileName(query: DiscrepancyQuery, taskNumber?: number): string {
  if (taskNumber != null) return `discrepancies-${countLabel(taskNumber)}.csv`;
  const day = (date: Date | undefined) => date?.toISOString().slice(0, 10);
  return `discrepancies${query.from ? `-${day(query.from)}` : ""}${query.to ? `-to-${day(query.to)}` : ""}.csv`;
}
