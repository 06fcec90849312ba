// The count scheduler: which plans run today, and what lines each new count task gets.
//
// A plan runs when it is active and its nextRunAt has come (null: at once):
// - rolling, ABC and exception plans every day; their next run is the start of the next shop day;
// - a full count on its day (or the first day after, if the scheduler missed it), then never again;
// - a campaign count at once, due at the campaign's due date, then never again; one whose due date
//   has passed is dropped.
// A plan without a warehouse runs for every warehouse. There is at most one task per plan,
// warehouse and shop day: its key (countTaskKey) is the same for every run that day, and a key the
// caller already has is never planned again, so two scheduler runs cannot make two tasks.
// A day with nothing to count makes no task. SKUs already on an open count are not planned again
// by rolling, ABC and exception plans; full and campaign counts take every SKU they cover.
// Pure: `now` and the shop's time zone are passed in.
import { abcCountLines, DEFAULT_ABC_CADENCE, DEFAULT_ABC_THRESHOLDS, type AbcCadence, type AbcClass, type AbcThresholds } from "./abc-count";
import { addDays, shopDay, startOfShopDay, type ShopDay } from "./calendar";
import { campaignCountLines, type CatalogEntry } from "./campaign-count";
import type { CountKind } from "./count-kind";
import { DEFAULT_EXCEPTION_SETTINGS, exceptionCountLines, type ExceptionReason, type StockPositionFigures } from "./exception-count";
import { fullCountLines } from "./full-count";
import type { CountPlanSettings } from "./plan-settings";
import { rollingCountLines, type CountableSku } from "./rolling-count";

export interface CountPlanToRun {
  id: string;
  /** null: the plan covers every warehouse. */
  warehouseId: string | null;
  active: boolean;
  nextRunAt: Date | null;
  settings: CountPlanSettings;
}

export interface MappedSkuAtWarehouse {
  inventoryItemId: string;
  warehouseSku: string;
  /** When the SKU was last counted at this warehouse, by any count. */
  lastCountedAt: Date | null;
}

export interface WarehouseCountInputs {
  warehouseId: string;
  /** The warehouse's mapped SKUs. */
  skus: readonly MappedSkuAtWarehouse[];
  /** Units sold over the ABC sales window (abcSalesWindow), by inventory item id. */
  unitsSold?: ReadonlyMap<string, number>;
  /** Stock positions, for exception counts. */
  positions?: readonly StockPositionFigures[];
  /** Inventory items on an open count (not yet posted or cancelled) of this warehouse. */
  beingCounted?: ReadonlySet<string>;
}

export interface ShopCountDefaults {
  abcThresholds: AbcThresholds;
  abcCadence: AbcCadence;
  driftUnits: number;
}

export interface SchedulerInput {
  now: Date;
  /** The shop's IANA time zone (ShopSettings.timeZone). */
  timeZone: string;
  plans: readonly CountPlanToRun[];
  warehouses: readonly WarehouseCountInputs[];
  catalog?: readonly CatalogEntry[];
  /** Keys of tasks already created (countTaskKey of each plan's tasks). */
  existingTaskKeys: ReadonlySet<string>;
  defaults?: Partial<ShopCountDefaults>;
}

export interface PlannedCountLine {
  inventoryItemId: string;
  warehouseSku: string;
  abcClass?: AbcClass;
  exceptionReasons?: ExceptionReason[];
  /** Why the exception was raised, one sentence per reason. */
  exceptionDetails?: string[];
}

export interface PlannedCountTask {
  key: string;
  planId: string;
  warehouseId: string;
  kind: CountKind;
  dueAt: Date;
  lines: PlannedCountLine[];
  warnings: string[];
}

export interface SkippedPlan {
  planId: string;
  warehouseId: string | null;
  reason: "already_created" | "nothing_to_count" | "unknown_warehouse" | "campaign_past_due";
  message: string;
}

export interface PlanUpdate {
  planId: string;
  nextRunAt: Date | null;
  active: boolean;
}

export interface SchedulerResult {
  tasks: PlannedCountTask[];
  skipped: SkippedPlan[];
  /** What to store on each plan that was looked at. */
  planUpdates: PlanUpdate[];
}

/** The one key of a plan's task at a warehouse on a shop day. */
export function countTaskKey(planId: string, day: ShopDay, warehouseId: string): string {
  return `${planId}:${day}:${warehouseId}`;
}

function countable(skus: readonly MappedSkuAtWarehouse[], timeZone: string): (CountableSku & MappedSkuAtWarehouse)[] {
  return skus.map((sku) => ({ ...sku, lastCountedOn: sku.lastCountedAt ? shopDay(sku.lastCountedAt, timeZone) : null }));
}

function plain(sku: { inventoryItemId: string; warehouseSku: string }): PlannedCountLine {
  return { inventoryItemId: sku.inventoryItemId, warehouseSku: sku.warehouseSku };
}

function linesFor(
  plan: CountPlanToRun,
  warehouse: WarehouseCountInputs,
  input: SchedulerInput,
  defaults: ShopCountDefaults,
  today: ShopDay,
): { lines: PlannedCountLine[]; warnings: string[] } {
  const settings = plan.settings;
  const beingCounted = warehouse.beingCounted ?? new Set<string>();
  switch (settings.kind) {
    case "rolling": {
      const day = rollingCountLines(countable(warehouse.skus, input.timeZone), settings, today, { beingCounted });
      return { lines: day.lines.map(plain), warnings: day.warning ? [day.warning.message] : [] };
    }
    case "abc": {
      const day = abcCountLines(
        countable(warehouse.skus, input.timeZone),
        warehouse.unitsSold ?? new Map(),
        today,
        { thresholds: settings.thresholds ?? defaults.abcThresholds, cadenceDays: settings.cadenceDays ?? defaults.abcCadence },
        { beingCounted },
      );
      const lines = (["A", "B", "C"] as const).flatMap((abcClass) => day.byClass[abcClass].lines.map((sku) => ({ ...plain(sku), abcClass })));
      return { lines, warnings: [] };
    }
    case "full":
      return { lines: fullCountLines(warehouse.skus).map(plain), warnings: [] };
    case "campaign": {
      const { lines, productsNotStocked } = campaignCountLines(warehouse.skus, input.catalog ?? [], settings.scope);
      const warnings = productsNotStocked.length > 0 ? [`${productsNotStocked.length} chosen product(s) have no SKU mapped at this warehouse`] : [];
      return { lines: lines.map(plain), warnings };
    }
    case "exception": {
      const lines = exceptionCountLines(warehouse.positions ?? [], { driftUnits: settings.driftUnits ?? defaults.driftUnits }, { beingCounted });
      return {
        lines: lines.map(({ position, reasons, details }) => ({ ...plain(position), exceptionReasons: reasons, exceptionDetails: details })),
        warnings: [],
      };
    }
  }
}

/** The count tasks to create today, the plans skipped and why, and each plan's next run. */
export function dueTasksForToday(input: SchedulerInput): SchedulerResult {
  const defaults: ShopCountDefaults = {
    abcThresholds: input.defaults?.abcThresholds ?? DEFAULT_ABC_THRESHOLDS,
    abcCadence: input.defaults?.abcCadence ?? DEFAULT_ABC_CADENCE,
    driftUnits: input.defaults?.driftUnits ?? DEFAULT_EXCEPTION_SETTINGS.driftUnits,
  };
  const today = shopDay(input.now, input.timeZone);
  const endOfToday = startOfShopDay(addDays(today, 1), input.timeZone);
  const warehouses = new Map(input.warehouses.map((warehouse) => [warehouse.warehouseId, warehouse]));
  const planned = new Set<string>();
  const result: SchedulerResult = { tasks: [], skipped: [], planUpdates: [] };

  for (const plan of input.plans) {
    if (!plan.active || (plan.nextRunAt != null && plan.nextRunAt > input.now)) continue;
    const settings = plan.settings;
    let dueAt = endOfToday;
    let update: PlanUpdate = { planId: plan.id, nextRunAt: endOfToday, active: true };
    if (settings.kind === "full") {
      if (today < settings.countOn) {
        result.planUpdates.push({ planId: plan.id, nextRunAt: startOfShopDay(settings.countOn, input.timeZone), active: true });
        continue;
      }
      update = { planId: plan.id, nextRunAt: null, active: false };
    } else if (settings.kind === "campaign") {
      update = { planId: plan.id, nextRunAt: null, active: false };
      if (settings.dueAt <= input.now) {
        result.skipped.push({ planId: plan.id, warehouseId: plan.warehouseId, reason: "campaign_past_due", message: "The campaign's due date has passed; no count was created" });
        result.planUpdates.push(update);
        continue;
      }
      dueAt = settings.dueAt;
    }
    result.planUpdates.push(update);

    const targets = plan.warehouseId == null ? input.warehouses.map((warehouse) => warehouse.warehouseId) : [plan.warehouseId];
    for (const warehouseId of targets) {
      const warehouse = warehouses.get(warehouseId);
      if (!warehouse) {
        result.skipped.push({ planId: plan.id, warehouseId, reason: "unknown_warehouse", message: `Warehouse ${warehouseId} is not connected` });
        continue;
      }
      const key = countTaskKey(plan.id, today, warehouseId);
      if (input.existingTaskKeys.has(key) || planned.has(key)) {
        result.skipped.push({ planId: plan.id, warehouseId, reason: "already_created", message: "Today's count for this plan already exists" });
        continue;
      }
      const { lines, warnings } = linesFor(plan, warehouse, input, defaults, today);
      if (lines.length === 0) {
        result.skipped.push({ planId: plan.id, warehouseId, reason: "nothing_to_count", message: "Nothing to count today" });
        continue;
      }
      planned.add(key);
      result.tasks.push({ key, planId: plan.id, warehouseId, kind: settings.kind, dueAt, lines, warnings });
    }
  }
  return result;
}
