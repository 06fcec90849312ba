// Webhook intake: authenticate, store once, enqueue, answer. Nothing else happens on the request
// path: no Shopify or warehouse call, so the answer comes in milliseconds (Shopify allows 5 s).
//
// We verify the HMAC ourselves instead of calling authenticate.webhook(): that helper also loads
// the offline session and, with expiring offline tokens, may refresh it against Shopify, which
// has no place on the hot path; and it answers a malformed JSON body with a 500, not a 400.
import { webhookSecrets } from "../config.server";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { jobRow, isUniqueViolation, notifyJobEnqueued } from "../jobs/queue.server";
import { log } from "../observability/logger.server";
import { assertShopDomain } from "../db/tenant.server";
import { verifyShopifyWebhookHmac } from "./signature.server";
import { PROCESS_WEBHOOK_JOB, type WebhookTopic } from "./topics";

export interface IntakeOptions {
  db?: Database;
  secrets?: string[];
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export interface StoredWebhook {
  inboxId: string;
}

export async function receiveShopifyWebhook(
  request: Request,
  expectedTopic: WebhookTopic,
  options: IntakeOptions = {},
): Promise<Response> {
  if (request.method !== "POST") return plain(405, "Webhooks are delivered with POST.");
  const rawBody = await request.text();

  if (!verifyShopifyWebhookHmac(rawBody, request.headers.get("x-shopify-hmac-sha256"), options.secrets ?? webhookSecrets())) {
    log.warn("Webhook refused: HMAC does not match", { topic: request.headers.get("x-shopify-topic") });
    return plain(401, "Unauthorized: X-Shopify-Hmac-Sha256 does not match the body.");
  }

  const topic = request.headers.get("x-shopify-topic");
  const shop = request.headers.get("x-shopify-shop-domain");
  const webhookId = request.headers.get("x-shopify-webhook-id");
  const missing = [
    ["X-Shopify-Topic", topic],
    ["X-Shopify-Shop-Domain", shop],
    ["X-Shopify-Webhook-Id", webhookId],
  ].filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) return plain(400, `Missing header(s): ${missing.join(", ")}.`);
  if (topic !== expectedTopic) return plain(400, `This endpoint takes ${expectedTopic} webhooks, not ${topic}.`);
  try {
    assertShopDomain(shop!);
  } catch {
    return plain(400, "X-Shopify-Shop-Domain is not a shop domain.");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return plain(400, "The body is not valid JSON.");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return plain(400, "The body must be a JSON object.");
  }
  const triggeredAtHeader = request.headers.get("x-shopify-triggered-at");
  const triggeredAt = triggeredAtHeader ? new Date(triggeredAtHeader) : null;

  const db = options.db ?? defaultDb;
  try {
    // One transaction: the inbox row and its job exist together or not at all.
    await db.$transaction([
      db.webhookInbox.create({
        data: {
          shop: shop!,
          webhookId: webhookId!,
          topic,
          apiVersion: request.headers.get("x-shopify-api-version"),
          eventId: request.headers.get("x-shopify-event-id"),
          triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
          payload: rawBody,
        },
      }),
      db.job.create({
        data: jobRow(shop!, PROCESS_WEBHOOK_JOB, { webhookId, topic }, { dedupeKey: `webhook:${webhookId}` }),
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A duplicate delivery: already stored and queued once. Acknowledge so Shopify stops retrying.
      return plain(200, "Already received.");
    }
    throw error;
  }
  notifyJobEnqueued();
  return plain(200, "Received.");
}
