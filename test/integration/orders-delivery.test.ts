// The last step of an order's timeline, through the Shopify and WMS simulators: a delivery the
// warehouse reports is told to Shopify once (a DELIVERED fulfillment event), a delivery Shopify's
// carrier tracking reports is recorded without writing anything back, an order of several parcels
// is delivered when its last one is, and Shopify's fetch_tracking_numbers callback is answered from
// the shipments we recorded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import type { OrderFulfillmentGateway } from "~/orders/gateway";
import { pollOrders } from "~/orders/jobs.server";
import { recordWarehouseShipment, shipmentKey } from "~/orders/shipments.server";
import { loader as trackingLoader } from "~/routes/fulfillment-service.$warehouseId.fetch_tracking_numbers";
import { callbackSignature } from "~/shopify/callback-signature.server";
import { connectorFor } from "~/warehouses/connections.server";
import { SECRET, sentOrder, shopifyFulfillments, startOrderSims, type Sims, type World } from "../helpers/orders-world";

let sims: Sims;

beforeAll(async () => {
  sims = await startOrderSims(47);
});

afterAll(async () => {
  await sims?.stop();
});

afterEach(async () => {
  sims.wms.faults.clear();
  sims.shopify.faults.reset();
  // Nothing the app tried gave up for good.
  expect(await db.job.findMany({ where: { status: "dead" }, select: { type: true, lastError: true } })).toEqual([]);
});

/** The fulfillment events Shopify holds for the order's fulfillments, as [status, happenedAt]. */
function shopifyEvents(world: World, fulfillmentOrderId: string): Array<[string, string]> {
  return shopifyFulfillments(world, fulfillmentOrderId).flatMap((f) => f.events.map((e) => [e.status, e.happenedAt] as [string, string]));
}

async function shipmentRow(world: World, warehouseShipmentId: string) {
  return forShop(world.shop).shipment.findUniqueOrThrow({ where: { shop_warehouseShipmentId: { shop: world.shop, warehouseShipmentId: shipmentKey(world.connectionId, warehouseShipmentId) } } });
}

describe("deliveries the warehouse reports", () => {
  it("are told to Shopify once, as a DELIVERED fulfillment event at the carrier's time, and end the order's timeline", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    const shipment = world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1ZDELIVERED0001" });
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");

    world.account.orders.deliver(shipment.id, "2026-11-25T15:30:00.000Z");
    await world.settle();

    expect(shopifyEvents(world, fulfillmentOrderId)).toEqual([["DELIVERED", "2026-11-25T15:30:00.000Z"]]);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("delivered");
    expect(await world.events(fulfillmentOrderId)).toContain("delivered");
    expect(await shipmentRow(world, shipment.id)).toMatchObject({ deliveredAt: new Date("2026-11-25T15:30:00.000Z"), deliveredBy: "warehouse", deliveryWritten: "written", connectionId: world.connectionId });

    // The same delivery again, from the feed and as a repeated event; and Shopify's own echo of our
    // event (fulfillment_events/create) came back too: nothing new in Shopify or on the timeline.
    await pollOrders(world.shop, await world.deps());
    const [again] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.id === shipment.id);
    expect(again!.deliveredAt).not.toBeNull();
    expect(await recordWarehouseShipment(world.shop, world.connectionId, again!, await world.deps())).toBe("unchanged");
    await world.settle();
    expect(shopifyEvents(world, fulfillmentOrderId)).toHaveLength(1);
    expect((await world.events(fulfillmentOrderId)).filter((kind) => kind === "delivered")).toHaveLength(1);
  });

  it("a crash after Shopify recorded the delivery does not write it a second time", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    sims.wms.faults.dropNextWebhooks(20); // handled below, with a gateway that crashes
    const shipment = world.account.orders.ship(fulfillmentOrderId, { carrier: "DHL", tracking_number: "JD0140000000077" });
    world.account.orders.deliver(shipment.id, "2026-11-26T09:00:00.000Z");
    await sims.wms.webhooks.idle();
    const [delivered] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.id === shipment.id);
    expect(delivered!.deliveredAt).not.toBeNull();

    const deps = await world.deps();
    let written = 0;
    const crashing: OrderFulfillmentGateway = {
      ...deps.shopify,
      async reportDelivered(fulfillmentId, at) {
        await deps.shopify.reportDelivered(fulfillmentId, at); // Shopify records it...
        written++;
        throw new Error("worker killed before the answer was recorded"); // ...and we never hear back
      },
    };
    // Shipped and delivered in one report: the fulfillment is made, then the delivery written.
    await expect(recordWarehouseShipment(world.shop, world.connectionId, delivered!, { ...deps, shopify: crashing })).rejects.toThrow(/worker killed/);
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);
    expect(shopifyEvents(world, fulfillmentOrderId)).toHaveLength(1);
    expect((await shipmentRow(world, shipment.id)).deliveryWritten).toBe("writing");

    // The retry asks Shopify first, finds the delivery there, and only records it.
    let reads = 0;
    const counting: OrderFulfillmentGateway = {
      ...deps.shopify,
      async fulfillmentDeliveredAt(id) {
        reads++;
        return deps.shopify.fulfillmentDeliveredAt(id);
      },
    };
    expect(await recordWarehouseShipment(world.shop, world.connectionId, delivered!, { ...deps, shopify: counting })).toBe("delivered");
    expect(reads).toBe(1);
    expect(written).toBe(1);
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);
    expect(shopifyEvents(world, fulfillmentOrderId)).toEqual([["DELIVERED", "2026-11-26T09:00:00.000Z"]]);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("delivered");
  });

  it("an order in two parcels is delivered when the second one is, not the first", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    const first = world.account.orders.ship(fulfillmentOrderId, { lines: [{ sku: "MUG", quantity: 2 }], carrier: "USPS", tracking_number: "9400100000000000000101" });
    await world.settle();
    world.account.orders.deliver(first.id);
    await world.settle();
    // Part of the order is still in the warehouse: the parcel is delivered, the order is not.
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("sent");
    expect(await world.events(fulfillmentOrderId)).toContain("delivered");

    const second = world.account.orders.ship(fulfillmentOrderId, { carrier: "USPS", tracking_number: "9400100000000000000102" });
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");
    world.account.orders.deliver(second.id);
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("delivered");
    expect(shopifyEvents(world, fulfillmentOrderId).map(([status]) => status)).toEqual(["DELIVERED", "DELIVERED"]);
  });
});

describe("deliveries Shopify reports", () => {
  it("a carrier Shopify tracks delivers the parcel: recorded from fulfillment_events/create, nothing written back, and the warehouse's later report changes nothing", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    const shipment = world.account.orders.ship(fulfillmentOrderId, { carrier: "FedEx", tracking_number: "771234560001" });
    await world.settle();
    const [fulfillment] = shopifyFulfillments(world, fulfillmentOrderId);

    // In transit first: not a delivery, nothing changes.
    expect(sims.shopify.carrierEvent(world.shop, fulfillment!.id, { status: "IN_TRANSIT", happenedAt: "2026-11-24T08:00:00.000Z" }).ok).toBe(true);
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");

    expect(sims.shopify.carrierEvent(world.shop, fulfillment!.id, { status: "DELIVERED", happenedAt: "2026-11-25T12:00:00.000Z" }).ok).toBe(true);
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("delivered");
    expect(await shipmentRow(world, shipment.id)).toMatchObject({ deliveredAt: new Date("2026-11-25T12:00:00.000Z"), deliveredBy: "shopify", deliveryWritten: "written" });

    world.account.orders.deliver(shipment.id, "2026-11-25T12:05:00.000Z");
    await world.settle();
    // Only the carrier's two events: TallySync wrote none.
    expect(shopifyEvents(world, fulfillmentOrderId).map(([status]) => status)).toEqual(["IN_TRANSIT", "DELIVERED"]);
    expect((await world.events(fulfillmentOrderId)).filter((kind) => kind === "delivered")).toHaveLength(1);
  });
});

describe("fetch_tracking_numbers", () => {
  function signed(warehouseId: string, query: string, secret = SECRET): Request {
    const url = new URL(`https://app.example.com/fulfillment-service/${warehouseId}/fetch_tracking_numbers.json?${query}`);
    return new Request(url, { headers: { "X-Shopify-Hmac-Sha256": callbackSignature(url, secret) } });
  }

  it("answers each named fulfillment of the warehouse with its tracking number, and refuses a bad signature", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1ZTRACKING0042" });
    await world.settle();
    const [fulfillment] = shopifyFulfillments(world, fulfillmentOrderId);
    expect(fulfillment!.name).toMatch(/^#\d+\.\d+$/);
    const la = world.warehouse.LAX1!.id;
    const names = `order_names%5B%5D=${encodeURIComponent(fulfillment!.name)}&order_names%5B%5D=%239999.1`;

    const answer = await trackingLoader({ request: signed(la, `${names}&shop=${world.shop}`), params: { warehouseId: la }, context: {} });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ tracking_numbers: { [fulfillment!.name]: "1ZTRACKING0042" }, message: "Successfully received the tracking numbers", success: true });

    // Another warehouse of the shop does not answer for Los Angeles' parcels.
    const nj = world.warehouse.NJ1!.id;
    expect(await (await trackingLoader({ request: signed(nj, `${names}&shop=${world.shop}`), params: { warehouseId: nj }, context: {} })).json()).toMatchObject({ tracking_numbers: {} });

    const forged = await trackingLoader({ request: signed(la, `${names}&shop=${world.shop}`, "not-the-secret"), params: { warehouseId: la }, context: {} });
    expect(forged.status).toBe(401);
    const unknown = await trackingLoader({ request: signed("no-such-warehouse", `${names}&shop=${world.shop}`), params: { warehouseId: "no-such-warehouse" }, context: {} });
    expect(unknown.status).toBe(404);
  });
});
