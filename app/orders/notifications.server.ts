// Shopify's fulfillment-service callback: POST <callbackUrl>/fulfillment_order_notification with
// {"kind": "FULFILLMENT_REQUEST" | "CANCELLATION_REQUEST"}, signed like a webhook
// (X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app's secret) and naming the
// shop in X-Shopify-Shop-Domain. The body only says "look": the job reads the fulfillment orders
// assigned to the warehouse's location from Shopify.
//
// Answered fast: verify, store, enqueue, 200. Duplicates cost nothing: all the notifications of a
// warehouse that arrive while its job waits join that job, and each fulfillment order is handled
// by a job of its own, keyed by its id.
import { randomUUID } from "node:crypto";
import { webhookSecrets } from "../config.server";
import type { Database } from "../db/client.server";
import { assertShopDomain } from "../db/tenant.server";
import { notifyJobEnqueued } from "../jobs/queue.server";
import { log } from "../observability/logger.server";
import { defaultInboxStore, prismaInboxStore, type WebhookInboxStore } from "../webhooks/inbox-store.server";
import { verifyShopifyWebhookHmac } from "../webhooks/signature.server";
import { FULFILLMENT_NOTIFICATION_JOB, fulfillmentServiceSource } from "./job-types";

/**
 * Each notification job reads Shopify's whole list of unanswered requests at the warehouse; in a
 * flash sale the notifications of a fifth of a second are answered by one such read.
 */
const NOTIFICATION_GATHER_MS = 200;

export const NOTIFICATION_KINDS = ["FULFILLMENT_REQUEST", "CANCELLATION_REQUEST"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The dedupe key of the job that reads a warehouse's requests. */
export function notificationJobKey(warehouseId: string): string {
  return `fs-notification:${warehouseId}`;
}

export interface NotificationOptions {
  db?: Database;
  store?: WebhookInboxStore;
  secrets?: string[];
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function receiveFulfillmentOrderNotification(request: Request, warehouseId: string, options: NotificationOptions = {}): Promise<Response> {
  if (request.method !== "POST") return plain(405, "Fulfillment order notifications are delivered with POST.");
  const rawBody = await request.text();
  if (!verifyShopifyWebhookHmac(rawBody, request.headers.get("x-shopify-hmac-sha256"), options.secrets ?? webhookSecrets())) {
    log.warn("Fulfillment order notification refused: HMAC does not match", { warehouseId });
    return plain(401, "Unauthorized: X-Shopify-Hmac-Sha256 does not match the body.");
  }
  const shop = request.headers.get("x-shopify-shop-domain");
  try {
    assertShopDomain(shop ?? "");
  } catch {
    return plain(400, "X-Shopify-Shop-Domain is missing or not a shop domain.");
  }
  let kind: unknown;
  try {
    kind = (JSON.parse(rawBody) as { kind?: unknown }).kind;
  } catch {
    return plain(400, "The body is not valid JSON.");
  }
  if (typeof kind !== "string" || !(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
    return plain(400, `Unknown notification kind ${JSON.stringify(kind)}.`);
  }
  if (!warehouseId) return plain(404, "No such warehouse.");
  const store = options.store ?? (options.db ? prismaInboxStore(options.db) : defaultInboxStore());
  // Shopify sends no delivery id with these callbacks; each one is kept (an audit of what came),
  // and the job key below is what collapses them.
  const deliveryId = request.headers.get("x-shopify-webhook-id") ?? randomUUID();
  const triggeredAt = request.headers.get("x-shopify-triggered-at");
  const outcome = await store.save({
    shop: shop!,
    source: fulfillmentServiceSource(warehouseId),
    webhookId: `fs:${warehouseId}:${deliveryId}`,
    topic: `fulfillment_order_notification/${kind.toLowerCase()}`,
    apiVersion: request.headers.get("x-shopify-api-version"),
    eventId: null,
    triggeredAt: triggeredAt && !Number.isNaN(Date.parse(triggeredAt)) ? new Date(triggeredAt) : null,
    payload: rawBody,
    job: { type: FULFILLMENT_NOTIFICATION_JOB, payload: { warehouseId }, dedupeKey: notificationJobKey(warehouseId), delayMs: NOTIFICATION_GATHER_MS },
  });
  if (outcome === "duplicate") return plain(200, "Already received.");
  notifyJobEnqueued();
  return plain(200, "Received.");
}
