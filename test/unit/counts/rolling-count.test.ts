import { describe, expect, it } from "vitest";
import { addDays } from "~/counts/calendar";
import { oldestCountedFirst, rollingCountLines, type CountableSku } from "~/counts/rolling-count";

const sku = (warehouseSku: string, lastCountedOn: string | null = null): CountableSku => ({ inventoryItemId: `item-${warehouseSku}`, warehouseSku, lastCountedOn });
const skus = (count: number) => Array.from({ length: count }, (_, i) => sku(`SKU-${String(i + 1).padStart(4, "0")}`));
const START = "2025-01-01";

/** Runs the plan day by day, counting whatever it plans; returns the days each SKU was counted. */
function simulate(all: CountableSku[], settings: { everyDays: number; dailyLines: number }, days: number) {
  const state = all.map((s) => ({ ...s }));
  const countedOn = new Map<string, number[]>(state.map((s) => [s.warehouseSku, []]));
  const perDay: number[] = [];
  for (let day = 0; day < days; day++) {
    const today = addDays(START, day);
    const { lines } = rollingCountLines(state, settings, today);
    perDay.push(lines.length);
    for (const line of lines) {
      line.lastCountedOn = today;
      countedOn.get(line.warehouseSku)!.push(day);
    }
  }
  return { countedOn, perDay };
}

describe("rolling cycle count: every SKU once per N days, at most M lines a day", () => {
  for (const [count, everyDays, dailyLines] of [
    [100, 10, 10],
    [101, 10, 11],
    [7, 30, 1],
    [250, 7, 40],
    [30, 5, 30],
  ] as const) {
    it(`with M >= ceil(SKUs / N) every SKU is counted within N days, and again within every N days after (${count} SKUs, N=${everyDays}, M=${dailyLines})`, () => {
      const { countedOn, perDay } = simulate(skus(count), { everyDays, dailyLines }, everyDays * 6);
      for (const [name, days] of countedOn) {
        expect(days[0], `${name} first count`).toBeLessThan(everyDays);
        for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!, `${name} gap`).toBeLessThanOrEqual(everyDays);
        expect(everyDays * 6 - 1 - days[days.length - 1]!, `${name} last gap`).toBeLessThan(everyDays);
      }
      expect(Math.max(...perDay)).toBeLessThanOrEqual(dailyLines);
    });
  }

  it("the daily cap is a ceiling, not a target: a large cap still spreads the SKUs over the days", () => {
    const { perDay } = simulate(skus(100), { everyDays: 10, dailyLines: 500 }, 30);
    expect(new Set(perDay)).toEqual(new Set([10]));
  });

  it("says when the cap is too small, with the lines a day that would cover every SKU", () => {
    const day = rollingCountLines(skus(100), { everyDays: 30, dailyLines: 3 }, START);
    expect(day.lines).toHaveLength(3);
    expect(day.minimumDailyLines).toBe(4);
    expect(day.warning).toEqual({
      code: "daily_cap_too_small",
      minimumDailyLines: 4,
      message: "Counting all 100 SKUs every 30 days needs at least 4 lines a day; the plan allows 3, so some SKUs will wait longer",
    });
  });

  it("with a cap that is too small some SKU really does wait longer than N days", () => {
    const { countedOn } = simulate(skus(100), { everyDays: 30, dailyLines: 3 }, 60);
    expect([...countedOn.values()].some((days) => days.length === 0 || days[0]! >= 30)).toBe(true);
  });

  it("gives no warning when the cap is enough", () => {
    expect(rollingCountLines(skus(100), { everyDays: 25, dailyLines: 4 }, START).warning).toBeNull();
  });

  it("counts never-counted SKUs first, then the oldest counted, ties by SKU", () => {
    const list = [sku("D", "2025-01-05"), sku("C", null), sku("B", "2025-01-02"), sku("A", "2025-01-05"), sku("E", null)];
    expect(rollingCountLines(list, { everyDays: 2, dailyLines: 10 }, "2025-01-06").lines.map((s) => s.warehouseSku)).toEqual(["C", "E", "B"]);
    expect([...list].sort(oldestCountedFirst).map((s) => s.warehouseSku)).toEqual(["C", "E", "B", "A", "D"]);
  });

  it("the same inputs in any order plan the same lines", () => {
    const list = Array.from({ length: 40 }, (_, i) => sku(`S${i % 7}-${i}`, i % 3 === 0 ? null : addDays(START, i % 5)));
    const forward = rollingCountLines(list, { everyDays: 10, dailyLines: 6 }, "2025-01-20").lines.map((s) => s.warehouseSku);
    const backward = rollingCountLines([...list].reverse(), { everyDays: 10, dailyLines: 6 }, "2025-01-20").lines.map((s) => s.warehouseSku);
    expect(backward).toEqual(forward);
  });

  it("catches up on SKUs that are due after days without counting, up to the cap", () => {
    const list = Array.from({ length: 20 }, (_, i) => sku(`S${i}`, i < 8 ? "2025-01-01" : "2025-01-09"));
    // N = 10, quota ceil(20/10) = 2, but 8 SKUs were last counted 12 days ago.
    expect(rollingCountLines(list, { everyDays: 10, dailyLines: 50 }, "2025-01-13")).toMatchObject({ dueSkus: 8, lines: { length: 8 } });
    expect(rollingCountLines(list, { everyDays: 10, dailyLines: 5 }, "2025-01-13").lines).toHaveLength(5);
  });

  it("a SKU counted exactly N days ago is due today", () => {
    const list = [sku("A", "2025-01-01"), sku("B", "2025-01-02"), sku("C", "2025-01-03")];
    expect(rollingCountLines(list, { everyDays: 10, dailyLines: 5 }, "2025-01-11")).toMatchObject({ dueSkus: 1 });
  });

  it("does not plan a SKU that is already on an open count", () => {
    const list = [sku("A"), sku("B"), sku("C")];
    const day = rollingCountLines(list, { everyDays: 1, dailyLines: 5 }, START, { beingCounted: new Set(["item-B"]) });
    expect(day.lines.map((s) => s.warehouseSku)).toEqual(["A", "C"]);
  });

  it("refuses settings that are not whole numbers of at least 1", () => {
    expect(() => rollingCountLines(skus(3), { everyDays: 0, dailyLines: 5 }, START)).toThrow(/days between counts/);
    expect(() => rollingCountLines(skus(3), { everyDays: 7, dailyLines: 2.5 }, START)).toThrow(/lines a day/);
  });

  it("plans nothing for a warehouse without SKUs", () => {
    expect(rollingCountLines([], { everyDays: 7, dailyLines: 5 }, START)).toMatchObject({ lines: [], minimumDailyLines: 0, warning: null });
  });
});
