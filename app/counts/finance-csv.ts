// The discrepancy export a finance person works from: one row per counted line, with the expected
// and counted quantities, the variance in units and at unit cost, why, who approved it and when it
// was posted. Money stays exact decimal text; dates are ISO 8601 in UTC so every spreadsheet reads
// them the same. Pure: the caller streams rows from the database (report.server.ts).
import { csvField, csvLine, UTF8_BOM } from "../export/csv";
import { countLabel } from "./count-kind";

export interface FinanceCsvRow {
  taskNumber: number;
  warehouseSku: string;
  productTitle: string | null;
  warehouseName: string;
  bin: string | null;
  /** Book + movements during the count. */
  expectedQuantity: number;
  /** The quantity in effect (the recount when there is one; 0 for a full count's uncounted line). */
  countedQuantity: number;
  varianceUnits: number;
  unitCost: string | null;
  varianceValue: string | null;
  reason: string | null;
  note: string | null;
  countedAt: Date | null;
  approvedBy: string | null;
  postedAt: Date | null;
  /** posted | not_supported | failed | pending, or null when the line needed no adjustment. */
  warehouseAdjustment: string | null;
}

export const FINANCE_CSV_COLUMNS = [
  "Count",
  "SKU",
  "Product",
  "Warehouse",
  "Bin",
  "Expected",
  "Counted",
  "Variance units",
  "Unit cost",
  "Variance value",
  "Reason",
  "Note",
  "Counted at",
  "Approved by",
  "Posted at",
  "Warehouse adjusted",
] as const;

/** The header row; a translated header (same columns, same order) may be passed in. */
export function financeCsvHeader(labels: readonly string[] = FINANCE_CSV_COLUMNS): string {
  if (labels.length !== FINANCE_CSV_COLUMNS.length) throw new RangeError(`the finance export has ${FINANCE_CSV_COLUMNS.length} columns, got ${labels.length} labels`);
  return UTF8_BOM + csvLine(labels);
}

const WAREHOUSE_WORDS: Record<string, string> = { posted: "yes", not_supported: "no (not supported by the warehouse)", failed: "no (refused)", pending: "pending" };

// A plain decimal is written as is: csvField would guard "-12.50" against formulas with an
// apostrophe, and finance needs it to stay a number. Anything else goes through csvField.
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

function moneyField(value: string | null): string {
  return value != null && PLAIN_DECIMAL.test(value) ? value : csvField(value);
}

export function financeCsvLine(row: FinanceCsvRow): string {
  const fields = [
    csvField(countLabel(row.taskNumber)),
    csvField(row.warehouseSku),
    csvField(row.productTitle),
    csvField(row.warehouseName),
    csvField(row.bin),
    csvField(row.expectedQuantity),
    csvField(row.countedQuantity),
    csvField(row.varianceUnits),
    moneyField(row.unitCost),
    moneyField(row.varianceValue),
    csvField(row.reason),
    csvField(row.note),
    csvField(row.countedAt?.toISOString() ?? null),
    csvField(row.approvedBy),
    csvField(row.postedAt?.toISOString() ?? null),
    csvField(row.warehouseAdjustment == null ? null : (WAREHOUSE_WORDS[row.warehouseAdjustment] ?? row.warehouseAdjustment)),
  ];
  return `${fields.join(",")}\r\n`;
}
