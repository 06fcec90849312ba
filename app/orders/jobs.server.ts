// Background jobs of the order side:
//   orders.fulfillment-notification  a warehouse's fulfillment-service callback: find what it announces
//   orders.fulfillment-order         one fulfillment order (request, cancellation), keyed by its id
//   orders.warehouse-events          a connection's order events (shipments, order changes, returns)
//   orders.retry-waiting             stock came back: route the orders waiting for it
//   orders.poll                      the safety net, per shop, every 30 s: Shopify's assigned
//                                    fulfillment orders, the warehouses' feeds, waiting and stuck orders
import { db } from "../db.server";
import { forShop } from "../db/tenant.server";
import { requestStockSync } from "../inventory/jobs.server";
import { jobQueue } from "../jobs/queue.server";
import { defineJob } from "../jobs/registry.server";
import { PermanentJobError } from "../jobs/types";
import { isShopInstalled } from "../models/shop.server";
import { log } from "../observability/logger.server";
import { connectorFor } from "../warehouses/connections.server";
import { recordAllocation } from "./allocations.server";
import { fulfillmentOrderJobKey, requestFulfillmentOrder } from "./fulfillment-order-queue.server";
import type { OrderDeps } from "./deps";
import type { AssignmentStatus } from "./gateway";
import { FULFILLMENT_NOTIFICATION_JOB, FULFILLMENT_ORDER_JOB, ORDERS_POLL_JOB, WAREHOUSE_ORDER_EVENTS_JOB, fulfillmentServiceSource } from "./job-types";
import { inBatches } from "../db/in-batches";
import { processFulfillmentOrder } from "./requests.server";
import { orderGatewayFor } from "./shopify-gateway.server";
import { drainWarehouseOrderEvents, pollWarehouseOrderFeeds } from "./warehouse-events.server";

export const RETRY_WAITING_JOB = "orders.retry-waiting";
export const ORDERS_POLL_INTERVAL_MS = 30_000;
/** A request or acceptance not finished after this long (a crashed worker) is picked up by the poll. */
const STUCK_AFTER_MS = 2 * 60_000;
/**
 * Orders change reservations one by one; their stock syncs gather for this long, so that a burst
 * of orders is written to Shopify in a few batches rather than one sync per order.
 */
const ORDER_STOCK_SYNC_GATHER_MS = 250;
/** When an allocation is busy, look again this soon. */
const BUSY_RETRY_MS = 1_000;

export async function orderDeps(shop: string): Promise<OrderDeps> {
  return {
    db,
    shopify: await orderGatewayFor(shop),
    connectorFor: (s, connectionId) => connectorFor(s, connectionId, db),
    now: () => new Date(),
    stockChanged: async (s) => {
      await requestStockSync(s, { withinMs: ORDER_STOCK_SYNC_GATHER_MS });
    },
    stockArrived: async (s) => {
      await jobQueue.enqueue(s, RETRY_WAITING_JOB, {}, { dedupeKey: "retry-waiting" });
    },
  };
}

/**
 * The deps of one job, asking for at most one stock sync however many of its steps changed stock:
 * each request is a write (and, while a sync waits, a refused insert), several per order add up in
 * a flash sale. The request goes out when the job ends, failed or not.
 */
async function withOneStockSync<T>(shop: string, run: (deps: OrderDeps) => Promise<T>): Promise<T> {
  const deps = await orderDeps(shop);
  let wanted = false;
  try {
    return await run({ ...deps, stockChanged: async () => void (wanted = true) });
  } finally {
    if (wanted) await deps.stockChanged(shop);
  }
}

export { requestFulfillmentOrder } from "./fulfillment-order-queue.server";

/** Start (or keep) the shop's order poll; one waits at a time, and asking for it sooner brings it forward. */
export async function scheduleOrdersPoll(shop: string, delayMs = 0) {
  const runAt = new Date(Date.now() + delayMs);
  const job = await jobQueue.enqueue(shop, ORDERS_POLL_JOB, {}, { dedupeKey: "orders-poll", runAt });
  if (job.duplicate) await forShop(shop, db).job.updateMany({ where: { id: job.id, status: "queued", runAt: { gt: runAt } }, data: { runAt } });
  return job;
}

/**
 * The merchant's Retry on an order: work on its fulfillment order again now (routing, the
 * warehouse order, or asking the warehouse where its order stands). The timeline records that the
 * merchant asked. False when there is no such allocation.
 */
export async function retryAllocation(shop: string, allocationId: string, database = db): Promise<boolean> {
  const scoped = forShop(shop, database);
  const allocation = await scoped.allocation.findUnique({ where: { id: allocationId }, select: { id: true, status: true, fulfillmentOrderId: true } });
  if (!allocation) return false;
  await recordAllocation(scoped, shop, allocation, { kind: "retried", data: { nextAttemptAt: null } }, new Date());
  await requestFulfillmentOrder(shop, allocation.fulfillmentOrderId);
  return true;
}

const REQUEST_STATUSES: AssignmentStatus[] = ["FULFILLMENT_REQUESTED", "CANCELLATION_REQUESTED"];

/**
 * Enqueues a job for every fulfillment order Shopify has asked something of (at these locations, or
 * all of ours) that is not already being seen to. In a burst Shopify lists every request not yet
 * answered, each time; those with a job waiting, or a request being worked on right now, need
 * nothing more (an insert refused by the job's unique key is a write all the same).
 */
async function requestsAt(shop: string, deps: OrderDeps, locationIds?: string[]): Promise<number> {
  const scoped = forShop(shop, deps.db);
  const now = deps.now();
  let enqueued = 0;
  for (const status of REQUEST_STATUSES) {
    const assigned = await deps.shopify.assignedFulfillmentOrders({ status, locationIds });
    const known = new Map<string, { status: string; lockedUntil: Date | null }>();
    const queued = new Set<string>();
    for (const batch of inBatches(assigned.map((fo) => fo.id))) {
      const [allocations, jobs] = await Promise.all([
        scoped.allocation.findMany({ where: { fulfillmentOrderId: { in: batch } }, select: { fulfillmentOrderId: true, status: true, lockedUntil: true } }),
        scoped.job.findMany({ where: { type: FULFILLMENT_ORDER_JOB, status: "queued", dedupeKey: { in: batch.map(fulfillmentOrderJobKey) } }, select: { dedupeKey: true } }),
      ]);
      for (const a of allocations) known.set(a.fulfillmentOrderId, a);
      for (const job of jobs) if (job.dedupeKey) queued.add(job.dedupeKey);
    }
    for (const fo of assigned) {
      const allocation = known.get(fo.id);
      if (queued.has(fulfillmentOrderJobKey(fo.id))) continue;
      if (status === "FULFILLMENT_REQUESTED") {
        // Waiting orders are routed again by the retry (on time, or when stock arrives), not on every poll.
        if (allocation?.status === "waiting") continue;
        // Being worked on now: that run answers this request. (A cancellation may have come after it read the order.)
        if (allocation?.lockedUntil && allocation.lockedUntil > now) continue;
      }
      await requestFulfillmentOrder(shop, fo.id);
      enqueued++;
    }
  }
  return enqueued;
}

/**
 * Orders waiting for stock whose retry time has come, or for whose items a warehouse reported a
 * new level since they were last routed (stock may have arrived), or all of them when
 * `everything` is set (stock came back from a cancellation or a return).
 */
export async function retryWaitingAllocations(shop: string, deps: OrderDeps, everything = false): Promise<number> {
  const scoped = forShop(shop, deps.db);
  const now = deps.now();
  const waiting = await scoped.allocation.findMany({
    where: { OR: [{ status: "waiting" }, { status: "accepted", warehouseOrderRef: null, nextAttemptAt: { not: null } }] },
    select: { fulfillmentOrderId: true, nextAttemptAt: true, updatedAt: true, order: { select: { lines: { select: { inventoryItemId: true } } } } },
    take: 1_000,
    orderBy: [{ updatedAt: "asc" }],
  });
  if (!waiting.length) return 0;
  const items = [...new Set(waiting.flatMap((a) => a.order.lines.map((l) => l.inventoryItemId).filter((id): id is string => Boolean(id))))];
  const oldest = waiting.reduce((min, a) => (a.updatedAt < min ? a.updatedAt : min), waiting[0]!.updatedAt);
  const changed: Array<{ inventoryItemId: string | null; lastConfirmedAt: Date | null }> = [];
  // lastConfirmedAt moves only when a newer warehouse level is applied, not when we write to Shopify.
  for (const batch of everything ? [] : inBatches(items)) {
    changed.push(...(await scoped.inventoryPosition.findMany({ where: { inventoryItemId: { in: batch }, lastConfirmedAt: { gt: oldest } }, select: { inventoryItemId: true, lastConfirmedAt: true } })));
  }
  let enqueued = 0;
  for (const allocation of waiting) {
    const mine = new Set(allocation.order.lines.map((l) => l.inventoryItemId));
    const due =
      everything ||
      (allocation.nextAttemptAt !== null && allocation.nextAttemptAt <= now) ||
      changed.some((p) => p.inventoryItemId !== null && mine.has(p.inventoryItemId) && p.lastConfirmedAt !== null && p.lastConfirmedAt > allocation.updatedAt);
    if (!due) continue;
    await requestFulfillmentOrder(shop, allocation.fulfillmentOrderId);
    enqueued++;
  }
  return enqueued;
}

/** One pass of the safety net for a shop. */
export async function pollOrders(shop: string, deps: OrderDeps): Promise<{ requests: number; waiting: number; stuck: number; feeds: number }> {
  const scoped = forShop(shop, deps.db);
  const requests = await requestsAt(shop, deps);
  const waiting = await retryWaitingAllocations(shop, deps);
  const stuckBefore = new Date(deps.now().getTime() - STUCK_AFTER_MS);
  const stuck = await scoped.allocation.findMany({
    where: { status: { in: ["requested", "accepted"] }, updatedAt: { lt: stuckBefore }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: deps.now() } }], nextAttemptAt: null },
    select: { fulfillmentOrderId: true },
    take: 500,
  });
  for (const allocation of stuck) await requestFulfillmentOrder(shop, allocation.fulfillmentOrderId);
  let feeds = 0;
  const connections = await scoped.warehouseConnection.findMany({ where: { status: { in: ["active", "error"] }, warehouses: { some: { shopifyLocationId: { not: null } } } }, select: { id: true } });
  for (const connection of connections) {
    try {
      feeds += (await pollWarehouseOrderFeeds(shop, connection.id, deps)).handled;
    } catch (error) {
      // One warehouse being down must not stop the others' feeds.
      log.warn("A warehouse's shipment and return feeds could not be read", { shop, connectionId: connection.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { requests, waiting, stuck: stuck.length, feeds };
}

defineJob(FULFILLMENT_NOTIFICATION_JOB, async (payload, { shop }) => {
  const { warehouseId } = payload as { warehouseId?: string };
  if (!warehouseId) throw new PermanentJobError("Job payload has no warehouseId.");
  const scoped = forShop(shop, db);
  const source = fulfillmentServiceSource(warehouseId);
  const warehouse = await scoped.warehouse.findUnique({ where: { id: warehouseId }, select: { shopifyLocationId: true, fulfillmentServiceLocationId: true } });
  const locations = [...new Set([warehouse?.shopifyLocationId, warehouse?.fulfillmentServiceLocationId].filter((id): id is string => Boolean(id)))];
  // The notifications received so far are answered by reading Shopify now; later ones have a job of their own.
  const seen = { source, status: "received", receivedAt: { lte: new Date() } };
  if (!locations.length) {
    await scoped.webhookInbox.updateMany({ where: seen, data: { status: "ignored", processedAt: new Date(), error: "No warehouse of this shop has that callback URL." } });
    return;
  }
  await requestsAt(shop, await orderDeps(shop), locations);
  await scoped.webhookInbox.updateMany({ where: seen, data: { status: "processed", processedAt: new Date(), error: null } });
  await scheduleOrdersPoll(shop, ORDERS_POLL_INTERVAL_MS);
});

defineJob(FULFILLMENT_ORDER_JOB, async (payload, { shop }) => {
  const { fulfillmentOrderId } = payload as { fulfillmentOrderId?: string };
  if (!fulfillmentOrderId) throw new PermanentJobError("Job payload has no fulfillmentOrderId.");
  if (!(await isShopInstalled(shop))) return;
  const outcome = await withOneStockSync(shop, (deps) => processFulfillmentOrder(shop, fulfillmentOrderId, deps));
  if (outcome === "busy") await requestFulfillmentOrder(shop, fulfillmentOrderId, new Date(Date.now() + BUSY_RETRY_MS));
});

defineJob(WAREHOUSE_ORDER_EVENTS_JOB, async (payload, { shop }) => {
  const { connectionId } = payload as { connectionId?: string };
  if (!connectionId) throw new PermanentJobError("Job payload has no connectionId.");
  const { busy } = await withOneStockSync(shop, (deps) => drainWarehouseOrderEvents(shop, connectionId, deps));
  if (busy) await jobQueue.enqueue(shop, WAREHOUSE_ORDER_EVENTS_JOB, { connectionId }, { dedupeKey: `order-events:${connectionId}`, runAt: new Date(Date.now() + BUSY_RETRY_MS) });
});

defineJob(RETRY_WAITING_JOB, async (_payload, { shop }) => {
  await retryWaitingAllocations(shop, await orderDeps(shop), true);
});

defineJob(ORDERS_POLL_JOB, async (_payload, { shop }) => {
  if (!(await isShopInstalled(shop))) return;
  const scoped = forShop(shop, db);
  const mapped = await scoped.warehouse.count({ where: { shopifyLocationId: { not: null }, connection: { status: { not: "disconnected" } } } });
  if (!mapped) return; // no warehouse takes orders: nothing to watch until one is mapped
  try {
    await pollOrders(shop, await orderDeps(shop));
  } catch (error) {
    // The next pass tries again; a failed pass must not end the chain of polls.
    log.warn("The order poll failed; it runs again shortly", { shop, error: error instanceof Error ? error.message : String(error) });
  } finally {
    await scheduleOrdersPoll(shop, ORDERS_POLL_INTERVAL_MS);
  }
});
