import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "./server";
import { WmsTestClient, acmeSeed, orderBody, sleep, startTestSimulator, startWebhookReceiver, waitUntil } from "./test-support";

let sim: WmsSimulator;
let api: WmsTestClient;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.createAccount(acmeSeed());
  api = new WmsTestClient(sim.url);
});
afterEach(() => sim.stop());

describe("scripted scenarios", () => {
  it("runs steps on timers: ship an order after a delay, then damage 3 units", async () => {
    const order = await api.createOrder(orderBody("gid://shopify/FulfillmentOrder/77", [{ sku: "MUG-BLUE", quantity: 2 }]));
    const run = sim.scenarios.run({
      name: "ship then damage",
      steps: [
        { after: "100ms", action: "ship", order: "gid://shopify/FulfillmentOrder/77", carrier: "FedEx" },
        { after: 10, action: "damage", warehouse: "LAX1", sku: "MUG-BLUE", quantity: 3 },
      ],
    });
    expect(sim.account("acme").orders.get(order.body.id).status).toBe("acknowledged");
    const results = await run.done;
    expect(results.map((r) => [r.action, r.ok])).toEqual([["ship", true], ["damage", true]]);
    expect((await api.get(`/v1/outbound-orders/${order.body.id}`)).body.status).toBe("shipped");
    expect(sim.account("acme").level("LAX1", "MUG-BLUE")).toMatchObject({ sellable: 5, reserved: 0, damaged: 3 });
  });

  it("steps through a story by hand in manual mode, recording failures instead of stopping", async () => {
    const run = sim.scenarios.run(
      {
        account: "acme",
        steps: [
          { after: "1m", action: "receive", warehouse: "RTM1", sku: "LAMP-OAK", quantity: 3 },
          { action: "ship", order: "does-not-exist" },
          { action: "exception", order: "does-not-exist" },
        ],
      },
      { manual: true },
    );
    expect(run.next()).toMatchObject({ action: "receive", ok: true });
    expect(sim.account("acme").level("RTM1", "LAMP-OAK").sellable).toBe(10);
    expect(run.next()).toMatchObject({ action: "ship", ok: false, error: expect.stringMatching(/not found/) });
    run.next();
    expect(run.next()).toBeNull();
    expect(await run.done).toHaveLength(3);
  });

  it("loses exactly one webhook when told to", async () => {
    const receiver = await startWebhookReceiver();
    try {
      await api.post("/v1/webhooks", { url: receiver.url, topics: ["inventory.changed"] });
      const run = sim.scenarios.run({
        steps: [
          { action: "lose_webhook" },
          { action: "receive", warehouse: "LAX1", sku: "MUG-BLUE", quantity: 1 },
          { action: "receive", warehouse: "LAX1", sku: "MUG-BLUE", quantity: 1 },
        ],
      });
      await run.done;
      await sim.webhooks.idle();
      expect(receiver.received.map((h) => h.body.data.sellable)).toEqual([12]);
    } finally {
      await receiver.close();
    }
  });

  it("a deliver step delivers the shipment; a deliver step naming an unknown shipment fails and the story goes on", async () => {
    const created = await api.createOrder(orderBody("fo-deliver", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const shipment = sim.account("acme").orders.ship(created.body.id);
    const run = sim.scenarios.run(
      { steps: [{ action: "deliver", shipment: "sh_999999" }, { action: "deliver", shipment: shipment.id, delivered_at: "2099-01-02T03:04:05Z" }] },
      { manual: true },
    );
    expect(run.next()).toMatchObject({ action: "deliver", ok: false, error: "Shipment sh_999999 was not found" });
    expect(run.next()).toMatchObject({ action: "deliver", ok: true, result: { id: shipment.id, delivered_at: "2099-01-02T03:04:05.000Z" } });
    expect(sim.account("acme").orders.shipments[0]?.delivered_at).toBe("2099-01-02T03:04:05.000Z");
  });

  it("rejects a malformed delay before running anything", () => {
    expect(() => sim.scenarios.run({ steps: [{ after: "soon", action: "expire_cursors" }] })).toThrow(/after must look like/);
  });
});

describe("auto mode", () => {
  it("acknowledges new orders after X ms and ships them after Y ms", async () => {
    sim.auto.configure({ acknowledgeAfterMs: 40, shipAfterMs: 200 });
    const started = Date.now();
    const created = await api.createOrder(orderBody("fo-auto", [{ sku: "MUG-BLUE", quantity: 1 }]));
    expect(created.body.status).toBe("received");
    const status = () => sim.account("acme").orders.get("fo-auto").status;
    await waitUntil(() => status() === "acknowledged");
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    await waitUntil(() => status() === "shipped");
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect((await api.get("/v1/shipments")).body.data).toHaveLength(1);
  });

  it("does nothing to an order cancelled before its timer fires", async () => {
    sim.auto.configure({ acknowledgeAfterMs: 0, shipAfterMs: 100 });
    const created = await api.createOrder(orderBody("fo-auto-2", [{ sku: "MUG-BLUE", quantity: 1 }]));
    sim.account("acme").orders.cancel(created.body.id);
    await sleep(150);
    expect((await api.get(`/v1/outbound-orders/${created.body.id}`)).body.status).toBe("cancelled");
  });
});

describe("auto delivery", () => {
  it("is off by default: a shipment stays undelivered", async () => {
    expect(sim.auto.current().deliverAfterMs).toBeNull();
    const created = await api.createOrder(orderBody("fo-auto-3", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const shipment = sim.account("acme").orders.ship(created.body.id);
    await sleep(80);
    expect(sim.account("acme").orders.shipments.find((s) => s.id === shipment.id)?.delivered_at).toBeNull();
  });

  it("delivers every shipment deliverAfterMs after it shipped, whether auto mode or a hand shipped it", async () => {
    sim.auto.configure({ acknowledgeAfterMs: 0, shipAfterMs: 30, deliverAfterMs: 60 });
    const started = Date.now();
    await api.createOrder(orderBody("fo-auto-4", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const byHand = await api.createOrder(orderBody("fo-auto-5", [{ sku: "MUG-RED", quantity: 1 }]));
    sim.account("acme").orders.ship(byHand.body.id);
    const shipments = () => sim.account("acme").orders.shipments;
    await waitUntil(() => shipments().length === 2 && shipments().every((s) => s.delivered_at !== null));
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    for (const shipment of shipments()) expect(Date.parse(shipment.delivered_at ?? "") - Date.parse(shipment.shipped_at)).toBeGreaterThanOrEqual(55);
    const feed = await api.get("/v1/shipments");
    expect(feed.body.data.map((s: any) => s.delivered_at !== null)).toEqual([true, true]);
  });
});

describe("control endpoints (/sim)", () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: r.status === 204 ? null : ((await r.json()) as any),
    }));

  it("seeds an account over HTTP and drives the warehouse floor with actions", async () => {
    await control("POST", "/sim/reset");
    const created = await control("POST", "/sim/accounts", { id: "sandbox", apiKey: "key_sandbox_1", warehouses: [{ code: "SZX1", country_code: "CN" }], stock: [{ warehouse: "SZX1", sku: "TEA-1", sellable: 4 }] });
    expect(created.status).toBe(201);
    expect(created.body.api_key).toBe("key_sandbox_1");
    const client = api.withKey("key_sandbox_1");
    const order = await client.createOrder(orderBody("fo-s1", [{ sku: "TEA-1", quantity: 1 }], "SZX1"));
    const shipped = await control("POST", "/sim/accounts/sandbox/actions", { action: "ship", order: "fo-s1", tracking_number: "1ZSANDBOX" });
    expect(shipped.body.result).toMatchObject({ order_id: order.body.id, tracking_number: "1ZSANDBOX" });
    const state = await control("GET", "/sim/accounts/sandbox");
    expect(state.body.inventory).toMatchObject([{ sku: "TEA-1", sellable: 3, reserved: 0, on_hand: 3 }]);
    expect((await control("POST", "/sim/accounts/sandbox/actions", { action: "ship", order: "nope" })).status).toBe(404);
    const delivered = await control("POST", "/sim/accounts/sandbox/actions", { action: "deliver", shipment: shipped.body.result.id });
    expect(delivered.status).toBe(200);
    expect(delivered.body.result).toMatchObject({ id: shipped.body.result.id, delivered_at: expect.any(String) });
    expect(delivered.body.result.sequence).toBeGreaterThan(shipped.body.result.sequence);
    const unknown = await control("POST", "/sim/accounts/sandbox/actions", { action: "deliver", shipment: "sh_999999" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "not_found", message: "Shipment sh_999999 was not found" });
    expect((await control("POST", "/sim/accounts/sandbox/actions", { action: "deliver" })).body.error).toMatchObject({ code: "validation_error", field: "shipment" });
  });

  it("switches faults, auto mode and rate limits at runtime", async () => {
    await control("PUT", "/sim/faults", { serverError: { everyNth: 1, status: 502 } });
    expect((await api.get("/v1/warehouses")).status).toBe(502);
    await control("PUT", "/sim/faults", {});
    expect((await api.get("/v1/warehouses")).status).toBe(200);

    await control("PUT", "/sim/auto", { acknowledgeAfterMs: null });
    expect((await control("PUT", "/sim/auto", { deliverAfterMs: 1_000 })).body).toMatchObject({ acknowledgeAfterMs: null, deliverAfterMs: 1_000 });
    expect((await control("GET", "/sim/auto")).body.deliverAfterMs).toBe(1_000);
    expect((await api.createOrder(orderBody("fo-s2", [{ sku: "MUG-BLUE", quantity: 1 }]))).body.status).toBe("received");

    await control("PUT", "/sim/rate-limit", { requests_per_second: 1, burst: 1 });
    await api.get("/v1/warehouses");
    expect((await api.get("/v1/warehouses")).status).toBe(429);
  });

  it("starts a timed scenario over HTTP", async () => {
    const started = await control("POST", "/sim/scenarios", { account: "acme", steps: [{ after: "20ms", action: "receive", warehouse: "LAX1", sku: "MUG-RED", quantity: 5 }] });
    expect(started.status).toBe(202);
    expect(sim.account("acme").level("LAX1", "MUG-RED").sellable).toBe(5);
    await waitUntil(() => sim.account("acme").level("LAX1", "MUG-RED").sellable === 10);
  });

  it("documents every control endpoint in the simulator README", () => {
    const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
    for (const route of sim.routes.control) expect(readme, `${route.method} ${route.path}`).toContain(`${route.method} ${route.path}`);
  });
});
