// Count plans: create, change, switch off and list them. A plan says what to count and how often
// (rolling, ABC, full, campaign, exception: app/counts/plan-settings.ts); the scheduler
// (scheduler.server.ts) turns active plans into the day's count tasks.
import type { CountKind } from "../../counts/count-kind";
import { parsePlanSettings, planSettingsJson, type CountPlanSettings } from "../../counts/plan-settings";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop } from "../../db/tenant.server";
import { CountPlanNotFoundError } from "./errors";
import { validateCountPlan, type CountPlanErrors, type CountPlanInput } from "./plan-form";
import { OPEN_STATUSES } from "./count-store.server";

export interface CountPlanRow {
  id: string;
  name: string;
  kind: CountKind;
  /** null: every warehouse. */
  warehouseId: string | null;
  warehouseName: string | null;
  active: boolean;
  /** When the scheduler next looks at the plan (null: at its next run). */
  nextRunAt: Date | null;
  /** null when the stored settings no longer read (see settingsErrors). */
  settings: CountPlanSettings | null;
  settingsErrors: string[];
  /** Tasks of the plan not yet posted or cancelled. */
  openTasks: number;
  lastTaskAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type CountPlanResult = { plan: CountPlanRow; errors?: undefined } | { errors: CountPlanErrors; plan?: undefined };

export interface PlanOptions {
  db?: Database;
  /** Ask the scheduler to run now (default true), so today's task appears at once. */
  schedule?: boolean;
}

const PLAN_SELECT = { id: true, name: true, kind: true, warehouseId: true, active: true, nextRunAt: true, settings: true, createdAt: true, updatedAt: true } as const;

async function toRows(shop: string, db: Database, plans: Array<{ id: string; name: string; kind: string; warehouseId: string | null; active: boolean; nextRunAt: Date | null; settings: string; createdAt: Date; updatedAt: Date }>): Promise<CountPlanRow[]> {
  const scoped = forShop(shop, db);
  const ids = plans.map((plan) => plan.id);
  const [warehouses, open, last] = await Promise.all([
    scoped.warehouse.findMany({ where: { id: { in: [...new Set(plans.map((p) => p.warehouseId).filter((id): id is string => id != null))] } }, select: { id: true, name: true } }),
    scoped.countTask.groupBy({ by: ["planId"], where: { planId: { in: ids }, status: { in: [...OPEN_STATUSES] } }, _count: { _all: true } }),
    scoped.countTask.groupBy({ by: ["planId"], where: { planId: { in: ids } }, _max: { createdAt: true } }),
  ]);
  const nameOf = new Map(warehouses.map((w) => [w.id, w.name]));
  const openOf = new Map(open.map((row) => [row.planId, row._count._all]));
  const lastOf = new Map(last.map((row) => [row.planId, row._max.createdAt]));
  return plans.map((plan) => {
    const read = parsePlanSettings(plan.kind, plan.settings);
    return {
      id: plan.id,
      name: plan.name,
      kind: plan.kind as CountKind,
      warehouseId: plan.warehouseId,
      warehouseName: plan.warehouseId ? (nameOf.get(plan.warehouseId) ?? null) : null,
      active: plan.active,
      nextRunAt: plan.nextRunAt,
      settings: read.settings ?? null,
      settingsErrors: read.errors ?? [],
      openTasks: openOf.get(plan.id) ?? 0,
      lastTaskAt: lastOf.get(plan.id) ?? null,
      createdAt: plan.createdAt,
      updatedAt: plan.updatedAt,
    };
  });
}

async function checkWarehouse(shop: string, db: Database, warehouseId: string | null): Promise<CountPlanErrors> {
  if (warehouseId == null) return {};
  const found = await forShop(shop, db).warehouse.findFirst({ where: { id: warehouseId }, select: { id: true } });
  return found ? {} : { warehouseId: "That warehouse is not connected to this shop; choose another" };
}

async function afterChange(shop: string, options: PlanOptions) {
  if (options.schedule === false) return;
  const { requestCountScheduling } = await import("./scheduler.server");
  await requestCountScheduling(shop);
}

/** Validate and create a plan; `{ errors }` (by field) when the input is refused. */
export async function createCountPlan(shop: string, input: CountPlanInput, options: PlanOptions = {}): Promise<CountPlanResult> {
  const db = options.db ?? defaultDb;
  const checked = validateCountPlan(input);
  if (checked.errors) return { errors: checked.errors };
  const warehouseErrors = await checkWarehouse(shop, db, checked.values.warehouseId);
  if (Object.keys(warehouseErrors).length) return { errors: warehouseErrors };
  const { name, kind, warehouseId, settings } = checked.values;
  const row = await forShop(shop, db).countPlan.create({
    data: { shop, name, kind, warehouseId, settings: planSettingsJson(settings), active: true, nextRunAt: null },
    select: PLAN_SELECT,
  });
  await afterChange(shop, options);
  return { plan: (await toRows(shop, db, [row]))[0]! };
}

/** Change a plan; its next run is worked out again from the new settings. */
export async function updateCountPlan(shop: string, planId: string, input: CountPlanInput, options: PlanOptions = {}): Promise<CountPlanResult> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const existing = await scoped.countPlan.findFirst({ where: { id: planId }, select: { id: true } });
  if (!existing) throw new CountPlanNotFoundError(planId);
  const checked = validateCountPlan(input);
  if (checked.errors) return { errors: checked.errors };
  const warehouseErrors = await checkWarehouse(shop, db, checked.values.warehouseId);
  if (Object.keys(warehouseErrors).length) return { errors: warehouseErrors };
  const { name, kind, warehouseId, settings } = checked.values;
  const row = await scoped.countPlan.update({
    where: { id: planId },
    data: { name, kind, warehouseId, settings: planSettingsJson(settings), nextRunAt: null },
    select: PLAN_SELECT,
  });
  await afterChange(shop, options);
  return { plan: (await toRows(shop, db, [row]))[0]! };
}

/** Switch a plan off (no new tasks; open tasks go on) or on again. */
export async function setCountPlanActive(shop: string, planId: string, active: boolean, options: PlanOptions = {}): Promise<CountPlanRow> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const result = await scoped.countPlan.updateMany({ where: { id: planId }, data: active ? { active, nextRunAt: null } : { active } });
  if (result.count === 0) throw new CountPlanNotFoundError(planId);
  if (active) await afterChange(shop, options);
  const row = await scoped.countPlan.findFirstOrThrow({ where: { id: planId }, select: PLAN_SELECT });
  return (await toRows(shop, db, [row]))[0]!;
}

export function deactivateCountPlan(shop: string, planId: string, options: PlanOptions = {}): Promise<CountPlanRow> {
  return setCountPlanActive(shop, planId, false, options);
}

/** The shop's plans, active first, then by name. */
export async function listCountPlans(shop: string, options: { includeInactive?: boolean; kind?: CountKind; db?: Database } = {}): Promise<CountPlanRow[]> {
  const db = options.db ?? defaultDb;
  const rows = await forShop(shop, db).countPlan.findMany({
    where: { ...(options.includeInactive === false ? { active: true } : {}), ...(options.kind ? { kind: options.kind } : {}) },
    select: PLAN_SELECT,
    orderBy: [{ active: "desc" }, { name: "asc" }, { id: "asc" }],
  });
  return toRows(shop, db, rows);
}

export async function getCountPlan(shop: string, planId: string, options: { db?: Database } = {}): Promise<CountPlanRow> {
  const db = options.db ?? defaultDb;
  const row = await forShop(shop, db).countPlan.findFirst({ where: { id: planId }, select: PLAN_SELECT });
  if (!row) throw new CountPlanNotFoundError(planId);
  return (await toRows(shop, db, [row]))[0]!;
}
