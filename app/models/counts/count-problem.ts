// A refused count action as an action answers it to the page: the error's code (the page says it
// in the merchant's language, see app/components/counts/count-problem-text.ts), the English message
// as the fallback, and the details the translated message names. Pure.
import { countLabel } from "../../counts/count-kind";
import { CountTaskError } from "../../counts/task-status";
import { CountError, CountNotCountableError, UnknownCodeError, WarehouseNotLinkedError } from "./errors";

export interface CountProblem {
  code: string;
  /** The English message, shown when the code has no translation. */
  message: string;
  /** CC-1042 */
  label?: string;
  /** The count's status when it was refused. */
  status?: string;
  /** The action refused (assign, start, submit...). */
  action?: string;
  /** SKUs of the lines at fault. */
  skus?: string[];
  /** What was scanned or typed. */
  scanned?: string;
  warehouse?: string;
}

/** The problem of a refused count action, or null when the error is not one of the count errors. */
export function countProblem(error: unknown): CountProblem | null {
  if (error instanceof CountTaskError) {
    return { code: error.code, message: error.message, label: countLabel(error.taskNumber), status: error.status, action: error.action, skus: error.skus };
  }
  if (error instanceof UnknownCodeError) return { code: error.code, message: error.message, label: countLabel(error.taskNumber), scanned: error.scanned };
  if (error instanceof CountNotCountableError) return { code: error.code, message: error.message, label: countLabel(error.taskNumber), status: error.status };
  if (error instanceof WarehouseNotLinkedError) return { code: error.code, message: error.message, label: countLabel(error.taskNumber), warehouse: error.warehouseName };
  if (error instanceof CountError) {
    const taskNumber = (error as CountError & { taskNumber?: unknown }).taskNumber;
    return { code: error.code, message: error.message, ...(typeof taskNumber === "number" ? { label: countLabel(taskNumber) } : {}) };
  }
  return null;
}
