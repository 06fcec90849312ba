// What the count task page's action answers, for the page's parts (scanner, import, review, posting)
// that each submit to it with a fetcher. Types only, and the list of intents.
import type { CountSheetErrorCode } from "../../counts/count-sheet-csv";
import type { CountProblem } from "./count-problem";
import type { CountSheetLineView } from "./counting.server";

export const TASK_INTENTS = [
  "assign",
  "start",
  "submit",
  "start_review",
  "request_recount",
  "approve",
  "cancel",
  "lookup",
  "record",
  "reason",
  "import_csv",
  "import_warehouse",
  "retry_posting",
] as const;

export type TaskIntent = (typeof TASK_INTENTS)[number];

export interface SheetImportErrorView {
  fileLine: number;
  code: CountSheetErrorCode;
  message: string;
  /** The row as it is in the file, to recognise it. */
  row: string | null;
}

export interface SheetImportView {
  imported: number;
  /** Good rows of the file. */
  goodRows: number;
  errors: SheetImportErrorView[];
  blocked: boolean;
  fileName: string;
}

export type TaskActionData =
  | { intent: TaskIntent; problem: CountProblem }
  | { intent: "lookup"; problem?: undefined; line: CountSheetLineView; matchedBy: "sku" | "barcode" }
  | { intent: "record"; problem?: undefined; line: CountSheetLineView; recorded: "count" | "recount"; quantity: number }
  | { intent: "reason"; problem?: undefined; lineId: string; reason: string | null; note: string | null }
  | { intent: "import_csv"; problem?: undefined; sheet: SheetImportView }
  | { intent: "import_warehouse"; problem?: undefined; supported: false; sheet?: undefined }
  | { intent: "import_warehouse"; problem?: undefined; supported: true; sheet: SheetImportView }
  | { intent: "submit"; problem?: undefined; uncountedAsZero: number }
  | { intent: Exclude<TaskIntent, "lookup" | "record" | "reason" | "import_csv" | "import_warehouse" | "submit">; problem?: undefined; done: true };
