// Reading CSV as RFC 4180 describes it, for count sheets people bring back from Excel, Numbers or a
// scanner's export: a UTF-8 byte order mark is dropped; a field in double quotes may hold commas,
// line breaks and doubled quotes; lines end with CRLF, LF or CR. Each record keeps the line of the
// file it starts on (1-based), so an error can point at the line the merchant sees in a text editor.
// Lenient where a spreadsheet is sloppy: a quote inside an unquoted field is kept as a character.
// Fields are separated by commas, or by tabs when the first line has tabs and no comma (Excel's
// "Unicode Text", UTF-16, is tab-separated). Pure.

export interface CsvRecord {
  /** The line of the file the record starts on, from 1. */
  line: number;
  fields: string[];
}

export interface CsvReading {
  records: CsvRecord[];
  /** A quoted field left open at the end of the file; the records before it are read. */
  error: { line: number; message: string } | null;
}

/** The separator of a file: a tab when its first line has tabs and no comma, else a comma. */
export function csvDelimiter(text: string): "," | "\t" {
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? "";
  return firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
}

export function readCsvRecords(text: string): CsvReading {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const delimiter = csvDelimiter(source);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false; // the current record has content (so a final line break ends it)
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
    fieldStarted = false;
  };

  while (i < source.length) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (char === "\n" || (char === "\r" && source[i + 1] !== "\n")) line += 1;
        field += char;
      }
      i += 1;
      continue;
    }
    if (char === '"' && field === "") {
      quoted = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      endField();
      fieldStarted = true;
    } else if (char === "\r" || char === "\n") {
      endRecord();
      if (char === "\r" && source[i + 1] === "\n") i += 1;
      line += 1;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
    i += 1;
  }
  if (quoted) {
    return { records, error: { line: recordLine, message: `Line ${recordLine}: a quoted field is never closed (a " is missing)` } };
  }
  if (fieldStarted || field !== "" || fields.length > 0) endRecord();
  return { records, error: null };
}
