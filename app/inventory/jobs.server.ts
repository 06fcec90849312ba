// Background jobs of the stock sync: warehouse events, warehouse polling, and the write to Shopify.
import { db } from "../db.server";
import { forShop } from "../db/tenant.server";
import { jobQueue } from "../jobs/queue.server";
import { defineJob } from "../jobs/registry.server";
import { PermanentJobError } from "../jobs/types";
import { shopifyInventoryGateway } from "../shopify/gateway.server";
import { connectorFor } from "../warehouses/connections.server";
import { CursorExpiredError } from "../warehouses/connector";
import { WAREHOUSE_EVENT_JOB } from "../warehouses/intake.server";
import { nextPollDelayMs } from "./polling";
import { applyWarehouseLevels } from "./positions.server";
import { POLL_JOB, SYNC_JOB } from "./job-types";
import { scheduleReconciliation } from "./reconcile-jobs.server";
import { syncShopStock } from "./sync.server";

export { POLL_JOB };
/** Import the Shopify catalog and map warehouse SKUs to it (app/inventory/mapping-jobs.server.ts). */
export const CATALOG_MAPPING_JOB = "catalog.import-and-map";

/** Ask for a sync run; while one is waiting, asking again adds nothing. */
/**
 * Ask for a stock sync of the shop. `withinMs` lets requests gather: the sync runs that much later
 * and every request meanwhile joins it (the order side, which changes stock with every order,
 * asks this way; a warehouse's stock change asks for one now).
 */
export function requestStockSync(shop: string, options: { withinMs?: number } = {}) {
  return jobQueue.enqueue(shop, SYNC_JOB, {}, { dedupeKey: "sync", ...(options.withinMs ? { runAt: new Date(Date.now() + options.withinMs) } : {}) });
}

/** Ask for the catalog import and automatic SKU mapping, of one connection or of all. */
export function requestCatalogMapping(shop: string, connectionId: string | null = null) {
  return jobQueue.enqueue(shop, CATALOG_MAPPING_JOB, { connectionId }, { dedupeKey: `map:${connectionId ?? "all"}` });
}

export function schedulePoll(shop: string, connectionId: string, delayMs: number) {
  return jobQueue.enqueue(shop, POLL_JOB, { connectionId, delayMs }, { dedupeKey: `poll:${connectionId}`, runAt: new Date(Date.now() + delayMs) });
}

/** Events applied per round of the drain: one transaction of positions and ledger rows. */
const EVENTS_PER_ROUND = 500;

// Applies every waiting event of one connection, oldest first, in rounds. Several events about one
// SKU collapse to the newest (by the warehouse's sequence); each ledger row names its event. An
// event is marked processed in the same round its levels are applied, so a crash re-applies at most
// one round, and re-applying is harmless: a level not newer than the position's sequence is stale.
defineJob(WAREHOUSE_EVENT_JOB, async (payload, { shop }) => {
  const { connectionId } = payload as { connectionId?: string };
  if (!connectionId) throw new PermanentJobError("Job payload has no connectionId.");
  const scoped = forShop(shop, db);
  const connector = await connectorFor(shop, connectionId);
  let dirtied = 0;
  for (;;) {
    const events = await scoped.webhookInbox.findMany({
      where: { source: `warehouse:${connectionId}`, status: "received" },
      orderBy: [{ receivedAt: "asc" }],
      take: EVENTS_PER_ROUND,
      select: { id: true, payload: true, receivedAt: true },
    });
    if (!events.length) break;
    const levels = events.flatMap((inbox) => {
      // The signature was checked at intake; the stored body is the verified event.
      const event = JSON.parse(inbox.payload) as { id: string; topic: string; occurred_at?: string; data: unknown };
      const occurredAt = new Date(event.occurred_at ?? inbox.receivedAt);
      return connector
        .eventStockLevels({ id: event.id, topic: event.topic as never, occurredAt, data: event.data })
        .map((level) => ({ ...level, reference: `wms-event:${event.id}` }));
    });
    if (levels.length) dirtied += (await applyWarehouseLevels(shop, connectionId, levels, "warehouse_webhook")).dirtied;
    await scoped.webhookInbox.updateMany({
      where: { id: { in: events.map((e) => e.id) }, status: "received" },
      data: { status: "processed", processedAt: new Date(), error: null },
    });
    if (events.length < EVENTS_PER_ROUND) break;
  }
  if (dirtied) await requestStockSync(shop);
});

defineJob(POLL_JOB, async (payload, { shop }) => {
  const { connectionId, delayMs } = payload as { connectionId?: string; delayMs?: number };
  if (!connectionId) throw new PermanentJobError("Job payload has no connectionId.");
  const scoped = forShop(shop, db);
  const connection = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { status: true, pollCursor: true } });
  if (!connection || connection.status === "disconnected") return;
  const connector = await connectorFor(shop, connectionId);
  let cursor = connection.pollCursor;
  let changes = 0;
  const fullRead = !cursor;
  if (!cursor) {
    // First poll, or the change log moved past our cursor: read everything once.
    let page = await connector.readStock(null);
    cursor = page.changesCursor;
    for (;;) {
      changes += (await applyWarehouseLevels(shop, connectionId, page.levels, "warehouse_poll")).dirtied;
      if (!page.nextCursor) break;
      page = await connector.readStock(page.nextCursor);
    }
  } else {
    try {
      for (;;) {
        const batch = await connector.readStockChanges(cursor);
        changes += (await applyWarehouseLevels(shop, connectionId, batch.levels, "warehouse_poll")).dirtied;
        cursor = batch.nextCursor;
        if (!batch.hasMore) break;
      }
    } catch (error) {
      if (!(error instanceof CursorExpiredError)) throw error;
      cursor = null;
      changes = 1; // read everything on the next run, straight away
    }
  }
  await scoped.warehouseConnection.update({ where: { id: connectionId }, data: { pollCursor: cursor, lastPolledAt: new Date() } });
  if (changes) await requestStockSync(shop);
  // A full read is when new warehouse SKUs appear (the first read above all): map them.
  if (fullRead) await requestCatalogMapping(shop, connectionId);
  // After the first full read, reconciliation starts (it does nothing when already going).
  if (fullRead) await scheduleReconciliation(shop);
  const next = nextPollDelayMs(delayMs ?? null, changes);
  await scoped.warehouseConnection.update({ where: { id: connectionId }, data: { pollIntervalSeconds: Math.round(next / 1000) } });
  await schedulePoll(shop, connectionId, next);
});

// One run per shop at a time: two runs would plan the same writes from the same dirty positions
// and race to record them (a unique-key failure and a retry, seen in the orders benchmark).
defineJob(
  SYNC_JOB,
  async (_payload, { shop }) => {
    const gateway = await shopifyInventoryGateway(shop);
    const outcome = await syncShopStock(shop, gateway);
    if (outcome.remaining > 0) await requestStockSync(shop);
  },
  { oneRunPerShop: true },
);
