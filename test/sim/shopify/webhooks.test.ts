import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { webhookHmac } from "./hmac";
import { API_KEY, API_SECRET, SHOP, startFixture, type Fixture } from "./test-helpers";
import { DEFAULT_RETRY_DELAYS_MS, topicFromEnum } from "./webhooks";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());
beforeEach(async () => {
  fx.sim.faults.reset();
  await fx.sim.webhooks.idle();
  fx.receiver.received.length = 0;
  fx.receiver.respond = () => 200;
  fx.sim.setLevel(SHOP, fx.items[0]!.inventoryItemId, fx.locationId, { available: 10, committed: 0 });
});

const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  scopes: ["read_orders"],
  hostName: "localhost:3000",
  hostScheme: "http",
  apiVersion: ApiVersion.July26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

const buy = (quantity = 1) => fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity }] });
const ordersCreate = (r: { headers: Record<string, unknown> }) => r.headers["x-shopify-topic"] === "orders/create";

describe("delivery", () => {
  test("deliveries carry Shopify's headers and validate with shopify-api's webhooks.validate", async () => {
    buy();
    const [hook] = await fx.receiver.waitFor(1, 5000, ordersCreate);
    expect(hook!.path).toBe("/webhooks");
    expect(hook!.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": "2026-07",
    });
    expect(hook!.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook!.headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(hook!.headers["x-shopify-triggered-at"]))).not.toBeNaN();
    expect(hook!.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(API_SECRET, hook!.rawBody));

    const result = await shopify.webhooks.validate({ rawBody: hook!.rawBody, rawRequest: hook!.req });
    expect(result).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: SHOP, apiVersion: "2026-07" });
    const tampered = await shopify.webhooks.validate({ rawBody: hook!.rawBody.replace("SKU-A", "SKU-Z"), rawRequest: hook!.req });
    expect(tampered.valid).toBe(false);

    const body = JSON.parse(hook!.rawBody);
    expect(body).toMatchObject({ admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/), name: "#1001", line_items: [expect.objectContaining({ sku: "SKU-A", quantity: 1, variant_id: Number(fx.items[0]!.variantId.split("/").pop()) })] });
    expect(body.shipping_address).toMatchObject({ country_code: "CA" });
    expect(body.customer).toMatchObject({ email: "buyer@example.com" });
  });

  test("webhookSubscriptionCreate adds a subscription delivered to its URI", async () => {
    const res = await fx.sim.graphql(SHOP, fx.token, `mutation($uri: String!) { webhookSubscriptionCreate(topic: ORDERS_CANCELLED, webhookSubscription: { uri: $uri }) { webhookSubscription { id topic uri } userErrors { message } } }`, { uri: `${fx.receiver.url}/hooks/cancelled` });
    expect(res.body.data.webhookSubscriptionCreate.webhookSubscription).toMatchObject({ topic: "ORDERS_CANCELLED" });
    const list = await fx.sim.graphql(SHOP, fx.token, `{ webhookSubscriptions(first: 10, topics: [ORDERS_CANCELLED]) { nodes { uri } } }`);
    expect(list.body.data.webhookSubscriptions.nodes).toEqual([{ uri: `${fx.receiver.url}/hooks/cancelled` }]);
    const order = buy();
    expect(order.ok).toBe(true);
    fx.sim.cancelOrder(SHOP, `gid://shopify/Order/${order.ok ? order.order.id : 0}`);
    const hooks = await fx.receiver.waitFor(2, 5000, (r) => r.headers["x-shopify-topic"] === "orders/cancelled");
    expect(hooks.map((h) => h.path).sort()).toEqual(["/hooks/cancelled", "/webhooks"]);
  });

  test("topic enum values map to header topics", () => {
    expect(topicFromEnum("INVENTORY_LEVELS_UPDATE")).toBe("inventory_levels/update");
    expect(topicFromEnum("FULFILLMENT_ORDERS_ORDER_ROUTING_COMPLETE")).toBe("fulfillment_orders/order_routing_complete");
    expect(topicFromEnum("APP_UNINSTALLED")).toBe("app/uninstalled");
  });
});

describe("retries", () => {
  test("failed deliveries are retried 8 times on the compressed exponential schedule, same webhook id", async () => {
    expect(DEFAULT_RETRY_DELAYS_MS).toHaveLength(8);
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3.9 * 3600_000);
    expect(total).toBeLessThan(4.1 * 3600_000);

    fx.receiver.respond = (r) => (ordersCreate(r) ? 500 : 200);
    buy();
    const attempts = await fx.receiver.waitFor(9, 10_000, ordersCreate);
    await fx.sim.webhooks.idle();
    expect(new Set(attempts.map((a) => a.headers["x-shopify-webhook-id"])).size).toBe(1);
    const entry = fx.sim.webhooks.log.filter((d) => d.topic === "orders/create").pop()!;
    expect(entry.status).toBe("failed");
    expect(entry.attempts.map((a) => a.statusCode)).toEqual(Array(9).fill(500));
    // Gaps grow: each retry waits about twice as long as the previous one (timeScale 1/10000).
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[7]!).toBeGreaterThan(gaps[3]!);
    expect(gaps[7]!).toBeGreaterThanOrEqual(DEFAULT_RETRY_DELAYS_MS[7]! / 10000 - 5);
  });

  test("a delivery that recovers stops retrying", async () => {
    let calls = 0;
    fx.receiver.respond = (r) => (ordersCreate(r) && ++calls <= 2 ? 503 : 200);
    buy();
    await fx.receiver.waitFor(3, 5000, ordersCreate);
    await fx.sim.webhooks.idle();
    const entry = fx.sim.webhooks.log.filter((d) => d.topic === "orders/create").pop()!;
    expect(entry.status).toBe("delivered");
    expect(entry.attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
  });

  test("an endpoint slower than the timeout counts as failed and is retried", async () => {
    let calls = 0;
    fx.receiver.respond = (r) => (ordersCreate(r) && ++calls === 1 ? "hang" : 200);
    buy();
    await fx.receiver.waitFor(2, 8000, ordersCreate);
    await fx.sim.webhooks.idle();
    const entry = fx.sim.webhooks.log.filter((d) => d.topic === "orders/create").pop()!;
    expect(entry.attempts[0]!.error).toMatch(/timeout after 1000 ms/);
    expect(entry.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(990);
    expect(entry.status).toBe("delivered");
  });
});

describe("faults", () => {
  test("duplicate deliveries repeat the same webhook id and body", async () => {
    fx.sim.faults.set({ webhookDuplicate: { next: 1 } });
    buy();
    const hooks = await fx.receiver.waitFor(2, 5000, ordersCreate);
    expect(hooks[0]!.headers["x-shopify-webhook-id"]).toBe(hooks[1]!.headers["x-shopify-webhook-id"]);
    expect(hooks[0]!.rawBody).toBe(hooks[1]!.rawBody);
    expect(fx.sim.webhooks.log.filter((d) => d.duplicate)).not.toHaveLength(0);
  });

  test("out-of-order: held deliveries are released newest first", async () => {
    fx.sim.faults.set({ webhookOutOfOrder: { hold: 3, topic: "orders/create" } });
    buy();
    buy();
    buy();
    const hooks = await fx.receiver.waitFor(3, 5000, ordersCreate);
    const names = hooks.map((h) => JSON.parse(h.rawBody).name as string);
    const triggered = hooks.map((h) => String(h.headers["x-shopify-triggered-at"]));
    expect(names).toEqual([...names].sort().reverse());
    expect(triggered).toEqual([...triggered].sort().reverse());
  });

  test("delayed deliveries wait the configured time", async () => {
    fx.sim.faults.set({ webhookDelayMs: 300 });
    const started = Date.now();
    buy();
    const [hook] = await fx.receiver.waitFor(1, 5000, ordersCreate);
    expect(hook!.at - started).toBeGreaterThanOrEqual(290);
  });

  test("the delivery log records attempts, status codes and latency", async () => {
    buy();
    await fx.receiver.waitFor(1, 5000, ordersCreate);
    await fx.sim.webhooks.idle();
    const res = await fetch(`${fx.sim.url}/sim/webhooks/log`);
    const { deliveries } = (await res.json()) as { deliveries: { topic: string; status: string; attempts: { statusCode: number; latencyMs: number }[] }[] };
    const last = deliveries.filter((d) => d.topic === "orders/create").pop()!;
    expect(last.status).toBe("delivered");
    expect(last.attempts[0]).toMatchObject({ statusCode: 200 });
    expect(typeof last.attempts[0]!.latencyMs).toBe("number");
  });
});
