// What warehouses tell us about orders: shipments, acknowledgements, cancellations, exceptions and
// returns, from their signed webhooks (stored in the inbox by app/warehouses/intake.server.ts) and
// from their feeds (the safety net: webhooks make it fast, feeds make it correct).
import { forShop } from "../db/tenant.server";
import { log } from "../observability/logger.server";
import { CursorExpiredError, type WarehouseOrderEvent, type WarehouseShipment } from "../warehouses/connector";
import { ProtocolShapeError } from "../warehouses/generic/protocol";
import { claimAllocation, releaseAllocation } from "./allocations.server";
import type { OrderDeps } from "./deps";
import { orderEventLookups, type OrderEventLookups } from "./event-lookups.server";
import { warehouseOrderEventsSource } from "./job-types";
import { warehouseOrderChanged, warehouseStatusAlreadyRecorded } from "./requests.server";
import { allocationForEvent } from "./order-statements.server";
import { recordWarehouseReturn } from "./returns.server";
import { recordedShipments, recordWarehouseShipment } from "./shipments.server";

export type OrderEventOutcome = "handled" | "not_ours" | "busy";

/**
 * One order event of a connection. "busy": the allocation is being worked on; try again shortly.
 * `lookups`: the warehouses of the run of events this one belongs to, looked up once for all of them.
 */
export async function handleWarehouseOrderEvent(
  shop: string,
  connectionId: string,
  event: WarehouseOrderEvent,
  source: "warehouse_webhook" | "warehouse_poll",
  deps: OrderDeps,
  lookups: OrderEventLookups = orderEventLookups(forShop(shop, deps.db), connectionId),
): Promise<OrderEventOutcome> {
  if (event.kind === "shipment") {
    const outcome = await recordWarehouseShipment(shop, connectionId, event.shipment, deps, lookups);
    return outcome === "busy" ? "busy" : outcome === "not_ours" ? "not_ours" : "handled";
  }
  if (event.kind === "return") {
    const outcome = await recordWarehouseReturn(shop, connectionId, event.received, source, deps);
    return outcome === "unknown_warehouse" ? "not_ours" : "handled";
  }
  const scoped = forShop(shop, deps.db);
  // Only what decides whether the event is news: the claim below reads the whole allocation.
  const allocation = await allocationForEvent(deps.db, shop, event.order.externalReference);
  if (!allocation) return "not_ours";
  if (warehouseStatusAlreadyRecorded(allocation.warehouseOrderStatus, event.order.status)) return "handled";
  const warehouse = await lookups.warehouse(event.order.warehouseCode);
  if (!warehouse) return "not_ours";
  const fresh = await claimAllocation(scoped, shop, allocation.id, deps.now());
  if (!fresh) return "busy";
  try {
    await warehouseOrderChanged(
      scoped,
      shop,
      fresh,
      {
        id: warehouse.id,
        name: warehouse.name,
        connectionId: warehouse.connectionId,
        connectionName: warehouse.connection.name,
        externalCode: warehouse.externalCode,
        locationId: warehouse.shopifyLocationId ?? "",
        fulfillmentServiceLocationId: warehouse.fulfillmentServiceLocationId,
      },
      event.order,
      deps,
    );
  } finally {
    await releaseAllocation(scoped, shop, allocation.id);
  }
  return "handled";
}

const EVENTS_PER_ROUND = 100;
/** Orders whose events are handled at once within a round (each order's own events stay in order). */
const ORDERS_AT_ONCE = 8;

/** Events of one order must be handled in the order they came; different orders' events need not be. */
function orderKey(event: WarehouseOrderEvent): string {
  if (event.kind === "shipment") return `order:${event.shipment.externalReference}`;
  if (event.kind === "order") return `order:${event.order.externalReference}`;
  return "returns";
}

/**
 * Handles a connection's stored order events, oldest first, a round at a time; within a round the
 * events of up to eight orders are handled at once (a flash sale's shipments each wait on Shopify).
 * An order whose allocation is being worked on elsewhere (the warehouse acknowledges an order
 * while the job that created it is still recording it) is held: its event and its later ones wait
 * in the inbox, in order, while the other orders' events go on, and the drain returns busy so the
 * caller runs it again shortly for the held ones.
 */
export async function drainWarehouseOrderEvents(shop: string, connectionId: string, deps: OrderDeps): Promise<{ handled: number; busy: boolean }> {
  const scoped = forShop(shop, deps.db);
  const connector = await deps.connectorFor(shop, connectionId);
  // Events handled are marked together, a round at a time: a crash before that only means they
  // are handled again, which changes nothing.
  const settled = { processed: [] as string[], ignored: [] as string[] };
  const mark = async () => {
    for (const status of ["processed", "ignored"] as const) {
      const ids = settled[status].splice(0);
      if (ids.length) await scoped.webhookInbox.updateMany({ where: { id: { in: ids }, status: "received" }, data: { status, processedAt: deps.now(), error: null } });
    }
  };
  let handled = 0;
  const held = new Set<string>();
  // Each round reads on from where the last one ended (held events stay behind, unread again).
  let after: { receivedAt: Date; id: string } | null = null;
  try {
    for (;;) {
      const rows: Array<{ id: string; payload: string; receivedAt: Date }> = await scoped.webhookInbox.findMany({
        where: {
          source: warehouseOrderEventsSource(connectionId),
          status: "received",
          ...(after ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        take: EVENTS_PER_ROUND,
        select: { id: true, payload: true, receivedAt: true },
      });
      if (!rows.length) break;
      after = { receivedAt: rows.at(-1)!.receivedAt, id: rows.at(-1)!.id };
      const byOrder = new Map<string, { key: string; events: Array<{ id: string; event: WarehouseOrderEvent | null }> }>();
      for (const row of rows) {
        let event: WarehouseOrderEvent | null;
        try {
          // The signature was checked at intake; the stored body is the verified event.
          const body = JSON.parse(row.payload) as { id: string; topic: string; occurred_at?: string; data: unknown };
          event = connector.orderEvent({ id: body.id, topic: body.topic as never, occurredAt: new Date(body.occurred_at ?? row.receivedAt), data: body.data });
        } catch (error) {
          const message = error instanceof ProtocolShapeError || error instanceof SyntaxError ? `The warehouse event cannot be read: ${error.message}` : null;
          if (!message) throw error;
          await scoped.webhookInbox.updateMany({ where: { id: row.id }, data: { status: "failed", error: message } });
          continue;
        }
        const key = event ? orderKey(event) : `none:${row.id}`;
        if (held.has(key)) continue;
        const group = byOrder.get(key) ?? { key, events: [] };
        group.events.push({ id: row.id, event });
        byOrder.set(key, group);
      }
      const groups = [...byOrder.values()];
      // The warehouses the round's events name, looked up once for the round.
      const lookups = orderEventLookups(scoped, connectionId);
      const work = async () => {
        for (let group = groups.shift(); group; group = groups.shift()) {
          for (const { id, event } of group.events) {
            const outcome = event ? await handleWarehouseOrderEvent(shop, connectionId, event, "warehouse_webhook", deps, lookups) : "not_ours";
            if (outcome === "busy") {
              held.add(group.key);
              break;
            }
            settled[outcome === "not_ours" ? "ignored" : "processed"].push(id);
            handled++;
          }
        }
      };
      // Every order's work ends before the round does, even when one fails (the failure then retries the job).
      const results = await Promise.allSettled(Array.from({ length: ORDERS_AT_ONCE }, work));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failure) throw failure.reason;
      await mark();
      if (rows.length < EVENTS_PER_ROUND) break;
    }
    return { handled, busy: held.size > 0 };
  } finally {
    await mark();
  }
}

/**
 * Reads a connection's shipment and return feeds from their cursors and handles what is new. A
 * cursor moves on only past records handled, so nothing is skipped when an allocation is busy.
 */
export async function pollWarehouseOrderFeeds(shop: string, connectionId: string, deps: OrderDeps): Promise<{ handled: number; busy: boolean }> {
  const scoped = forShop(shop, deps.db);
  const connection = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { status: true, shipmentsCursor: true, returnsCursor: true } });
  if (!connection || connection.status === "disconnected" || connection.status === "paused") return { handled: 0, busy: false };
  const connector = await deps.connectorFor(shop, connectionId);
  const lookups = orderEventLookups(scoped, connectionId);
  let handled = 0;

  const feeds = [
    { field: "shipmentsCursor" as const, read: (since: string | null) => connector.readShipments(since), wrap: (item: unknown) => ({ kind: "shipment", topic: "shipment.updated", shipment: item }) as WarehouseOrderEvent },
    { field: "returnsCursor" as const, read: (since: string | null) => connector.readReturns(since), wrap: (item: unknown) => ({ kind: "return", topic: "return.received", received: item }) as WarehouseOrderEvent },
  ];
  for (const feed of feeds) {
    let cursor = connection[feed.field];
    for (;;) {
      let page;
      try {
        page = await feed.read(cursor);
      } catch (error) {
        if (!(error instanceof CursorExpiredError)) throw error;
        log.info("A warehouse feed cursor expired; reading it again from its oldest record", { shop, connectionId, feed: feed.field });
        cursor = null;
        page = await feed.read(null);
      }
      // The feed brings the same shipments again and again: those already recorded as they are
      // are told apart in one query for the page, and need nothing more.
      const recorded = feed.field === "shipmentsCursor" ? await recordedShipments(scoped, connectionId, page.items as WarehouseShipment[]) : null;
      for (const item of page.items) {
        if (recorded?.(item as WarehouseShipment)) {
          handled++;
          continue;
        }
        const outcome = await handleWarehouseOrderEvent(shop, connectionId, feed.wrap(item), "warehouse_poll", deps, lookups);
        if (outcome === "busy") {
          await scoped.warehouseConnection.update({ where: { id: connectionId }, data: { [feed.field]: cursor } });
          return { handled, busy: true };
        }
        if (outcome === "handled") handled++;
      }
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    await scoped.warehouseConnection.update({ where: { id: connectionId }, data: { [feed.field]: cursor } });
  }
  return { handled, busy: false };
}
