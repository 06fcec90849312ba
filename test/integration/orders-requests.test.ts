// Fulfillment requests end to end, through the Shopify and WMS simulators: Shopify calls the
// warehouse's fulfillment service, the app routes the request, moves it when another warehouse
// is better, accepts it and creates the warehouse order exactly once; orders no warehouse can ship
// wait in a visible queue or are rejected with a reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forShop } from "~/db/tenant.server";
import { processFulfillmentOrder } from "~/orders/requests.server";
import { pollOrders, retryWaitingAllocations, scheduleOrdersPoll } from "~/orders/jobs.server";
import type { WarehouseConnector } from "~/warehouses/connector";
import { buildWorld, startOrderSims, twoWarehouses, type Sims } from "../helpers/orders-world";

let sims: Sims;

beforeAll(async () => {
  sims = await startOrderSims(21);
});

afterAll(async () => {
  await sims?.stop();
});

describe("fulfillment requests", () => {
  it("a fulfillment request becomes exactly one warehouse order, accepted in Shopify, with the order's reservation acknowledged", async () => {
    // Los Angeles ranks first for TallySync too, so the order stays where Shopify put it.
    const world = await buildWorld(sims, { skus: ["MUG-BLUE"], warehouses: twoWarehouses({ LAX1: { "MUG-BLUE": 10 }, NJ1: { "MUG-BLUE": 10 } }, { LAX1: 1, NJ1: 2 }) });
    const { fulfillmentOrderId, orderId, locationId } = world.checkout([{ sku: "MUG-BLUE", quantity: 2 }]);
    expect(locationId).toBe(world.warehouse.LAX1!.locationId);
    await world.settle();

    expect(world.wmsOrders(fulfillmentOrderId)).toBe(1);
    expect(world.shopifyFo(fulfillmentOrderId).requestStatus).toBe("ACCEPTED");
    const allocation = await world.allocation(fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "sent", warehouseOrderStatus: "acknowledged", lastError: null });
    expect(allocation.warehouseOrderRef).toBe(world.account.orders.find(fulfillmentOrderId)!.id);
    expect(await world.events(fulfillmentOrderId)).toEqual(expect.arrayContaining(["requested", "routed", "accepted", "sent", "acknowledged"]));
    const reservations = await forShop(world.shop).reservation.findMany({ where: { orderId } });
    expect(reservations.map((r) => r.status)).toEqual(["acknowledged"]);
    // The warehouse moved the 2 units from sellable to reserved; the position shows it already.
    const position = await forShop(world.shop).inventoryPosition.findFirstOrThrow({ where: { warehouseId: allocation.warehouseId!, warehouseSku: "MUG-BLUE" } });
    expect(position.warehouseSellable).toBe(8);
  });

  it("duplicated callbacks and the poll seeing the same requests create one warehouse order per request", async () => {
    const world = await buildWorld(sims, { skus: ["LAMP-OAK"], warehouses: twoWarehouses({ LAX1: { "LAMP-OAK": 30 }, NJ1: { "LAMP-OAK": 30 } }) });
    sims.shopify.faults.set({ webhookDuplicate: { next: 20 } });
    const placed = [1, 2, 3].map(() => world.checkout([{ sku: "LAMP-OAK", quantity: 1 }]));
    await sims.shopify.webhooks.idle();
    await scheduleOrdersPoll(world.shop);
    await world.settle();
    sims.shopify.faults.reset();

    const notifications = await forShop(world.shop).webhookInbox.count({ where: { topic: "fulfillment_order_notification/fulfillment_request" } });
    expect(notifications).toBeGreaterThanOrEqual(6);
    for (const { fulfillmentOrderId } of placed) {
      expect(world.wmsOrders(fulfillmentOrderId)).toBe(1);
      expect((await world.allocation(fulfillmentOrderId)).status).toBe("sent");
    }
    expect(world.account.orders.list()).toHaveLength(3);
  });

  it("a warehouse and a Shopify that fail the first attempts (503) are retried until the order is sent, still once", async () => {
    const world = await buildWorld(sims, { skus: ["TEE-S"], warehouses: twoWarehouses({ LAX1: { "TEE-S": 5 }, NJ1: { "TEE-S": 5 } }) });
    // More failures in a row than one call retries on its own: the job itself must come back.
    const serverErrorsBefore = sims.wms.faults.stats.serverError;
    sims.wms.faults.set({ serverError: { status: 503, method: "POST", pathPrefix: "/v1/outbound-orders", times: 6 } });
    sims.shopify.faults.set({ api5xx: { next: 6, status: 503 } });
    const { fulfillmentOrderId } = world.checkout([{ sku: "TEE-S", quantity: 1 }]);
    await world.settle();
    sims.wms.faults.clear();
    sims.shopify.faults.reset();

    expect(sims.wms.faults.stats.serverError - serverErrorsBefore).toBe(6);
    expect(world.wmsOrders(fulfillmentOrderId)).toBe(1);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("sent");
  });

  it("a crash after the warehouse created the order is finished by the retry, which finds that order instead of creating a second", async () => {
    const world = await buildWorld(sims, { skus: ["CAP-RED"], warehouses: twoWarehouses({ LAX1: { "CAP-RED": 5 }, NJ1: { "CAP-RED": 5 } }) });
    const { fulfillmentOrderId } = world.checkout([{ sku: "CAP-RED", quantity: 1 }]);
    await sims.shopify.webhooks.idle();

    const deps = await world.deps();
    let created = 0;
    const crashing = {
      ...deps,
      async connectorFor(shop: string, connectionId: string): Promise<WarehouseConnector> {
        const real = await deps.connectorFor(shop, connectionId);
        return {
          ...real,
          async createOutboundOrder(request) {
            const order = await real.createOutboundOrder(request); // the warehouse creates it...
            created++;
            throw new Error("worker killed before the answer was recorded"); // ...and we never hear back
          },
        };
      },
    };
    await expect(processFulfillmentOrder(world.shop, fulfillmentOrderId, crashing)).rejects.toThrow(/worker killed/);
    expect(created).toBe(1);
    expect(world.wmsOrders(fulfillmentOrderId)).toBe(1);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("accepted");

    // The worker died with its job: the notification's job has run, and Shopify no longer lists the
    // order as requested (it was accepted). The poll's sweep of unfinished orders picks it up.
    await world.settle();
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("accepted");
    const later = { ...deps, now: () => new Date(Date.now() + 3 * 60_000) };
    expect((await pollOrders(world.shop, later)).stuck).toBe(1);
    await world.settle();
    expect(world.wmsOrders(fulfillmentOrderId)).toBe(1);
    const allocation = await world.allocation(fulfillmentOrderId);
    expect(allocation.status).toBe("sent");
    expect(allocation.warehouseOrderRef).toBe(world.account.orders.find(fulfillmentOrderId)!.id);
    expect(world.account.orders.list()).toHaveLength(1);
  });
});

describe("routing", () => {
  it("routing moves the fulfillment order to the better-priority warehouse that has the stock, and the warehouse order is created there", async () => {
    // Shopify put the order at Los Angeles (its location comes first); Newark ranks first for TallySync.
    const world = await buildWorld(sims, { skus: ["BOWL"], warehouses: twoWarehouses({ LAX1: { BOWL: 5 }, NJ1: { BOWL: 5 } }, { LAX1: 2, NJ1: 1 }) });
    const placed = world.checkout([{ sku: "BOWL", quantity: 2 }]);
    expect(placed.locationId).toBe(world.warehouse.LAX1!.locationId);
    await world.settle();

    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "sent", warehouseId: world.warehouse.NJ1!.id, movedFromLocationId: world.warehouse.LAX1!.locationId });
    expect(world.shopifyFo(placed.fulfillmentOrderId)).toMatchObject({ requestStatus: "ACCEPTED", assignedLocationId: world.warehouse.NJ1!.locationId });
    expect(world.account.orders.find(placed.fulfillmentOrderId)?.warehouse).toBe("NJ1");
    expect(world.wmsOrders(placed.fulfillmentOrderId)).toBe(1);
    expect(JSON.parse(allocation.routingReason!)).toMatchObject({ kind: "route", warehouseIds: [world.warehouse.NJ1!.id], moveFrom: world.warehouse.LAX1!.locationId });
    expect(await world.events(placed.fulfillmentOrderId)).toEqual(expect.arrayContaining(["routed", "moved", "accepted", "sent"]));
    // The reservation followed the units to Newark.
    const reservations = await forShop(world.shop).reservation.findMany({ where: { orderId: placed.orderId }, orderBy: { createdAt: "asc" } });
    expect(reservations.map((r) => [r.warehouseId, r.status])).toEqual(
      expect.arrayContaining([
        [world.warehouse.NJ1!.id, "acknowledged"],
        [world.warehouse.LAX1!.id, "released"],
      ]),
    );
  });

  it("an order stays at the assigned warehouse when the better-priority one lacks the stock, its own reserved units counting as available to it", async () => {
    // Los Angeles has exactly the 3 units: the order's own reservation there must not count against it.
    const world = await buildWorld(sims, { skus: ["VASE"], warehouses: twoWarehouses({ LAX1: { VASE: 3 }, NJ1: { VASE: 1 } }, { LAX1: 2, NJ1: 1 }) });
    const placed = world.checkout([{ sku: "VASE", quantity: 3 }]);
    expect(placed.locationId).toBe(world.warehouse.LAX1!.locationId);
    await world.settle();

    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "sent", warehouseId: world.warehouse.LAX1!.id, movedFromLocationId: null });
    expect(world.account.orders.find(placed.fulfillmentOrderId)?.warehouse).toBe("LAX1");
    const reasons = JSON.parse(allocation.routingReason!).reasons as Array<{ code: string; warehouseId?: string }>;
    expect(reasons).toContainEqual(expect.objectContaining({ code: "insufficient_stock", warehouseId: world.warehouse.NJ1!.id }));
  });

  it("a market rule that excludes the assigned warehouse sends the order to the warehouse allowed to ship there", async () => {
    const world = await buildWorld(sims, { skus: ["RUG"], warehouses: twoWarehouses({ LAX1: { RUG: 4 }, NJ1: { RUG: 4 } }, { LAX1: 1, NJ1: 2 }) });
    await forShop(world.shop).shopSettings.update({
      where: { shop: world.shop },
      data: { routingRules: JSON.stringify([{ kind: "exclude_warehouse_for_market", warehouseId: world.warehouse.LAX1!.id, markets: ["US-NJ"] }]) },
    });
    const placed = world.checkout([{ sku: "RUG", quantity: 1 }]);
    expect(placed.locationId).toBe(world.warehouse.LAX1!.locationId);
    await world.settle();

    expect((await world.allocation(placed.fulfillmentOrderId)).warehouseId).toBe(world.warehouse.NJ1!.id);
    expect(world.account.orders.find(placed.fulfillmentOrderId)?.warehouse).toBe("NJ1");
  });

  it("an order to a market no warehouse may ship to is rejected in Shopify with a reason the merchant can read", async () => {
    const world = await buildWorld(sims, {
      skus: ["CHAIR"],
      warehouses: twoWarehouses({ LAX1: { CHAIR: 4 }, NJ1: { CHAIR: 4 } }),
      regions: { LAX1: ["US"], NJ1: ["US"] },
    });
    const placed = world.checkout([{ sku: "CHAIR", quantity: 1 }], { country: "Canada", countryCode: "CA", province: "Ontario", provinceCode: "ON", city: "Ottawa", zip: "K1A 0B1" });
    await world.settle();

    const fo = world.shopifyFo(placed.fulfillmentOrderId);
    expect(fo.requestStatus).toBe("REJECTED");
    expect(world.wmsOrders(placed.fulfillmentOrderId)).toBe(0);
    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation.status).toBe("rejected");
    expect(allocation.lastError).toMatch(/no connected warehouse can ship this order/);
    expect(allocation.lastError).toMatch(/Los Angeles does not ship to CA-ON/);
  });

  it("an order no warehouse can ship yet waits in the queue and goes out when stock arrives", async () => {
    const world = await buildWorld(sims, { skus: ["LAMP"], warehouses: twoWarehouses({ LAX1: { LAMP: 3 }, NJ1: { LAMP: 0 } }) });
    // Shopify still shows 3 at Los Angeles; the warehouse has just found 2 of them damaged.
    world.account.damage("LAX1", "LAMP", 2, "crushed");
    await sims.wms.webhooks.idle();
    const placed = world.checkout([{ sku: "LAMP", quantity: 3 }]);
    await world.settle();

    let allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation.status).toBe("waiting");
    expect(allocation.nextAttemptAt).not.toBeNull();
    expect(JSON.parse(allocation.routingReason!).reasons).toContainEqual(expect.objectContaining({ code: "stock_short", needed: 3, available: 1 }));
    expect(world.wmsOrders(placed.fulfillmentOrderId)).toBe(0);
    expect(world.shopifyFo(placed.fulfillmentOrderId).requestStatus).toBe("SUBMITTED");
    // Polling again changes nothing while the stock is short.
    expect(await retryWaitingAllocations(world.shop, await world.deps())).toBe(0);

    world.account.receive("LAX1", "LAMP", 10, "PO-77");
    await world.settle(); // the warehouse's stock webhook reaches the positions
    await scheduleOrdersPoll(world.shop);
    await world.settle();

    allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation.status).toBe("sent");
    expect(world.wmsOrders(placed.fulfillmentOrderId)).toBe(1);
    expect(world.shopifyFo(placed.fulfillmentOrderId).requestStatus).toBe("ACCEPTED");
    expect(await world.events(placed.fulfillmentOrderId)).toEqual(expect.arrayContaining(["waiting", "routed", "accepted", "sent"]));
  });
});
