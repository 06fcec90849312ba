import { describe, expect, it } from "vitest";
import { FINANCE_CSV_COLUMNS, financeCsvHeader, financeCsvLine, type FinanceCsvRow } from "~/counts/finance-csv";

const row: FinanceCsvRow = {
  taskNumber: 1042,
  warehouseSku: "MUG-BLUE",
  productTitle: 'Mug, "blue"',
  warehouseName: "Los Angeles",
  bin: "A-01",
  expectedQuantity: 20,
  countedQuantity: 17,
  varianceUnits: -3,
  unitCost: "4.25",
  varianceValue: "-12.75",
  reason: "lost",
  note: "=HYPERLINK(\"x\")",
  countedAt: new Date("2025-06-01T10:00:00Z"),
  approvedBy: "sam@example.com",
  postedAt: new Date("2025-06-02T08:00:00Z"),
  warehouseAdjustment: "not_supported",
};

describe("finance CSV", () => {
  it("has one column per figure finance needs, with a byte order mark for Excel", () => {
    expect(financeCsvHeader()).toBe(`\uFEFF${FINANCE_CSV_COLUMNS.join(",")}\r\n`);
    expect(() => financeCsvHeader(["SKU"])).toThrow(RangeError);
  });

  it("keeps money as exact numbers a spreadsheet can add, and guards text against formulas", () => {
    expect(financeCsvLine(row)).toBe(
      'CC-1042,MUG-BLUE,"Mug, ""blue""",Los Angeles,A-01,20,17,-3,4.25,-12.75,lost,"\'=HYPERLINK(""x"")",2025-06-01T10:00:00.000Z,sam@example.com,2025-06-02T08:00:00.000Z,no (not supported by the warehouse)\r\n',
    );
  });

  it("leaves unknown cost and value empty", () => {
    expect(financeCsvLine({ ...row, unitCost: null, varianceValue: null }).split(",").slice(9, 11)).toEqual(["", ""]);
  });
});
