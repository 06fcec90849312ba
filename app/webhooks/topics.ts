import { jobPriority } from "../jobs/priorities";

// The Shopify webhook topics TallySync subscribes to (shopify.app.toml declares the same list).
export const WEBHOOK_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "inventory_levels/update",
  "products/update",
  "refunds/create",
  "fulfillment_events/create",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return (WEBHOOK_TOPICS as readonly string[]).includes(topic);
}

/** The job type that processes a stored webhook. */
export const PROCESS_WEBHOOK_JOB = "shopify.webhook";

/**
 * inventory_levels/update comes in bursts (every write of ours echoes back, 250 at a time), so its
 * deliveries join one waiting job per shop that reads them in batches.
 */
export const PROCESS_LEVELS_JOB = "shopify.inventory-levels";

/** The job a stored Shopify webhook is processed by. */
export function jobForShopifyWebhook(topic: string, webhookId: string): { type: string; payload: unknown; dedupeKey: string; priority: number } {
  if (topic === "inventory_levels/update") return { type: PROCESS_LEVELS_JOB, payload: { topic }, dedupeKey: "levels", priority: jobPriority(PROCESS_LEVELS_JOB) };
  return { type: PROCESS_WEBHOOK_JOB, payload: { webhookId, topic }, dedupeKey: `webhook:${webhookId}`, priority: jobPriority(PROCESS_WEBHOOK_JOB, topic) };
}
