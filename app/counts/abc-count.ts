// ABC counts by sales velocity: the SKUs that sell most are counted most often.
//
// Classes come from the units sold over the last 8 weeks. Sorted by units sold, the best sellers
// that together make up the first 80% of all units are class A, the next ones up to 95% are B, the
// rest and every SKU that sold nothing are C (shares configurable). A SKU is in the class where its
// sales start: the one best seller that carries 90% of sales is A. SKUs that sold the same number of
// units always share a class (the higher one), so a tie never splits on the SKU's name.
// Each class is then counted as a rolling count of its own, at its own cadence (default A every 7
// days, B every 30, C every 90): see rolling-count.ts.
// Pure: no I/O, no clock.
import { rollingCountLines, type CountableSku, type RollingCountDay, type RollingCountOptions } from "./rolling-count";
import type { ShopDay } from "./calendar";

export const ABC_CLASSES = ["A", "B", "C"] as const;

export type AbcClass = (typeof ABC_CLASSES)[number];

export interface AbcThresholds {
  /** Cumulative share of units sold that class A covers, in percent (ShopSettings.abcThresholdAPercent). */
  aPercent: number;
  /** Cumulative share that classes A and B cover together (ShopSettings.abcThresholdBPercent). */
  bPercent: number;
}

/** Days between counts of a SKU in each class. */
export type AbcCadence = Record<AbcClass, number>;

export const DEFAULT_ABC_THRESHOLDS: AbcThresholds = { aPercent: 80, bPercent: 95 };
export const DEFAULT_ABC_CADENCE: AbcCadence = { A: 7, B: 30, C: 90 };

/** Sales velocity is measured over this many weeks. */
export const ABC_SALES_WEEKS = 8;

/** The period whose units sold classify the SKUs: the 8 weeks up to now. */
export function abcSalesWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - ABC_SALES_WEEKS * 7 * 86_400_000), to: now };
}

function checkThresholds({ aPercent, bPercent }: AbcThresholds): void {
  if (!Number.isInteger(aPercent) || !Number.isInteger(bPercent) || aPercent < 1 || bPercent <= aPercent || bPercent > 100) {
    throw new RangeError(`ABC shares must be whole percents with 0 < A < B <= 100, got A ${aPercent}% and B ${bPercent}%`);
  }
}

/**
 * The ABC class of each SKU, by inventory item id. `unitsSold` holds units sold over the sales
 * window by inventory item id; a SKU missing from it sold nothing.
 */
export function abcClasses(
  skus: readonly { inventoryItemId: string; warehouseSku: string }[],
  unitsSold: ReadonlyMap<string, number>,
  thresholds: AbcThresholds = DEFAULT_ABC_THRESHOLDS,
): Map<string, AbcClass> {
  checkThresholds(thresholds);
  const classes = new Map<string, AbcClass>();
  const sellers: { id: string; units: number }[] = [];
  let total = 0;
  for (const sku of skus) {
    const units = unitsSold.get(sku.inventoryItemId) ?? 0;
    if (!Number.isInteger(units)) throw new RangeError(`units sold of SKU ${sku.warehouseSku} must be a whole number, got ${units}`);
    classes.set(sku.inventoryItemId, "C");
    if (units > 0) {
      sellers.push({ id: sku.inventoryItemId, units });
      total += units;
    }
  }
  sellers.sort((a, b) => b.units - a.units);

  // Compared in whole numbers: before / total < percent / 100.
  let before = 0;
  let index = 0;
  while (index < sellers.length) {
    const units = sellers[index]!.units;
    const klass: AbcClass = before * 100 < thresholds.aPercent * total ? "A" : before * 100 < thresholds.bPercent * total ? "B" : "C";
    while (index < sellers.length && sellers[index]!.units === units) {
      classes.set(sellers[index]!.id, klass);
      before += units;
      index += 1;
    }
  }
  return classes;
}

export interface AbcCountSettings {
  thresholds?: AbcThresholds;
  cadenceDays?: AbcCadence;
}

export interface AbcCountDay<T> {
  classes: Map<string, AbcClass>;
  /** Today's lines of each class, with the class's rolling figures. */
  byClass: Record<AbcClass, RollingCountDay<T>>;
}

/** The lines an ABC plan counts today, class by class. No daily cap: the cadence sets the pace. */
export function abcCountLines<T extends CountableSku>(
  skus: readonly T[],
  unitsSold: ReadonlyMap<string, number>,
  today: ShopDay,
  settings: AbcCountSettings = {},
  options: RollingCountOptions = {},
): AbcCountDay<T> {
  const cadence = settings.cadenceDays ?? DEFAULT_ABC_CADENCE;
  const classes = abcClasses(skus, unitsSold, settings.thresholds);
  const members: Record<AbcClass, T[]> = { A: [], B: [], C: [] };
  for (const sku of skus) members[classes.get(sku.inventoryItemId)!].push(sku);
  const day = (klass: AbcClass) =>
    rollingCountLines(members[klass], { everyDays: cadence[klass], dailyLines: Math.max(1, members[klass].length) }, today, options);
  return { classes, byClass: { A: day("A"), B: day("B"), C: day("C") } };
}
