// The count scheduler: turns the shop's active plans into the day's count tasks, once per plan,
// warehouse and shop day, in the shop's time zone. The rules (which SKUs, how many, when) are the
// pure dueTasksForToday (app/counts/scheduler.ts); this module gathers its inputs from the database
// (mapped SKUs per warehouse, when each was last counted, what is being counted, units sold over the
// ABC window, stock positions for exceptions, campaign products from Shopify) and writes its output.
//
// Exactly once: each task carries its key (plan, shop day, warehouse) under a unique index, so two
// runs at the same time (the daily job and a merchant's "run now", or two workers) make one task;
// the loser sees the key taken and skips. Task numbers are allocated the same way (tasks.server.ts).
//
// Runs: a daily job per shop shortly after midnight shop time (a chain: each run queues the next),
// plus on demand (requestCountScheduling, also called when a plan is created or changed).
//
// Exception counts are raised by the system: without an exception plan of its own, the shop gets
// the built-in one (negative or impossible stock, reconciler drift above 5 units, units in the
// warehouse's damaged/exception bucket that changed since the SKU was last counted). A merchant's
// exception plan replaces it (its drift threshold applies); switching that plan off stops them.
import { abcClasses, abcSalesWindow, type AbcClass } from "../../counts/abc-count";
import { addDays, shopDay, startOfShopDay } from "../../counts/calendar";
import type { CampaignScope, CatalogEntry } from "../../counts/campaign-count";
import { countLabel, type CountKind } from "../../counts/count-kind";
import type { CountNote } from "../../counts/count-note";
import type { StockPositionFigures } from "../../counts/exception-count";
import { parsePlanSettings } from "../../counts/plan-settings";
import { countTaskKey, dueTasksForToday, type CountPlanToRun, type MappedSkuAtWarehouse, type SkippedPlan, type WarehouseCountInputs } from "../../counts/scheduler";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop, type ShopDatabase } from "../../db/tenant.server";
import { jobQueue } from "../../jobs/queue.server";
import { shopAdminClient } from "../../shopify/shop-client.server";
import { COLLECTION_PRODUCT_IDS, PRODUCT_IDS_BY_SEARCH, type CollectionProductIdsData, type ProductIdsBySearchData } from "../../shopify/operations";
import { findInParts, OPEN_STATUSES, shopCountSettings } from "./count-store.server";
import { insertCountTask } from "./tasks.server";

export const COUNT_SCHEDULER_JOB = "counts.schedule";
/** The built-in exception plan's id in task keys (its tasks have no plan). */
export const SYSTEM_EXCEPTION_PLAN = "system-exceptions";
/** The daily run starts this long after midnight shop time. */
const DAILY_RUN_OFFSET_MS = 5 * 60_000;

/** Product ids of a campaign chosen by tag or collection (Shopify), for the scheduler. */
export type CampaignProductLookup = (shop: string, scope: Exclude<CampaignScope, { by: "products" }>) => Promise<string[]>;

export interface SchedulerRunOptions {
  db?: Database;
  now?: Date;
  /** Only these kinds of plan (raiseExceptionCounts uses ["exception"]). */
  kinds?: readonly CountKind[];
  /** Only these plans. */
  planIds?: readonly string[];
  /** Tests and the sandbox hand in the campaign lookup; the default asks Shopify. */
  campaignProducts?: CampaignProductLookup;
}

export interface ScheduledTask {
  taskId: string;
  number: number;
  label: string;
  planId: string | null;
  warehouseId: string;
  kind: CountKind;
  lines: number;
  dueAt: Date;
  warnings: string[];
}

export interface SchedulerRun {
  /** The shop day the run planned for ("2025-06-12", shop time zone). */
  day: string;
  created: ScheduledTask[];
  skipped: SkippedPlan[];
  /** Plans whose stored settings no longer read, with why. */
  invalidPlans: { planId: string; errors: string[] }[];
}

type PlanRow = { id: string; kind: string; warehouseId: string | null; active: boolean; nextRunAt: Date | null; settings: string };

async function lastCountedAt(scoped: ShopDatabase, warehouseId: string): Promise<Map<string, Date>> {
  const rows = await scoped.countLine.groupBy({
    by: ["inventoryItemId"],
    where: { countedAt: { not: null }, task: { warehouseId, status: { not: "cancelled" } } },
    _max: { countedAt: true, recountedAt: true },
  });
  const result = new Map<string, Date>();
  for (const row of rows) {
    const counted = row._max.countedAt;
    const recounted = row._max.recountedAt;
    const last = counted && recounted ? (recounted > counted ? recounted : counted) : (counted ?? recounted);
    if (last) result.set(row.inventoryItemId, last);
  }
  return result;
}

async function beingCounted(scoped: ShopDatabase, warehouseId: string): Promise<Set<string>> {
  const rows = await scoped.countLine.findMany({
    where: { task: { warehouseId, status: { in: [...OPEN_STATUSES] } } },
    select: { inventoryItemId: true },
    distinct: ["inventoryItemId"],
  });
  return new Set(rows.map((row) => row.inventoryItemId));
}

/** Units sold (less refunds) per inventory item over the ABC window, from the orders we hold. */
async function unitsSold(scoped: ShopDatabase, now: Date): Promise<Map<string, number>> {
  const window = abcSalesWindow(now);
  const rows = await scoped.orderLine.groupBy({
    by: ["inventoryItemId"],
    where: { inventoryItemId: { not: null }, order: { createdAt: { gte: window.from, lte: window.to }, status: { not: "cancelled" } } },
    _sum: { quantity: true, refundedQuantity: true },
  });
  return new Map(rows.map((row) => [row.inventoryItemId!, Math.max(0, (row._sum.quantity ?? 0) - (row._sum.refundedQuantity ?? 0))]));
}

async function exceptionPositions(scoped: ShopDatabase, warehouseId: string, counted: Map<string, Date>): Promise<StockPositionFigures[]> {
  const positions = await scoped.inventoryPosition.findMany({
    where: { warehouseId, inventoryItemId: { not: null } },
    select: { inventoryItemId: true, warehouseSku: true, warehouseSellable: true, warehouseReserved: true, warehouseDamaged: true, lastDrift: true, lastDriftAt: true },
  });
  // Damaged units are worth a look when they changed since the SKU was last counted, not every day.
  const damaged = positions.filter((p) => p.warehouseDamaged > 0).map((p) => p.inventoryItemId!);
  const damageChanged = damaged.length
    ? await findInParts(damaged, (part) => scoped.inventoryLedgerEntry.groupBy({ by: ["inventoryItemId"], where: { warehouseId, quantityName: "warehouse_damaged", inventoryItemId: { in: part } }, _max: { occurredAt: true } }))
    : [];
  const lastDamage = new Map(damageChanged.map((row) => [row.inventoryItemId, row._max.occurredAt]));
  return positions.map((p) => {
    const item = p.inventoryItemId!;
    const last = counted.get(item) ?? null;
    const changed = lastDamage.get(item) ?? null;
    const freshDamage = p.warehouseDamaged > 0 && (last == null || changed == null || changed > last);
    return {
      inventoryItemId: item,
      warehouseSku: p.warehouseSku,
      sellable: p.warehouseSellable,
      reserved: p.warehouseReserved,
      onHand: p.warehouseSellable + p.warehouseReserved + p.warehouseDamaged,
      lastDrift: p.lastDrift,
      lastDriftAt: p.lastDriftAt,
      lastCountedAt: last,
      exceptionQuantity: freshDamage ? p.warehouseDamaged : 0,
    };
  });
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The default campaign lookup: Shopify's product search by tag, or a collection's products. */
export const shopifyCampaignProducts: CampaignProductLookup = async (shop, scope) => {
  const client = await shopAdminClient(shop);
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    if (scope.by === "tag") {
      const data: ProductIdsBySearchData = await client.request<ProductIdsBySearchData>(PRODUCT_IDS_BY_SEARCH, { first: 250, after, query: `tag:${quoted(scope.tag)}` });
      ids.push(...data.products.nodes.map((node) => node.id));
      if (!data.products.pageInfo.hasNextPage) break;
      after = data.products.pageInfo.endCursor;
    } else {
      const data: CollectionProductIdsData = await client.request<CollectionProductIdsData>(COLLECTION_PRODUCT_IDS, { id: scope.collectionId, first: 250, after });
      if (!data.collection) break;
      ids.push(...data.collection.products.nodes.map((node) => node.id));
      if (!data.collection.products.pageInfo.hasNextPage) break;
      after = data.collection.products.pageInfo.endCursor;
    }
  }
  return ids;
};

async function campaignCatalog(scoped: ShopDatabase, shop: string, scopes: CampaignScope[], lookup: CampaignProductLookup): Promise<CatalogEntry[]> {
  const entries = new Map<string, { productId: string | null; collectionIds: Set<string>; tags: Set<string> }>();
  for (const scope of scopes) {
    const productIds = scope.by === "products" ? [...scope.productIds] : await lookup(shop, scope);
    if (!productIds.length) continue;
    const items = await findInParts(productIds, (part) => scoped.catalogItem.findMany({ where: { productId: { in: part } }, select: { inventoryItemId: true, productId: true } }));
    for (const item of items) {
      let entry = entries.get(item.inventoryItemId);
      if (!entry) entries.set(item.inventoryItemId, (entry = { productId: item.productId, collectionIds: new Set(), tags: new Set() }));
      if (scope.by === "collection") entry.collectionIds.add(scope.collectionId);
      if (scope.by === "tag") entry.tags.add(scope.tag);
    }
  }
  return [...entries].map(([inventoryItemId, entry]) => ({ inventoryItemId, productId: entry.productId, collectionIds: [...entry.collectionIds], tags: [...entry.tags] }));
}

function detailsNote(planName: string | null, warnings: string[], lines: { warehouseSku: string; exceptionDetails?: string[] }[]): CountNote {
  const raised = lines.flatMap((line) => line.exceptionDetails ?? []);
  const details = [...warnings, ...raised.slice(0, 20), ...(raised.length > 20 ? [`and ${raised.length - 20} more`] : [])];
  return planName ? { key: "planned", plan: planName, lines: lines.length, details } : { key: "raised", lines: lines.length, details };
}

/**
 * One run of the scheduler for a shop: today's tasks from every active plan that is due (or from
 * the plans and kinds asked for). Safe to run again and concurrently: a task that exists is skipped.
 */
export async function runCountScheduler(shop: string, options: SchedulerRunOptions = {}): Promise<SchedulerRun> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const now = options.now ?? new Date();
  const settings = await shopCountSettings(scoped, shop);
  const day = shopDay(now, settings.timeZone);

  const planRows: PlanRow[] = await scoped.countPlan.findMany({
    where: { ...(options.planIds ? { id: { in: [...options.planIds] } } : {}), ...(options.kinds ? { kind: { in: [...options.kinds] } } : {}) },
    select: { id: true, kind: true, warehouseId: true, active: true, nextRunAt: true, settings: true },
    orderBy: [{ createdAt: "asc" }],
  });
  const names = new Map((await scoped.countPlan.findMany({ where: { id: { in: planRows.map((p) => p.id) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const invalidPlans: SchedulerRun["invalidPlans"] = [];
  const plans: CountPlanToRun[] = [];
  for (const row of planRows) {
    const read = parsePlanSettings(row.kind, row.settings);
    if (!read.settings) {
      if (row.active) invalidPlans.push({ planId: row.id, errors: read.errors });
      continue;
    }
    plans.push({ id: row.id, warehouseId: row.warehouseId, active: row.active, nextRunAt: row.nextRunAt, settings: read.settings });
  }
  // The built-in exception plan, unless the merchant has one of their own (on or off).
  const wantsExceptions = !options.planIds && (!options.kinds || options.kinds.includes("exception"));
  const hasOwnExceptionPlan = wantsExceptions && (await scoped.countPlan.count({ where: { kind: "exception" } })) > 0;
  if (wantsExceptions && !hasOwnExceptionPlan) plans.push({ id: SYSTEM_EXCEPTION_PLAN, warehouseId: null, active: true, nextRunAt: null, settings: { kind: "exception" } });

  const due = plans.filter((plan) => plan.active && (plan.nextRunAt == null || plan.nextRunAt <= now));
  const warehouses = await scoped.warehouse.findMany({ select: { id: true }, orderBy: [{ createdAt: "asc" }] });
  const wanted = new Set(due.flatMap((plan) => (plan.warehouseId ? [plan.warehouseId] : warehouses.map((w) => w.id))));
  const needsExceptions = due.some((plan) => plan.settings.kind === "exception");
  const sold = await unitsSold(scoped, now);

  const inputs: WarehouseCountInputs[] = [];
  const classes = new Map<string, Map<string, AbcClass>>();
  const keys: string[] = [];
  for (const warehouse of warehouses.filter((w) => wanted.has(w.id))) {
    const positions = await scoped.inventoryPosition.findMany({
      where: { warehouseId: warehouse.id, inventoryItemId: { not: null } },
      select: { inventoryItemId: true, warehouseSku: true },
    });
    const counted = await lastCountedAt(scoped, warehouse.id);
    const skus: MappedSkuAtWarehouse[] = positions.map((p) => ({ inventoryItemId: p.inventoryItemId!, warehouseSku: p.warehouseSku, lastCountedAt: counted.get(p.inventoryItemId!) ?? null }));
    classes.set(warehouse.id, abcClasses(skus, sold, settings.abcThresholds));
    inputs.push({
      warehouseId: warehouse.id,
      skus,
      unitsSold: sold,
      beingCounted: await beingCounted(scoped, warehouse.id),
      ...(needsExceptions ? { positions: await exceptionPositions(scoped, warehouse.id, counted) } : {}),
    });
    for (const plan of due) if (!plan.warehouseId || plan.warehouseId === warehouse.id) keys.push(countTaskKey(plan.id, day, warehouse.id));
  }
  const existing = keys.length ? await scoped.countTask.findMany({ where: { scheduleKey: { in: keys } }, select: { scheduleKey: true } }) : [];

  const scopes = due.flatMap((plan) => (plan.settings.kind === "campaign" ? [plan.settings.scope] : []));
  const catalog = scopes.length ? await campaignCatalog(scoped, shop, scopes, options.campaignProducts ?? shopifyCampaignProducts) : [];

  const result = dueTasksForToday({
    now,
    timeZone: settings.timeZone,
    plans: due,
    warehouses: inputs,
    catalog,
    existingTaskKeys: new Set(existing.map((row) => row.scheduleKey!)),
    defaults: { abcThresholds: settings.abcThresholds, abcCadence: settings.abcCadence },
  });

  const created: ScheduledTask[] = [];
  const skipped = [...result.skipped];
  for (const planned of result.tasks) {
    const system = planned.planId === SYSTEM_EXCEPTION_PLAN;
    const classOf = classes.get(planned.warehouseId);
    const inserted = await insertCountTask(
      shop,
      {
        warehouseId: planned.warehouseId,
        kind: planned.kind,
        planId: system ? null : planned.planId,
        dueAt: planned.dueAt,
        scheduleKey: planned.key,
        lines: planned.lines.map((line) => ({ inventoryItemId: line.inventoryItemId, warehouseSku: line.warehouseSku, abcClass: line.abcClass ?? classOf?.get(line.inventoryItemId) ?? null })),
        note: detailsNote(system ? null : (names.get(planned.planId) ?? null), planned.warnings, planned.lines),
      },
      { actor: "system", db, now },
    );
    if (!inserted.created) {
      skipped.push({ planId: planned.planId, warehouseId: planned.warehouseId, reason: "already_created", message: "Today's count for this plan already exists" });
      continue;
    }
    created.push({
      taskId: inserted.taskId,
      number: inserted.number,
      label: countLabel(inserted.number),
      planId: system ? null : planned.planId,
      warehouseId: planned.warehouseId,
      kind: planned.kind,
      lines: planned.lines.length,
      dueAt: planned.dueAt,
      warnings: planned.warnings,
    });
  }
  for (const update of result.planUpdates) {
    if (update.planId === SYSTEM_EXCEPTION_PLAN) continue;
    await scoped.countPlan.updateMany({ where: { id: update.planId }, data: { nextRunAt: update.nextRunAt, active: update.active } });
  }
  return { day, created, skipped, invalidPlans };
}

/** Exception counts now (after the reconciler found drift, say): the exception plans only. */
export function raiseExceptionCounts(shop: string, options: Omit<SchedulerRunOptions, "kinds" | "planIds"> = {}): Promise<SchedulerRun> {
  return runCountScheduler(shop, { ...options, kinds: ["exception"] });
}

/** When the next daily run is due: a few minutes after the next midnight, shop time. */
export function nextDailyRun(now: Date, timeZone: string): Date {
  return new Date(startOfShopDay(addDays(shopDay(now, timeZone), 1), timeZone).getTime() + DAILY_RUN_OFFSET_MS);
}

/**
 * Run the scheduler soon (on demand), and make sure the daily chain is going. Asking again while a
 * run is waiting adds nothing.
 */
export async function requestCountScheduling(shop: string, options: { db?: Database; now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  await jobQueue.enqueue(shop, COUNT_SCHEDULER_JOB, { run: "now" }, { dedupeKey: "counts:now", runAt: now });
  await scheduleDailyCountRun(shop, options);
}

/** Queue the next daily run (one at a time per shop: the dedupe key holds while it waits). */
export async function scheduleDailyCountRun(shop: string, options: { db?: Database; now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const settings = await shopCountSettings(forShop(shop, options.db ?? defaultDb), shop);
  await jobQueue.enqueue(shop, COUNT_SCHEDULER_JOB, { run: "daily" }, { dedupeKey: "counts:daily", runAt: nextDailyRun(now, settings.timeZone) });
}
