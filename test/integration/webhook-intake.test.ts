import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { orderPayload, shopifyDelivery } from "../helpers/webhooks";

const args = (request: Request) => ({ request, params: {}, context: {} }) as Parameters<typeof ordersCreate>[0];

describe("Shopify webhook intake", () => {
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.webhookInbox.deleteMany({});
  });

  it("a correctly signed delivery is answered 200 and stored once in the inbox with one job", async () => {
    const response = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-1", body: orderPayload(1) })));
    expect(response.status).toBe(200);
    const rows = await db.webhookInbox.findMany({});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shop: "alpha.myshopify.com", webhookId: "wh-1", topic: "orders/create", status: "received", apiVersion: "2026-07" });
    expect(JSON.parse(rows[0]!.payload).id).toBe(1);
    const jobs = await db.job.findMany({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ shop: "alpha.myshopify.com", type: "shopify.webhook", status: "queued" });
  });

  it("a duplicate delivery with the same webhook id is acknowledged and still stored once", async () => {
    const body = orderPayload(2);
    const first = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-dup", body })));
    const second = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-dup", body })));
    const third = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-dup", body })));
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(await db.webhookInbox.count({ where: { webhookId: "wh-dup" } })).toBe(1);
    expect(await db.job.count({})).toBe(1);
  });

  it("concurrent duplicate deliveries store one row", async () => {
    const body = orderPayload(3);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-race", body })))),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await db.webhookInbox.count({ where: { webhookId: "wh-race" } })).toBe(1);
    expect(await db.job.count({})).toBe(1);
  });

  it("the same webhook id from two shops is two deliveries", async () => {
    await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-shared", body: orderPayload(4) })));
    await ordersCreate(args(shopifyDelivery({ topic: "orders/create", webhookId: "wh-shared", shop: "beta.myshopify.com", body: orderPayload(4) })));
    expect(await db.webhookInbox.count({ where: { webhookId: "wh-shared" } })).toBe(2);
  });

  it("a tampered body is refused with 401 and nothing is stored", async () => {
    const request = shopifyDelivery({ topic: "orders/create", body: orderPayload(5) });
    const tampered = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify(orderPayload(5, { email: "attacker@example.com" })),
    });
    const response = await ordersCreate(args(tampered));
    expect(response.status).toBe(401);
    expect(await db.webhookInbox.count({})).toBe(0);
    expect(await db.job.count({})).toBe(0);
  });

  it("a body signed with another secret, or with no signature, is refused with 401", async () => {
    const wrongSecret = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: orderPayload(6), secret: "not-our-secret" })));
    const unsigned = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: orderPayload(6), headers: { "X-Shopify-Hmac-Sha256": null } })));
    expect(wrongSecret.status).toBe(401);
    expect(unsigned.status).toBe(401);
    expect(await db.webhookInbox.count({})).toBe(0);
  });

  it("a correctly signed but malformed JSON body is refused with 400 and nothing is stored", async () => {
    const response = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: '{"id": 7, "line_items": [' })));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid JSON/);
    expect(await db.webhookInbox.count({})).toBe(0);
  });

  it("missing Shopify headers, a wrong topic for the endpoint or a bad shop domain are 400", async () => {
    const noId = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: orderPayload(8), headers: { "X-Shopify-Webhook-Id": null } })));
    expect(noId.status).toBe(400);
    expect(await noId.text()).toMatch(/X-Shopify-Webhook-Id/);
    const wrongTopic = await ordersCreate(args(shopifyDelivery({ topic: "orders/updated", body: orderPayload(8) })));
    expect(wrongTopic.status).toBe(400);
    const badShop = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", shop: "evil.example.com", body: orderPayload(8) })));
    expect(badShop.status).toBe(400);
    const notObject = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: "[1,2]" })));
    expect(notObject.status).toBe(400);
    expect(await db.webhookInbox.count({})).toBe(0);
  });

  it("only POST is accepted", async () => {
    const response = await ordersCreate(args(shopifyDelivery({ topic: "orders/create", body: "", method: "GET" })));
    expect(response.status).toBe(405);
  });

  it("compliance webhooks are taken for a shop with no session (after uninstall)", async () => {
    expect(await db.session.count({ where: { shop: "gone.myshopify.com" } })).toBe(0);
    const response = await shopRedact(args(shopifyDelivery({ topic: "shop/redact", shop: "gone.myshopify.com", body: { shop_id: 1, shop_domain: "gone.myshopify.com" } })));
    expect(response.status).toBe(200);
    expect(await db.webhookInbox.count({ where: { shop: "gone.myshopify.com" } })).toBe(1);
  });
});
