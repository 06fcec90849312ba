import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WarehouseAccount } from "../../sim/wms/account";
import type { WmsSimulator } from "../../sim/wms/server";
import { canRegisterWebhooks } from "~/warehouses/webhook-registration";
import { createGenericConnector } from "~/warehouses/generic/connector.server";
import { readEventStockLevel } from "~/warehouses/generic/protocol";
import { API_KEY, type CapturedDelivery, acmeSeed, connectorFor, startSimulator, startWebhookReceiver } from "./support";

let sim: WmsSimulator;
let account: WarehouseAccount;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeEach(async () => {
  sim = await startSimulator();
  account = sim.createAccount(acmeSeed());
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await sim.stop();
  await receiver.stop();
});

/** Registers the receiver, moves stock, and returns the secret and the one delivery it caused. */
async function captureDelivery(): Promise<{ secret: string; delivery: CapturedDelivery }> {
  const { secret } = await connectorFor(sim).registerWebhook(receiver.url);
  account.receive("LAX1", "MUG-BLUE", 5);
  await sim.webhooks.idle();
  const [delivery] = receiver.deliveries;
  if (!delivery || receiver.deliveries.length !== 1) throw new Error(`expected one delivery, got ${receiver.deliveries.length}`);
  return { secret, delivery };
}

const signedAt = (delivery: CapturedDelivery): Date => {
  const t = /t=(\d+)/.exec(delivery.headers.get("x-tallysync-signature") ?? "")?.[1];
  return new Date(Number(t) * 1000);
};

describe("generic warehouse: webhooks", () => {
  it("registering our callback URL subscribes every topic and returns the signing secret", async () => {
    const connector = connectorFor(sim);
    expect(canRegisterWebhooks(connector)).toBe(true);
    const subscription = await connector.registerWebhook(receiver.url);
    expect(subscription.secret.length).toBeGreaterThanOrEqual(16);
    expect(subscription.topics).toContain("inventory.changed");
    expect(await connector.listWebhooks()).toEqual([{ id: subscription.id, url: receiver.url, topics: subscription.topics }]);
  });

  it("registering the same URL again replaces the old subscription, whose secret is lost", async () => {
    const connector = connectorFor(sim);
    await connector.registerWebhook(receiver.url);
    const second = await connector.registerWebhook(receiver.url);
    expect((await connector.listWebhooks()).map((subscription) => subscription.id)).toEqual([second.id]);
  });

  it("a real delivery from the warehouse verifies and yields the event", async () => {
    const { secret, delivery } = await captureDelivery();
    const connector = connectorFor(sim, { webhookSecret: secret });

    const result = connector.verifyWebhook(delivery.headers, delivery.rawBody, signedAt(delivery));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.id).toBe(delivery.headers.get("x-tallysync-event-id"));
    expect(result.event.topic).toBe("inventory.changed");
    expect(result.event.occurredAt).toBeInstanceOf(Date);
    expect(readEventStockLevel(result.event.data)).toMatchObject({ sku: "MUG-BLUE", warehouseCode: "LAX1", sellable: 15 });
  });

  it("a tampered body is refused", async () => {
    const { secret, delivery } = await captureDelivery();
    const tampered = delivery.rawBody.replace('"sellable":15', '"sellable":150');
    expect(tampered).not.toBe(delivery.rawBody);
    const result = connectorFor(sim, { webhookSecret: secret }).verifyWebhook(delivery.headers, tampered, signedAt(delivery));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it("a delivery signed with another secret is refused", async () => {
    const { delivery } = await captureDelivery();
    const result = connectorFor(sim, { webhookSecret: "whsec_some_other_secret_123456" }).verifyWebhook(delivery.headers, delivery.rawBody, signedAt(delivery));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it("a delivery older than the 5-minute replay window is refused; one just inside it is accepted", async () => {
    const { secret, delivery } = await captureDelivery();
    const connector = connectorFor(sim, { webhookSecret: secret });
    const at = signedAt(delivery).getTime();
    expect(connector.verifyWebhook(delivery.headers, delivery.rawBody, new Date(at + 300_000)).ok).toBe(true);
    expect(connector.verifyWebhook(delivery.headers, delivery.rawBody, new Date(at + 301_000))).toEqual({ ok: false, reason: expect.stringMatching(/possible replay/) });
    expect(connector.verifyWebhook(delivery.headers, delivery.rawBody, new Date(at - 301_000)).ok).toBe(false);
  });

  it("during secret rotation one matching v1 entry among several is enough", async () => {
    const { secret, delivery } = await captureDelivery();
    const header = delivery.headers.get("x-tallysync-signature") ?? "";
    const [t, v1] = header.split(",");
    const headers = new Headers(delivery.headers);
    headers.set("x-tallysync-signature", `${t},v1=${"0".repeat(64)},${v1}`);
    expect(connectorFor(sim, { webhookSecret: secret }).verifyWebhook(headers, delivery.rawBody, signedAt(delivery)).ok).toBe(true);
  });

  it("a missing or malformed signature header is refused", async () => {
    const { secret, delivery } = await captureDelivery();
    const connector = connectorFor(sim, { webhookSecret: secret });
    const without = new Headers(delivery.headers);
    without.delete("x-tallysync-signature");
    expect(connector.verifyWebhook(without, delivery.rawBody, signedAt(delivery))).toEqual({ ok: false, reason: expect.stringMatching(/missing/) });
    const malformed = new Headers(delivery.headers);
    malformed.set("x-tallysync-signature", "v1=abc");
    expect(connector.verifyWebhook(malformed, delivery.rawBody, signedAt(delivery))).toEqual({ ok: false, reason: expect.stringMatching(/malformed/) });
  });

  it("without a stored secret every delivery is refused", async () => {
    const { delivery } = await captureDelivery();
    expect(connectorFor(sim).verifyWebhook(delivery.headers, delivery.rawBody, signedAt(delivery)).ok).toBe(false);
  });
});

/** The simulator behind a server of protocol 1.0, which refuses topics it does not know (shipment.delivered). */
async function protocolOneServer(target: string): Promise<{ url: string; subscriptions: unknown[]; stop(): Promise<void> }> {
  const subscriptions: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.method === "POST" && req.url === "/v1/webhooks") {
        const topics = (JSON.parse(body) as { topics: string[] }).topics;
        subscriptions.push(topics);
        const unknown = topics.findIndex((topic) => topic === "shipment.delivered");
        if (unknown >= 0) {
          res.writeHead(400, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "validation_error", message: "unknown topic", field: `topics[${unknown}]` } }));
          return;
        }
      }
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" }, body: req.method === "GET" || req.method === "DELETE" ? undefined : body });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(await answer.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, subscriptions, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("generic warehouse: servers of an older protocol", () => {
  it("a server that refuses the shipment.delivered topic is subscribed to every other topic instead", async () => {
    const old = await protocolOneServer(sim.url);
    try {
      const connector = createGenericConnector({ baseUrl: old.url, apiKey: API_KEY, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
      const subscription = await connector.registerWebhook(receiver.url);
      expect(old.subscriptions).toHaveLength(2);
      expect(old.subscriptions[0]).toContain("shipment.delivered");
      expect(subscription.topics).not.toContain("shipment.delivered");
      expect(subscription.topics).toEqual(expect.arrayContaining(["inventory.changed", "shipment.created", "shipment.updated", "order.cancelled", "return.received"]));
    } finally {
      await old.stop();
    }
  });
});
