// The Dashboard's health overview: is the shop connected, are Shopify's events arriving, has any
// background task given up, and what is waiting for the merchant. Then, per integration (Shopify
// and each warehouse connection), how its API calls went over the last 24 hours, how fresh the
// stock is, and what is queued: webhooks, stock writes, the reconciler's last finding.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { retryDeadJob } from "../jobs/runner.server";
import { percentile, percentileIndex, successRate } from "../observability/percentiles";
import { shopTimeZone } from "./settings.server";

export const LATEST_SHOWN = 5;
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// Webhook lag is taken over the deliveries processed in the last hour; a flood beyond this many
// is measured on the latest ones.
const LAG_SAMPLE_LIMIT = 50_000;

export interface FailedTask {
  id: string;
  type: string;
  attempts: number;
  lastError: string | null;
  /** ISO time the task stopped retrying */
  stoppedAt: string | null;
}

export interface OpenAlert {
  id: string;
  kind: string;
  severity: string;
  message: string;
  createdAt: string;
}

/** One integration's API calls over the last 24 hours. */
export interface IntegrationHealth {
  /** "shopify" or the warehouse connection's id */
  id: string;
  /** The warehouse connection's name; null for Shopify. */
  name: string | null;
  calls: number;
  succeeded: number;
  /** 0..1; null without calls */
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Calls that waited for, or were refused by, the API's rate limit. */
  rateLimitWaits: number;
  rateLimitWaitMs: number;
}

/** How recently the warehouses confirmed the stock of mapped SKUs. */
export interface StockFreshness {
  mapped: number;
  withinFiveMinutes: number;
  withinOneHour: number;
  /** Confirmed more than an hour ago, or never. */
  older: number;
  never: number;
  oldestConfirmedAt: string | null;
}

export interface ReconcilerFinding {
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  itemsChecked: number;
  driftFound: number;
  healed: number;
}

export interface ShopHealth {
  timeZone: string;
  /** ISO time the figures were taken: "now" for every relative time on the page. */
  generatedAt: string;
  warehouseConnections: { total: number; needingAttention: number };
  shopifyEventsLast24h: { received: number; failed: number };
  failedTasks: { total: number; latest: FailedTask[] };
  openAlerts: { total: number; latest: OpenAlert[] };
  integrations: IntegrationHealth[];
  freshness: StockFreshness;
  webhookQueue: { waiting: number; oldestWaitingSince: string | null; processedLastHour: number; lagP95Ms: number | null };
  syncQueue: { dirty: number; oldestDirtySince: string | null };
  reconciler: ReconcilerFinding | null;
}

/** The latency at a percentile, picked by the database: ORDER BY latency, OFFSET its rank. */
async function latencyAt(scoped: ShopDatabase, integration: string, since: Date, calls: number, p: number): Promise<number | null> {
  const index = percentileIndex(calls, p);
  if (index == null) return null;
  const row = await scoped.apiCallMetric.findFirst({
    where: { integration, occurredAt: { gte: since } },
    orderBy: [{ latencyMs: "asc" }, { id: "asc" }],
    skip: index,
    select: { latencyMs: true },
  });
  return row?.latencyMs ?? null;
}

export async function loadIntegrationHealth(shop: string, now: Date = new Date(), db: Database = defaultDb): Promise<IntegrationHealth[]> {
  const scoped = forShop(shop, db);
  const since = new Date(now.getTime() - DAY_MS);
  const [connections, outcomes, waits] = await Promise.all([
    scoped.warehouseConnection.findMany({ select: { id: true, name: true }, orderBy: [{ name: "asc" }] }),
    scoped.apiCallMetric.groupBy({ by: ["integration", "outcome"], where: { occurredAt: { gte: since } }, _count: { _all: true } }),
    scoped.apiCallMetric.groupBy({
      by: ["integration"],
      where: { occurredAt: { gte: since }, OR: [{ throttleWaitMs: { gt: 0 } }, { outcome: "throttled" }] },
      _count: { _all: true },
      _sum: { throttleWaitMs: true },
    }),
  ]);
  const integrations = [{ id: "shopify", name: null as string | null }, ...connections.map((c) => ({ id: c.id, name: c.name as string | null }))];
  return Promise.all(
    integrations.map(async ({ id, name }) => {
      const mine = outcomes.filter((o) => o.integration === id);
      const calls = mine.reduce((sum, o) => sum + o._count._all, 0);
      const succeeded = mine.find((o) => o.outcome === "ok")?._count._all ?? 0;
      const waited = waits.find((w) => w.integration === id);
      const [p50Ms, p95Ms] = await Promise.all([latencyAt(scoped, id, since, calls, 0.5), latencyAt(scoped, id, since, calls, 0.95)]);
      return {
        id,
        name,
        calls,
        succeeded,
        successRate: successRate(succeeded, calls),
        p50Ms,
        p95Ms,
        rateLimitWaits: waited?._count._all ?? 0,
        rateLimitWaitMs: waited?._sum.throttleWaitMs ?? 0,
      };
    }),
  );
}

export async function loadStockFreshness(shop: string, now: Date = new Date(), db: Database = defaultDb): Promise<StockFreshness> {
  const scoped = forShop(shop, db);
  const mapped = { inventoryItemId: { not: null } };
  const fiveMinutesAgo = new Date(now.getTime() - 5 * MINUTE_MS);
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const [total, withinFiveMinutes, withinOneHour, never, oldest] = await Promise.all([
    scoped.inventoryPosition.count({ where: mapped }),
    scoped.inventoryPosition.count({ where: { ...mapped, lastConfirmedAt: { gte: fiveMinutesAgo } } }),
    scoped.inventoryPosition.count({ where: { ...mapped, lastConfirmedAt: { gte: hourAgo, lt: fiveMinutesAgo } } }),
    scoped.inventoryPosition.count({ where: { ...mapped, lastConfirmedAt: null } }),
    scoped.inventoryPosition.aggregate({ where: mapped, _min: { lastConfirmedAt: true } }),
  ]);
  return {
    mapped: total,
    withinFiveMinutes,
    withinOneHour,
    older: total - withinFiveMinutes - withinOneHour,
    never,
    oldestConfirmedAt: oldest._min.lastConfirmedAt?.toISOString() ?? null,
  };
}

async function loadWebhookQueue(scoped: ShopDatabase, now: Date): Promise<ShopHealth["webhookQueue"]> {
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const [waiting, oldest, processed] = await Promise.all([
    scoped.webhookInbox.count({ where: { status: "received" } }),
    scoped.webhookInbox.findFirst({ where: { status: "received" }, orderBy: [{ receivedAt: "asc" }], select: { receivedAt: true } }),
    scoped.webhookInbox.findMany({
      where: { processedAt: { gte: hourAgo } },
      orderBy: [{ processedAt: "desc" }],
      take: LAG_SAMPLE_LIMIT,
      select: { receivedAt: true, processedAt: true },
    }),
  ]);
  const lags = processed.map((row) => Math.max(0, row.processedAt!.getTime() - row.receivedAt.getTime()));
  return {
    waiting,
    oldestWaitingSince: oldest?.receivedAt.toISOString() ?? null,
    processedLastHour: processed.length,
    lagP95Ms: percentile(lags, 0.95),
  };
}

export async function loadShopHealth(shop: string, now: Date = new Date(), db: Database = defaultDb): Promise<ShopHealth> {
  const scoped = forShop(shop, db);
  const since = new Date(now.getTime() - DAY_MS);
  const [
    timeZone,
    connections,
    connectionsNeedingAttention,
    eventsReceived,
    eventsFailed,
    deadJobs,
    latestDeadJobs,
    alerts,
    latestAlerts,
  ] = await Promise.all([
    shopTimeZone(shop, db),
    scoped.warehouseConnection.count({ where: { shop } }),
    scoped.warehouseConnection.count({ where: { shop, status: { in: ["error", "disconnected"] } } }),
    scoped.webhookInbox.count({ where: { shop, receivedAt: { gte: since } } }),
    scoped.webhookInbox.count({ where: { shop, receivedAt: { gte: since }, status: "failed" } }),
    scoped.job.count({ where: { shop, status: "dead" } }),
    scoped.job.findMany({
      where: { shop, status: "dead" },
      orderBy: [{ finishedAt: "desc" }],
      take: LATEST_SHOWN,
      select: { id: true, type: true, attempts: true, lastError: true, finishedAt: true },
    }),
    scoped.alert.count({ where: { shop, resolvedAt: null } }),
    scoped.alert.findMany({
      where: { shop, resolvedAt: null },
      orderBy: [{ createdAt: "desc" }],
      take: LATEST_SHOWN,
      select: { id: true, kind: true, severity: true, message: true, createdAt: true },
    }),
  ]);
  const [integrations, freshness, webhookQueue, dirty, oldestDirty, latestRun] = await Promise.all([
    loadIntegrationHealth(shop, now, db),
    loadStockFreshness(shop, now, db),
    loadWebhookQueue(scoped, now),
    scoped.inventoryPosition.count({ where: { syncState: "dirty", inventoryItemId: { not: null } } }),
    scoped.inventoryPosition.aggregate({ where: { syncState: "dirty", inventoryItemId: { not: null } }, _min: { dirtySince: true } }),
    scoped.reconcileRun.findFirst({ orderBy: [{ startedAt: "desc" }] }),
  ]);
  return {
    timeZone,
    generatedAt: now.toISOString(),
    warehouseConnections: { total: connections, needingAttention: connectionsNeedingAttention },
    shopifyEventsLast24h: { received: eventsReceived, failed: eventsFailed },
    failedTasks: {
      total: deadJobs,
      latest: latestDeadJobs.map((job) => ({
        id: job.id,
        type: job.type,
        attempts: job.attempts,
        lastError: job.lastError,
        stoppedAt: job.finishedAt?.toISOString() ?? null,
      })),
    },
    openAlerts: {
      total: alerts,
      latest: latestAlerts.map((alert) => ({ ...alert, createdAt: alert.createdAt.toISOString() })),
    },
    integrations,
    freshness,
    webhookQueue,
    syncQueue: { dirty, oldestDirtySince: oldestDirty._min.dirtySince?.toISOString() ?? null },
    reconciler: latestRun
      ? {
          kind: latestRun.kind,
          status: latestRun.status,
          startedAt: latestRun.startedAt.toISOString(),
          finishedAt: latestRun.finishedAt?.toISOString() ?? null,
          itemsChecked: latestRun.itemsChecked,
          driftFound: latestRun.driftFound,
          healed: latestRun.healed,
        }
      : null,
  };
}

/**
 * The merchant's "Retry" on a failed task: queue it again and resolve the alert raised when it
 * failed (a new one is raised if it fails again). False when the task is no longer dead.
 */
export async function retryFailedTask(shop: string, jobId: string, now: Date = new Date(), db: Database = defaultDb): Promise<boolean> {
  // retryDeadJob takes the raw client and scopes its update by shop itself.
  const retried = await retryDeadJob(db, shop, jobId);
  if (retried) {
    await forShop(shop, db).alert.updateMany({
      where: { shop, kind: "job_failed", reference: `job:${jobId}`, resolvedAt: null },
      data: { resolvedAt: now },
    });
  }
  return retried;
}
