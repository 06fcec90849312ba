// Count sheets as CSV: a blank sheet to print or fill in a spreadsheet, and a filled sheet (ours,
// or any file with a SKU or barcode column and a quantity column) read back into a count.
//
// Import rules:
// - the header row names the columns, in any order and any letter case: SKU ("sku", "warehouse
//   sku", 货号), barcode ("barcode", "ean", "upc", "gtin", 条码), quantity ("quantity", "qty",
//   "counted", "counted quantity", 数量, 盘点数量, 实盘数量), and optionally bin ("bin", "bin
//   location", 库位, 货位); other columns are ignored (our "Expected quantity" among them);
// - each row is matched to a count line by SKU, then by barcode (SKUs compare ignoring case and
//   surrounding spaces, as in SKU mapping); with bins, by bin too;
// - every bad row is reported with its line in the file and what is wrong, in the merchant's words;
// - several rows for one count line in different bins add up; the same SKU and bin twice is an error;
// - when any row is bad nothing is imported, unless the merchant chose to skip the bad rows;
// - the file may be UTF-8 (with or without a byte order mark), UTF-16 with one, or GB18030/GBK as
//   Excel saves CSV on a Chinese Windows (decodeCsvBytes), comma- or tab-separated.
// Pure: the caller reads the file and writes the counts.
import { csvLine, UTF8_BOM } from "../export/csv";
import { decodeCsvBytes } from "../export/csv-encoding";
import { MAX_UNITS } from "../models/settings";
import { readCsvRecords } from "./csv-records";

/** A line of the count, as the sheet sees it. */
export interface CountSheetLine {
  id: string;
  warehouseSku: string;
  barcode: string | null;
  bin: string | null;
}

export type CountSheetErrorCode =
  | "unreadable_file"
  | "missing_column"
  | "duplicate_column"
  | "too_many_fields"
  | "no_sku_or_barcode"
  | "unknown_sku"
  | "unknown_barcode"
  | "barcode_turned_into_number"
  | "sku_and_barcode_disagree"
  | "ambiguous_barcode"
  | "bin_not_on_count"
  | "bin_needed"
  | "missing_quantity"
  | "invalid_quantity"
  | "duplicate_row";

export interface CountSheetError {
  /** Line of the file, from 1 (the header is line 1). */
  fileLine: number;
  code: CountSheetErrorCode;
  /** For the merchant: "Line 7: SKU MUG-9 is not on this count". */
  message: string;
}

export interface CountSheetRow {
  fileLine: number;
  lineId: string;
  warehouseSku: string;
  /** The bin the row names, if any. */
  bin: string | null;
  quantity: number;
  matchedBy: "sku" | "barcode";
}

export interface CountSheetCount {
  lineId: string;
  /** Sum of the rows for the line. */
  quantity: number;
  fileLines: number[];
}

export interface CountSheetImport {
  /** Rows that are good. */
  rows: CountSheetRow[];
  errors: CountSheetError[];
  /** True when errors stop the import (the merchant did not choose to skip bad rows). */
  blocked: boolean;
  /** Counted quantity per count line to save: empty when blocked. */
  counts: CountSheetCount[];
}

export interface CountSheetImportOptions {
  /** Import the good rows even when some rows are bad. */
  skipInvalid?: boolean;
}

type Column = "sku" | "barcode" | "quantity" | "bin";

const COLUMN_NAMES: Record<Column, readonly string[]> = {
  sku: ["sku", "warehouse sku", "sku code", "货号", "sku编码"],
  barcode: ["barcode", "ean", "upc", "gtin", "条码", "条形码"],
  quantity: ["quantity", "qty", "counted", "counted quantity", "count", "数量", "盘点数量", "实盘数量"],
  bin: ["bin", "bin location", "库位", "货位"],
};

const HEADER = { sku: "SKU", barcode: "Barcode", product: "Product", bin: "Bin", expected: "Expected quantity", counted: "Counted quantity" };

function headerKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, " ");
}

function skuKey(text: string): string {
  return text.trim().toUpperCase();
}

function binKey(text: string | null): string {
  return text == null ? "" : text.trim().toUpperCase();
}

// Our export writes a text cell that starts like a formula with a leading apostrophe (csvField);
// reading it back takes the apostrophe off again.
function cellText(text: string | undefined): string {
  const trimmed = (text ?? "").trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

function barcodeKeys(barcode: string): string[] {
  const trimmed = barcode.trim();
  // Spreadsheets drop the leading zeros of a UPC/EAN typed as a number.
  return /^\d+$/.test(trimmed) ? [trimmed, `#${trimmed.replace(/^0+/, "")}`] : [trimmed];
}

const WHOLE = /^\+?(\d+)(?:\.0*)?$/;

function parseQuantity(text: string): { quantity: number } | { problem: string; code: CountSheetErrorCode } {
  if (text === "") return { code: "missing_quantity", problem: "the quantity is missing (enter 0 for an empty shelf, or remove the row)" };
  const match = WHOLE.exec(text);
  if (!match) {
    const negative = /^-\d/.test(text);
    return { code: "invalid_quantity", problem: `the quantity "${text}" is not ${negative ? "0 or more" : "a whole number"}; count whole units, 0 or more` };
  }
  const quantity = Number(match[1]);
  if (quantity > MAX_UNITS) return { code: "invalid_quantity", problem: `the quantity ${quantity} is more than ${MAX_UNITS} units; check the number` };
  return { quantity };
}

function fileError(fileLine: number, code: CountSheetErrorCode, message: string): CountSheetImport {
  return { rows: [], errors: [{ fileLine, code, message }], blocked: true, counts: [] };
}

/** Read a filled count sheet (its text, or the file's bytes) and match it to the count's lines. */
export function importCountSheet(file: string | Uint8Array, lines: readonly CountSheetLine[], options: CountSheetImportOptions = {}): CountSheetImport {
  const reading = readCsvRecords(typeof file === "string" ? file : decodeCsvBytes(file).text);
  const [header, ...records] = reading.records;
  if (!header || header.fields.every((field) => field.trim() === "")) {
    return fileError(1, "unreadable_file", "Line 1: the file is empty; it needs a header row (SKU or barcode, quantity) and one row per count");
  }

  const columns: Partial<Record<Column, number>> = {};
  for (const [index, name] of header.fields.entries()) {
    const key = headerKey(name.replace(/^\uFEFF/, ""));
    const column = (Object.keys(COLUMN_NAMES) as Column[]).find((candidate) => COLUMN_NAMES[candidate].includes(key));
    if (!column) continue;
    if (columns[column] !== undefined) return fileError(1, "duplicate_column", `Line 1: two columns hold the ${column === "sku" ? "SKU" : column}; keep one`);
    columns[column] = index;
  }
  if (columns.sku === undefined && columns.barcode === undefined) {
    return fileError(1, "missing_column", "Line 1: the header row needs a SKU or a barcode column");
  }
  if (columns.quantity === undefined) {
    return fileError(1, "missing_column", "Line 1: the header row needs a quantity column (quantity, qty or counted)");
  }

  const bySku = new Map<string, CountSheetLine[]>();
  const byBarcode = new Map<string, CountSheetLine[]>();
  const add = (index: Map<string, CountSheetLine[]>, key: string, line: CountSheetLine) => {
    const list = index.get(key);
    if (!list) index.set(key, [line]);
    else if (!list.includes(line)) list.push(line);
  };
  for (const line of lines) {
    add(bySku, skuKey(line.warehouseSku), line);
    if (line.barcode && line.barcode.trim() !== "") for (const key of barcodeKeys(line.barcode)) add(byBarcode, key, line);
  }
  const findBarcode = (barcode: string): CountSheetLine[] => {
    const [exact, withoutZeros] = barcodeKeys(barcode);
    return byBarcode.get(exact!) ?? (withoutZeros ? byBarcode.get(withoutZeros) : undefined) ?? [];
  };

  const rows: CountSheetRow[] = [];
  const errors: CountSheetError[] = [];
  const seen = new Map<string, number>();
  const fail = (fileLine: number, code: CountSheetErrorCode, problem: string) => errors.push({ fileLine, code, message: `Line ${fileLine}: ${problem}` });

  if (reading.error) errors.push({ fileLine: reading.error.line, code: "unreadable_file", message: reading.error.message });

  for (const record of records) {
    const fileLine = record.line;
    if (record.fields.every((field) => field.trim() === "")) continue;
    const extra = record.fields.slice(header.fields.length);
    if (extra.some((field) => field.trim() !== "")) {
      fail(fileLine, "too_many_fields", `the row has ${record.fields.length} fields but the header has ${header.fields.length}; put text with commas in double quotes`);
      continue;
    }
    const sku = columns.sku === undefined ? "" : cellText(record.fields[columns.sku]);
    const barcode = columns.barcode === undefined ? "" : cellText(record.fields[columns.barcode]);
    const binText = columns.bin === undefined ? "" : cellText(record.fields[columns.bin]);
    const bin = binText === "" ? null : binText;
    const quantity = parseQuantity(cellText(record.fields[columns.quantity]));
    let problems = 0;
    if ("problem" in quantity) {
      fail(fileLine, quantity.code, quantity.problem);
      problems += 1;
    }

    // Which count lines the row is about: by SKU, then by barcode.
    let candidates: CountSheetLine[] = [];
    let matchedBy: "sku" | "barcode" = "sku";
    const skuLines = sku === "" ? [] : (bySku.get(skuKey(sku)) ?? []);
    const barcodeLines = barcode === "" ? [] : findBarcode(barcode);
    if (sku === "" && barcode === "") {
      fail(fileLine, "no_sku_or_barcode", "the row has neither a SKU nor a barcode");
      continue;
    } else if (skuLines.length > 0) {
      candidates = skuLines;
      if (barcodeLines.length > 0 && !barcodeLines.some((line) => skuLines.includes(line))) {
        fail(fileLine, "sku_and_barcode_disagree", `SKU ${sku} and barcode ${barcode} belong to different products on this count`);
        continue;
      }
    } else if (barcodeLines.length > 0) {
      const skus = new Set(barcodeLines.map((line) => skuKey(line.warehouseSku)));
      if (skus.size > 1) {
        const names = [...new Set(barcodeLines.map((line) => line.warehouseSku))].join(", ");
        fail(fileLine, "ambiguous_barcode", `barcode ${barcode} belongs to several SKUs on this count (${names}); give the SKU`);
        continue;
      }
      candidates = barcodeLines;
      matchedBy = "barcode";
    } else if (barcode !== "" && /^\d(\.\d+)?e\+?\d+$/i.test(barcode)) {
      fail(fileLine, "barcode_turned_into_number", `barcode "${barcode}" was turned into a number by the spreadsheet; format the barcode column as text and export again`);
      continue;
    } else if (sku !== "") {
      fail(fileLine, "unknown_sku", `SKU ${sku} is not on this count${barcode !== "" ? `, and neither is barcode ${barcode}` : ""}`);
      continue;
    } else {
      fail(fileLine, "unknown_barcode", `barcode ${barcode} is not on this count`);
      continue;
    }

    // Which line of that SKU: the row's bin, else the line without a bin, else the only line.
    const name = matchedBy === "sku" ? `SKU ${sku}` : `barcode ${barcode}`;
    const unbinned = candidates.find((line) => binKey(line.bin) === "");
    const line = bin != null ? (candidates.find((candidate) => binKey(candidate.bin) === binKey(bin)) ?? unbinned) : (unbinned ?? (candidates.length === 1 ? candidates[0] : undefined));
    if (!line) {
      const bins = candidates.map((candidate) => candidate.bin ?? "").join(", ");
      if (bin != null) fail(fileLine, "bin_not_on_count", `${name} is not on this count in bin ${bin} (only in ${bins})`);
      else fail(fileLine, "bin_needed", `${name} is counted by bin on this count; give the bin (${bins})`);
      continue;
    }

    const duplicateKey = `${line.id}\u0000${binKey(bin)}`;
    const first = seen.get(duplicateKey);
    if (first !== undefined) {
      fail(fileLine, "duplicate_row", `${name}${bin != null ? ` in bin ${bin}` : ""} is already on line ${first}; keep one row per SKU and bin`);
      continue;
    }
    seen.set(duplicateKey, fileLine);
    if (problems === 0 && "quantity" in quantity) {
      rows.push({ fileLine, lineId: line.id, warehouseSku: line.warehouseSku, bin, quantity: quantity.quantity, matchedBy });
    }
  }

  const blocked = errors.length > 0 && options.skipInvalid !== true;
  const counts = new Map<string, CountSheetCount>();
  if (!blocked) {
    for (const row of rows) {
      const count = counts.get(row.lineId);
      if (count) {
        count.quantity += row.quantity;
        count.fileLines.push(row.fileLine);
      } else counts.set(row.lineId, { lineId: row.lineId, quantity: row.quantity, fileLines: [row.fileLine] });
    }
  }
  return { rows, errors: errors.sort((a, b) => a.fileLine - b.fileLine), blocked, counts: [...counts.values()] };
}

/** A line of the blank sheet. */
export interface CountSheetExportLine {
  warehouseSku: string;
  barcode: string | null;
  productTitle: string | null;
  bin: string | null;
  /** Shown only when the count is not blind. */
  expectedQuantity?: number | null;
}

/**
 * A blank count sheet: SKU, barcode, product, bin and an empty counted quantity, in walking order
 * (by bin, lines without a bin last, then by SKU). A blind count hides the expected quantity: the
 * column is not there at all.
 */
export function blankCountSheetCsv(lines: readonly CountSheetExportLine[], options: { blind: boolean }): string {
  const sorted = [...lines].sort((a, b) => {
    if ((a.bin == null) !== (b.bin == null)) return a.bin == null ? 1 : -1;
    const byBin = binKey(a.bin) < binKey(b.bin) ? -1 : binKey(a.bin) > binKey(b.bin) ? 1 : 0;
    return byBin || (a.warehouseSku < b.warehouseSku ? -1 : a.warehouseSku > b.warehouseSku ? 1 : 0);
  });
  const header = [HEADER.sku, HEADER.barcode, HEADER.product, HEADER.bin, ...(options.blind ? [] : [HEADER.expected]), HEADER.counted];
  let csv = UTF8_BOM + csvLine(header);
  for (const line of sorted) {
    csv += csvLine([line.warehouseSku, line.barcode, line.productTitle, line.bin, ...(options.blind ? [] : [line.expectedQuantity ?? null]), null]);
  }
  return csv;
}
