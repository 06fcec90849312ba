// Errors of the count server functions, each with a code a page can branch on and a message a
// merchant can act on. A refused lifecycle move is the pure rules' CountTaskError
// (app/counts/task-status.ts), thrown as is.
import { countLabel } from "../../counts/count-kind";

export type CountErrorCode =
  | "count_not_found"
  | "plan_not_found"
  | "line_not_found"
  | "warehouse_not_found"
  | "not_countable"
  | "unknown_sku"
  | "unknown_barcode"
  | "ambiguous_barcode"
  | "invalid_quantity"
  | "invalid_reason"
  | "count_changed"
  | "warehouse_not_linked"
  | "not_editable";

export class CountError extends Error {
  readonly code: CountErrorCode;

  constructor(code: CountErrorCode, message: string) {
    super(message);
    this.name = "CountError";
    this.code = code;
  }
}

export class CountNotFoundError extends CountError {
  constructor(readonly taskId: string) {
    super("count_not_found", `Count ${taskId} was not found in this shop; it may have been deleted.`);
    this.name = "CountNotFoundError";
  }
}

export class CountPlanNotFoundError extends CountError {
  constructor(readonly planId: string) {
    super("plan_not_found", `Count plan ${planId} was not found in this shop; it may have been deleted.`);
    this.name = "CountPlanNotFoundError";
  }
}

export class CountLineNotFoundError extends CountError {
  constructor(
    readonly taskNumber: number,
    readonly lineId: string,
  ) {
    super("line_not_found", `Line ${lineId} is not on count ${countLabel(taskNumber)}.`);
    this.name = "CountLineNotFoundError";
  }
}

/** A scanned or typed SKU or barcode that is on no line of the count. */
export class UnknownCodeError extends CountError {
  constructor(
    readonly taskNumber: number,
    /** What was scanned or typed. */
    readonly scanned: string,
    kind: "unknown_sku" | "unknown_barcode" | "ambiguous_barcode",
    detail?: string,
  ) {
    super(
      kind,
      kind === "ambiguous_barcode"
        ? `Barcode ${scanned} belongs to several SKUs on count ${countLabel(taskNumber)} (${detail ?? ""}); scan or type the SKU instead.`
        : `${/^\d+$/.test(scanned) ? "Barcode" : "SKU or barcode"} ${scanned} is not on count ${countLabel(taskNumber)}. Check the label, or count it on another count.`,
    );
    this.name = "UnknownCodeError";
  }
}

/** The count is not in a state where quantities can be recorded (not started, submitted, finished). */
export class CountNotCountableError extends CountError {
  constructor(
    readonly taskNumber: number,
    readonly status: string,
  ) {
    super(
      "not_countable",
      status === "draft" || status === "assigned"
        ? `Count ${countLabel(taskNumber)} has not been started: start it before recording quantities.`
        : `Count ${countLabel(taskNumber)} is ${status.replace("_", " ")}: quantities can only be recorded while it is being counted or recounted.`,
    );
    this.name = "CountNotCountableError";
  }
}

/** Another person or process moved the count on between reading and writing it. */
export class CountChangedError extends CountError {
  constructor(readonly taskNumber: number) {
    super("count_changed", `Count ${countLabel(taskNumber)} was changed by someone else a moment ago; reload it and try again.`);
    this.name = "CountChangedError";
  }
}

export class WarehouseNotLinkedError extends CountError {
  constructor(
    readonly taskNumber: number,
    readonly warehouseName: string,
  ) {
    super(
      "warehouse_not_linked",
      `Count ${countLabel(taskNumber)} cannot be approved: warehouse ${warehouseName} is not linked to a Shopify location, so its adjustments could not reach Shopify. Link it in Settings > Warehouses first.`,
    );
    this.name = "WarehouseNotLinkedError";
  }
}
