// Rolling cycle count: every mapped SKU of a warehouse counted at least once every N days, with at
// most M lines a day.
//
// Each day takes the SKUs counted longest ago (never-counted first of all; ties by SKU, then by
// inventory item, so the same inputs always give the same lines):
//   lines today = min(M, max(ceil(SKUs / N), SKUs that must be counted today to stay within N days))
// Counting ceil(SKUs / N) a day in oldest-first order visits every SKU within N days; the second
// term catches up when the plan fell behind (a day missed, new SKUs, a cap raised). When M is
// below ceil(SKUs / N) no order can keep the promise, and the result says so with the number of
// lines a day that would.
// Pure: days are calendar days in the shop's time zone (calendar.ts), passed in.
import { daysBetween, type ShopDay } from "./calendar";

export interface CountableSku {
  inventoryItemId: string;
  warehouseSku: string;
  /** The shop day the SKU was last counted at this warehouse (any kind of count), null if never. */
  lastCountedOn: ShopDay | null;
}

export interface RollingCountSettings {
  /** Count every SKU at least once in this many days. */
  everyDays: number;
  /** At most this many lines a day. */
  dailyLines: number;
}

export interface DailyCapWarning {
  code: "daily_cap_too_small";
  minimumDailyLines: number;
  message: string;
}

export interface RollingCountDay<T> {
  /** Lines to count today, in counting order. */
  lines: T[];
  /** ceil(SKUs / N): lines a day that cover every SKU within N days. */
  minimumDailyLines: number;
  /** SKUs last counted N or more days ago (not counting SKUs already on an open count). */
  dueSkus: number;
  warning: DailyCapWarning | null;
}

export interface RollingCountOptions {
  /** Inventory items already on an open count of the warehouse: not planned twice. */
  beingCounted?: ReadonlySet<string>;
}

function positiveWhole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of 1 or more, got ${value}`);
  return value;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counting order: never counted first, then the longest ago, then by SKU. */
export function oldestCountedFirst(a: CountableSku, b: CountableSku): number {
  if (a.lastCountedOn !== b.lastCountedOn) {
    if (a.lastCountedOn == null) return -1;
    if (b.lastCountedOn == null) return 1;
    return compareText(a.lastCountedOn, b.lastCountedOn);
  }
  return compareText(a.warehouseSku, b.warehouseSku) || compareText(a.inventoryItemId, b.inventoryItemId);
}

/** Whether a SKU must be counted today to have been counted within the last `everyDays` days. */
export function isDue(sku: CountableSku, everyDays: number, today: ShopDay): boolean {
  return sku.lastCountedOn != null && daysBetween(sku.lastCountedOn, today) >= everyDays;
}

/** The lines a rolling cycle count plan counts today. */
export function rollingCountLines<T extends CountableSku>(skus: readonly T[], settings: RollingCountSettings, today: ShopDay, options: RollingCountOptions = {}): RollingCountDay<T> {
  const everyDays = positiveWhole("days between counts", settings.everyDays);
  const dailyLines = positiveWhole("lines a day", settings.dailyLines);
  const minimumDailyLines = Math.ceil(skus.length / everyDays);
  const candidates = skus.filter((sku) => !options.beingCounted?.has(sku.inventoryItemId)).sort(oldestCountedFirst);

  // In counting order the due SKUs come right after the never-counted ones: all of them must go today.
  let lastDue = -1;
  let dueSkus = 0;
  candidates.forEach((sku, index) => {
    if (isDue(sku, everyDays, today)) {
      lastDue = index;
      dueSkus += 1;
    }
  });
  const take = Math.min(dailyLines, Math.max(minimumDailyLines, lastDue + 1));

  const warning: DailyCapWarning | null =
    dailyLines < minimumDailyLines
      ? {
          code: "daily_cap_too_small",
          minimumDailyLines,
          message: `Counting all ${skus.length} SKUs every ${everyDays} days needs at least ${minimumDailyLines} lines a day; the plan allows ${dailyLines}, so some SKUs will wait longer`,
        }
      : null;
  return { lines: candidates.slice(0, take), minimumDailyLines, dueSkus, warning };
}
