import { describe, expect, it } from "vitest";
import { abcClasses, abcCountLines, abcSalesWindow } from "~/counts/abc-count";
import { addDays } from "~/counts/calendar";
import type { CountableSku } from "~/counts/rolling-count";

const sku = (warehouseSku: string, lastCountedOn: string | null = null): CountableSku => ({ inventoryItemId: warehouseSku, warehouseSku, lastCountedOn });
const sold = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe("ABC classes by units sold over the last 8 weeks", () => {
  it("A is the best sellers making the first 80% of units, B the next 15%, C the rest", () => {
    const skus = ["P50", "P30", "P15", "P5"].map((s) => sku(s));
    const classes = abcClasses(skus, sold({ P50: 50, P30: 30, P15: 15, P5: 5 }));
    expect(Object.fromEntries(classes)).toEqual({ P50: "A", P30: "A", P15: "B", P5: "C" });
  });

  it("a SKU that sold nothing is C", () => {
    expect(abcClasses([sku("HOT"), sku("DUST")], sold({ HOT: 10 })).get("DUST")).toBe("C");
    expect(abcClasses([sku("DUST")], sold({})).get("DUST")).toBe("C");
  });

  it("the one best seller carrying most of the sales is A, even past 80% on its own", () => {
    expect(Object.fromEntries(abcClasses([sku("VIRAL"), sku("SLOW")], sold({ VIRAL: 90, SLOW: 10 })))).toEqual({ VIRAL: "A", SLOW: "B" });
  });

  it("SKUs that sold the same share a class, whatever their names", () => {
    // 40 + 40 + 10 + 10: the two 10s start at 80% together, so both are B.
    const classes = abcClasses(["A1", "A2", "Z1", "B1"].map((s) => sku(s)), sold({ A1: 40, A2: 40, Z1: 10, B1: 10 }));
    expect(classes.get("Z1")).toBe("B");
    expect(classes.get("B1")).toBe("B");
  });

  it("the shares are configurable", () => {
    const skus = ["P50", "P30", "P15", "P5"].map((s) => sku(s));
    const classes = abcClasses(skus, sold({ P50: 50, P30: 30, P15: 15, P5: 5 }), { aPercent: 50, bPercent: 90 });
    expect(Object.fromEntries(classes)).toEqual({ P50: "A", P30: "B", P15: "B", P5: "C" });
  });

  it("refuses shares out of order", () => {
    expect(() => abcClasses([], sold({}), { aPercent: 95, bPercent: 80 })).toThrow(/0 < A < B <= 100/);
  });

  it("returns and cancellations that leave a SKU at or below 0 count as no sales", () => {
    expect(abcClasses([sku("R"), sku("S")], sold({ R: -3, S: 1 })).get("R")).toBe("C");
  });

  it("the sales window is the 8 weeks up to now", () => {
    const now = new Date("2025-03-14T12:00:00Z");
    expect(abcSalesWindow(now)).toEqual({ from: new Date("2025-01-17T12:00:00Z"), to: now });
  });
});

describe("ABC counts: each class at its own cadence", () => {
  const skus = [sku("A-HOT", "2025-03-01"), sku("B-MID", "2025-03-01"), sku("C-SLOW", "2025-03-01")];
  const sales = sold({ "A-HOT": 800, "B-MID": 150, "C-SLOW": 50 });

  it("by default a SKU is due again 7 days after its last count in A, 30 in B and 90 in C", () => {
    const due = (today: string) => {
      const { byClass } = abcCountLines(skus, sales, today);
      return { A: byClass.A.dueSkus, B: byClass.B.dueSkus, C: byClass.C.dueSkus };
    };
    expect(due("2025-03-07")).toEqual({ A: 0, B: 0, C: 0 });
    expect(due("2025-03-08")).toEqual({ A: 1, B: 0, C: 0 });
    expect(due("2025-03-31")).toEqual({ A: 1, B: 1, C: 0 });
    expect(due("2025-05-30")).toEqual({ A: 1, B: 1, C: 1 });
  });

  it("a class is spread over its cadence: 60 C SKUs every 90 days is 1 a day, 14 A SKUs every 7 days is 2 a day", () => {
    const many = [
      ...Array.from({ length: 14 }, (_, i) => sku(`A${String(i).padStart(2, "0")}`, "2025-03-01")),
      ...Array.from({ length: 60 }, (_, i) => sku(`C${String(i).padStart(2, "0")}`, "2025-03-01")),
    ];
    const sales = new Map(many.filter((s) => s.warehouseSku.startsWith("A")).map((s) => [s.inventoryItemId, 100]));
    const { byClass } = abcCountLines(many, sales, "2025-03-02");
    expect(byClass.A.lines).toHaveLength(2);
    expect(byClass.B.lines).toHaveLength(0);
    expect(byClass.C.lines).toHaveLength(1);
  });

  it("every SKU is counted within its class's cadence (simulated over 120 days)", () => {
    const state = [
      ...Array.from({ length: 10 }, (_, i) => sku(`A${i}`)),
      ...Array.from({ length: 20 }, (_, i) => sku(`B${i}`)),
      ...Array.from({ length: 90 }, (_, i) => sku(`C${i}`)),
    ];
    const sales = new Map(state.map((s) => [s.inventoryItemId, s.warehouseSku.startsWith("A") ? 100 : s.warehouseSku.startsWith("B") ? 8 : 0]));
    const cadence = { A: 7, B: 30, C: 90 } as const;
    const last = new Map<string, number>();
    for (let day = 0; day < 120; day++) {
      const today = addDays("2025-01-01", day);
      const { byClass, classes } = abcCountLines(state, sales, today);
      for (const k of ["A", "B", "C"] as const) {
        for (const line of byClass[k].lines) {
          const previous = last.get(line.warehouseSku) ?? -1;
          if (previous >= 0) expect(day - previous, `${line.warehouseSku} gap`).toBeLessThanOrEqual(cadence[k]);
          line.lastCountedOn = today;
          last.set(line.warehouseSku, day);
        }
      }
      for (const s of state) {
        const k = classes.get(s.inventoryItemId)!;
        if (day >= cadence[k]) expect(day - (last.get(s.warehouseSku) ?? -Infinity), `${s.warehouseSku} on day ${day}`).toBeLessThan(cadence[k]);
      }
    }
  });

  it("the shop's cadence applies when set", () => {
    const { byClass } = abcCountLines([sku("A-HOT", "2025-03-01")], sold({ "A-HOT": 1 }), "2025-03-04", { cadenceDays: { A: 3, B: 30, C: 90 } });
    expect(byClass.A.dueSkus).toBe(1);
  });
});
