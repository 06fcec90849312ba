// After the warehouse has the order, through the Shopify and WMS simulators: its shipments become
// Shopify fulfillments with tracking (once each, partial ones included), Shopify's cancellations
// reach it (or are refused once it shipped), its own cancellations and exceptions reach the
// merchant, and returns restock through the stock sync.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import type { OrderFulfillmentGateway } from "~/orders/gateway";
import { pollOrders, scheduleOrdersPoll } from "~/orders/jobs.server";
import { recordWarehouseShipment, shipmentKey } from "~/orders/shipments.server";
import { claimAllocationLease } from "~/orders/allocation-statements.server";
import { drainWarehouseOrderEvents } from "~/orders/warehouse-events.server";
import { RETURNED_DAMAGED, RETURNED_SELLABLE } from "~/orders/returns.server";
import { createWarehouseConnection } from "~/models/warehouse-connection.server";
import { connectorFor } from "~/warehouses/connections.server";
import { buildWorld, sentOrder, shopifyFulfillments, startOrderSims, twoWarehouses, type Sims, type World } from "../helpers/orders-world";

let sims: Sims;

beforeAll(async () => {
  sims = await startOrderSims(33);
});

afterAll(async () => {
  await sims?.stop();
});

afterEach(async () => {
  sims.wms.auto.configure({ acknowledgeAfterMs: 0 });
  sims.wms.faults.clear();
  sims.shopify.faults.reset();
  // Nothing the app tried gave up for good.
  expect(await db.job.findMany({ where: { status: "dead" }, select: { type: true, lastError: true } })).toEqual([]);
});

describe("shipments", () => {
  it("a warehouse shipment becomes one Shopify fulfillment with its tracking, the customer notified, and the reservation released", async () => {
    const { world, fulfillmentOrderId, orderId } = await sentOrder(sims);
    const shipment = world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1Z999AA10123456784" });
    await world.settle();

    const fulfillments = shopifyFulfillments(world, fulfillmentOrderId);
    expect(fulfillments).toHaveLength(1);
    expect(fulfillments[0]!.trackingInfo).toEqual([{ company: "UPS", number: "1Z999AA10123456784", url: shipment.tracking_url }]);
    expect(fulfillments[0]!.notifyCustomer).toBe(true);
    expect(fulfillments[0]!.lineItems.reduce((sum, l) => sum + l.quantity, 0)).toBe(3);
    expect(world.shopifyFo(fulfillmentOrderId).status).toBe("CLOSED");
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");
    const row = await forShop(world.shop).shipment.findUniqueOrThrow({ where: { shop_warehouseShipmentId: { shop: world.shop, warehouseShipmentId: shipmentKey(world.connectionId, shipment.id) } } });
    expect(row).toMatchObject({ status: "fulfilled", shopifyFulfillmentId: `gid://shopify/Fulfillment/${fulfillments[0]!.id}`, trackingNumber: "1Z999AA10123456784" });
    const reservations = await forShop(world.shop).reservation.findMany({ where: { orderId } });
    expect(reservations.map((r) => [r.status, r.releasedReason])).toEqual([
      ["released", "fulfilled"],
      ["released", "fulfilled"],
    ]);

    // The same shipment again, from the feed and as a repeated event: nothing new in Shopify.
    await pollOrders(world.shop, await world.deps());
    const [again] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.id === shipment.id);
    expect(await recordWarehouseShipment(world.shop, world.connectionId, again!, await world.deps())).toBe("unchanged");
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);
  });

  it("an order another run is working on waits, in order, while the other orders' shipments are written", async () => {
    const { world, fulfillmentOrderId: first } = await sentOrder(sims);
    const second = world.checkout([{ sku: "MUG", quantity: 1 }]).fulfillmentOrderId;
    await world.settle();
    expect((await world.allocation(second)).status).toBe("sent");
    // Another run holds the first order's allocation (say, the job still recording its warehouse order).
    const held = await world.allocation(first);
    const now = new Date();
    expect(await claimAllocationLease(db, world.shop, { id: held.id }, now, new Date(now.getTime() + 60_000))).not.toBeNull();
    world.account.orders.ship(first, { carrier: "UPS", tracking_number: "1ZHELD0000000001" });
    world.account.orders.ship(second, { carrier: "UPS", tracking_number: "1ZFREE0000000002" });
    await sims.wms.webhooks.idle();

    const drained = await drainWarehouseOrderEvents(world.shop, world.connectionId, await world.deps());
    expect(drained.busy).toBe(true);
    expect(shopifyFulfillments(world, second)).toHaveLength(1);
    expect(shopifyFulfillments(world, first)).toHaveLength(0);
    // The held order's event is still in the inbox, to be handled when the other run is done.
    const waiting = await forShop(world.shop).webhookInbox.findMany({ where: { source: { startsWith: "warehouse-orders:" }, status: "received" }, select: { payload: true } });
    expect(waiting.some((w) => w.payload.includes(first))).toBe(true);
    expect(waiting.some((w) => w.payload.includes(second))).toBe(false);

    await forShop(world.shop).allocation.update({ where: { id: held.id }, data: { lockedUntil: null } });
    await world.settle();
    expect(shopifyFulfillments(world, first)).toHaveLength(1);
    expect(shopifyFulfillments(world, first)[0]!.trackingInfo[0]!.number).toBe("1ZHELD0000000001");
    expect((await world.allocation(first)).status).toBe("shipped");
  });

  it("a partial shipment fulfils only the shipped lines, and the rest follows as a second fulfillment", async () => {
    const { world, fulfillmentOrderId, orderId } = await sentOrder(sims);
    world.account.orders.ship(fulfillmentOrderId, { lines: [{ sku: "MUG", quantity: 1 }], carrier: "USPS", tracking_number: "9400100000000000000001" });
    await world.settle();

    let fulfillments = shopifyFulfillments(world, fulfillmentOrderId);
    expect(fulfillments).toHaveLength(1);
    expect(fulfillments[0]!.lineItems.map((l) => l.quantity)).toEqual([1]);
    expect(world.shopifyFo(fulfillmentOrderId).status).toBe("IN_PROGRESS");
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("sent");
    // No line has shipped in full yet: both reservations are still held.
    expect((await forShop(world.shop).reservation.findMany({ where: { orderId } })).map((r) => r.status)).toEqual(["acknowledged", "acknowledged"]);

    world.account.orders.ship(fulfillmentOrderId, { carrier: "USPS", tracking_number: "9400100000000000000002" });
    await world.settle();
    fulfillments = shopifyFulfillments(world, fulfillmentOrderId);
    expect(fulfillments).toHaveLength(2);
    expect(fulfillments[1]!.lineItems.reduce((sum, l) => sum + l.quantity, 0)).toBe(2);
    expect(fulfillments[1]!.trackingInfo[0]!.number).toBe("9400100000000000000002");
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");
    expect((await forShop(world.shop).reservation.findMany({ where: { orderId } })).map((r) => r.status)).toEqual(["released", "released"]);
  });

  it("new tracking for a shipment updates the same fulfillment", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    const shipment = world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1ZOLD" });
    await world.settle();
    world.account.orders.updateTracking(shipment.id, { carrier: "FedEx", tracking_number: "771234567890" });
    await world.settle();

    const fulfillments = shopifyFulfillments(world, fulfillmentOrderId);
    expect(fulfillments).toHaveLength(1);
    expect(fulfillments[0]!.trackingInfo[0]).toMatchObject({ company: "FedEx", number: "771234567890" });
    expect(await world.events(fulfillmentOrderId)).toContain("tracking_updated");
  });

  it("an order's first shipment is written from the fulfillment order as it was sent, without reading it from Shopify again", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    sims.wms.faults.dropNextWebhooks(20); // handled below, with a gateway that counts reads
    world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1Z999AA10123456799" });
    await sims.wms.webhooks.idle();
    const [shipment] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.externalReference === fulfillmentOrderId);
    const deps = await world.deps();
    let reads = 0;
    const counting: OrderFulfillmentGateway = {
      ...deps.shopify,
      async fulfillmentOrder(id) {
        reads++;
        return deps.shopify.fulfillmentOrder(id);
      },
    };
    expect(await recordWarehouseShipment(world.shop, world.connectionId, shipment!, { ...deps, shopify: counting })).toBe("fulfilled");
    expect(reads).toBe(0);
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);
    expect(shopifyFulfillments(world, fulfillmentOrderId)[0]!.lineItems.reduce((sum, l) => sum + l.quantity, 0)).toBe(3);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");
  });

  it("a crash after Shopify created the fulfillment does not create a second one", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    sims.wms.faults.dropNextWebhooks(20); // the shipment arrives through the feed, below
    world.account.orders.ship(fulfillmentOrderId, { carrier: "DHL", tracking_number: "JD0140000000001" });
    await sims.wms.webhooks.idle();
    const [shipment] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.externalReference === fulfillmentOrderId);

    const deps = await world.deps();
    const crashing: OrderFulfillmentGateway = {
      ...deps.shopify,
      async createFulfillment(input) {
        await deps.shopify.createFulfillment(input); // Shopify makes it...
        throw new Error("worker killed before the fulfillment was recorded"); // ...and we never hear back
      },
    };
    await expect(recordWarehouseShipment(world.shop, world.connectionId, shipment!, { ...deps, shopify: crashing })).rejects.toThrow(/worker killed/);
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);

    await scheduleOrdersPoll(world.shop);
    await world.settle();
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(1);
    const row = await forShop(world.shop).shipment.findFirstOrThrow({ where: { warehouseShipmentId: shipmentKey(world.connectionId, shipment!.id) } });
    expect(row.shopifyFulfillmentId).toBe(`gid://shopify/Fulfillment/${shopifyFulfillments(world, fulfillmentOrderId)[0]!.id}`);
    expect((await world.allocation(fulfillmentOrderId)).status).toBe("shipped");
  });
  it("two warehouse systems that number their shipments alike each have their own shipment fulfilled", async () => {
    const { world, fulfillmentOrderId: first } = await sentOrder(sims, { MUG: 1 });
    const shipped = world.account.orders.ship(first, { carrier: "UPS", tracking_number: "1ZFIRST" });
    await world.settle();
    expect(shopifyFulfillments(world, first)).toHaveLength(1);
    // A second order, shipped without its webhook reaching us.
    const second = world.checkout([{ sku: "MUG", quantity: 1 }]);
    await world.settle();
    sims.wms.faults.dropNextWebhooks(20);
    const other = world.account.orders.ship(second.fulfillmentOrderId, { carrier: "DHL", tracking_number: "JDSECOND" });
    await sims.wms.webhooks.idle();
    const [theirs] = (await (await connectorFor(world.shop, world.connectionId)).readShipments(null)).items.filter((s) => s.id === other.id);
    // Another 3PL of the shop (a connection of its own) reports it under the id this one gave the first shipment.
    const scoped = forShop(world.shop);
    const secondSystem = await createWarehouseConnection(world.shop, { name: "Second 3PL", provider: "generic", credentials: { baseUrl: sims.wms.url, apiKey: world.account.apiKey } });
    await scoped.warehouse.create({ data: { shop: world.shop, connectionId: secondSystem.id, externalCode: "LAX1", name: "Second LA" } });
    await scoped.skuMapping.create({ data: { shop: world.shop, connectionId: secondSystem.id, inventoryItemId: world.itemOf.get("MUG")!, warehouseSku: "MUG", matchedBy: "sku" } });
    expect(await recordWarehouseShipment(world.shop, secondSystem.id, { ...theirs!, id: shipped.id }, await world.deps())).toBe("fulfilled");
    expect(shopifyFulfillments(world, second.fulfillmentOrderId)).toHaveLength(1);
    expect(shopifyFulfillments(world, first)).toHaveLength(1);
    expect(shopifyFulfillments(world, first)[0]!.trackingInfo[0]!.number).toBe("1ZFIRST");
  });
});

describe("cancellations", () => {
  it("cancelling before the warehouse ships cancels the warehouse order, then accepts the cancellation in Shopify", async () => {
    const { world, fulfillmentOrderId, orderId } = await sentOrder(sims);
    const sellableBefore = world.account.level("LAX1", "MUG").sellable;
    expect(sims.shopify.cancelOrder(world.shop, orderId).ok).toBe(true);
    expect(world.shopifyFo(fulfillmentOrderId).requestStatus).toBe("CANCELLATION_REQUESTED");
    await world.settle();

    expect(world.account.orders.find(fulfillmentOrderId)?.status).toBe("cancelled");
    expect(world.account.level("LAX1", "MUG").sellable).toBe(sellableBefore + 2);
    expect(world.shopifyFo(fulfillmentOrderId)).toMatchObject({ requestStatus: "CANCELLATION_ACCEPTED", status: "CANCELLED" });
    const allocation = await world.allocation(fulfillmentOrderId);
    expect(allocation.status).toBe("cancelled");
    const events = await world.events(fulfillmentOrderId);
    expect(events.indexOf("cancellation_requested")).toBeLessThan(events.indexOf("cancelled"));
    expect((await forShop(world.shop).reservation.findMany({ where: { orderId } })).map((r) => r.releasedReason)).toEqual(["cancelled", "cancelled"]);
    // The warehouse's own order.cancelled event was ours: no alert.
    expect(await forShop(world.shop).alert.count({ where: { kind: "warehouse_order_cancelled" } })).toBe(0);
    const position = await forShop(world.shop).inventoryPosition.findFirstOrThrow({ where: { warehouseId: allocation.warehouseId!, warehouseSku: "MUG" } });
    expect(position.warehouseSellable).toBe(sellableBefore + 2);
  });

  it("cancelling after the warehouse shipped part of the order is refused in Shopify with the reason", async () => {
    const { world, fulfillmentOrderId, orderId } = await sentOrder(sims);
    world.account.orders.ship(fulfillmentOrderId, { lines: [{ sku: "PLATE", quantity: 1 }], carrier: "UPS", tracking_number: "1ZPARTIAL1" });
    await world.settle();
    expect(sims.shopify.cancelOrder(world.shop, orderId).ok).toBe(true);
    await world.settle();

    expect(world.account.orders.find(fulfillmentOrderId)?.status).toBe("partially_shipped");
    expect(world.shopifyFo(fulfillmentOrderId).requestStatus).toBe("CANCELLATION_REJECTED");
    const events = await world.events(fulfillmentOrderId);
    expect(events).toContain("cancellation_rejected");
    const note = await forShop(world.shop).allocationEvent.findFirstOrThrow({ where: { kind: "cancellation_rejected" } , orderBy: { at: "desc" } });
    expect(note.note).toMatch(/Los Angeles has already shipped this order \(tracking 1ZPARTIAL1\), so it can no longer be cancelled/);
    // The rest still ships and is fulfilled after the refusal.
    world.account.orders.ship(fulfillmentOrderId, { carrier: "UPS", tracking_number: "1ZPARTIAL2" });
    await world.settle();
    expect(shopifyFulfillments(world, fulfillmentOrderId)).toHaveLength(2);
  });

  it("a cancellation raised by the warehouse is recorded on the allocation and alerts the merchant", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    world.account.orders.cancel(fulfillmentOrderId, "Damaged in the aisle; cannot pick");
    await world.settle();

    const allocation = await world.allocation(fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "error", warehouseOrderStatus: "cancelled" });
    expect(allocation.lastError).toMatch(/Los Angeles cancelled #\d+: Damaged in the aisle; cannot pick/);
    expect(await world.events(fulfillmentOrderId)).toContain("warehouse_cancelled");
    const alerts = await forShop(world.shop).alert.findMany({ where: { kind: "warehouse_order_cancelled" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.reference).toBe(`allocation:${allocation.id}`);
  });

  it("an exception raised by the warehouse is recorded on the allocation and alerts the merchant", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims);
    world.account.orders.raiseException(fulfillmentOrderId, "address_invalid", "The street does not exist");
    await world.settle();

    const allocation = await world.allocation(fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "error", warehouseOrderStatus: "exception" });
    expect(allocation.lastError).toMatch(/The street does not exist \(address_invalid\)/);
    expect(await forShop(world.shop).alert.count({ where: { kind: "warehouse_order_exception" } })).toBe(1);
  });
});

describe("returns and reservations", () => {
  it("a return restocks its sellable units through the stock sync (ledger reason restock) and records the rest as damaged, once", async () => {
    const { world, fulfillmentOrderId } = await sentOrder(sims, { MUG: 2, PLATE: 1 });
    world.account.orders.ship(fulfillmentOrderId);
    await world.settle();
    const mug = world.itemOf.get("MUG")!;
    const lax = world.warehouse.LAX1!;
    const before = world.account.level("LAX1", "MUG");
    const shopifyBefore = sims.shopify.level(world.shop, mug, lax.locationId)!.available;

    world.account.receiveReturn({ warehouse: "LAX1", order: fulfillmentOrderId, rma: "RMA-7", lines: [{ sku: "MUG", sellable: 1, damaged: 1 }] });
    await world.settle();

    const position = await forShop(world.shop).inventoryPosition.findFirstOrThrow({ where: { warehouseId: lax.id, warehouseSku: "MUG" } });
    expect(position.warehouseSellable).toBe(before.sellable + 1);
    expect(position.warehouseDamaged).toBe(before.damaged + 1);
    expect(sims.shopify.level(world.shop, mug, lax.locationId)!.available).toBe(shopifyBefore + 1);
    const receipts = await forShop(world.shop).returnReceipt.findMany({});
    expect(receipts).toMatchObject([{ rma: "RMA-7", sellableUnits: 1, damagedUnits: 1 }]);
    const ledger = await forShop(world.shop).inventoryLedgerEntry.findMany({ where: { reference: { startsWith: "wms-return:" }, quantityName: { in: [RETURNED_SELLABLE, RETURNED_DAMAGED] } } });
    expect(ledger.map((l) => [l.quantityName, l.reason, l.delta])).toEqual(
      expect.arrayContaining([
        [RETURNED_SELLABLE, "restock", 1],
        [RETURNED_DAMAGED, "damaged", 1],
      ]),
    );
    expect(ledger).toHaveLength(2);
    expect(await world.events(fulfillmentOrderId)).toContain("returned");

    // The return again, from the feed: nothing counted twice.
    await pollOrders(world.shop, await world.deps());
    await world.settle();
    expect(await forShop(world.shop).returnReceipt.count({})).toBe(1);
    expect(await forShop(world.shop).inventoryLedgerEntry.count({ where: { quantityName: { in: [RETURNED_SELLABLE, RETURNED_DAMAGED] } } })).toBe(2);
    expect((await forShop(world.shop).inventoryPosition.findFirstOrThrow({ where: { id: position.id } })).warehouseSellable).toBe(before.sellable + 1);
  });

  it("an order's reservation stays unacknowledged until the warehouse acknowledges it, and Shopify availability never counts its units twice", async () => {
    sims.wms.auto.configure({ acknowledgeAfterMs: null });
    const world = await buildWorld(sims, { skus: ["JUG"], warehouses: twoWarehouses({ LAX1: { JUG: 10 }, NJ1: {} }, { LAX1: 1, NJ1: 2 }) });
    const lax = world.warehouse.LAX1!;
    const jug = world.itemOf.get("JUG")!;
    const placed = world.checkout([{ sku: "JUG", quantity: 3 }]);
    await world.settle();

    const allocation = await world.allocation(placed.fulfillmentOrderId);
    expect(allocation).toMatchObject({ status: "sent", warehouseOrderStatus: "received" });
    expect((await forShop(world.shop).reservation.findFirstOrThrow({ where: { orderId: placed.orderId } })).status).toBe("active");
    expect(sims.shopify.level(world.shop, jug, lax.locationId)!.available).toBe(7);

    world.account.orders.acknowledge(placed.fulfillmentOrderId);
    await world.settle();
    expect((await world.allocation(placed.fulfillmentOrderId)).warehouseOrderStatus).toBe("acknowledged");
    const reservation = await forShop(world.shop).reservation.findFirstOrThrow({ where: { orderId: placed.orderId } });
    expect(reservation.status).toBe("acknowledged");
    const position = await forShop(world.shop).inventoryPosition.findFirstOrThrow({ where: { warehouseId: lax.id, warehouseSku: "JUG" } });
    expect(position).toMatchObject({ warehouseSellable: 7, reservedUnacknowledged: 0, acknowledgedUnfulfilled: 3 });
    expect(sims.shopify.level(world.shop, jug, lax.locationId)!.available).toBe(7);
  });
});
