import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "./server";
import { WmsTestClient, acmeSeed, orderBody, startTestSimulator } from "./test-support";

let sim: WmsSimulator;
let api: WmsTestClient;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.createAccount(acmeSeed());
  api = new WmsTestClient(sim.url);
});
afterEach(() => sim.stop());

const level = (sku: string, warehouse = "LAX1") => sim.account("acme").level(warehouse, sku);

describe("creating outbound orders", () => {
  it("reserves stock: sellable goes down and reserved goes up by the ordered units", async () => {
    const res = await api.createOrder(orderBody("gid://shopify/FulfillmentOrder/1", [{ sku: "MUG-BLUE", quantity: 3 }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "acknowledged", warehouse: "LAX1", lines: [{ sku: "MUG-BLUE", quantity: 3, shipped_quantity: 0 }] });
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 7, reserved: 3, on_hand: 10 });
  });

  it("returns the existing order with 200 when the same external reference is posted again, even under a new Idempotency-Key", async () => {
    const body = orderBody("fo-100", [{ sku: "MUG-BLUE", quantity: 2 }]);
    const first = await api.createOrder(body, "key-a");
    const again = await api.createOrder(body, "key-b");
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(level("MUG-BLUE").reserved).toBe(2);
    const found = await api.get("/v1/outbound-orders?external_reference=fo-100");
    expect(found.body.data).toHaveLength(1);
  });

  it("creates exactly one order when duplicate POSTs race", async () => {
    const body = orderBody("fo-race", [{ sku: "MUG-BLUE", quantity: 1 }]);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => api.createOrder(body, i % 2 ? "race-key" : `race-key-${i}`)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(sim.account("acme").orders.list()).toHaveLength(1);
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 9, reserved: 1 });
  });

  it("refuses the same external reference with different lines (external_reference_conflict)", async () => {
    await api.createOrder(orderBody("fo-101", [{ sku: "MUG-BLUE", quantity: 2 }]), "k1");
    const res = await api.createOrder(orderBody("fo-101", [{ sku: "MUG-BLUE", quantity: 5 }]), "k2");
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "external_reference_conflict", field: "external_reference" });
  });

  it("refuses an Idempotency-Key reused for a different body (idempotency_key_reused)", async () => {
    await api.createOrder(orderBody("fo-102", [{ sku: "MUG-BLUE", quantity: 1 }]), "same-key");
    const res = await api.createOrder(orderBody("fo-103", [{ sku: "MUG-BLUE", quantity: 1 }]), "same-key");
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("idempotency_key_reused");
    expect(sim.account("acme").orders.list()).toHaveLength(1);
  });

  it("refuses an order without enough sellable stock with insufficient_stock, naming the short SKUs, and reserves nothing", async () => {
    const res = await api.createOrder(orderBody("fo-104", [{ sku: "MUG-BLUE", quantity: 4 }, { sku: "MUG-RED", quantity: 6 }]));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("insufficient_stock");
    expect(res.body.error.details).toEqual([{ sku: "MUG-RED", warehouse: "LAX1", requested: 6, sellable: 5 }]);
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 10, reserved: 0 });
    expect((await api.get("/v1/outbound-orders?external_reference=fo-104")).body.data).toEqual([]);
  });

  it("counts lines with the same SKU together when checking stock", async () => {
    const res = await api.createOrder(orderBody("fo-105", [{ sku: "MUG-RED", quantity: 3 }, { sku: "MUG-RED", quantity: 3 }]));
    expect(res.status).toBe(409);
  });

  it("refuses unknown warehouses and SKUs with machine codes", async () => {
    const wh = await api.createOrder(orderBody("fo-106", [{ sku: "MUG-BLUE", quantity: 1 }], "XXX"));
    expect(wh.body.error).toMatchObject({ code: "unknown_warehouse", field: "warehouse" });
    const sku = await api.createOrder(orderBody("fo-107", [{ sku: "MUG-BLUE", quantity: 1 }, { sku: "NOPE", quantity: 1 }]));
    expect(sku.status).toBe(422);
    expect(sku.body.error).toMatchObject({ code: "unknown_sku", field: "lines[1].sku" });
  });

  it("finds orders by id and by external reference, and 404s unknown ids", async () => {
    const created = await api.createOrder(orderBody("fo-108", [{ sku: "MUG-BLUE", quantity: 1 }]));
    expect((await api.get(`/v1/outbound-orders/${created.body.id}`)).body.external_reference).toBe("fo-108");
    expect((await api.get("/v1/outbound-orders/ob_999999")).status).toBe(404);
    expect((await api.get("/v1/outbound-orders/fo-108")).status).toBe(404);
    expect((await api.get("/v1/outbound-orders?status=acknowledged")).body.data).toHaveLength(1);
  });
});

describe("order lifecycle", () => {
  it("leaves stock unreserved until the warehouse acknowledges when acknowledgement is manual", async () => {
    sim.auto.configure({ acknowledgeAfterMs: null });
    const res = await api.createOrder(orderBody("fo-200", [{ sku: "MUG-BLUE", quantity: 4 }]));
    expect(res.body.status).toBe("received");
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 10, reserved: 0 });
    sim.account("acme").orders.acknowledge("fo-200");
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 6, reserved: 4 });
    expect((await api.get(`/v1/outbound-orders/${res.body.id}`)).body).toMatchObject({ status: "acknowledged" });
  });

  it("puts an order in exception when its stock is gone by the time the warehouse acknowledges it", async () => {
    sim.auto.configure({ acknowledgeAfterMs: null });
    await api.createOrder(orderBody("fo-201", [{ sku: "MUG-RED", quantity: 5 }]));
    sim.account("acme").damage("LAX1", "MUG-RED", 2);
    const order = sim.account("acme").orders.acknowledge("fo-201");
    expect(order.status).toBe("exception");
    expect(order.exception?.code).toBe("insufficient_stock");
    expect(level("MUG-RED").reserved).toBe(0);
  });

  it("releases the reservation when cancelled before shipping, and cancelling twice is harmless", async () => {
    const created = await api.createOrder(orderBody("fo-202", [{ sku: "MUG-BLUE", quantity: 4 }]));
    sim.account("acme").orders.pick(created.body.id);
    const cancel = await api.post(`/v1/outbound-orders/${created.body.id}/cancel`, { reason: "customer changed mind" });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe("cancelled");
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 10, reserved: 0 });
    const again = await api.post(`/v1/outbound-orders/${created.body.id}/cancel`);
    expect(again.status).toBe(200);
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 10, reserved: 0 });
  });

  it("refuses to cancel after shipping with already_shipped, also after a partial shipment", async () => {
    const full = await api.createOrder(orderBody("fo-203", [{ sku: "MUG-BLUE", quantity: 1 }]));
    sim.account("acme").orders.ship(full.body.id);
    const refused = await api.post(`/v1/outbound-orders/${full.body.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("already_shipped");

    const partial = await api.createOrder(orderBody("fo-204", [{ sku: "MUG-BLUE", quantity: 3 }]));
    sim.account("acme").orders.ship(partial.body.id, { lines: [{ sku: "MUG-BLUE", quantity: 1 }] });
    const refusedPartial = await api.post(`/v1/outbound-orders/${partial.body.id}/cancel`);
    expect(refusedPartial.body.error.code).toBe("already_shipped");
  });

  it("shipping creates a shipment with carrier and tracking and takes the units out of reserved and on_hand", async () => {
    const created = await api.createOrder(orderBody("fo-205", [{ sku: "MUG-BLUE", quantity: 2 }, { sku: "MUG-RED", quantity: 1 }]));
    const since = (await api.get("/v1/shipments")).body.next_cursor;
    sim.account("acme").orders.ship(created.body.id, { carrier: "USPS" });

    const feed = await api.get(`/v1/shipments?since=${since}`);
    expect(feed.body.data).toHaveLength(1);
    const shipment = feed.body.data[0];
    expect(shipment).toMatchObject({ order_id: created.body.id, external_reference: "fo-205", carrier: "USPS", warehouse: "LAX1" });
    expect(shipment.tracking_number).toMatch(/^94[A-Z0-9]{16}$/);
    expect(shipment.tracking_url).toContain(shipment.tracking_number);
    expect(shipment.lines).toEqual([
      { sku: "MUG-BLUE", quantity: 2, external_line_reference: null },
      { sku: "MUG-RED", quantity: 1, external_line_reference: null },
    ]);
    expect(level("MUG-BLUE")).toMatchObject({ sellable: 8, reserved: 0, on_hand: 8 });
    expect((await api.get(`/v1/outbound-orders/${created.body.id}`)).body.status).toBe("shipped");
  });

  it("ships in parts: partially_shipped, then shipped, one tracking number per shipment", async () => {
    const created = await api.createOrder(orderBody("fo-206", [{ sku: "MUG-BLUE", quantity: 5 }]));
    const first = sim.account("acme").orders.ship(created.body.id, { lines: [{ sku: "MUG-BLUE", quantity: 2 }] });
    expect((await api.get(`/v1/outbound-orders/${created.body.id}`)).body).toMatchObject({ status: "partially_shipped", lines: [{ shipped_quantity: 2 }] });
    expect(level("MUG-BLUE")).toMatchObject({ reserved: 3, on_hand: 8 });
    const second = sim.account("acme").orders.ship(created.body.id);
    expect(second.lines).toEqual([{ sku: "MUG-BLUE", quantity: 3, external_line_reference: null }]);
    expect(second.tracking_number).not.toBe(first.tracking_number);
    expect((await api.get(`/v1/shipments?order_id=${created.body.id}`)).body.data).toHaveLength(2);
    expect(level("MUG-BLUE")).toMatchObject({ reserved: 0, on_hand: 5 });
  });

  it("shows a shipment again in the feed after its tracking changes", async () => {
    const created = await api.createOrder(orderBody("fo-207", [{ sku: "MUG-BLUE", quantity: 1 }]));
    const shipment = sim.account("acme").orders.ship(created.body.id);
    const cursor = (await api.get("/v1/shipments")).body.next_cursor;
    sim.account("acme").orders.updateTracking(shipment.id, { carrier: "DHL", tracking_number: "JD0001" });
    const feed = await api.get(`/v1/shipments?since=${cursor}`);
    expect(feed.body.data).toMatchObject([{ id: shipment.id, carrier: "DHL", tracking_number: "JD0001" }]);
  });
});

describe("deliveries", () => {
  const errorOf = (run: () => unknown): { status?: number; code?: string; message: string; extra?: { field?: string } } => {
    try {
      run();
    } catch (error) {
      return error as { message: string };
    }
    throw new Error("expected an error");
  };

  async function shipped(reference: string) {
    const created = await api.createOrder(orderBody(reference, [{ sku: "MUG-BLUE", quantity: 1 }]));
    return sim.account("acme").orders.ship(created.body.id);
  }

  it("a new shipment is not delivered: delivered_at is null on the wire", async () => {
    const shipment = await shipped("fo-400");
    const feed = await api.get(`/v1/shipments?order_id=${shipment.order_id}`);
    expect(feed.body.data).toHaveLength(1);
    expect(feed.body.data[0]).toHaveProperty("delivered_at", null);
  });

  it("deliver sets delivered_at, gives a higher sequence and updated_at = the delivery time, and the shipment shows up again after the previous cursor", async () => {
    const shipment = await shipped("fo-401");
    const before = (await api.get("/v1/shipments")).body;
    expect(before.data.map((s: any) => [s.id, s.delivered_at])).toEqual([[shipment.id, null]]);
    const oldSequence = before.data[0].sequence;
    const deliveredAt = new Date(Date.now() + 3_600_000).toISOString();

    const result = sim.act("acme", { action: "deliver", shipment: shipment.id, delivered_at: deliveredAt }) as any;
    expect(result).toMatchObject({ id: shipment.id, delivered_at: deliveredAt, updated_at: deliveredAt });
    expect(result.sequence).toBeGreaterThan(oldSequence);

    const after = await api.get(`/v1/shipments?since=${before.next_cursor}`);
    expect(after.body.data).toHaveLength(1);
    expect(after.body.data[0]).toMatchObject({ id: shipment.id, sequence: result.sequence, delivered_at: deliveredAt, updated_at: deliveredAt, tracking_number: shipment.tracking_number });
    expect((await api.get(`/v1/shipments?since=${after.body.next_cursor}`)).body.data).toEqual([]);
  });

  it("without delivered_at the delivery time is the simulator's clock", async () => {
    let clock = new Date("2026-11-02T09:00:00.000Z");
    const timed = await startTestSimulator({ now: () => clock });
    try {
      timed.createAccount(acmeSeed());
      await new WmsTestClient(timed.url).createOrder(orderBody("fo-402", [{ sku: "MUG-BLUE", quantity: 1 }]));
      const shipment = timed.act("acme", { action: "ship", order: "fo-402" }) as any;
      clock = new Date("2026-11-04T15:02:00.000Z");
      const delivered = timed.act("acme", { action: "deliver", shipment: shipment.id }) as any;
      expect(delivered).toMatchObject({ shipped_at: "2026-11-02T09:00:00.000Z", delivered_at: "2026-11-04T15:02:00.000Z", updated_at: "2026-11-04T15:02:00.000Z" });
    } finally {
      await timed.stop();
    }
  });

  it("delivering a delivered shipment changes nothing: same delivered_at, sequence and updated_at, nothing new in the feed", async () => {
    const shipment = await shipped("fo-403");
    const first = structuredClone(sim.act("acme", { action: "deliver", shipment: shipment.id }));
    const cursor = (await api.get("/v1/shipments")).body.next_cursor;
    const sequenceBefore = sim.account("acme").currentSequence();
    const again = sim.act("acme", { action: "deliver", shipment: shipment.id, delivered_at: new Date(Date.now() + 86_400_000).toISOString() });
    expect(again).toEqual(first);
    expect(sim.account("acme").currentSequence()).toBe(sequenceBefore);
    expect((await api.get(`/v1/shipments?since=${cursor}`)).body.data).toEqual([]);
  });

  it("a tracking update after delivery is allowed, gets a new sequence and keeps delivered_at", async () => {
    const shipment = await shipped("fo-404");
    const delivered = structuredClone(sim.account("acme").orders.deliver(shipment.id));
    const cursor = (await api.get("/v1/shipments")).body.next_cursor;
    sim.act("acme", { action: "update_tracking", shipment: shipment.id, carrier: "FedEx", tracking_number: "771234567890" });
    const feed = await api.get(`/v1/shipments?since=${cursor}`);
    expect(feed.body.data).toMatchObject([{ id: shipment.id, carrier: "FedEx", tracking_number: "771234567890", delivered_at: delivered.delivered_at }]);
    expect(feed.body.data[0].sequence).toBeGreaterThan(delivered.sequence);
  });

  it("refuses an unknown shipment with not_found, and a malformed or pre-shipping delivered_at with validation_error, changing nothing", async () => {
    const shipment = await shipped("fo-405");
    const sequence = sim.account("acme").currentSequence();
    expect(errorOf(() => sim.act("acme", { action: "deliver", shipment: "sh_999999" }))).toMatchObject({ status: 404, code: "not_found", message: "Shipment sh_999999 was not found" });
    expect(errorOf(() => sim.act("acme", { action: "deliver", shipment: shipment.id, delivered_at: "tomorrow" }))).toMatchObject({ status: 400, code: "validation_error", extra: { field: "delivered_at" } });
    expect(errorOf(() => sim.act("acme", { action: "deliver", shipment: shipment.id, delivered_at: "2000-01-01T00:00:00Z" }))).toMatchObject({ status: 400, code: "validation_error", message: expect.stringMatching(/before shipment/) });
    expect(errorOf(() => sim.act("acme", { action: "deliver" } as any))).toMatchObject({ status: 400, code: "validation_error", extra: { field: "shipment" } });
    expect(sim.account("acme").currentSequence()).toBe(sequence);
    expect(sim.account("acme").orders.shipments[0]).toMatchObject({ id: shipment.id, delivered_at: null });
  });
});

describe("returns", () => {
  it("splits returned units into sellable and damaged stock and lists them in the returns feed", async () => {
    const created = await api.createOrder(orderBody("fo-300", [{ sku: "MUG-BLUE", quantity: 4 }]));
    sim.account("acme").orders.ship(created.body.id);
    const since = (await api.get("/v1/returns")).body.next_cursor;
    sim.act("acme", { action: "return", warehouse: "LAX1", order: "fo-300", rma: "RMA-9", lines: [{ sku: "MUG-BLUE", sellable: 3, damaged: 1 }] });

    expect(level("MUG-BLUE")).toMatchObject({ sellable: 9, reserved: 0, damaged: 1, on_hand: 10 });
    const feed = await api.get(`/v1/returns?since=${since}`);
    expect(feed.body.data).toMatchObject([
      { rma: "RMA-9", order_id: created.body.id, external_reference: "fo-300", warehouse: "LAX1", lines: [{ sku: "MUG-BLUE", quantity: 4, sellable_quantity: 3, damaged_quantity: 1 }] },
    ]);
    expect((await api.get(`/v1/returns?since=${feed.body.next_cursor}`)).body.data).toEqual([]);
  });
});
