// Webhook intake: authenticate, store once, enqueue, answer. Nothing else happens on the request
// path: no Shopify or warehouse call, so the answer comes in milliseconds (Shopify allows 5 s).
//
// We verify the HMAC ourselves instead of calling authenticate.webhook(): that helper also loads
// the offline session and, with expiring offline tokens, may refresh it against Shopify, which
// has no place on the hot path; and it answers a malformed JSON body with a 500, not a 400.
//
// The checks are one function of the raw delivery, used by the Remix routes and by the production
// server's fast path (app/webhooks/fast-path.server.ts), which answers without Express or Remix.
import { webhookSecrets } from "../config.server";
import type { Database } from "../db/client.server";
import { notifyJobEnqueued } from "../jobs/queue.server";
import { log } from "../observability/logger.server";
import { assertShopDomain } from "../db/tenant.server";
import { defaultInboxStore, prismaInboxStore, type InboxRecord, type WebhookInboxStore } from "./inbox-store.server";
import { verifyShopifyWebhookHmac } from "./signature.server";
import { jobForShopifyWebhook, type WebhookTopic } from "./topics";

export interface IntakeOptions {
  /** Store through this Prisma client (tests); the default is the raw-statement store. */
  db?: Database;
  store?: WebhookInboxStore;
  secrets?: string[];
}

/** What the sender is told. */
export interface IntakeAnswer {
  status: number;
  message: string;
}

export interface RawDelivery {
  method: string;
  rawBody: string;
  header(name: string): string | null;
}

/** Every check of a Shopify delivery, before anything is stored. */
export function checkShopifyWebhook(
  delivery: RawDelivery,
  expectedTopic: WebhookTopic,
  secrets: string[],
): { ok: true; record: InboxRecord } | { ok: false; answer: IntakeAnswer } {
  const refuse = (status: number, message: string) => ({ ok: false as const, answer: { status, message } });
  if (delivery.method !== "POST") return refuse(405, "Webhooks are delivered with POST.");
  if (!verifyShopifyWebhookHmac(delivery.rawBody, delivery.header("x-shopify-hmac-sha256"), secrets)) {
    log.warn("Webhook refused: HMAC does not match", { topic: delivery.header("x-shopify-topic") });
    return refuse(401, "Unauthorized: X-Shopify-Hmac-Sha256 does not match the body.");
  }
  const topic = delivery.header("x-shopify-topic");
  const shop = delivery.header("x-shopify-shop-domain");
  const webhookId = delivery.header("x-shopify-webhook-id");
  const missing = [
    ["X-Shopify-Topic", topic],
    ["X-Shopify-Shop-Domain", shop],
    ["X-Shopify-Webhook-Id", webhookId],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (!topic || !shop || !webhookId) return refuse(400, `Missing header(s): ${missing.join(", ")}.`);
  if (topic !== expectedTopic) return refuse(400, `This endpoint takes ${expectedTopic} webhooks, not ${topic}.`);
  try {
    assertShopDomain(shop);
  } catch {
    return refuse(400, "X-Shopify-Shop-Domain is not a shop domain.");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody);
  } catch {
    return refuse(400, "The body is not valid JSON.");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return refuse(400, "The body must be a JSON object.");
  }
  const triggeredAtHeader = delivery.header("x-shopify-triggered-at");
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;
  return {
    ok: true,
    record: {
      shop,
      source: "shopify",
      webhookId,
      topic,
      apiVersion: delivery.header("x-shopify-api-version"),
      eventId: delivery.header("x-shopify-event-id"),
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payload: delivery.rawBody,
      job: jobForShopifyWebhook(topic, webhookId),
    },
  };
}

/** Check, store once, enqueue. A duplicate delivery is acknowledged so that Shopify stops retrying. */
export async function takeShopifyWebhook(
  delivery: RawDelivery,
  expectedTopic: WebhookTopic,
  options: IntakeOptions = {},
): Promise<IntakeAnswer> {
  const checked = checkShopifyWebhook(delivery, expectedTopic, options.secrets ?? webhookSecrets());
  if (!checked.ok) return checked.answer;
  const store = options.store ?? (options.db ? prismaInboxStore(options.db) : defaultInboxStore());
  const outcome = await store.save(checked.record);
  if (outcome === "duplicate") return { status: 200, message: "Already received." };
  notifyJobEnqueued();
  return { status: 200, message: "Received." };
}

export function plainResponse({ status, message }: IntakeAnswer): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The Remix route's entry: the same intake for a Fetch API request. */
export async function receiveShopifyWebhook(request: Request, expectedTopic: WebhookTopic, options: IntakeOptions = {}): Promise<Response> {
  const rawBody = request.method === "POST" ? await request.text() : "";
  const delivery: RawDelivery = { method: request.method, rawBody, header: (name) => request.headers.get(name) };
  return plainResponse(await takeShopifyWebhook(delivery, expectedTopic, options));
}
