// The variance of a count line, the one place it is computed.
//
//   expected  = book quantity snapshotted when counting started
//             + movements the ledger recorded between the snapshot and the count
//   variance  = counted - expected                 (units; + found more, - found fewer)
//   value     = variance x unit cost               (null when the item has no cost in Shopify)
//
// So a sale shipped while the shelf was being counted is not a variance: the book already moved.
// The counted quantity is the recount when there is one. In a full count a line nobody counted
// counts as 0; in any other count it is "not counted" and the count cannot be submitted.
// A variance above the shop's thresholds (units or value, strictly above) needs a recount or a
// note before the count can be approved; a recount that finds the same variance as the first count
// (two matching counts) settles it without a note.
// Pure: no I/O, no clock. Money is exact (see money.ts).
import { isFullCount, type CountKind } from "./count-kind";
import { absMoney, moneyText, moneyTimesUnits, parseMoney } from "./money";

export const VARIANCE_REASONS = ["damaged", "lost", "mis_keyed", "found", "other"] as const;

/** Why stock differs from the books: damaged, lost (or stolen), mis-keyed, found, other. */
export type VarianceReason = (typeof VARIANCE_REASONS)[number];

export function isVarianceReason(value: string): value is VarianceReason {
  return (VARIANCE_REASONS as readonly string[]).includes(value);
}

export interface VarianceThresholds {
  /** Units of variance above which a recount or a note is required. */
  units: number;
  /** Value of variance at cost above which a recount or a note is required, e.g. "50.00". */
  value: string;
}

/** The shop defaults (ShopSettings.varianceThresholdUnits / varianceThresholdValue). */
export const DEFAULT_VARIANCE_THRESHOLDS: VarianceThresholds = { units: 5, value: "50.00" };

/** What a count line holds (the CountLine row, with Decimal unit cost as a string). */
export interface CountLineFigures {
  id?: string;
  warehouseSku: string;
  bin?: string | null;
  /** Book quantity snapshotted when counting started; null until then. */
  bookQuantity: number | null;
  /** Ledger movements between the snapshot and the count in effect (the recount when there is one). */
  movementSinceSnapshot: number;
  countedQuantity: number | null;
  recountQuantity?: number | null;
  /** Ledger movements between the first count and the recount (0 when nothing moved). */
  movementBetweenCounts?: number;
  /** Shopify's unit cost as a decimal string, null when the item has none. */
  unitCost: string | null;
  reason?: string | null;
  note?: string | null;
}

export type CountedAs =
  /** Counted once. */
  | "counted"
  /** Recounted: the recount is the quantity. */
  | "recounted"
  /** Not counted in a full count: counts as 0. */
  | "uncounted_as_zero"
  /** Not counted in any other count: no variance yet, and the count cannot be submitted. */
  | "not_counted";

export type VarianceResolution =
  | "no_variance"
  | "within_threshold"
  /** The recount found the same variance as the first count. */
  | "confirmed_by_recount"
  | "explained_by_note"
  | "needs_recount_or_note"
  | "not_counted";

export interface LineVariance<L extends CountLineFigures = CountLineFigures> {
  line: L;
  countedAs: CountedAs;
  expectedQuantity: number;
  /** The quantity in effect: the recount, else the count, else 0 in a full count. */
  countedQuantity: number | null;
  units: number | null;
  /** Variance at cost as exact decimal text ("-12.50"), null without a unit cost or a count. */
  value: string | null;
  /** Above the units or the value threshold. */
  overThreshold: boolean;
  resolution: VarianceResolution;
  /** Above a threshold, with neither a matching recount nor a note. */
  needsRecountOrNote: boolean;
  /** The line stops the count from being approved: it needs a recount or a note, or it was never counted. */
  blocksApproval: boolean;
}

function wholeUnits(name: string, value: number, sku: string): number {
  if (!Number.isInteger(value)) throw new RangeError(`${name} of SKU ${sku} must be a whole number of units, got ${value}`);
  return value;
}

/**
 * Sum of the ledger movements that happened after the snapshot and at or before the count: what
 * the book moved by while the shelf was being counted (sales negative, receipts positive).
 * Entries must be of the same quantity as the book snapshot.
 */
export function movementSince(entries: Iterable<{ at: Date; delta: number }>, snapshotAt: Date, countedAt: Date): number {
  const from = snapshotAt.getTime();
  const to = countedAt.getTime();
  let sum = 0;
  for (const entry of entries) {
    const at = entry.at.getTime();
    if (at > from && at <= to) sum += entry.delta;
  }
  return sum;
}

/** Book + movements since the snapshot: what should be on the shelf when it was counted. */
export function expectedQuantity(line: Pick<CountLineFigures, "warehouseSku" | "bookQuantity" | "movementSinceSnapshot">): number {
  if (line.bookQuantity == null) throw new RangeError(`SKU ${line.warehouseSku} has no book quantity yet: counting has not started`);
  return wholeUnits("book quantity", line.bookQuantity, line.warehouseSku) + wholeUnits("movement", line.movementSinceSnapshot, line.warehouseSku);
}

/** Lines nobody has counted (no count and no recount). */
export function uncountedLines<L extends Pick<CountLineFigures, "countedQuantity" | "recountQuantity">>(lines: readonly L[]): L[] {
  return lines.filter((line) => line.countedQuantity == null && line.recountQuantity == null);
}

export interface UncountedReview<L> {
  /** Lines nobody has counted. */
  lines: L[];
  /** In a full count they count as 0 and are shown for review; elsewhere they block submission. */
  treatment: "count_as_zero" | "block_submission";
  blocksSubmission: boolean;
}

/** What the count sheet shows before submission about the lines nobody counted. */
export function reviewUncounted<L extends Pick<CountLineFigures, "countedQuantity" | "recountQuantity">>(kind: CountKind, lines: readonly L[]): UncountedReview<L> {
  const uncounted = uncountedLines(lines);
  const full = isFullCount(kind);
  return { lines: uncounted, treatment: full ? "count_as_zero" : "block_submission", blocksSubmission: !full && uncounted.length > 0 };
}

export interface VarianceRules {
  kind: CountKind;
  thresholds?: VarianceThresholds;
}

/** The variance of one line, and whether it still needs a recount or a note. */
export function lineVariance<L extends CountLineFigures>(line: L, rules: VarianceRules): LineVariance<L> {
  const thresholds = rules.thresholds ?? DEFAULT_VARIANCE_THRESHOLDS;
  const sku = line.warehouseSku;
  const expected = expectedQuantity(line);
  const first = line.countedQuantity == null ? null : wholeUnits("counted quantity", line.countedQuantity, sku);
  const recount = line.recountQuantity == null ? null : wholeUnits("recount quantity", line.recountQuantity, sku);
  for (const [name, value] of [["counted quantity", first], ["recount quantity", recount]] as const) {
    if (value != null && value < 0) throw new RangeError(`${name} of SKU ${sku} cannot be negative, got ${value}`);
  }

  const countedAs: CountedAs = recount != null ? "recounted" : first != null ? "counted" : isFullCount(rules.kind) ? "uncounted_as_zero" : "not_counted";
  if (countedAs === "not_counted") {
    return { line, countedAs, expectedQuantity: expected, countedQuantity: null, units: null, value: null, overThreshold: false, resolution: "not_counted", needsRecountOrNote: false, blocksApproval: true };
  }
  const counted = recount ?? first ?? 0;
  const units = counted - expected;
  const cost = line.unitCost == null ? null : parseMoney(line.unitCost);
  const value = cost == null ? null : moneyTimesUnits(cost, units);
  const overThreshold =
    Math.abs(units) > wholeUnits("units threshold", thresholds.units, sku) || (value != null && absMoney(value) > parseMoney(thresholds.value));

  // Two matching counts: the recount, corrected for what moved between the two counts, equals the
  // first count, so both found the same variance.
  const confirmed = recount != null && first != null && recount - first === (line.movementBetweenCounts ?? 0);
  const resolution: VarianceResolution =
    units === 0
      ? "no_variance"
      : !overThreshold
        ? "within_threshold"
        : confirmed
          ? "confirmed_by_recount"
          : line.note != null && line.note.trim() !== ""
            ? "explained_by_note"
            : "needs_recount_or_note";
  return {
    line,
    countedAs,
    expectedQuantity: expected,
    countedQuantity: counted,
    units,
    value: value == null ? null : moneyText(value),
    overThreshold,
    resolution,
    needsRecountOrNote: resolution === "needs_recount_or_note",
    blocksApproval: resolution === "needs_recount_or_note",
  };
}

/** The variances of all lines of a count. */
export function countVariances<L extends CountLineFigures>(lines: readonly L[], rules: VarianceRules): LineVariance<L>[] {
  return lines.map((line) => lineVariance(line, rules));
}

/** Lines that stop a count from being approved: uncounted (outside a full count), or over a threshold with neither a matching recount nor a note. */
export function linesBlockingApproval<L extends CountLineFigures>(variances: readonly LineVariance<L>[]): LineVariance<L>[] {
  return variances.filter((variance) => variance.blocksApproval);
}
