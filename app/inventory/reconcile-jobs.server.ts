// Reconciliation jobs: a delta run every 5 minutes, a full run nightly at 02:00 shop time.
// Each run schedules the next one when it ends, so one chain per shop and kind keeps going.
import { db } from "../db.server";
import { forShop } from "../db/tenant.server";
import { jobQueue } from "../jobs/queue.server";
import { defineJob } from "../jobs/registry.server";
import { PermanentJobError } from "../jobs/types";
import { isShopInstalled } from "../models/shop.server";
import { log } from "../observability/logger.server";
import { shopifyInventoryGateway } from "../shopify/gateway.server";
import { reconcileShop, type ReconcileKind } from "./reconcile.server";

export const RECONCILE_JOB = "inventory.reconcile";
export const DELTA_INTERVAL_MS = 5 * 60_000;
const FULL_RUN_HOUR = 2;

/** Wall-clock parts of an instant in a time zone (UTC when the zone is unknown). */
function localParts(at: Date, timeZone: string) {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch {
    format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute!, second: +parts.second! };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The next instant (strictly after `now`) at which the wall clock in `timeZone` reads hour:00. */
export function nextLocalHour(now: Date, timeZone: string, hour = FULL_RUN_HOUR): Date {
  const today = localParts(now, timeZone);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const wall = Date.UTC(today.year, today.month - 1, today.day + addDays, hour, 0, 0);
    // Two passes settle the offset, DST changes included (02:00 that does not exist lands an hour off).
    let at = wall - offsetMs(new Date(wall), timeZone);
    at = wall - offsetMs(new Date(at), timeZone);
    if (at > now.getTime()) return new Date(at);
  }
  return new Date(now.getTime() + 24 * 3_600_000);
}

async function shopTimeZone(shop: string): Promise<string> {
  const settings = await forShop(shop, db).shopSettings.findUnique({ where: { shop }, select: { timeZone: true } });
  return settings?.timeZone || "UTC";
}

/** When the next run of a kind is due after `now`. */
export async function nextReconcileAt(shop: string, kind: ReconcileKind, now: Date = new Date()): Promise<Date> {
  return kind === "delta" ? new Date(now.getTime() + DELTA_INTERVAL_MS) : nextLocalHour(now, await shopTimeZone(shop));
}

export function enqueueReconcile(shop: string, kind: ReconcileKind, runAt: Date) {
  return jobQueue.enqueue(shop, RECONCILE_JOB, { kind }, { dedupeKey: `reconcile:${kind}`, runAt });
}

/**
 * Start both chains for a shop unless they are already going (a job of the kind queued or
 * running). The delta run goes first straight away, the full one at the next 02:00.
 */
export async function scheduleReconciliation(shop: string, now: Date = new Date()) {
  for (const kind of ["delta", "full"] as const) {
    const going = await forShop(shop, db).job.findFirst({
      where: { type: RECONCILE_JOB, status: { in: ["queued", "running"] }, payload: JSON.stringify({ kind }) },
      select: { id: true },
    });
    if (going) continue;
    await enqueueReconcile(shop, kind, kind === "delta" ? now : await nextReconcileAt(shop, kind, now));
  }
}

defineJob(RECONCILE_JOB, async (payload, { shop }) => {
  const { kind } = (payload ?? {}) as { kind?: string };
  if (kind !== "delta" && kind !== "full") throw new PermanentJobError(`Job payload has no reconcile kind (delta or full), got ${String(kind)}.`);
  // An uninstalled shop ends the chain: nothing is re-enqueued.
  if (!(await isShopInstalled(shop))) return;
  let failed: string | null = null;
  try {
    const gateway = await shopifyInventoryGateway(shop);
    const run = await reconcileShop(shop, gateway, { kind });
    if (run.status === "failed") failed = run.error ?? "reconciliation failed";
  } finally {
    // The chain goes on whatever happened to this run.
    await enqueueReconcile(shop, kind, await nextReconcileAt(shop, kind));
  }
  // A failed delta run is simply the next one's work; a failed full run is retried by the queue.
  if (failed) {
    log.warn("Reconciliation failed", { shop, kind, error: failed });
    if (kind === "full") throw new Error(failed);
  }
});
