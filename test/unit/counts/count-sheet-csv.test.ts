import { describe, expect, it } from "vitest";
import { csvLine } from "~/export/csv";
import { blankCountSheetCsv, importCountSheet, type CountSheetExportLine, type CountSheetLine } from "~/counts/count-sheet-csv";
import { readCsvRecords } from "~/counts/csv-records";
import { gbkBytes, utf16Bytes } from "../../helpers/gbk";

const lines: CountSheetLine[] = [
  { id: "l-blue", warehouseSku: "MUG-BLUE", barcode: "0012345678905", bin: null },
  { id: "l-red", warehouseSku: "MUG-RED", barcode: "4006381333931", bin: null },
  { id: "l-plate-a1", warehouseSku: "PLATE-1", barcode: "5901234123457", bin: "A-01" },
  { id: "l-plate-a2", warehouseSku: "PLATE-1", barcode: "5901234123457", bin: "A-02" },
];
const sheet = (...rows: string[]) => rows.join("\r\n") + "\r\n";
const counts = (text: string, options = {}) => importCountSheet(text, lines, options).counts.map((c) => [c.lineId, c.quantity]);
const errorsOf = (text: string) => importCountSheet(text, lines).errors.map((e) => [e.fileLine, e.code, e.message]);

describe("importing a count sheet", () => {
  it("matches rows by SKU, ignoring letter case and spaces", () => {
    expect(counts(sheet("SKU,Quantity", "mug-blue ,3", "MUG-RED,0"))).toEqual([["l-blue", 3], ["l-red", 0]]);
  });

  it("matches by barcode when there is no SKU, or the SKU is not on the count", () => {
    expect(counts(sheet("barcode,qty", "4006381333931,5"))).toEqual([["l-red", 5]]);
    expect(importCountSheet(sheet("sku,barcode,qty", "OLD-CODE,4006381333931,5"), lines).rows[0]).toMatchObject({ lineId: "l-red", matchedBy: "barcode" });
  });

  it("finds a barcode whose leading zeros a spreadsheet dropped", () => {
    expect(counts(sheet("Barcode,Counted", "12345678905,2"))).toEqual([["l-blue", 2]]);
  });

  it("reads header names in any case and order, with qty, counted or Chinese names, ignoring other columns", () => {
    expect(counts(sheet("Notes,COUNTED,Sku", "top shelf,4,MUG-BLUE"))).toEqual([["l-blue", 4]]);
    expect(counts(sheet("货号,实盘数量", "MUG-BLUE,6"))).toEqual([["l-blue", 6]]);
  });

  it("never takes the expected quantity for the counted one", () => {
    expect(counts(sheet("SKU,Expected quantity,Counted quantity", "MUG-BLUE,9,7"))).toEqual([["l-blue", 7]]);
  });

  it("handles a byte order mark, LF line ends and quoted fields with commas, quotes and line breaks", () => {
    const text = '\uFEFFSKU,Product,Qty\nMUG-BLUE,"Mug, ""blue""\nlarge",8\nMUG-RED,Red,1\n';
    expect(importCountSheet(text, lines)).toMatchObject({ errors: [], blocked: false, rows: [{ fileLine: 2 }, { fileLine: 4 }] });
  });

  it("matches the bin when the count is by bin, and asks for it when it is missing", () => {
    expect(counts(sheet("SKU,Bin,Qty", "PLATE-1,a-02,3", "PLATE-1,A-01,4"))).toEqual([["l-plate-a2", 3], ["l-plate-a1", 4]]);
    expect(errorsOf(sheet("SKU,Qty", "PLATE-1,3"))).toEqual([[2, "bin_needed", "Line 2: SKU PLATE-1 is counted by bin on this count; give the bin (A-01, A-02)"]]);
    expect(errorsOf(sheet("SKU,Bin,Qty", "PLATE-1,Z-99,3"))).toEqual([[2, "bin_not_on_count", "Line 2: SKU PLATE-1 is not on this count in bin Z-99 (only in A-01, A-02)"]]);
  });

  it("adds up rows of one SKU found in several bins when the count line has no bin", () => {
    expect(importCountSheet(sheet("SKU,Bin,Qty", "MUG-BLUE,B-01,3", "MUG-BLUE,B-07,2"), lines).counts).toEqual([{ lineId: "l-blue", quantity: 5, fileLines: [2, 3] }]);
  });

  it("a blank row is skipped", () => {
    expect(importCountSheet(sheet("SKU,Qty", "MUG-BLUE,1", ",", "", "MUG-RED,2"), lines)).toMatchObject({ errors: [], counts: [{ lineId: "l-blue" }, { lineId: "l-red" }] });
  });

  it("takes back the apostrophe our export puts before text that looks like a formula", () => {
    const withPlus: CountSheetLine[] = [{ id: "l-plus", warehouseSku: "+PLUS-1", barcode: null, bin: null }];
    expect(importCountSheet(sheet("SKU,Qty", "'+PLUS-1,2"), withPlus).counts).toEqual([{ lineId: "l-plus", quantity: 2, fileLines: [2] }]);
  });
});

describe("bad rows are reported by their line in the file, in the merchant's words", () => {
  it("a SKU or barcode not on the count", () => {
    expect(errorsOf(sheet("SKU,Qty", "MUG-GREEN,1"))).toEqual([[2, "unknown_sku", "Line 2: SKU MUG-GREEN is not on this count"]]);
    expect(errorsOf(sheet("SKU,Barcode,Qty", "MUG-GREEN,999,1"))).toEqual([[2, "unknown_sku", "Line 2: SKU MUG-GREEN is not on this count, and neither is barcode 999"]]);
    expect(errorsOf(sheet("Barcode,Qty", "999,1"))).toEqual([[2, "unknown_barcode", "Line 2: barcode 999 is not on this count"]]);
  });

  it("a quantity that is not a whole number of 0 or more", () => {
    expect(errorsOf(sheet("SKU,Bin,Qty", "MUG-BLUE,,2.5", "MUG-RED,,-1", "PLATE-1,A-01,lots"))).toEqual([
      [2, "invalid_quantity", 'Line 2: the quantity "2.5" is not a whole number; count whole units, 0 or more'],
      [3, "invalid_quantity", 'Line 3: the quantity "-1" is not 0 or more; count whole units, 0 or more'],
      [4, "invalid_quantity", 'Line 4: the quantity "lots" is not a whole number; count whole units, 0 or more'],
    ]);
  });

  it("accepts 7.0 and +7 as 7, as spreadsheets write them", () => {
    expect(counts(sheet("SKU,Qty", "MUG-BLUE,7.0", "MUG-RED,+7"))).toEqual([["l-blue", 7], ["l-red", 7]]);
  });

  it("refuses an absurd quantity", () => {
    expect(errorsOf(sheet("SKU,Qty", "MUG-BLUE,99999999"))[0]![1]).toBe("invalid_quantity");
  });

  it("a missing quantity", () => {
    expect(errorsOf(sheet("SKU,Qty", "MUG-BLUE,"))).toEqual([[2, "missing_quantity", "Line 2: the quantity is missing (enter 0 for an empty shelf, or remove the row)"]]);
  });

  it("the same SKU and bin twice, naming the first line", () => {
    expect(errorsOf(sheet("SKU,Bin,Qty", "PLATE-1,A-01,1", "MUG-BLUE,,1", "plate-1,a-01,2"))).toEqual([
      [4, "duplicate_row", "Line 4: SKU plate-1 in bin a-01 is already on line 2; keep one row per SKU and bin"],
    ]);
  });

  it("a SKU and a barcode of different products", () => {
    expect(errorsOf(sheet("SKU,Barcode,Qty", "MUG-BLUE,4006381333931,1"))[0]![1]).toBe("sku_and_barcode_disagree");
  });

  it("a row with two problems reports both", () => {
    expect(errorsOf(sheet("SKU,Qty", "MUG-GREEN,-2")).map((e) => e[1])).toEqual(["invalid_quantity", "unknown_sku"]);
  });

  it("a row with neither SKU nor barcode", () => {
    expect(errorsOf(sheet("SKU,Barcode,Qty", ",,4"))).toEqual([[2, "no_sku_or_barcode", "Line 2: the row has neither a SKU nor a barcode"]]);
  });

  it("a barcode a spreadsheet turned into a number", () => {
    expect(errorsOf(sheet("Barcode,Qty", "4.00638E+12,1"))[0]![1]).toBe("barcode_turned_into_number");
  });

  it("a row with more fields than the header (an unquoted comma)", () => {
    expect(errorsOf(sheet("SKU,Product,Qty", "MUG-BLUE,Mug, blue,3"))[0]).toEqual([
      2,
      "too_many_fields",
      "Line 2: the row has 4 fields but the header has 3; put text with commas in double quotes",
    ]);
  });

  it("counts lines of the file, not rows, when a quoted field spans lines", () => {
    expect(errorsOf(sheet("SKU,Note,Qty", 'MUG-BLUE,"two\nlines",1', "NOPE,,1")).map((e) => e[0])).toEqual([4]);
  });

  it("a header without a SKU or barcode column, or without a quantity column", () => {
    expect(errorsOf(sheet("Product,Qty", "Mug,1"))).toEqual([[1, "missing_column", "Line 1: the header row needs a SKU or a barcode column"]]);
    expect(errorsOf(sheet("SKU,Expected quantity", "MUG-BLUE,1"))).toEqual([[1, "missing_column", "Line 1: the header row needs a quantity column (quantity, qty or counted)"]]);
    expect(errorsOf(sheet("SKU,Qty,Quantity", "MUG-BLUE,1,1"))[0]![1]).toBe("duplicate_column");
  });

  it("an empty file", () => {
    expect(errorsOf("")[0]![1]).toBe("unreadable_file");
    expect(errorsOf("\uFEFF\r\n")[0]![1]).toBe("unreadable_file");
  });

  it("a quote never closed", () => {
    expect(errorsOf(sheet("SKU,Qty", "MUG-BLUE,1", '"MUG-RED,2'))).toEqual([[3, "unreadable_file", 'Line 3: a quoted field is never closed (a " is missing)']]);
  });
});

describe("a sheet with errors imports nothing unless the merchant skips the bad rows", () => {
  const text = sheet("SKU,Qty", "MUG-BLUE,3", "MUG-GREEN,1", "MUG-RED,x");

  it("imports nothing by default, and lists every bad row", () => {
    const result = importCountSheet(text, lines);
    expect(result).toMatchObject({ blocked: true, counts: [] });
    expect(result.errors.map((e) => e.fileLine)).toEqual([3, 4]);
    expect(result.rows.map((r) => r.fileLine)).toEqual([2]);
  });

  it("imports the good rows when asked to skip the bad ones", () => {
    expect(importCountSheet(text, lines, { skipInvalid: true })).toMatchObject({ blocked: false, counts: [{ lineId: "l-blue", quantity: 3 }] });
  });

  it("a sheet without errors is never blocked", () => {
    expect(importCountSheet(sheet("SKU,Qty", "MUG-BLUE,3"), lines).blocked).toBe(false);
  });
});

describe("a sheet saved by Excel on a Chinese Windows (GBK) or as Unicode Text (UTF-16)", () => {
  // Chinese SKUs and bins, as a Chinese warehouse names them.
  const chinese: CountSheetLine[] = [
    { id: "l-cup", warehouseSku: "茶杯-蓝", barcode: "6901234567892", bin: "货架A-01" },
    { id: "l-bowl", warehouseSku: "碗-白", barcode: null, bin: null },
  ];
  const text = sheet("货号,库位,数量,备注", "茶杯-蓝,货架A-01,5,破损两只", "碗-白,,3,", "未知货号,,2,", ",,三,");

  it("SKUs, bins and other columns in Chinese are read from the GBK bytes", () => {
    const result = importCountSheet(gbkBytes(text), chinese, { skipInvalid: true });
    expect(result.rows).toEqual([
      { fileLine: 2, lineId: "l-cup", warehouseSku: "茶杯-蓝", bin: "货架A-01", quantity: 5, matchedBy: "sku" },
      { fileLine: 3, lineId: "l-bowl", warehouseSku: "碗-白", bin: null, quantity: 3, matchedBy: "sku" },
    ]);
    expect(result.counts).toEqual([
      { lineId: "l-cup", quantity: 5, fileLines: [2] },
      { lineId: "l-bowl", quantity: 3, fileLines: [3] },
    ]);
  });

  it("junk rows are still reported by their line in the file, naming the Chinese SKU", () => {
    const result = importCountSheet(gbkBytes(text), chinese);
    expect(result.blocked).toBe(true);
    expect(result.errors.map((e) => [e.fileLine, e.code, e.message])).toEqual([
      [4, "unknown_sku", "Line 4: SKU 未知货号 is not on this count"],
      [5, "invalid_quantity", 'Line 5: the quantity "三" is not a whole number; count whole units, 0 or more'],
      [5, "no_sku_or_barcode", "Line 5: the row has neither a SKU nor a barcode"],
    ]);
  });

  it("the same sheet as UTF-8 (with a byte order mark or without) and as tab-separated UTF-16 reads the same", () => {
    const expected = importCountSheet(gbkBytes(text), chinese);
    expect(importCountSheet(new TextEncoder().encode(`\uFEFF${text}`), chinese)).toEqual(expected);
    expect(importCountSheet(new TextEncoder().encode(text), chinese)).toEqual(expected);
    expect(importCountSheet(utf16Bytes(text.replace(/,/g, "\t"), "le"), chinese)).toEqual(expected);
    expect(importCountSheet(utf16Bytes(text, "be"), chinese)).toEqual(expected);
  });
});

describe("the blank count sheet", () => {
  const exportLines: CountSheetExportLine[] = [
    { warehouseSku: "MUG-BLUE", barcode: "0012345678905", productTitle: "Mug, blue", bin: null, expectedQuantity: 20 },
    { warehouseSku: "PLATE-1", barcode: "5901234123457", productTitle: "Plate 12\"", bin: "A-02", expectedQuantity: 4 },
    { warehouseSku: "PLATE-1", barcode: "5901234123457", productTitle: "Plate 12\"", bin: "A-01", expectedQuantity: 6 },
    { warehouseSku: "+PLUS-1", barcode: null, productTitle: "陶瓷马克杯", bin: null, expectedQuantity: 1 },
  ];

  it("starts with a byte order mark so Excel reads Chinese titles", () => {
    expect(blankCountSheetCsv(exportLines, { blind: true }).startsWith("\uFEFFSKU,Barcode,Product,Bin,Counted quantity\r\n")).toBe(true);
  });

  it("a blind sheet has no expected quantity at all; an open one has it", () => {
    const blind = blankCountSheetCsv(exportLines, { blind: true });
    expect(blind).not.toMatch(/Expected/);
    expect(blind).not.toMatch(/,20,|,6,/);
    expect(blankCountSheetCsv(exportLines, { blind: false })).toContain("SKU,Barcode,Product,Bin,Expected quantity,Counted quantity\r\nPLATE-1,5901234123457,\"Plate 12\"\"\",A-01,6,\r\n");
  });

  it("lists lines in walking order: by bin, lines without a bin last, then by SKU", () => {
    const records = readCsvRecords(blankCountSheetCsv(exportLines, { blind: true })).records.slice(1);
    expect(records.map((r) => `${r.fields[0]}@${r.fields[3]}`)).toEqual(["PLATE-1@A-01", "PLATE-1@A-02", "'+PLUS-1@", "MUG-BLUE@"]);
  });

  it("round-trips: export, fill in the counted column, import", () => {
    const countLines: CountSheetLine[] = [
      { id: "l-blue", warehouseSku: "MUG-BLUE", barcode: "0012345678905", bin: null },
      { id: "l-a1", warehouseSku: "PLATE-1", barcode: "5901234123457", bin: "A-01" },
      { id: "l-a2", warehouseSku: "PLATE-1", barcode: "5901234123457", bin: "A-02" },
      { id: "l-plus", warehouseSku: "+PLUS-1", barcode: null, bin: null },
    ];
    const exported = readCsvRecords(blankCountSheetCsv(exportLines, { blind: true })).records;
    const counted: Record<string, string> = { "PLATE-1@A-01": "6", "PLATE-1@A-02": "0", "'+PLUS-1@": "2", "MUG-BLUE@": "19" };
    const filled = exported.map((r, i) => csvLine(i === 0 ? r.fields : [...r.fields.slice(0, 4), counted[`${r.fields[0]}@${r.fields[3]}`]!])).join("");
    const result = importCountSheet(filled, countLines);
    expect(result.errors).toEqual([]);
    expect(Object.fromEntries(result.counts.map((c) => [c.lineId, c.quantity]))).toEqual({ "l-a1": 6, "l-a2": 0, "l-plus": 2, "l-blue": 19 });
  });
});
