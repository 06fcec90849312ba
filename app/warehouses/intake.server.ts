// Warehouse webhook intake, the same shape as Shopify's: verify the signature, store once by
// event id, queue a job, answer. No warehouse or Shopify call on the request path.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { notifyJobEnqueued } from "../jobs/queue.server";
import { defaultInboxStore, prismaInboxStore } from "../webhooks/inbox-store.server";
import { log } from "../observability/logger.server";
import { WAREHOUSE_ORDER_EVENTS_JOB, WAREHOUSE_ORDER_TOPICS, warehouseOrderEventsSource } from "../orders/job-types";
import { connectionById, connectorFor } from "./connections.server";

export const WAREHOUSE_EVENT_JOB = "warehouse.event";

/** The dedupe key of the job that applies a connection's waiting events. */
export function warehouseEventsKey(connectionId: string): string {
  return `events:${connectionId}`;
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function receiveWarehouseWebhook(request: Request, connectionId: string, db: Database = defaultDb): Promise<Response> {
  if (request.method !== "POST") return plain(405, "Webhooks are delivered with POST.");
  const rawBody = await request.text();
  const connection = await connectionById(connectionId, db);
  if (!connection) return plain(404, "No such warehouse connection.");
  const connector = await connectorFor(connection.shop, connection.id, db);
  const verified = connector.verifyWebhook(request.headers, rawBody);
  if (!verified.ok) {
    log.warn("Warehouse webhook refused", { connectionId, reason: verified.reason });
    return plain(verified.malformed ? 400 : 401, verified.reason);
  }
  const { event } = verified;
  const webhookId = `warehouse:${connection.id}:${event.id}`;
  const store = db === defaultDb ? defaultInboxStore() : prismaInboxStore(db);
  // Shipments, order changes and returns go to the order side (app/orders/), under a source of
  // their own so that the stock drain below never takes them.
  const aboutOrders = WAREHOUSE_ORDER_TOPICS.includes(event.topic);
  const outcome = await store.save({
    shop: connection.shop,
    source: aboutOrders ? warehouseOrderEventsSource(connection.id) : `warehouse:${connection.id}`,
    webhookId,
    topic: event.topic,
    apiVersion: null,
    eventId: null,
    triggeredAt: event.occurredAt,
    payload: rawBody,
    // One job drains every waiting event of the connection: at 50 events a second that is one
    // batch of positions and one sync instead of fifty of each.
    job: aboutOrders
      ? { type: WAREHOUSE_ORDER_EVENTS_JOB, payload: { connectionId: connection.id }, dedupeKey: `order-events:${connection.id}` }
      : { type: WAREHOUSE_EVENT_JOB, payload: { connectionId: connection.id }, dedupeKey: warehouseEventsKey(connection.id) },
  });
  if (outcome === "duplicate") return plain(200, "Already received.");
  notifyJobEnqueued();
  return plain(200, "Received.");
}
