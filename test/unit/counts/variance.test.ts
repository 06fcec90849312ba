import { describe, expect, it } from "vitest";
import {
  countVariances,
  expectedQuantity,
  isVarianceReason,
  lineVariance,
  linesBlockingApproval,
  movementSince,
  reviewUncounted,
  uncountedLines,
  type CountLineFigures,
} from "~/counts/variance";

const line = (figures: Partial<CountLineFigures> = {}): CountLineFigures => ({
  warehouseSku: "MUG-BLUE",
  bookQuantity: 20,
  movementSinceSnapshot: 0,
  countedQuantity: 20,
  recountQuantity: null,
  unitCost: "4.00",
  ...figures,
});
const cycle = { kind: "rolling" } as const;
const full = { kind: "full" } as const;
const at = (time: string) => new Date(`2025-03-14T${time}:00Z`);

describe("movements while counting", () => {
  const ledger = [
    { at: at("08:59"), delta: -5 }, // before the snapshot: already in the book
    { at: at("09:00"), delta: -4 }, // at the snapshot instant: in the book
    { at: at("09:30"), delta: -2 }, // a sale while counting
    { at: at("09:45"), delta: 10 }, // a receipt while counting
    { at: at("10:00"), delta: -1 }, // at the count instant: the shelf already lacked it
    { at: at("10:01"), delta: -3 }, // after the count
  ];

  it("sums what moved strictly after the snapshot and at or before the count", () => {
    expect(movementSince(ledger, at("09:00"), at("10:00"))).toBe(7);
  });

  it("is 0 when nothing moved in between", () => {
    expect(movementSince(ledger, at("10:01"), at("11:00"))).toBe(0);
    expect(movementSince([], at("09:00"), at("10:00"))).toBe(0);
  });
});

describe("variance = counted - (book + movements since the snapshot)", () => {
  it("a sale between the snapshot and the count is not a variance", () => {
    // 20 on the books at the snapshot; 2 sold and shipped while counting; 18 on the shelf.
    const result = lineVariance(line({ bookQuantity: 20, movementSinceSnapshot: -2, countedQuantity: 18 }), cycle);
    expect(result).toMatchObject({ expectedQuantity: 18, units: 0, value: "0.00", resolution: "no_variance", needsRecountOrNote: false });
  });

  it("without the movement the same sale would have looked like 2 units lost", () => {
    expect(lineVariance(line({ bookQuantity: 20, movementSinceSnapshot: 0, countedQuantity: 18 }), cycle).units).toBe(-2);
  });

  it("a receipt while counting is expected on the shelf", () => {
    expect(lineVariance(line({ bookQuantity: 20, movementSinceSnapshot: 12, countedQuantity: 32 }), cycle).units).toBe(0);
  });

  it("more on the shelf than expected is a positive variance, fewer a negative one", () => {
    expect(lineVariance(line({ countedQuantity: 23 }), cycle).units).toBe(3);
    expect(lineVariance(line({ countedQuantity: 17 }), cycle).units).toBe(-3);
  });

  it("values the variance at unit cost, exactly", () => {
    expect(lineVariance(line({ countedQuantity: 17, unitCost: "0.10" }), cycle).value).toBe("-0.30");
    expect(lineVariance(line({ countedQuantity: 23, unitCost: "19.99" }), cycle).value).toBe("59.97");
  });

  it("has no value when the item has no cost in Shopify", () => {
    expect(lineVariance(line({ countedQuantity: 17, unitCost: null }), cycle)).toMatchObject({ units: -3, value: null });
  });

  it("needs a book quantity: a line cannot be compared before counting started", () => {
    expect(() => expectedQuantity(line({ bookQuantity: null }))).toThrow(/MUG-BLUE has no book quantity/);
  });

  it("refuses fractional and negative counts", () => {
    expect(() => lineVariance(line({ countedQuantity: 1.5 }), cycle)).toThrow(/whole number/);
    expect(() => lineVariance(line({ countedQuantity: -1 }), cycle)).toThrow(/cannot be negative/);
    expect(() => lineVariance(line({ recountQuantity: -2 }), cycle)).toThrow(/cannot be negative/);
  });
});

describe("lines nobody counted", () => {
  const lines = [line({ warehouseSku: "A" }), line({ warehouseSku: "B", countedQuantity: null }), line({ warehouseSku: "C", countedQuantity: null, recountQuantity: 4 })];

  it("a line with neither a count nor a recount is uncounted", () => {
    expect(uncountedLines(lines).map((l) => l.warehouseSku)).toEqual(["B"]);
  });

  it("in a full count an uncounted line counts as 0, with its whole book as variance", () => {
    const result = lineVariance(line({ countedQuantity: null, bookQuantity: 20, movementSinceSnapshot: -2 }), full);
    expect(result).toMatchObject({ countedAs: "uncounted_as_zero", countedQuantity: 0, units: -18, value: "-72.00" });
  });

  it("in a full count uncounted lines are listed for review and do not block submission", () => {
    expect(reviewUncounted("full", lines)).toMatchObject({ treatment: "count_as_zero", blocksSubmission: false, lines: [{ warehouseSku: "B" }] });
  });

  it("in any other count an uncounted line is not counted and blocks submission", () => {
    expect(reviewUncounted("campaign", lines)).toMatchObject({ treatment: "block_submission", blocksSubmission: true, lines: [{ warehouseSku: "B" }] });
    expect(lineVariance(line({ countedQuantity: null }), cycle)).toMatchObject({ countedAs: "not_counted", units: null, value: null, resolution: "not_counted", blocksApproval: true });
  });

  it("a count with every line counted blocks nothing", () => {
    expect(reviewUncounted("rolling", [line()]).blocksSubmission).toBe(false);
  });
});

describe("thresholds: above them a recount or a note is needed", () => {
  const thresholds = { units: 5, value: "50.00" };
  const rules = { kind: "rolling", thresholds } as const;

  it("a variance of exactly the threshold is within it", () => {
    expect(lineVariance(line({ countedQuantity: 15, unitCost: "1.00" }), rules)).toMatchObject({ units: -5, overThreshold: false, resolution: "within_threshold" });
  });

  it("one unit more than the threshold needs a recount or a note", () => {
    expect(lineVariance(line({ countedQuantity: 14, unitCost: "1.00" }), rules)).toMatchObject({ units: -6, overThreshold: true, needsRecountOrNote: true });
  });

  it("a few units of an expensive item go over the value threshold", () => {
    // 2 units x 25.01 = 50.02 > 50.00
    expect(lineVariance(line({ countedQuantity: 22, unitCost: "25.01" }), rules)).toMatchObject({ units: 2, value: "50.02", overThreshold: true });
    expect(lineVariance(line({ countedQuantity: 22, unitCost: "25.00" }), rules)).toMatchObject({ value: "50.00", overThreshold: false });
  });

  it("without a unit cost only the units threshold applies", () => {
    expect(lineVariance(line({ countedQuantity: 22, unitCost: null }), { kind: "rolling", thresholds: { units: 5, value: "0" } }).overThreshold).toBe(false);
  });

  it("the shop's thresholds are configurable", () => {
    expect(lineVariance(line({ countedQuantity: 19 }), { kind: "rolling", thresholds: { units: 0, value: "1000" } }).needsRecountOrNote).toBe(true);
  });

  it("uses 5 units and 50.00 when the shop has not set thresholds", () => {
    expect(lineVariance(line({ countedQuantity: 14, unitCost: null }), cycle).overThreshold).toBe(true);
    expect(lineVariance(line({ countedQuantity: 15, unitCost: "10.00" }), cycle).overThreshold).toBe(false);
    expect(lineVariance(line({ countedQuantity: 16, unitCost: "12.51" }), cycle).overThreshold).toBe(true);
  });

  it("a note settles a variance above the threshold", () => {
    expect(lineVariance(line({ countedQuantity: 10, note: "Carton crushed by forklift", reason: "damaged" }), rules)).toMatchObject({
      resolution: "explained_by_note",
      needsRecountOrNote: false,
    });
  });

  it("a blank note does not", () => {
    expect(lineVariance(line({ countedQuantity: 10, note: "   " }), rules).needsRecountOrNote).toBe(true);
  });

  it("a reason alone does not: the reviewer asks for a note", () => {
    expect(lineVariance(line({ countedQuantity: 10, reason: "lost" }), rules).needsRecountOrNote).toBe(true);
  });
});

describe("recounts", () => {
  const rules = { kind: "rolling", thresholds: { units: 5, value: "1000" } } as const;

  it("the recount is the counted quantity", () => {
    expect(lineVariance(line({ countedQuantity: 10, recountQuantity: 19 }), rules)).toMatchObject({ countedAs: "recounted", countedQuantity: 19, units: -1, resolution: "within_threshold" });
  });

  it("two matching counts settle a variance above the threshold without a note", () => {
    expect(lineVariance(line({ countedQuantity: 10, recountQuantity: 10 }), rules)).toMatchObject({ units: -10, resolution: "confirmed_by_recount", needsRecountOrNote: false });
  });

  it("a recount that disagrees with the first count still needs a recount or a note", () => {
    expect(lineVariance(line({ countedQuantity: 10, recountQuantity: 12 }), rules)).toMatchObject({ units: -8, needsRecountOrNote: true });
  });

  it("counts match once what moved between them is taken into account", () => {
    // First count 10; 2 sold before the recount, which finds 8: the same 10 missing both times.
    const recounted = line({ countedQuantity: 10, recountQuantity: 8, movementSinceSnapshot: -2, movementBetweenCounts: -2 });
    expect(lineVariance(recounted, rules)).toMatchObject({ expectedQuantity: 18, units: -10, resolution: "confirmed_by_recount" });
    expect(lineVariance({ ...recounted, movementBetweenCounts: 0 }, rules).needsRecountOrNote).toBe(true);
  });

  it("in a full count, a recount of a line nobody counted the first time has nothing to match", () => {
    expect(lineVariance(line({ countedQuantity: null, recountQuantity: 0 }), { kind: "full", thresholds: rules.thresholds }).needsRecountOrNote).toBe(true);
  });
});

describe("lines blocking approval", () => {
  it("are those above the threshold with neither a matching recount nor a note, and uncounted ones", () => {
    const variances = countVariances(
      [
        line({ warehouseSku: "OK" }),
        line({ warehouseSku: "SMALL", countedQuantity: 19 }),
        line({ warehouseSku: "BIG", countedQuantity: 2 }),
        line({ warehouseSku: "NOTED", countedQuantity: 2, note: "Found in returns cage" }),
        line({ warehouseSku: "TWICE", countedQuantity: 2, recountQuantity: 2 }),
        line({ warehouseSku: "MISSED", countedQuantity: null }),
      ],
      { kind: "abc" },
    );
    expect(linesBlockingApproval(variances).map((v) => v.line.warehouseSku)).toEqual(["BIG", "MISSED"]);
  });
});

describe("reasons", () => {
  it("are damaged, lost, mis-keyed, found and other", () => {
    expect(["damaged", "lost", "mis_keyed", "found", "other"].every(isVarianceReason)).toBe(true);
    expect(isVarianceReason("theft")).toBe(false);
  });
});
