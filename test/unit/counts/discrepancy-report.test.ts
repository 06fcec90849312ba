import { describe, expect, it } from "vitest";
import { isoWeek } from "~/counts/calendar";
import { discrepancyReport, type CountTaskDue, type DiscrepancyLine, type LinesWithoutVariance } from "~/counts/discrepancy-report";

const now = new Date("2025-03-20T12:00:00Z");
const line = (figures: Partial<DiscrepancyLine> = {}): DiscrepancyLine => ({
  taskId: "t1",
  warehouseId: "wh-east",
  warehouseSku: "MUG-BLUE",
  bin: null,
  abcClass: "A",
  reason: null,
  countedAt: new Date("2025-03-12T10:00:00Z"), // Wednesday of 2025-W11
  expectedQuantity: 100,
  varianceUnits: 0,
  varianceValue: "0.00",
  ...figures,
});
const report = (lines: DiscrepancyLine[], options: Partial<Parameters<typeof discrepancyReport>[1]> = {}) => discrepancyReport(lines, { now, ...options });

describe("discrepancy report totals", () => {
  const lines = [
    line({ warehouseSku: "A", varianceUnits: 0, varianceValue: "0" }),
    line({ warehouseSku: "B", varianceUnits: 3, varianceValue: "0.30", reason: "found" }),
    line({ warehouseSku: "C", varianceUnits: -5, varianceValue: "-0.50", reason: "lost" }),
    line({ warehouseSku: "D", varianceUnits: -2, varianceValue: null, reason: "damaged" }),
  ];

  it("counts lines, lines with variance, and units over and short", () => {
    expect(report(lines).totals).toMatchObject({ linesCounted: 4, linesWithVariance: 3, unitsOver: 3, unitsShort: 7, absoluteUnits: 10, expectedUnits: 400 });
  });

  it("values the variance exactly: over, short and net", () => {
    expect(report(lines).totals).toMatchObject({ valueOver: "0.30", valueShort: "0.50", valueNet: "-0.20" });
  });

  it("net shrink is what was lost, net of what was found, in units and value", () => {
    expect(report(lines).totals).toMatchObject({ netShrinkUnits: 4, netShrinkValue: "0.20" });
  });

  it("says how many variance lines have no cost, so the value is known to be incomplete", () => {
    expect(report(lines).totals.linesWithoutCost).toBe(1);
  });

  it("line accuracy = lines without variance / lines counted", () => {
    expect(report(lines).totals.lineAccuracy).toEqual({ ratio: 0.25, percent: "25.00", meetsTarget: false });
  });

  it("unit accuracy = 1 - sum |variance| / sum expected", () => {
    expect(report(lines).totals.unitAccuracy).toEqual({ ratio: 0.975, percent: "97.50", meetsTarget: false });
  });

  it("unit accuracy stops at 0 when the variance exceeds everything expected", () => {
    expect(report([line({ expectedQuantity: 2, varianceUnits: 9 })]).totals.unitAccuracy).toMatchObject({ ratio: 0, percent: "0.00" });
  });

  it("lines expected below 0 add nothing to the expected units", () => {
    expect(report([line({ expectedQuantity: -4, varianceUnits: 4 }), line({ expectedQuantity: 100, varianceUnits: 0 })]).totals).toMatchObject({
      expectedUnits: 100,
      unitAccuracy: { percent: "96.00" },
    });
  });

  it("nothing expected and nothing found is 100%; nothing expected and something found is 0%", () => {
    expect(report([line({ expectedQuantity: 0, varianceUnits: 0 })]).totals.unitAccuracy).toMatchObject({ percent: "100.00", meetsTarget: true });
    expect(report([line({ expectedQuantity: 0, varianceUnits: 1 })]).totals.unitAccuracy).toMatchObject({ percent: "0.00", meetsTarget: false });
  });

  it("an empty report has no accuracy rather than a made-up one", () => {
    expect(report([]).totals).toMatchObject({ linesCounted: 0, lineAccuracy: null, unitAccuracy: null, valueNet: "0.00" });
    expect(report([]).trend).toEqual([]);
  });
});

describe("accuracy against the shop's target", () => {
  const withVariance = (bad: number, total: number) =>
    Array.from({ length: total }, (_, i) => line({ warehouseSku: `S${i}`, varianceUnits: i < bad ? 1 : 0, expectedQuantity: 1000 }));

  it("the default target is 99.5%, met exactly at 99.5%", () => {
    const result = report(withVariance(5, 1000));
    expect(result.targetPercent).toBe("99.50");
    expect(result.totals.lineAccuracy).toMatchObject({ percent: "99.50", meetsTarget: true });
    expect(report(withVariance(6, 1000)).totals.lineAccuracy).toMatchObject({ percent: "99.40", meetsTarget: false });
  });

  it("rounds the percent down, so it never shows the target while missing it", () => {
    // 1 - 5 / 991 = 99.4954...%
    expect(report(withVariance(5, 991)).totals.lineAccuracy).toMatchObject({ percent: "99.49", meetsTarget: false });
  });

  it("uses the shop's own target", () => {
    expect(report(withVariance(6, 1000), { targetPercent: "99.4" }).totals.lineAccuracy!.meetsTarget).toBe(true);
    expect(report([], { targetPercent: "98" }).targetPercent).toBe("98.00");
    expect(() => report([], { targetPercent: "101" })).toThrow(/accuracy target/);
  });
});

describe("filters", () => {
  const lines = [
    line({ taskId: "t1", warehouseId: "wh-east", abcClass: "A", reason: "lost", varianceUnits: -1, countedAt: new Date("2025-03-01T00:00:00Z") }),
    line({ taskId: "t2", warehouseId: "wh-west", abcClass: "B", reason: "found", varianceUnits: 2, countedAt: new Date("2025-03-10T00:00:00Z") }),
    line({ taskId: "t2", warehouseId: "wh-west", abcClass: "C", reason: null, varianceUnits: 0, countedAt: new Date("2025-03-15T00:00:00Z") }),
  ];
  const counted = (filter: Parameters<typeof discrepancyReport>[1]["filter"]) => report(lines, { filter }).totals.linesCounted;

  it("by one count", () => expect(counted({ taskId: "t2" })).toBe(2));
  it("by warehouse", () => expect(counted({ warehouseId: "wh-east" })).toBe(1));
  it("by ABC class", () => expect(counted({ abcClass: "B" })).toBe(1));
  it("by reason", () => expect(counted({ reason: "found" })).toBe(1));
  it("by period, from inclusive to exclusive", () => {
    expect(counted({ from: new Date("2025-03-10T00:00:00Z"), to: new Date("2025-03-15T00:00:00Z") })).toBe(1);
  });

  it("breaks the totals down by reason, lines without a reason apart", () => {
    const { byReason } = report(lines);
    expect(byReason.lost).toMatchObject({ linesCounted: 1, unitsShort: 1 });
    expect(byReason.found).toMatchObject({ linesCounted: 1, unitsOver: 2 });
    expect(byReason.none.linesCounted).toBe(1);
    expect(byReason.damaged.linesCounted).toBe(0);
  });
});

describe("trend by ISO week (Monday first, UTC)", () => {
  it("puts Sunday night in the week that started on Monday, and Monday 00:00 in the next", () => {
    const trend = report([
      line({ countedAt: new Date("2025-03-16T23:59:59Z"), varianceUnits: 1 }),
      line({ countedAt: new Date("2025-03-10T00:00:00Z") }),
      line({ countedAt: new Date("2025-03-17T00:00:00Z") }),
    ]).trend;
    expect(trend.map((w) => [w.week, w.monday, w.linesCounted, w.linesWithVariance])).toEqual([
      ["2025-W11", "2025-03-10", 2, 1],
      ["2025-W12", "2025-03-17", 1, 0],
    ]);
  });

  it("keeps weeks without counts, empty, between the first and the last", () => {
    const trend = report([line({ countedAt: new Date("2025-02-26T00:00:00Z") }), line({ countedAt: new Date("2025-03-12T00:00:00Z") })]).trend;
    expect(trend.map((w) => [w.week, w.linesCounted, w.lineAccuracy?.percent ?? null])).toEqual([
      ["2025-W09", 1, "100.00"],
      ["2025-W10", 0, null],
      ["2025-W11", 1, "100.00"],
    ]);
  });

  it("weeks across a year end follow ISO numbering", () => {
    const trend = report([line({ countedAt: new Date("2024-12-31T00:00:00Z") })]).trend;
    expect(trend[0]).toMatchObject({ week: "2025-W01", monday: "2024-12-30" });
  });
});

describe("worst SKUs and bins", () => {
  const lines = [
    line({ warehouseSku: "CHEAP-MANY", bin: "A-01", varianceUnits: -40, varianceValue: "-20.00" }),
    line({ warehouseSku: "DEAR-FEW", bin: "B-02", varianceUnits: -1, varianceValue: "-120.00" }),
    line({ warehouseSku: "SWING", bin: "B-02", varianceUnits: 10, varianceValue: "30.00", taskId: "t1" }),
    line({ warehouseSku: "SWING", bin: "B-02", varianceUnits: -10, varianceValue: "-30.00", taskId: "t2" }),
    line({ warehouseSku: "NOCOST", bin: null, varianceUnits: -50, varianceValue: null }),
    line({ warehouseSku: "FINE", bin: "C-03", varianceUnits: 0, varianceValue: "0.00" }),
  ];

  it("ranks SKUs by absolute value, then by absolute units, and leaves out SKUs without variance", () => {
    const worst = report(lines).worstSkus;
    expect(worst.map((w) => w.name)).toEqual(["DEAR-FEW", "SWING", "CHEAP-MANY", "NOCOST"]);
    expect(worst[1]).toEqual({ warehouseId: "wh-east", name: "SWING", lines: 2, linesWithVariance: 2, unitsNet: 0, absoluteUnits: 20, valueNet: "0.00", absoluteValue: "60.00" });
  });

  it("the same SKU at two warehouses is two entries", () => {
    const worst = report([line({ varianceUnits: 1, varianceValue: "1" }), line({ warehouseId: "wh-west", varianceUnits: 2, varianceValue: "1" })]).worstSkus;
    expect(worst.map((w) => [w.warehouseId, w.absoluteUnits])).toEqual([["wh-west", 2], ["wh-east", 1]]);
  });

  it("ranks bins the same way, leaving out lines without a bin", () => {
    expect(report(lines).worstBins.map((w) => [w.name, w.absoluteValue])).toEqual([["B-02", "180.00"], ["A-01", "20.00"]]);
  });

  it("lists at most the number asked for", () => {
    expect(report(lines, { worstLimit: 2 }).worstSkus.map((w) => w.name)).toEqual(["DEAR-FEW", "SWING"]);
    expect(report(lines, { worstLimit: 0 }).worstSkus).toEqual([]);
  });

  it("picks the same worst SKUs as sorting every SKU would (property check)", () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const many = Array.from({ length: 3_000 }, () =>
      line({ warehouseId: `wh-${rand(2)}`, warehouseSku: `S${rand(400)}`, varianceUnits: rand(7) - 3, varianceValue: rand(4) === 0 ? null : `${rand(9) - 4}.${rand(10)}` }),
    );
    const full = report(many, { worstLimit: 10_000 }).worstSkus;
    const sortedByRule = [...full].sort(
      (a, b) =>
        Number(b.absoluteValue) - Number(a.absoluteValue) || b.absoluteUnits - a.absoluteUnits || a.warehouseId.localeCompare(b.warehouseId) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    expect(full).toEqual(sortedByRule);
    expect(report(many, { worstLimit: 15 }).worstSkus).toEqual(full.slice(0, 15));
  });
});

describe("counts overdue by class", () => {
  const tasks: CountTaskDue[] = [
    { status: "assigned", dueAt: new Date("2025-03-19T00:00:00Z"), abcClass: "A", warehouseId: "wh-east" },
    { status: "in_progress", dueAt: new Date("2025-03-18T00:00:00Z"), abcClass: "A", warehouseId: "wh-west" },
    { status: "recount", dueAt: new Date("2025-03-01T00:00:00Z"), abcClass: "C" },
    { status: "draft", dueAt: new Date("2025-03-02T00:00:00Z"), abcClass: null },
    { status: "submitted", dueAt: new Date("2025-03-01T00:00:00Z"), abcClass: "B" }, // counted, waiting for review
    { status: "posted", dueAt: new Date("2025-03-01T00:00:00Z"), abcClass: "B" },
    { status: "cancelled", dueAt: new Date("2025-03-01T00:00:00Z"), abcClass: "B" },
    { status: "assigned", dueAt: new Date("2025-03-21T00:00:00Z"), abcClass: "B" }, // not due yet
    { status: "assigned", dueAt: null, abcClass: "B" },
  ];

  it("are counts due before now that nobody has finished counting", () => {
    expect(report([], { tasks }).overdueByClass).toEqual({ A: 2, B: 0, C: 1, unclassified: 1 });
  });

  it("follow the warehouse filter", () => {
    expect(report([], { tasks, filter: { warehouseId: "wh-east" } }).overdueByClass).toEqual({ A: 1, B: 0, C: 1, unclassified: 1 });
  });
});

describe("a year of counts", () => {
  it("reads the lines once: a stream that can be read only once gives the full report", () => {
    function* once() {
      yield line({ varianceUnits: 1, varianceValue: "2.00" });
      yield line({ varianceUnits: -3, varianceValue: "-6.00" });
    }
    expect(discrepancyReport(once(), { now }).totals).toMatchObject({ linesCounted: 2, valueNet: "-4.00", absoluteUnits: 4 });
  });

  it("totals 100,000 lines over 12 months and 3 warehouses exactly, to the cent", () => {
    const costCents = [10, 20, 7, 1999, 333, 123456];
    const reasons = ["damaged", "lost", "mis_keyed", "found", "other", null] as const;
    const cents = (value: number) => `${value < 0 ? "-" : ""}${Math.floor(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, "0")}`;
    const lines: DiscrepancyLine[] = [];
    let overCents = 0;
    let shortCents = 0;
    let unitsOver = 0;
    let unitsShort = 0;
    let withVariance = 0;
    let expectedUnits = 0;
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const start = Date.UTC(2024, 3, 1);
    for (let i = 0; i < 100_000; i++) {
      const c = rand(costCents.length);
      const units = rand(10) < 7 ? 0 : rand(21) - 10;
      const expected = rand(500);
      const hasCost = rand(20) !== 0;
      lines.push({
        taskId: `t${i % 700}`,
        warehouseId: `wh-${i % 3}`,
        warehouseSku: `SKU-${rand(5000)}`,
        bin: `B-${rand(200)}`,
        abcClass: (["A", "B", "C"] as const)[rand(3)]!,
        reason: units === 0 ? null : reasons[rand(reasons.length)]!,
        countedAt: new Date(start + rand(365) * 86_400_000 + rand(86_400_000)),
        expectedQuantity: expected,
        varianceUnits: units,
        varianceValue: hasCost ? cents(units * costCents[c]!) : null,
      });
      expectedUnits += expected;
      if (units !== 0) withVariance += 1;
      if (units > 0) unitsOver += units;
      if (units < 0) unitsShort -= units;
      if (hasCost && units > 0) overCents += units * costCents[c]!;
      if (hasCost && units < 0) shortCents -= units * costCents[c]!;
    }

    const result = discrepancyReport(lines, { now });
    expect(result.totals).toMatchObject({
      linesCounted: 100_000,
      linesWithVariance: withVariance,
      unitsOver,
      unitsShort,
      expectedUnits,
      valueOver: cents(overCents),
      valueShort: cents(shortCents),
      valueNet: cents(overCents - shortCents),
      netShrinkValue: cents(shortCents - overCents),
    });
    expect(result.trend.reduce((sum, week) => sum + week.linesCounted, 0)).toBe(100_000);
    expect(result.trend.length).toBeGreaterThanOrEqual(52);
    expect(Object.values(result.byReason).reduce((sum, r) => sum + r.linesCounted, 0)).toBe(100_000);
    expect(result.worstSkus).toHaveLength(10);
  });
});

describe("lines without a variance, already added up", () => {
  const lines = [
    line({ warehouseSku: "A", varianceUnits: 0, expectedQuantity: 40, reason: null }),
    line({ warehouseSku: "B", varianceUnits: 0, expectedQuantity: 10, reason: "found", countedAt: new Date("2025-03-18T09:00:00Z") }),
    line({ warehouseSku: "C", varianceUnits: 0, expectedQuantity: 7, warehouseId: "wh-west", abcClass: "B" }),
    line({ warehouseSku: "D", varianceUnits: -5, varianceValue: "-0.50", reason: "lost", bin: "A-01" }),
    line({ warehouseSku: "E", varianceUnits: 2, varianceValue: "4.00", reason: "found", countedAt: new Date("2025-03-18T09:00:00Z") }),
  ];
  // What a database's GROUP BY count, reason, class and week gives for the lines that matched.
  const added = (of: DiscrepancyLine[]) => {
    const groups = new Map<string, LinesWithoutVariance>();
    for (const l of of.filter((x) => x.varianceUnits === 0)) {
      const key = [l.taskId, l.warehouseId, l.reason, l.abcClass, isoWeek(l.countedAt).week].join("|");
      const group = groups.get(key) ?? { taskId: l.taskId, warehouseId: l.warehouseId, abcClass: l.abcClass, reason: l.reason, countedAt: l.countedAt, lines: 0, expectedQuantity: 0 };
      group.lines += 1;
      group.expectedQuantity += l.expectedQuantity;
      groups.set(key, group);
    }
    return [...groups.values()];
  };
  const varied = lines.filter((l) => l.varianceUnits !== 0);

  it("give the same totals, reasons and trend as the lines themselves", () => {
    const whole = report(lines);
    const split = report(varied, { linesWithoutVariance: added(lines) });
    expect(split.totals).toEqual(whole.totals);
    expect(split.byReason).toEqual(whole.byReason);
    expect(split.trend).toEqual(whole.trend);
    expect(split.worstSkus.map((entry) => entry.name)).toEqual(whole.worstSkus.map((entry) => entry.name));
  });

  it("follow the filters like lines do", () => {
    for (const filter of [{ warehouseId: "wh-west" }, { abcClass: "B" as const }, { reason: "found" as const }, { from: new Date("2025-03-17T00:00:00Z") }]) {
      expect(report(varied, { filter, linesWithoutVariance: added(lines) }).totals).toEqual(report(lines, { filter }).totals);
    }
  });

  it("refuse a negative count or negative expected units", () => {
    expect(() => report([], { linesWithoutVariance: [{ ...added(lines)[0]!, expectedQuantity: -1 }] })).toThrow(RangeError);
  });
});
