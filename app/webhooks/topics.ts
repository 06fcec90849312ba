// The Shopify webhook topics TallySync subscribes to (shopify.app.toml declares the same list).
export const WEBHOOK_TOPICS = [
  "app/uninstalled",
  "app/scopes_update",
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "inventory_levels/update",
  "products/update",
  "fulfillment_orders/order_routing_complete",
  "refunds/create",
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
