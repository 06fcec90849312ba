import { describe, expect, it } from "vitest";
import { readCsvRecords } from "~/counts/csv-records";

const fields = (text: string) => readCsvRecords(text).records.map((r) => r.fields);

describe("reading CSV (RFC 4180)", () => {
  it("splits records on CRLF, LF or CR, and fields on commas", () => {
    expect(fields("a,b\r\nc,d\ne,f\rg,h")).toEqual([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]);
  });

  it("a final line break does not make an empty record", () => {
    expect(fields("a,b\r\n")).toEqual([["a", "b"]]);
  });

  it("keeps empty fields", () => {
    expect(fields(",x,\n")).toEqual([["", "x", ""]]);
  });

  it("a quoted field holds commas, doubled quotes and line breaks", () => {
    expect(fields('"Mug, blue","12"" plate","line one\r\nline two"\n')).toEqual([["Mug, blue", '12" plate', "line one\r\nline two"]]);
  });

  it("drops a UTF-8 byte order mark", () => {
    expect(fields("\uFEFFSKU,Qty\n")).toEqual([["SKU", "Qty"]]);
  });

  it("each record knows the line of the file it starts on, after multi-line fields too", () => {
    const { records } = readCsvRecords('h1,h2\n"two\nlines",x\r\nnext,y\n\nlast,z');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5, 6]);
  });

  it("a quote inside an unquoted field is kept as a character", () => {
    expect(fields('12" plate,3')).toEqual([['12" plate', "3"]]);
  });

  it("reports a quoted field left open, with the line it started on", () => {
    expect(readCsvRecords('a,b\n"open,1\n2,3')).toEqual({
      records: [{ line: 1, fields: ["a", "b"] }],
      error: { line: 2, message: 'Line 2: a quoted field is never closed (a " is missing)' },
    });
  });

  it("reads tab-separated text (Excel's Unicode Text) when the first line has tabs and no comma", () => {
    expect(fields("SKU\tQty\nMUG-BLUE\t3")).toEqual([["SKU", "Qty"], ["MUG-BLUE", "3"]]);
    expect(fields("SKU\tNote,Qty\nA\tb,1")).toEqual([["SKU\tNote", "Qty"], ["A\tb", "1"]]);
  });

  it("reads Chinese text as it is", () => {
    expect(fields("货号,数量\n杯子-蓝,3")).toEqual([["货号", "数量"], ["杯子-蓝", "3"]]);
  });
});
