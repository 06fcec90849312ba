// The Dashboard's health overview: is the shop connected, are Shopify's events arriving, has any
// background task given up, and what is waiting for the merchant.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { retryDeadJob } from "../jobs/runner.server";
import { shopTimeZone } from "./settings.server";

export const LATEST_SHOWN = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

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

export interface ShopHealth {
  timeZone: string;
  warehouseConnections: { total: number; needingAttention: number };
  shopifyEventsLast24h: { received: number; failed: number };
  failedTasks: { total: number; latest: FailedTask[] };
  openAlerts: { total: number; latest: OpenAlert[] };
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
  return {
    timeZone,
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
