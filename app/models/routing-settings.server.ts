// Reading and saving the shop's routing rules and options (ShopSettings.routingRules,
// routingAllowSplit, routingMaxShipments), as Settings > Routing edits them. The rules mean what
// app/orders/routing-rules.ts says; the routing job reads them in app/orders/candidates.server.ts.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { withUniqueRetry } from "../db/errors";
import { forShop } from "../db/tenant.server";
import { jobQueue } from "../jobs/queue.server";
import { RETRY_WAITING_JOB } from "../orders/jobs.server";
import { parseRegions } from "../orders/regions";
import { ROUTING_RULE_KINDS, type RoutingRuleKind, type RoutingSettings } from "../orders/routing-rules";

/** A rule as the form edits it: markets as the text the merchant types. */
export interface RoutingRuleForm {
  kind: RoutingRuleKind;
  warehouseId: string;
  markets: string;
}

export interface RoutingForm {
  rules: RoutingRuleForm[];
  allowSplit: boolean;
  /** Empty for no limit. */
  maxShipments: string;
}

export interface RoutingWarehouse {
  id: string;
  name: string;
  priority: number;
  regions: string[];
  countryCode: string | null;
}

export interface RoutingSettingsPage {
  form: RoutingForm;
  /** The stored rules were not a list that could be read (the routing job refuses to route meanwhile). */
  unreadable: boolean;
  /** The warehouses rules may name: those of connections not removed. */
  warehouses: RoutingWarehouse[];
}

function isKind(value: unknown): value is RoutingRuleKind {
  return typeof value === "string" && (ROUTING_RULE_KINDS as readonly string[]).includes(value);
}

/** Stored rules as form rows. Rules about warehouses removed since are left out, as routing ignores them. */
export function routingFormOf(
  stored: { routingRules: string; routingAllowSplit: boolean; routingMaxShipments: number | null },
  warehouseIds: ReadonlySet<string>,
): { form: RoutingForm; unreadable: boolean } {
  let parsed: unknown;
  let unreadable = false;
  try {
    parsed = JSON.parse(stored.routingRules);
  } catch {
    unreadable = true;
  }
  if (!Array.isArray(parsed)) {
    unreadable = true;
    parsed = [];
  }
  const rules: RoutingRuleForm[] = [];
  for (const raw of parsed as unknown[]) {
    if (!raw || typeof raw !== "object") continue;
    const { kind, warehouseId, markets } = raw as Record<string, unknown>;
    if (typeof warehouseId !== "string" || !warehouseIds.has(warehouseId)) continue;
    rules.push({
      kind: isKind(kind) ? kind : "ship_to_markets",
      warehouseId,
      markets: Array.isArray(markets) ? markets.filter((m): m is string => typeof m === "string").join(", ") : typeof markets === "string" ? markets : "",
    });
  }
  return {
    form: { rules, allowSplit: stored.routingAllowSplit, maxShipments: stored.routingMaxShipments == null ? "" : String(stored.routingMaxShipments) },
    unreadable,
  };
}

async function routingWarehouses(shop: string, db: Database): Promise<RoutingWarehouse[]> {
  const rows = await forShop(shop, db).warehouse.findMany({
    where: { connection: { status: { not: "disconnected" } } },
    select: { id: true, name: true, priority: true, regions: true, countryCode: true },
    orderBy: [{ priority: "asc" }, { name: "asc" }],
  });
  return rows.map((w) => ({ id: w.id, name: w.name, priority: w.priority, regions: parseRegions(w.regions).regions, countryCode: w.countryCode }));
}

export async function loadRoutingSettings(shop: string, db: Database = defaultDb): Promise<RoutingSettingsPage> {
  const [settings, warehouses] = await Promise.all([
    withUniqueRetry(() => forShop(shop, db).shopSettings.upsert({ where: { shop }, create: { shop }, update: {} })),
    routingWarehouses(shop, db),
  ]);
  const { form, unreadable } = routingFormOf(settings, new Set(warehouses.map((w) => w.id)));
  return { form, unreadable, warehouses };
}

/** The warehouses a rule may name (for validateRoutingRules). */
export async function routingWarehouseIds(shop: string, db: Database = defaultDb): Promise<{ id: string }[]> {
  return forShop(shop, db).warehouse.findMany({ where: { connection: { status: { not: "disconnected" } } }, select: { id: true } });
}

/**
 * Saves checked rules and options. Orders waiting in the queue are routed again at once: a new
 * rule may let a warehouse ship them.
 */
export async function saveRoutingSettings(shop: string, values: RoutingSettings, db: Database = defaultDb): Promise<RoutingSettingsPage> {
  const data = {
    routingRules: JSON.stringify(values.rules.map((r) => ({ kind: r.kind, warehouseId: r.warehouseId, markets: [...r.markets] }))),
    routingAllowSplit: values.options.allowSplit,
    routingMaxShipments: values.options.allowSplit ? (values.options.maxShipments ?? null) : null,
  };
  await withUniqueRetry(() => forShop(shop, db).shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data }));
  await jobQueue.enqueue(shop, RETRY_WAITING_JOB, {}, { dedupeKey: "retry-waiting" });
  return loadRoutingSettings(shop, db);
}
