// CSV for spreadsheets (RFC 4180): fields with a comma, quote or line break are quoted and their
// quotes doubled; lines end with CRLF.

export type CsvValue = string | number | boolean | null | undefined;

// A text cell starting with one of these is run as a formula by Excel and Sheets (CSV injection);
// a leading apostrophe makes it plain text. Numbers are ours and never need it.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value == null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Excel only reads a CSV file as UTF-8 (Chinese titles) when it starts with a byte order mark. */
export const UTF8_BOM = "\uFEFF";
