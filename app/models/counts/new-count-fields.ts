// The "New count" form: a count made by hand (count these SKUs now, or the whole warehouse), every
// field as text. Pure; createManualCount (count-pages.server.ts) checks and creates it.
import type { CountKind } from "../../counts/count-kind";

/** Rolling and ABC counts come from plans; by hand a merchant counts chosen SKUs or everything. */
export const MANUAL_COUNT_KINDS = ["campaign", "full", "exception"] as const satisfies readonly CountKind[];

export interface ManualCountFields {
  warehouseId: string;
  kind: string;
  /** SKUs or barcodes, one per line or separated by commas. */
  skus: string;
  dueOn: string;
  dueTime: string;
  /** "false" shows the expected quantity to the counter. */
  blind: string;
}

export type ManualCountField = keyof ManualCountFields;
