// The count plan form: what the merchant posts, and the rules it must satisfy, as an error map
// keyed by field (the page shows each message next to its field). Pure; the settings of each kind
// are checked by app/counts/plan-settings.ts.
import { COUNT_KINDS, isCountKind, type CountKind } from "../../counts/count-kind";
import { readPlanSettings, type CountPlanSettings } from "../../counts/plan-settings";

export interface CountPlanInput {
  name?: unknown;
  kind?: unknown;
  /** A warehouse id, or null / "" for every warehouse. */
  warehouseId?: unknown;
  /** The kind's settings as an object (or JSON text), see plan-settings.ts. */
  settings?: unknown;
}

export interface CountPlanValues {
  name: string;
  kind: CountKind;
  warehouseId: string | null;
  settings: CountPlanSettings;
}

export type CountPlanField = "name" | "kind" | "warehouseId" | "settings";

/** One message per field; `settings` joins every problem the kind's settings have. */
export type CountPlanErrors = Partial<Record<CountPlanField, string>>;

export type CountPlanValidation = { values: CountPlanValues; errors?: undefined } | { errors: CountPlanErrors; values?: undefined };

export const MAX_PLAN_NAME = 120;

export function validateCountPlan(input: CountPlanInput): CountPlanValidation {
  const errors: CountPlanErrors = {};
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (name === "") errors.name = "Give the plan a name";
  else if (name.length > MAX_PLAN_NAME) errors.name = `Keep the name under ${MAX_PLAN_NAME} characters`;

  const kind = typeof input.kind === "string" ? input.kind : "";
  if (!isCountKind(kind)) errors.kind = `Choose a kind of count: ${COUNT_KINDS.join(", ")}`;

  const warehouseId = typeof input.warehouseId === "string" && input.warehouseId.trim() !== "" ? input.warehouseId.trim() : null;
  if (input.warehouseId != null && typeof input.warehouseId !== "string") errors.warehouseId = "Choose a warehouse, or every warehouse";

  let settingsValue: unknown = input.settings ?? {};
  if (typeof settingsValue === "string") {
    try {
      settingsValue = JSON.parse(settingsValue);
    } catch {
      errors.settings = "The plan's settings are not readable";
    }
  }
  let settings: CountPlanSettings | undefined;
  if (isCountKind(kind) && !errors.settings) {
    const read = readPlanSettings(kind, settingsValue);
    if (read.errors) errors.settings = read.errors.join("; ");
    else settings = read.settings;
  }
  if (Object.keys(errors).length > 0 || !settings || !isCountKind(kind)) return { errors };
  return { values: { name, kind, warehouseId, settings } };
}
