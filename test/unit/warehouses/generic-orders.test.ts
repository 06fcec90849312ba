import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WarehouseAccount } from "../../sim/wms/account";
import type { WmsSimulator } from "../../sim/wms/server";
import { type OutboundOrderRequest, WarehouseApiError, type WarehouseConnector } from "~/warehouses/connector";
import { SHIP_TO, acmeSeed, connectorFor, startSimulator } from "./support";

let sim: WmsSimulator;
let account: WarehouseAccount;
let connector: WarehouseConnector;

beforeEach(async () => {
  sim = await startSimulator();
  account = sim.createAccount(acmeSeed());
  connector = connectorFor(sim);
});
afterEach(() => sim.stop());

const order = (reference: string, quantity = 2): OutboundOrderRequest => ({
  externalReference: reference,
  warehouseCode: "LAX1",
  lines: [{ sku: "MUG-BLUE", quantity }],
  shipTo: SHIP_TO,
});

describe("generic warehouse: outbound orders", () => {
  it("creating an order twice with one reference makes one order; the second call says it already existed", async () => {
    const first = await connector.createOutboundOrder(order("gid://shopify/FulfillmentOrder/1"));
    const second = await connector.createOutboundOrder(order("gid://shopify/FulfillmentOrder/1"));

    expect(first).toMatchObject({ created: true, externalReference: "gid://shopify/FulfillmentOrder/1", warehouseCode: "LAX1", lines: [{ sku: "MUG-BLUE", quantity: 2 }] });
    expect(second).toMatchObject({ created: false, id: first.id });
    expect(account.orders.list()).toHaveLength(1);
    expect(account.level("LAX1", "MUG-BLUE")).toMatchObject({ sellable: 8, reserved: 2 });
  });

  it("the same reference with different lines is refused, and the first order is unchanged", async () => {
    await connector.createOutboundOrder(order("fo-2", 2));
    const error = await connector.createOutboundOrder(order("fo-2", 3)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WarehouseApiError);
    expect((error as WarehouseApiError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/^The warehouse already has an order for fo-2 with a different warehouse or lines/);
    expect(account.orders.list()).toHaveLength(1);
    expect(account.orders.find("fo-2")?.lines[0]?.quantity).toBe(2);
  });

  it("an order is sent to the warehouse with its address", async () => {
    await connector.createOutboundOrder(order("fo-3"));
    expect(account.orders.find("fo-3")?.ship_to).toMatchObject({ name: "Ada Lovelace", city: "Portland", province_code: "OR", postal_code: "97201", country_code: "US" });
  });

  it("cancelling before shipment cancels and releases the reservation", async () => {
    await connector.createOutboundOrder(order("fo-4"));
    expect(await connector.cancelOutboundOrder("fo-4")).toEqual({ cancelled: true });
    expect(account.orders.find("fo-4")?.status).toBe("cancelled");
    expect(account.level("LAX1", "MUG-BLUE")).toMatchObject({ sellable: 10, reserved: 0 });
  });

  it("cancelling after shipment is refused as already_shipped", async () => {
    await connector.createOutboundOrder(order("fo-5"));
    account.orders.ship("fo-5");
    expect(await connector.cancelOutboundOrder("fo-5")).toEqual({ cancelled: false, reason: "already_shipped" });
    expect(account.orders.find("fo-5")?.status).toBe("shipped");
  });

  it("cancelling an order the warehouse never saw reports not_found", async () => {
    expect(await connector.cancelOutboundOrder("fo-never-sent")).toEqual({ cancelled: false, reason: "not_found" });
  });
});

describe("generic warehouse: stock adjustments", () => {
  it("posting one adjustment reference twice adjusts once", async () => {
    const lines = [
      { warehouseCode: "LAX1", sku: "MUG-BLUE", delta: -3, reason: "cycle_count" as const },
      { warehouseCode: "LAX1", sku: "MUG-RED", delta: 2, reason: "cycle_count" as const },
    ];
    await connector.adjustStock("gid://tallysync/CycleCount/812", lines);
    await connector.adjustStock("gid://tallysync/CycleCount/812", lines);

    expect(account.level("LAX1", "MUG-BLUE").sellable).toBe(7);
    expect(account.level("LAX1", "MUG-RED").sellable).toBe(7);
  });

  it("a count larger than the protocol's 250 lines per request is posted in parts, still idempotent", async () => {
    const skus = Array.from({ length: 260 }, (_, i) => `BULK-${i}`);
    for (const sku of skus) account.receive("RTM1", sku, 1);
    const lines = skus.map((sku) => ({ warehouseCode: "RTM1", sku, delta: 4, reason: "found" as const }));

    await connector.adjustStock("count-77", lines);
    await connector.adjustStock("count-77", lines);

    expect(skus.every((sku) => account.level("RTM1", sku).sellable === 5)).toBe(true);
  });

  it("a negative adjustment larger than the stock is refused with the warehouse's words", async () => {
    const error = await connector
      .adjustStock("count-78", [{ warehouseCode: "LAX1", sku: "MUG-BLUE", delta: -50, reason: "lost" }])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 409, code: "insufficient_stock" });
    expect((error as Error).message).toMatch(/Not enough sellable stock in LAX1: MUG-BLUE/);
    expect(account.level("LAX1", "MUG-BLUE").sellable).toBe(10);
  });

  it("one posting cannot mix reasons, since the protocol takes one reason per adjustment", async () => {
    await expect(
      connector.adjustStock("count-79", [
        { warehouseCode: "LAX1", sku: "MUG-BLUE", delta: -1, reason: "lost" },
        { warehouseCode: "LAX1", sku: "MUG-RED", delta: 1, reason: "found" },
      ]),
    ).rejects.toThrow(/mixes reasons \(lost, found\)/);
    expect(account.level("LAX1", "MUG-BLUE").sellable).toBe(10);
  });
});

describe("generic warehouse: deliveries", () => {
  it("a shipment reads as not delivered until the carrier delivers it, then comes again in the feed with its delivery time", async () => {
    await connector.createOutboundOrder(order("fo-d1"));
    const shipment = account.orders.ship("fo-d1", { carrier: "UPS", tracking_number: "1ZDELIVER1" });
    const first = await connector.readShipments(null);
    expect(first.items.find((s) => s.id === shipment.id)?.deliveredAt).toBeNull();

    account.orders.deliver(shipment.id, "2026-11-25T15:30:00.000Z");
    const after = await connector.readShipments(first.nextCursor);
    const delivered = after.items.find((s) => s.id === shipment.id);
    expect(delivered?.deliveredAt?.toISOString()).toBe("2026-11-25T15:30:00.000Z");
    expect(delivered!.sequence).toBeGreaterThan(first.items.find((s) => s.id === shipment.id)!.sequence);
  });
});
