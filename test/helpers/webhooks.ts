// Builds webhook requests the way Shopify delivers them, signed with shopify-api's own helper.
import { randomUUID } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";

export const TEST_SECRET = process.env.SHOPIFY_API_SECRET ?? "test-api-secret";

export interface DeliveryOptions {
  topic: string;
  shop?: string;
  webhookId?: string;
  body: string | object;
  secret?: string;
  hmac?: string;
  headers?: Record<string, string | null>;
  method?: string;
}

export function shopifyDelivery(options: DeliveryOptions): Request {
  const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Shop-Domain": options.shop ?? "alpha.myshopify.com",
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": options.hmac ?? getHmac(body, options.secret ?? TEST_SECRET),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const method = options.method ?? "POST";
  return new Request(`http://localhost:3000/webhooks/${options.topic.replace("/", "/")}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
}

export function orderPayload(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (id % 1000)}`,
    email: "buyer@example.com",
    updated_at: "2026-11-20T10:00:00-05:00",
    cancelled_at: null,
    closed_at: null,
    customer: { id: 7001, email: "buyer@example.com", first_name: "Lin", last_name: "Wei" },
    shipping_address: { name: "Lin Wei", address1: "1 Market St", city: "San Francisco", province_code: "CA", zip: "94105", country: "United States", country_code: "US" },
    line_items: [{ id: id * 10 + 1, admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + 1}`, variant_id: 42, sku: "MUG-BLUE", quantity: 2 }],
    ...overrides,
  };
}
