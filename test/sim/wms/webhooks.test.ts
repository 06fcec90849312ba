import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkWebhookBody } from "./openapi-check";
import type { WmsSimulator } from "./server";
import { verifyWmsSignature } from "./signature";
import { type WebhookReceiver, WmsTestClient, acmeSeed, orderBody, startTestSimulator, startWebhookReceiver } from "./test-support";

const SECRET = "whsec_test_secret_0123456789";
let sim: WmsSimulator;
let api: WmsTestClient;
let receiver: WebhookReceiver;

async function subscribe(topics: string[], url = receiver.url): Promise<void> {
  const res = await api.post("/v1/webhooks", { url, topics, secret: SECRET });
  expect(res.status).toBe(201);
}

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.createAccount(acmeSeed());
  api = new WmsTestClient(sim.url);
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  expect(receiver.schemaProblems).toEqual([]);
  await sim.stop();
  await receiver.close();
});

describe("webhook delivery", () => {
  it("signs every delivery so that verifyWmsSignature accepts it, with event id and topic headers matching the body", async () => {
    await subscribe(["inventory.changed", "order.acknowledged"]);
    await api.createOrder(orderBody("fo-1", [{ sku: "MUG-BLUE", quantity: 2 }]));
    const hooks = await receiver.waitFor(2);
    expect(hooks.map((h) => h.body.topic)).toEqual(["inventory.changed", "order.acknowledged"]);
    for (const hook of hooks) {
      const check = verifyWmsSignature(SECRET, String(hook.headers["x-tallysync-signature"]), hook.rawBody, new Date());
      expect(check.ok).toBe(true);
      expect(hook.headers["x-tallysync-event-id"]).toBe(hook.body.id);
      expect(hook.headers["x-tallysync-topic"]).toBe(hook.body.topic);
    }
    expect(hooks[0]?.body.data).toMatchObject({ sku: "MUG-BLUE", warehouse: "LAX1", sellable: 8, reserved: 2, movement_type: "reservation" });
    expect(hooks[1]?.body.data).toMatchObject({ external_reference: "fo-1", status: "acknowledged" });
  });

  it("fails verification for a tampered body, a wrong secret, or a delivery replayed after the 5-minute window", async () => {
    await subscribe(["inventory.changed"]);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    const [hook] = await receiver.waitFor(1);
    const header = String(hook?.headers["x-tallysync-signature"]);
    const raw = hook?.rawBody ?? "";
    expect(verifyWmsSignature(SECRET, header, raw.replace('"sellable":11', '"sellable":99'))).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyWmsSignature("whsec_some_other_secret_000", header, raw)).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyWmsSignature(SECRET, header, raw, new Date(Date.now() + 301_000))).toEqual({ ok: false, reason: "timestamp_out_of_tolerance" });
  });

  it("delivers only the topics a subscription asked for", async () => {
    await subscribe(["shipment.created"]);
    const order = await api.createOrder(orderBody("fo-2", [{ sku: "MUG-BLUE", quantity: 1 }]));
    sim.account("acme").orders.ship(order.body.id);
    await sim.webhooks.idle();
    expect(receiver.received.map((h) => h.body.topic)).toEqual(["shipment.created"]);
    expect(receiver.received[0]?.body.data.tracking_number).toMatch(/^1Z/);
  });

  it("emits every documented order, shipment and return topic", async () => {
    await subscribe(["order.acknowledged", "order.cancelled", "order.exception", "shipment.created", "shipment.updated", "shipment.delivered", "return.received"]);
    const a = await api.createOrder(orderBody("fo-3", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const b = await api.createOrder(orderBody("fo-4", [{ sku: "MUG-BLUE", quantity: 1 }]));
    await api.post(`/v1/outbound-orders/${a.body.id}/cancel`);
    sim.account("acme").orders.raiseException(b.body.id, "address_invalid", "Postal code does not match city");
    const c = await api.createOrder(orderBody("fo-5", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const shipment = sim.account("acme").orders.ship(c.body.id);
    sim.account("acme").orders.updateTracking(shipment.id, { tracking_number: "1ZUPDATED" });
    sim.act("acme", { action: "deliver", shipment: shipment.id });
    sim.account("acme").receiveReturn({ warehouse: "LAX1", order: "fo-5", lines: [{ sku: "MUG-BLUE", sellable: 1, damaged: 0 }] });
    await sim.webhooks.idle();
    expect(receiver.received.map((h) => h.body.topic)).toEqual([
      "order.acknowledged",
      "order.acknowledged",
      "order.cancelled",
      "order.exception",
      "order.acknowledged",
      "shipment.created",
      "shipment.updated",
      "shipment.delivered",
      "return.received",
    ]);
  });

  it("sends shipment.delivered once per shipment, signed, with the delivered shipment as documented, and only to subscriptions that asked for it", async () => {
    const other = await startWebhookReceiver();
    try {
      await subscribe(["shipment.delivered"]);
      await subscribe(["shipment.created", "shipment.updated"], other.url);
      const order = await api.createOrder(orderBody("fo-6", [{ sku: "MUG-BLUE", quantity: 2 }]));
      const shipment = sim.account("acme").orders.ship(order.body.id, { carrier: "FedEx" });
      const delivered = structuredClone(sim.act("acme", { action: "deliver", shipment: shipment.id }) as typeof shipment);
      sim.act("acme", { action: "deliver", shipment: shipment.id });
      await sim.webhooks.idle();

      expect(receiver.received.map((h) => h.body.topic)).toEqual(["shipment.delivered"]);
      const [hook] = receiver.received;
      expect(verifyWmsSignature(SECRET, String(hook?.headers["x-tallysync-signature"]), hook?.rawBody ?? "", new Date()).ok).toBe(true);
      expect(hook?.headers["x-tallysync-topic"]).toBe("shipment.delivered");
      expect(hook?.headers["x-tallysync-event-id"]).toBe(hook?.body.id);
      expect(checkWebhookBody("shipment.delivered", hook?.body)).toEqual([]);
      expect(hook?.body.data).toEqual(delivered);
      expect(hook?.body.data).toMatchObject({ id: shipment.id, carrier: "FedEx", delivered_at: expect.any(String) });

      expect(other.received.map((h) => h.body.topic)).toEqual(["shipment.created"]);
      expect(other.schemaProblems).toEqual([]);
      expect(sim.webhooks.deliveries().filter((d) => d.topic === "shipment.delivered")).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("retries a failed delivery with backoff, same event id, signed afresh each time", async () => {
    await receiver.close();
    receiver = await startWebhookReceiver((n) => (n < 2 ? 503 : 200));
    await subscribe(["inventory.changed"]);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    const hooks = await receiver.waitFor(3);
    expect(new Set(hooks.map((h) => h.body.id)).size).toBe(1);
    expect(hooks.every((h) => verifyWmsSignature(SECRET, String(h.headers["x-tallysync-signature"]), h.rawBody).ok)).toBe(true);
    const gaps = [hooks[1]!.receivedAt - hooks[0]!.receivedAt, hooks[2]!.receivedAt - hooks[1]!.receivedAt];
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    await sim.webhooks.idle();
    const [record] = sim.webhooks.deliveries();
    expect(record).toMatchObject({ state: "delivered", attempts: [{ status: 503 }, { status: 503 }, { status: 200 }] });
  });

  it("gives up after the last retry and marks the delivery failed", async () => {
    await receiver.close();
    receiver = await startWebhookReceiver(() => 500);
    await subscribe(["inventory.changed"]);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    await sim.webhooks.idle();
    expect(receiver.received).toHaveLength(4);
    expect(sim.webhooks.deliveries()[0]).toMatchObject({ state: "failed" });
  });

  it("refuses a subscription to an unknown topic, naming the field", async () => {
    const res = await api.post("/v1/webhooks", { url: receiver.url, topics: ["inventory.changed", "order.created"] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "validation_error", field: "topics[1]" });
  });

  it("returns a generated secret only when the subscription is created, and can delete it", async () => {
    const created = await api.post("/v1/webhooks", { url: receiver.url, topics: ["inventory.changed"] });
    expect(created.body.secret).toMatch(/^whsec_[a-z0-9]{32}$/);
    const list = await api.get("/v1/webhooks");
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].secret).toBeUndefined();
    expect((await api.request("DELETE", `/v1/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await api.request("DELETE", `/v1/webhooks/${created.body.id}`)).status).toBe(404);
  });
});

describe("webhook faults", () => {
  it("a dropped webhook is never delivered, while the feed still has the change", async () => {
    await subscribe(["inventory.changed"]);
    const cursor = (await api.get("/v1/inventory")).body.changes_cursor;
    sim.act("acme", { action: "lose_webhook" });
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    await sim.webhooks.idle();
    expect(receiver.received.map((h) => h.body.data.sellable)).toEqual([12]);
    expect((await api.get(`/v1/inventory/changes?since=${cursor}`)).body.data.map((c: any) => c.sellable)).toEqual([11, 12]);
    expect(sim.webhooks.deliveries().map((d) => d.state)).toEqual(["dropped", "delivered"]);
  });

  it("drops every Nth webhook when configured", async () => {
    sim.faults.set({ webhooks: { drop: { everyNth: 2 } } });
    await subscribe(["inventory.changed"]);
    for (let i = 0; i < 4; i++) sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    await sim.webhooks.idle();
    expect(receiver.received.map((h) => h.body.data.sellable)).toEqual([11, 13]);
  });

  it("a duplicated webhook arrives twice with the same event id", async () => {
    sim.faults.set({ webhooks: { duplicate: { times: 1 } } });
    await subscribe(["inventory.changed"]);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    await sim.webhooks.idle();
    const ids = receiver.received.map((h) => h.body.id);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("out-of-order delivery sends a burst newest first, and sequence numbers restore the order", async () => {
    sim.faults.set({ webhooks: { outOfOrder: { windowMs: 30 } } });
    await subscribe(["inventory.changed"]);
    for (let i = 0; i < 3; i++) sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    await sim.webhooks.idle();
    const received = receiver.received.map((h) => h.body.data);
    expect(received.map((d) => d.sellable)).toEqual([13, 12, 11]);
    const latest = received.reduce((best, d) => (d.sequence > best.sequence ? d : best));
    expect(latest.sellable).toBe(13);
  });
});
