// Splitting an order between warehouses, end to end through the Shopify and WMS simulators: when
// splitting is allowed and no single warehouse has every item, the lines another warehouse ships are
// moved out of Shopify's fulfillment order (a partial fulfillmentOrderMove) into a fulfillment order
// of their own at that warehouse, each part reaches its warehouse exactly once, and reservations
// follow the units. Without permission (or over the shipment limit) the order waits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forShop } from "~/db/tenant.server";
import type { OrderFulfillmentGateway } from "~/orders/gateway";
import { pollOrders } from "~/orders/jobs.server";
import { syncOrderReservations } from "~/inventory/orders.server";
import { processFulfillmentOrder } from "~/orders/requests.server";
import { inventoryGateway } from "~/shopify/gateway.server";
import { buildWorld, startOrderSims, twoWarehouses, type Sims, type World } from "../helpers/orders-world";

let sims: Sims;

beforeAll(async () => {
  sims = await startOrderSims(37);
});

afterAll(async () => {
  await sims?.stop();
});

/**
 * Los Angeles has the mugs, Newark the plates. Shopify believes Los Angeles has both (its level of
 * plates was edited by hand), so a checkout of both lands there as one fulfillment order.
 */
async function mugsAndPlates(split: { allow: boolean; max?: number | null }): Promise<World> {
  const world = await buildWorld(sims, { skus: ["MUG", "PLATE"], warehouses: twoWarehouses({ LAX1: { MUG: 5 }, NJ1: { PLATE: 5 } }) });
  await forShop(world.shop).shopSettings.update({ where: { shop: world.shop }, data: { routingAllowSplit: split.allow, routingMaxShipments: split.max ?? null } });
  sims.shopify.setLevel(world.shop, world.itemOf.get("PLATE")!, world.warehouse.LAX1!.locationId, { available: 5 });
  return world;
}

function checkoutBoth(world: World) {
  const placed = world.checkout([
    { sku: "MUG", quantity: 1 },
    { sku: "PLATE", quantity: 2 },
  ]);
  expect(placed.locationId).toBe(world.warehouse.LAX1!.locationId);
  return placed;
}

/** The order's fulfillment orders in Shopify: where each is, its request status, its SKUs and units. */
function shopifyFulfillmentOrders(world: World, orderId: string) {
  const state = sims.shopify.shop(world.shop);
  const order = state.orders.get(Number(orderId.split("/").pop()))!;
  return order.fulfillmentOrderIds.map((id) => {
    const fo = state.fulfillmentOrders.get(id)!;
    return {
      id: `gid://shopify/FulfillmentOrder/${fo.id}`,
      locationId: `gid://shopify/Location/${fo.assignedLocationId}`,
      requestStatus: fo.requestStatus,
      lines: fo.lineItems.map((l) => [l.sku, l.remainingQuantity]),
    };
  });
}

/** Two fulfillment orders, each at its warehouse, each accepted and sent there once; reservations where the units are. */
async function expectSplitDone(world: World, placed: { orderId: string; fulfillmentOrderId: string }) {
  const fos = shopifyFulfillmentOrders(world, placed.orderId);
  expect(fos).toEqual([
    { id: placed.fulfillmentOrderId, locationId: world.warehouse.LAX1!.locationId, requestStatus: "ACCEPTED", lines: [["MUG", 1]] },
    { id: expect.any(String), locationId: world.warehouse.NJ1!.locationId, requestStatus: "ACCEPTED", lines: [["PLATE", 2]] },
  ]);
  const movedId = fos[1]!.id;

  expect(world.wmsOrders(placed.fulfillmentOrderId)).toBe(1);
  expect(world.wmsOrders(movedId)).toBe(1);
  expect(world.account.orders.list()).toHaveLength(2);
  expect(world.account.orders.find(placed.fulfillmentOrderId)).toMatchObject({ warehouse: "LAX1" });
  expect(world.account.orders.find(movedId)).toMatchObject({ warehouse: "NJ1" });

  const original = await world.allocation(placed.fulfillmentOrderId);
  expect(original).toMatchObject({ status: "sent", warehouseId: world.warehouse.LAX1!.id, lastError: null });
  const moved = await world.allocation(movedId);
  expect(moved).toMatchObject({ status: "sent", warehouseId: world.warehouse.NJ1!.id, movedFromLocationId: world.warehouse.LAX1!.locationId, lastError: null });
  expect(moved.orderId).toBe(original.orderId);
  expect(JSON.parse(moved.routingReason!)).toMatchObject({ kind: "route", warehouseIds: [world.warehouse.NJ1!.id], splitFrom: placed.fulfillmentOrderId });

  // Shopify's committed units followed the plates to Newark.
  expect(sims.shopify.level(world.shop, world.itemOf.get("PLATE")!, world.warehouse.LAX1!.locationId)).toMatchObject({ committed: 0 });
  expect(sims.shopify.level(world.shop, world.itemOf.get("PLATE")!, world.warehouse.NJ1!.locationId)).toMatchObject({ committed: 2 });
  // And so did ours: the units are reserved at the warehouse that ships them, and only there.
  expect(await reservationsOf(world, placed.orderId, "MUG", "LAX1")).toEqual([[1, "acknowledged", null]]);
  expect(await reservationsOf(world, placed.orderId, "PLATE", "NJ1")).toEqual([[2, "acknowledged", null]]);
  expect((await reservationsOf(world, placed.orderId, "PLATE", "LAX1")).filter(([, status]) => status !== "released")).toEqual([]);
  expect(await reservationsOf(world, placed.orderId, "MUG", "NJ1")).toEqual([]);
  return { movedId };
}

/** The order's reservations of a SKU at a warehouse: [quantity, status, releasedReason]. */
async function reservationsOf(world: World, orderId: string, sku: string, warehouse: string) {
  const rows = await forShop(world.shop).reservation.findMany({ where: { orderId, inventoryItemId: world.itemOf.get(sku)!, warehouseId: world.warehouse[warehouse]!.id } });
  return rows.map((r) => [r.quantity, r.status, r.releasedReason] as const);
}

/** What the orders/create webhook does: reserve the order's units where Shopify committed them (before routing, here). */
async function reserveAsPlaced(world: World, orderId: string) {
  await syncOrderReservations(world.shop, orderId, inventoryGateway(sims.client(world.shop)));
  expect(await reservationsOf(world, orderId, "PLATE", "LAX1")).toEqual([[2, "active", null]]);
}

describe("splitting an order between warehouses", () => {
  it("with splitting allowed and no warehouse holding everything, an order of two SKUs becomes one warehouse order at each warehouse", async () => {
    const world = await mugsAndPlates({ allow: true });
    const placed = checkoutBoth(world);
    await world.settle();

    const { movedId } = await expectSplitDone(world, placed);
    const routing = JSON.parse((await world.allocation(placed.fulfillmentOrderId)).routingReason!);
    expect(routing).toMatchObject({ kind: "route", warehouseIds: [world.warehouse.NJ1!.id, world.warehouse.LAX1!.id] });
    expect(routing.reasons).toContainEqual(expect.objectContaining({ code: "split_fewest_shipments", shipments: 2 }));

    // The timeline says what went where.
    const scoped = forShop(world.shop);
    const original = await world.allocation(placed.fulfillmentOrderId);
    const moves = await scoped.allocationEvent.findMany({ where: { allocationId: original.id, kind: "moved" } });
    expect(moves.map((e) => e.note)).toEqual([expect.stringMatching(/^Split: 1 line \(2 units\) to Newark \(fulfillment order \d+\), 1 line \(1 unit\) stays at Los Angeles$/)]);
    expect(await world.events(placed.fulfillmentOrderId)).toEqual(expect.arrayContaining(["requested", "routed", "moved", "accepted", "sent"]));
    expect(await world.events(movedId)).toEqual(expect.arrayContaining(["requested", "routed", "accepted", "sent"]));

    // Running either again finds nothing to do, and nothing moves twice.
    const deps = await world.deps();
    expect(await processFulfillmentOrder(world.shop, placed.fulfillmentOrderId, deps)).toBe("nothing_to_do");
    expect(await processFulfillmentOrder(world.shop, movedId, deps)).toBe("nothing_to_do");
    await world.settle();
    await expectSplitDone(world, placed);
  });

  it("two runs of the same request at once split it once", async () => {
    const world = await mugsAndPlates({ allow: true });
    const placed = checkoutBoth(world);
    await sims.shopify.webhooks.idle();

    await reserveAsPlaced(world, placed.orderId);

    const deps = await world.deps();
    const outcomes = await Promise.all([processFulfillmentOrder(world.shop, placed.fulfillmentOrderId, deps), processFulfillmentOrder(world.shop, placed.fulfillmentOrderId, deps)]);
    expect(outcomes).toContain("sent");
    expect(outcomes.filter((o) => o !== "sent")).toEqual([expect.stringMatching(/^(busy|nothing_to_do)$/)]);
    await world.settle();
    await expectSplitDone(world, placed);
    // The plates' reservation left Los Angeles with them.
    expect(await reservationsOf(world, placed.orderId, "PLATE", "LAX1")).toEqual([[2, "released", "rerouted"]]);
  });

  it("a crash right after Shopify moved the lines is finished from Shopify's state: no line moves twice, each part reaches its warehouse once", async () => {
    const world = await mugsAndPlates({ allow: true });
    const placed = checkoutBoth(world);
    await sims.shopify.webhooks.idle();
    await reserveAsPlaced(world, placed.orderId);

    const deps = await world.deps();
    let moves = 0;
    const crashing: OrderFulfillmentGateway = {
      ...deps.shopify,
      async moveFulfillmentOrder(id, newLocationId, lines) {
        await deps.shopify.moveFulfillmentOrder(id, newLocationId, lines); // Shopify moves the plates...
        moves++;
        throw new Error("worker killed before the answer was recorded"); // ...and we never hear back
      },
    };
    await expect(processFulfillmentOrder(world.shop, placed.fulfillmentOrderId, { ...deps, shopify: crashing })).rejects.toThrow(/worker killed/);
    expect(moves).toBe(1);
    expect(shopifyFulfillmentOrders(world, placed.orderId)).toHaveLength(2);
    expect((await world.allocation(placed.fulfillmentOrderId)).status).toBe("requested");

    // Shopify's request for the plates brings their part; the poll's sweep of unfinished orders brings
    // back the original (Shopify no longer lists it as requested: it was rejected to be split).
    await world.settle();
    expect((await world.allocation(placed.fulfillmentOrderId)).status).toBe("requested");
    expect((await pollOrders(world.shop, { ...deps, now: () => new Date(Date.now() + 3 * 60_000) })).stuck).toBe(1);
    await world.settle();
    await expectSplitDone(world, placed);
    expect(moves).toBe(1);
    // The run that finished the split also moved the reservation the crashed one had not.
    expect(await reservationsOf(world, placed.orderId, "PLATE", "LAX1")).toEqual([[2, "released", "rerouted"]]);
  });

  it("a crash after the rejection and before any move is finished by the recorded plan, splitting once", async () => {
    const world = await mugsAndPlates({ allow: true });
    const placed = checkoutBoth(world);
    await sims.shopify.webhooks.idle();

    const deps = await world.deps();
    const crashing: OrderFulfillmentGateway = {
      ...deps.shopify,
      async moveFulfillmentOrder() {
        throw new Error("worker killed before the move");
      },
    };
    await expect(processFulfillmentOrder(world.shop, placed.fulfillmentOrderId, { ...deps, shopify: crashing })).rejects.toThrow(/worker killed/);
    expect(world.shopifyFo(placed.fulfillmentOrderId).requestStatus).toBe("REJECTED");
    expect(shopifyFulfillmentOrders(world, placed.orderId)).toHaveLength(1);

    await world.settle();
    expect((await pollOrders(world.shop, { ...deps, now: () => new Date(Date.now() + 3 * 60_000) })).stuck).toBe(1);
    await world.settle();
    await expectSplitDone(world, placed);
  });
});

describe("when the warehouse Shopify chose ships none of it", () => {
  it("one part is moved out to its warehouse, then the rest moves whole to the other", async () => {
    const world = await buildWorld(sims, {
      skus: ["MUG", "PLATE"],
      warehouses: [
        ...twoWarehouses({ LAX1: {}, NJ1: { MUG: 5 } }),
        { code: "CHI1", name: "Chicago", latitude: 41.88, longitude: -87.63, provinceCode: "IL", priority: 3, stock: { PLATE: 5 } },
      ],
    });
    await forShop(world.shop).shopSettings.update({ where: { shop: world.shop }, data: { routingAllowSplit: true } });
    for (const sku of ["MUG", "PLATE"]) sims.shopify.setLevel(world.shop, world.itemOf.get(sku)!, world.warehouse.LAX1!.locationId, { available: 5 });
    const placed = checkoutBoth(world);
    await sims.shopify.webhooks.idle();
    await reserveAsPlaced(world, placed.orderId);
    await world.settle();

    expect(shopifyFulfillmentOrders(world, placed.orderId)).toEqual([
      { id: placed.fulfillmentOrderId, locationId: world.warehouse.NJ1!.locationId, requestStatus: "ACCEPTED", lines: [["MUG", 1]] },
      { id: expect.any(String), locationId: world.warehouse.CHI1!.locationId, requestStatus: "ACCEPTED", lines: [["PLATE", 2]] },
    ]);
    expect(world.account.orders.find(placed.fulfillmentOrderId)?.warehouse).toBe("NJ1");
    expect(world.account.orders.list().map((o) => o.warehouse).sort()).toEqual(["CHI1", "NJ1"]);
    expect(await world.allocation(placed.fulfillmentOrderId)).toMatchObject({ status: "sent", warehouseId: world.warehouse.NJ1!.id, movedFromLocationId: world.warehouse.LAX1!.locationId });
    for (const sku of ["MUG", "PLATE"]) expect(await reservationsOf(world, placed.orderId, sku, "LAX1")).toEqual([[sku === "MUG" ? 1 : 2, "released", "rerouted"]]);
    expect(await reservationsOf(world, placed.orderId, "MUG", "NJ1")).toEqual([[1, "acknowledged", null]]);
    expect(await reservationsOf(world, placed.orderId, "PLATE", "CHI1")).toEqual([[2, "acknowledged", null]]);
    const original = await world.allocation(placed.fulfillmentOrderId);
    const moves = await forShop(world.shop).allocationEvent.findMany({ where: { allocationId: original.id, kind: "moved" }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(moves.map((e) => e.note)).toEqual([expect.stringMatching(/^Split: 1 line \(2 units\) to Chicago .*, 1 line \(1 unit\) goes to Newark$/), "Moved to Newark"]);
  });
});

describe("a line no single warehouse has enough of", () => {
  it("is itself split: its units at each warehouse are reserved and sent there", async () => {
    const world = await buildWorld(sims, { skus: ["MUG", "PLATE"], warehouses: twoWarehouses({ LAX1: { MUG: 5, PLATE: 1 }, NJ1: { PLATE: 1 } }) });
    await forShop(world.shop).shopSettings.update({ where: { shop: world.shop }, data: { routingAllowSplit: true } });
    sims.shopify.setLevel(world.shop, world.itemOf.get("PLATE")!, world.warehouse.LAX1!.locationId, { available: 5 });
    const placed = checkoutBoth(world);
    await sims.shopify.webhooks.idle();
    await reserveAsPlaced(world, placed.orderId);
    await world.settle();

    const fos = shopifyFulfillmentOrders(world, placed.orderId);
    expect(fos).toEqual([
      { id: placed.fulfillmentOrderId, locationId: world.warehouse.LAX1!.locationId, requestStatus: "ACCEPTED", lines: [["MUG", 1], ["PLATE", 1]] },
      { id: expect.any(String), locationId: world.warehouse.NJ1!.locationId, requestStatus: "ACCEPTED", lines: [["PLATE", 1]] },
    ]);
    expect(world.account.orders.find(placed.fulfillmentOrderId)?.lines.map((l) => [l.sku, l.quantity])).toEqual([["MUG", 1], ["PLATE", 1]]);
    expect(world.account.orders.find(fos[1]!.id)?.lines.map((l) => [l.sku, l.quantity])).toEqual([["PLATE", 1]]);
    expect(world.account.orders.list()).toHaveLength(2);
    // The plates' reservation at Los Angeles shrank to the one unit that stayed.
    expect(await reservationsOf(world, placed.orderId, "PLATE", "LAX1")).toEqual([[1, "acknowledged", null]]);
    expect(await reservationsOf(world, placed.orderId, "PLATE", "NJ1")).toEqual([[1, "acknowledged", null]]);
    const original = await world.allocation(placed.fulfillmentOrderId);
    const moves = await forShop(world.shop).allocationEvent.findMany({ where: { allocationId: original.id, kind: "moved" } });
    expect(moves.map((e) => e.note)).toEqual([expect.stringMatching(/^Split: 1 line \(1 unit\) to Newark .*, 2 lines \(2 units\) stay at Los Angeles$/)]);
  });
});

describe("when splitting is not allowed", () => {
  it("an order no single warehouse can ship waits, and Shopify keeps one fulfillment order", async () => {
    const world = await mugsAndPlates({ allow: false });
    const placed = checkoutBoth(world);
    await world.settle();

    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation.status).toBe("waiting");
    expect(JSON.parse(allocation.routingReason!).reasons).toContainEqual(expect.objectContaining({ code: "split_not_allowed", shipmentsNeeded: 2 }));
    expect(shopifyFulfillmentOrders(world, placed.orderId)).toEqual([
      { id: placed.fulfillmentOrderId, locationId: world.warehouse.LAX1!.locationId, requestStatus: "SUBMITTED", lines: [["MUG", 1], ["PLATE", 2]] },
    ]);
    expect(world.account.orders.list()).toHaveLength(0);
  });

  it("a split over the most shipments allowed per order waits too", async () => {
    const world = await mugsAndPlates({ allow: true, max: 1 });
    const placed = checkoutBoth(world);
    await world.settle();

    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation.status).toBe("waiting");
    expect(JSON.parse(allocation.routingReason!).reasons).toContainEqual(expect.objectContaining({ code: "too_many_shipments", shipmentsNeeded: 2, maxShipments: 1 }));
    expect(shopifyFulfillmentOrders(world, placed.orderId)).toHaveLength(1);
    expect(world.account.orders.list()).toHaveLength(0);
  });
});
