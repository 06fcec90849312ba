// The discrepancy report: what the counts found, in units and in money, for one count or a period,
// in a form a finance person can sign. One pass over the counted lines, whatever their number.
//
// Definitions (every figure over the lines the filter keeps):
// - lines counted: count lines with a counted quantity (uncounted lines of a full count included,
//   as 0); lines with variance: those whose variance is not 0;
// - units over / short: sum of positive variances / of negative variances (as a positive number);
// - value over / short / net: the same at unit cost; lines without a cost add no value and are
//   counted in linesWithoutCost so the reader knows the value is incomplete;
// - net shrink: short - over, in units and in value (positive: stock was lost);
// - line accuracy = lines without variance / lines counted;
// - unit accuracy = 1 - sum |variance| / sum expected, at least 0, where "expected" is book +
//   movements (lines expected below 0 add nothing to the sum). Nothing expected and nothing found
//   is 100%; nothing expected and something found is 0%.
// Both accuracies are compared with the shop's target (default 99.5%) exactly, in whole numbers;
// the percent shown is rounded down to two decimals, so it never reads 99.50 while missing a target of 99.5.
// Trend: one point per ISO week (Monday first, UTC) from the first to the last week with counts;
// weeks without counts are kept, empty, so a chart does not join distant weeks.
// Worst SKUs and bins: ranked by the sum of absolute variance values, then absolute units.
// Counts overdue: tasks due before now that nobody has finished counting (not yet submitted).
// Lines without a variance may also come already added up (linesWithoutVariance: a count of lines
// and their expected units per count, reason, class and week), so that a database can sum the many
// lines that matched and pass only the few that did not; the totals, reasons and trend are the
// same. They never rank among the worst SKUs or bins, whose `lines` then count only the lines
// passed one by one.
// Pure: no I/O, `now` is passed in. Money is exact (money.ts), turned into text only in the result.
import type { AbcClass } from "./abc-count";
import { isoWeekOfDay, type IsoWeek } from "./calendar";
import { moneyText, MoneySum, parseMoneyAmount, type Money, type MoneyAmount } from "./money";
import type { CountTaskStatus } from "./task-status";
import type { VarianceReason } from "./variance";

/** A counted line, as stored (CountLine with its task's warehouse and the SKU's class). */
export interface DiscrepancyLine {
  taskId: string;
  warehouseId: string;
  warehouseSku: string;
  bin: string | null;
  abcClass: AbcClass | null;
  reason: VarianceReason | null;
  /** When the quantity in effect was counted (the recount's time when recounted). */
  countedAt: Date;
  /** Book + movements since the snapshot (expectedQuantity in variance.ts). */
  expectedQuantity: number;
  varianceUnits: number;
  /** Variance at cost as a decimal string (CountLine.varianceValue), null without a unit cost. */
  varianceValue: string | null;
}

export interface DiscrepancyFilter {
  taskId?: string;
  warehouseId?: string;
  abcClass?: AbcClass;
  reason?: VarianceReason;
  /** Counted at or after. */
  from?: Date;
  /** Counted before. */
  to?: Date;
}

/** A count task, for "counts overdue". */
export interface CountTaskDue {
  warehouseId?: string;
  status: CountTaskStatus;
  dueAt: Date | null;
  abcClass: AbcClass | null;
}

export interface DiscrepancyReportOptions {
  now: Date;
  filter?: DiscrepancyFilter;
  /** The shop's accuracy target in percent (ShopSettings.accuracyTargetPercent), e.g. "99.5". */
  targetPercent?: string;
  /** How many worst SKUs and bins to list. */
  worstLimit?: number;
  tasks?: Iterable<CountTaskDue>;
  /** Counted lines with no variance, added up by count, reason, class and week (see above). */
  linesWithoutVariance?: Iterable<LinesWithoutVariance>;
}

/** Lines of one count with no variance, added up: same reason, same class, counted in the same ISO week. */
export interface LinesWithoutVariance {
  taskId: string;
  warehouseId: string;
  abcClass: AbcClass | null;
  reason: VarianceReason | null;
  /** An instant in the week they were counted in. */
  countedAt: Date;
  lines: number;
  /** Sum of their expected quantities (each is the counted quantity, so at least 0). */
  expectedQuantity: number;
}

export interface Accuracy {
  /** Between 0 and 1, for charts. */
  ratio: number;
  /** Rounded down to two decimals: "99.48". */
  percent: string;
  meetsTarget: boolean;
}

export interface VarianceTotals {
  linesCounted: number;
  linesWithVariance: number;
  /** Lines with a variance but no unit cost: their value is not in the money figures. */
  linesWithoutCost: number;
  unitsOver: number;
  unitsShort: number;
  netShrinkUnits: number;
  /** Sum of expected quantities (at least 0 each): the denominator of unit accuracy. */
  expectedUnits: number;
  /** Sum of |variance|. */
  absoluteUnits: number;
  valueOver: string;
  valueShort: string;
  /** Over - short. */
  valueNet: string;
  /** Short - over: positive when stock was lost. */
  netShrinkValue: string;
  lineAccuracy: Accuracy | null;
  unitAccuracy: Accuracy | null;
}

export interface WeekTotals extends VarianceTotals, IsoWeek {}

export interface WorstEntry {
  warehouseId: string;
  /** The SKU, or the bin. */
  name: string;
  lines: number;
  linesWithVariance: number;
  unitsNet: number;
  absoluteUnits: number;
  valueNet: string;
  absoluteValue: string;
}

export const OVERDUE_STATUSES: readonly CountTaskStatus[] = ["draft", "assigned", "in_progress", "recount"];

export interface DiscrepancyReport {
  /** The target, in percent with two decimals: "99.50". */
  targetPercent: string;
  totals: VarianceTotals;
  byReason: Record<VarianceReason | "none", VarianceTotals>;
  trend: WeekTotals[];
  worstSkus: WorstEntry[];
  worstBins: WorstEntry[];
  overdueByClass: Record<AbcClass | "unclassified", number>;
}

export const DEFAULT_ACCURACY_TARGET = "99.5";

interface Tally {
  linesCounted: number;
  linesWithVariance: number;
  linesWithoutCost: number;
  unitsOver: number;
  unitsShort: number;
  expectedUnits: number;
  valueOver: MoneySum;
  valueShort: MoneySum;
}

interface Ranked {
  warehouseId: string;
  name: string;
  lines: number;
  linesWithVariance: number;
  unitsNet: number;
  absoluteUnits: number;
  valueNet: MoneySum;
  absoluteValue: MoneySum;
}

const DAY_MS = 86_400_000;
const TARGET = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

function emptyTally(): Tally {
  return { linesCounted: 0, linesWithVariance: 0, linesWithoutCost: 0, unitsOver: 0, unitsShort: 0, expectedUnits: 0, valueOver: new MoneySum(), valueShort: new MoneySum() };
}

function addLine(tally: Tally, units: number, expected: number, value: MoneyAmount | null): void {
  tally.linesCounted += 1;
  if (expected > 0) tally.expectedUnits += expected;
  if (units === 0) return;
  tally.linesWithVariance += 1;
  if (units > 0) tally.unitsOver += units;
  else tally.unitsShort -= units;
  if (value == null) tally.linesWithoutCost += 1;
  else if (value > 0) tally.valueOver.add(value);
  else tally.valueShort.add(-value);
}

/** "99.5" -> 9950 hundredths of a percent. */
function targetHundredths(target: string): number {
  const match = TARGET.exec(target.trim());
  const hundredths = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN;
  if (!(hundredths >= 0 && hundredths <= 10_000)) throw new RangeError(`the accuracy target must be a percent from 0 to 100 with at most 2 decimals, got "${target}"`);
  return hundredths;
}

function accuracy(good: number, of: number, target: number): Accuracy {
  const hundredths = (BigInt(good) * 10_000n) / BigInt(of);
  return {
    ratio: good / of,
    percent: `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")}`,
    meetsTarget: BigInt(good) * 10_000n >= BigInt(target) * BigInt(of),
  };
}

function totalsOf(tally: Tally, target: number): VarianceTotals {
  const absoluteUnits = tally.unitsOver + tally.unitsShort;
  const over = tally.valueOver.total;
  const short = tally.valueShort.total;
  let unitAccuracy: Accuracy | null = null;
  if (tally.linesCounted > 0) {
    unitAccuracy =
      tally.expectedUnits === 0
        ? accuracy(absoluteUnits === 0 ? 1 : 0, 1, target)
        : accuracy(Math.max(0, tally.expectedUnits - absoluteUnits), tally.expectedUnits, target);
  }
  return {
    linesCounted: tally.linesCounted,
    linesWithVariance: tally.linesWithVariance,
    linesWithoutCost: tally.linesWithoutCost,
    unitsOver: tally.unitsOver,
    unitsShort: tally.unitsShort,
    netShrinkUnits: tally.unitsShort - tally.unitsOver,
    expectedUnits: tally.expectedUnits,
    absoluteUnits,
    valueOver: moneyText(over),
    valueShort: moneyText(short),
    valueNet: moneyText(over - short),
    netShrinkValue: moneyText(short - over),
    lineAccuracy: tally.linesCounted > 0 ? accuracy(tally.linesCounted - tally.linesWithVariance, tally.linesCounted, target) : null,
    unitAccuracy,
  };
}

type RankedGroups = Map<string, Map<string, Ranked>>; // by warehouse, then by SKU or bin

interface RankedTotal {
  group: Ranked;
  absolute: Money;
}

// Worst first: larger absolute value, then more absolute units, then by warehouse and name.
function worseFirst(a: RankedTotal, b: RankedTotal): number {
  if (a.absolute !== b.absolute) return a.absolute > b.absolute ? -1 : 1;
  if (a.group.absoluteUnits !== b.group.absoluteUnits) return b.group.absoluteUnits - a.group.absoluteUnits;
  const x = a.group;
  const y = b.group;
  return x.warehouseId < y.warehouseId ? -1 : x.warehouseId > y.warehouseId ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

// Keeps only the `limit` worst while walking the groups, instead of sorting them all.
function rank(groups: RankedGroups, limit: number): WorstEntry[] {
  const top: RankedTotal[] = [];
  if (limit <= 0) return [];
  for (const byName of groups.values()) {
    for (const group of byName.values()) {
      if (group.absoluteUnits === 0) continue;
      const candidate = { group, absolute: group.absoluteValue.total };
      if (top.length === limit && worseFirst(candidate, top[limit - 1]!) >= 0) continue;
      let index = top.length;
      while (index > 0 && worseFirst(candidate, top[index - 1]!) < 0) index -= 1;
      top.splice(index, 0, candidate);
      if (top.length > limit) top.pop();
    }
  }
  return top.map(({ group, absolute }) => ({
    warehouseId: group.warehouseId,
    name: group.name,
    lines: group.lines,
    linesWithVariance: group.linesWithVariance,
    unitsNet: group.unitsNet,
    absoluteUnits: group.absoluteUnits,
    valueNet: moneyText(group.valueNet.total),
    absoluteValue: moneyText(absolute),
  }));
}

function addRanked(groups: RankedGroups, warehouseId: string, name: string, units: number, value: MoneyAmount | null): void {
  let byName = groups.get(warehouseId);
  if (!byName) {
    byName = new Map();
    groups.set(warehouseId, byName);
  }
  let group = byName.get(name);
  if (!group) {
    group = { warehouseId, name, lines: 0, linesWithVariance: 0, unitsNet: 0, absoluteUnits: 0, valueNet: new MoneySum(), absoluteValue: new MoneySum() };
    byName.set(name, group);
  }
  group.lines += 1;
  if (units === 0) return;
  group.linesWithVariance += 1;
  group.unitsNet += units;
  group.absoluteUnits += Math.abs(units);
  if (value != null) {
    group.valueNet.add(value);
    group.absoluteValue.add(value < 0 ? -value : value);
  }
}

function keeps(filter: DiscrepancyFilter, line: Pick<DiscrepancyLine, "taskId" | "warehouseId" | "abcClass" | "reason" | "countedAt">): boolean {
  return (
    (filter.taskId === undefined || line.taskId === filter.taskId) &&
    (filter.warehouseId === undefined || line.warehouseId === filter.warehouseId) &&
    (filter.abcClass === undefined || line.abcClass === filter.abcClass) &&
    (filter.reason === undefined || line.reason === filter.reason) &&
    (filter.from === undefined || line.countedAt >= filter.from) &&
    (filter.to === undefined || line.countedAt < filter.to)
  );
}

/** The discrepancy report over counted lines (one pass; the lines may be streamed). */
export function discrepancyReport(lines: Iterable<DiscrepancyLine>, options: DiscrepancyReportOptions): DiscrepancyReport {
  const target = targetHundredths(options.targetPercent ?? DEFAULT_ACCURACY_TARGET);
  const filter = options.filter ?? {};
  const limit = options.worstLimit ?? 10;

  const total = emptyTally();
  const byReason: Record<VarianceReason | "none", Tally> = { damaged: emptyTally(), lost: emptyTally(), mis_keyed: emptyTally(), found: emptyTally(), other: emptyTally(), none: emptyTally() };
  const weeks = new Map<number, Tally>(); // by the day number of the week's Monday
  const skus: RankedGroups = new Map();
  const bins: RankedGroups = new Map();

  for (const line of lines) {
    if (!keeps(filter, line)) continue;
    const units = line.varianceUnits;
    const expected = line.expectedQuantity;
    if (!Number.isInteger(units) || !Number.isInteger(expected)) {
      throw new RangeError(`SKU ${line.warehouseSku} of count ${line.taskId}: units must be whole numbers`);
    }
    const value = line.varianceValue == null ? null : parseMoneyAmount(line.varianceValue);
    addLine(total, units, expected, value);
    // A reason the app does not know (an older value in the database) is reported as "other".
    addLine(byReason[line.reason ?? "none"] ?? byReason.other, units, expected, value);

    const day = Math.floor(line.countedAt.getTime() / DAY_MS);
    const monday = day - ((((day + 3) % 7) + 7) % 7); // 1970-01-01 was a Thursday
    let week = weeks.get(monday);
    if (!week) {
      week = emptyTally();
      weeks.set(monday, week);
    }
    addLine(week, units, expected, value);

    addRanked(skus, line.warehouseId, line.warehouseSku, units, value);
    if (line.bin != null && line.bin.trim() !== "") addRanked(bins, line.warehouseId, line.bin.trim(), units, value);
  }

  for (const group of options.linesWithoutVariance ?? []) {
    if (!keeps(filter, group)) continue;
    if (!Number.isInteger(group.lines) || group.lines < 0 || !Number.isInteger(group.expectedQuantity) || group.expectedQuantity < 0) {
      throw new RangeError(`count ${group.taskId}: lines without variance need whole, non-negative lines and expected units`);
    }
    const day = Math.floor(group.countedAt.getTime() / DAY_MS);
    const monday = day - ((((day + 3) % 7) + 7) % 7);
    let week = weeks.get(monday);
    if (!week) {
      week = emptyTally();
      weeks.set(monday, week);
    }
    for (const tally of [total, byReason[group.reason ?? "none"] ?? byReason.other, week]) {
      tally.linesCounted += group.lines;
      tally.expectedUnits += group.expectedQuantity;
    }
  }

  const trend: WeekTotals[] = [];
  if (weeks.size > 0) {
    const mondays = [...weeks.keys()];
    const last = Math.max(...mondays);
    for (let monday = Math.min(...mondays); monday <= last; monday += 7) {
      trend.push({ ...isoWeekOfDay(monday), ...totalsOf(weeks.get(monday) ?? emptyTally(), target) });
    }
  }

  const overdueByClass: Record<AbcClass | "unclassified", number> = { A: 0, B: 0, C: 0, unclassified: 0 };
  for (const task of options.tasks ?? []) {
    if (filter.warehouseId !== undefined && task.warehouseId !== undefined && task.warehouseId !== filter.warehouseId) continue;
    if (filter.abcClass !== undefined && task.abcClass !== filter.abcClass) continue;
    if (task.dueAt != null && task.dueAt < options.now && OVERDUE_STATUSES.includes(task.status)) overdueByClass[task.abcClass ?? "unclassified"] += 1;
  }

  return {
    targetPercent: `${Math.floor(target / 100)}.${String(target % 100).padStart(2, "0")}`,
    totals: totalsOf(total, target),
    byReason: {
      damaged: totalsOf(byReason.damaged, target),
      lost: totalsOf(byReason.lost, target),
      mis_keyed: totalsOf(byReason.mis_keyed, target),
      found: totalsOf(byReason.found, target),
      other: totalsOf(byReason.other, target),
      none: totalsOf(byReason.none, target),
    },
    trend,
    worstSkus: rank(skus, limit),
    worstBins: rank(bins, limit),
    overdueByClass,
  };
}
