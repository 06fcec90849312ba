// The production server answers Shopify webhooks from node:http before Express and Remix: the same
// rules as the Remix routes (401, 400, stored once), through a real socket and the raw-statement
// inbox store, on SQLite and on PostgreSQL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { handleWebhook, topicOfPath } from "~/webhooks/fast-path.server";
import { orderPayload, shopifyDelivery, type DeliveryOptions } from "../helpers/webhooks";

let server: http.Server;
let base = "";
let fallThrough = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (handleWebhook(req, res)) return;
    fallThrough++;
    res.writeHead(404).end("left to Remix");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function deliver(options: DeliveryOptions, path?: string) {
  const request = shopifyDelivery(options);
  const url = new URL(request.url);
  const response = await fetch(`${base}${path ?? url.pathname}`, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" ? undefined : await request.text(),
  });
  return { status: response.status, text: await response.text() };
}

describe("webhook fast path", () => {
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.webhookInbox.deleteMany({});
    fallThrough = 0;
  });

  it("a signed delivery is answered 200 and stored once with its job, readable through Prisma", async () => {
    const answer = await deliver({ topic: "orders/create", webhookId: "fast-1", body: orderPayload(11) });
    expect(answer).toEqual({ status: 200, text: "Received." });
    const rows = await db.webhookInbox.findMany({});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shop: "alpha.myshopify.com", source: "shopify", webhookId: "fast-1", topic: "orders/create", status: "received", apiVersion: "2026-07" });
    expect(rows[0]!.receivedAt).toBeInstanceOf(Date);
    expect(Math.abs(rows[0]!.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(rows[0]!.triggeredAt).toBeInstanceOf(Date);
    const jobs = await db.job.findMany({});
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ shop: "alpha.myshopify.com", type: "shopify.webhook", status: "queued", attempts: 0, dedupeKey: "webhook:fast-1" });
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ webhookId: "fast-1", topic: "orders/create" });
    // The job is due now, so a runner picks it up at once.
    expect(jobs[0]!.runAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("duplicate deliveries, sequential and concurrent, are acknowledged and stored once", async () => {
    const body = orderPayload(12);
    const answers = await Promise.all(Array.from({ length: 6 }, () => deliver({ topic: "orders/create", webhookId: "fast-dup", body })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.text === "Received.")).toHaveLength(1);
    const again = await deliver({ topic: "orders/create", webhookId: "fast-dup", body });
    expect(again).toEqual({ status: 200, text: "Already received." });
    expect(await db.webhookInbox.count({})).toBe(1);
    expect(await db.job.count({})).toBe(1);
  });

  it("a tampered or unsigned body is refused with 401 and nothing is stored", async () => {
    const tampered = await deliver({ topic: "orders/create", body: orderPayload(13), hmac: "bm90IHRoZSByaWdodCBobWFj" });
    const unsigned = await deliver({ topic: "orders/create", body: orderPayload(13), headers: { "X-Shopify-Hmac-Sha256": null } });
    expect([tampered.status, unsigned.status]).toEqual([401, 401]);
    expect(await db.webhookInbox.count({})).toBe(0);
    expect(await db.job.count({})).toBe(0);
  });

  it("a signed malformed body, a missing header or a topic sent to another topic's path is 400 and stores nothing", async () => {
    const malformed = await deliver({ topic: "orders/create", body: '{"id": 1, "line_items": [' });
    const noId = await deliver({ topic: "orders/create", body: orderPayload(14), headers: { "X-Shopify-Webhook-Id": null } });
    const wrongPath = await deliver({ topic: "orders/create", body: orderPayload(15) }, "/webhooks/orders/cancelled");
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/not valid JSON/);
    expect(noId.status).toBe(400);
    expect(noId.text).toMatch(/X-Shopify-Webhook-Id/);
    expect(wrongPath.status).toBe(400);
    expect(await db.webhookInbox.count({})).toBe(0);
  });

  it("everything that is not a POST to one of our webhook paths is left to Remix", async () => {
    await deliver({ topic: "orders/create", body: orderPayload(16), method: "GET" });
    await deliver({ topic: "orders/create", body: orderPayload(16) }, "/webhooks/orders/deleted");
    await deliver({ topic: "orders/create", body: orderPayload(16) }, "/webhooks/warehouse/");
    expect(fallThrough).toBe(3);
    // A warehouse path is taken here too, and a connection we do not have is 404.
    const unknown = await deliver({ topic: "orders/create", body: orderPayload(16) }, "/webhooks/warehouse/no-such-connection");
    expect(unknown.status).toBe(404);
    expect(fallThrough).toBe(3);
    expect(await db.webhookInbox.count({})).toBe(0);
  });

  it("a burst of inventory_levels/update deliveries waits as one job for the shop", async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await deliver({ topic: "inventory_levels/update", body: { inventory_item_id: 100 + i, location_id: 7, available: i } });
      expect(answer.status).toBe(200);
    }
    expect(await db.webhookInbox.count({ where: { topic: "inventory_levels/update" } })).toBe(3);
    const jobs = await db.job.findMany({});
    expect(jobs.map((j) => [j.type, j.dedupeKey])).toEqual([["shopify.inventory-levels", "levels"]]);
  });

  it("maps paths to topics only for the topics we subscribe to", () => {
    expect(topicOfPath("/webhooks/orders/create")).toBe("orders/create");
    expect(topicOfPath("/webhooks/app/scopes_update/")).toBe("app/scopes_update");
    expect(topicOfPath("/webhooks/shop/redact")).toBe("shop/redact");
    expect(topicOfPath("/webhooks/orders/deleted")).toBeNull();
    expect(topicOfPath("/app/webhooks/orders/create")).toBeNull();
  });
});
