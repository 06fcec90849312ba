import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { isShopInstalled } from "~/models/shop.server";
import { insertAllocation } from "~/orders/allocation-statements.server";
import { allocationForEvent, markFirstShipmentAttempt, setOrderLineItem, storedOrder, warehouseSkusOf } from "~/orders/order-statements.server";

const SHOP = "order-statements.myshopify.com";
const OTHER = "order-statements-other.myshopify.com";

async function allocationFor(shop: string, fulfillmentOrderId: string) {
  const scoped = forShop(shop);
  const order = await scoped.order.create({ data: { shop, shopifyOrderId: `gid://shopify/Order/${fulfillmentOrderId}`, name: "#1001" } });
  return scoped.allocation.create({ data: { shop, orderId: order.id, fulfillmentOrderId, warehouseOrderStatus: "received" } });
}

function shipmentOf(shop: string, allocationId: string, id: string) {
  return forShop(shop).shipment.create({
    data: { shop, allocationId, connectionId: "c1", warehouseShipmentId: id, carrier: "UPS", trackingNumber: `1Z${id}`, shippedAt: new Date(), lines: "[]" },
  });
}

describe("the order jobs' raw statements", () => {
  it("find the allocation a warehouse event names, in this shop only", async () => {
    const allocation = await allocationFor(SHOP, "gid://shopify/FulfillmentOrder/1");
    await allocationFor(OTHER, "gid://shopify/FulfillmentOrder/2");
    expect(await allocationForEvent(db, SHOP, "gid://shopify/FulfillmentOrder/1")).toEqual({ id: allocation.id, warehouseOrderStatus: "received" });
    expect(await allocationForEvent(db, SHOP, "gid://shopify/FulfillmentOrder/2")).toBeNull();
  });

  it("mark a shipment's first attempt only while it is its allocation's only shipment", async () => {
    const allocation = await allocationFor(SHOP, "gid://shopify/FulfillmentOrder/3");
    const first = await shipmentOf(SHOP, allocation.id, "s1");
    const now = new Date("2026-11-23T17:00:00.000Z");
    expect(await markFirstShipmentAttempt(db, SHOP, first.id, allocation.id, now)).toBe(true);
    expect(await forShop(SHOP).shipment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "creating", updatedAt: now });
    // Another shipment of the allocation: neither is the first any more.
    const second = await shipmentOf(SHOP, allocation.id, "s2");
    expect(await markFirstShipmentAttempt(db, SHOP, second.id, allocation.id, now)).toBe(false);
    expect(await forShop(SHOP).shipment.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "pending" });
    // Not another shop's row, and not under another allocation's id.
    const elsewhere = await allocationFor(SHOP, "gid://shopify/FulfillmentOrder/4");
    const alone = await shipmentOf(SHOP, elsewhere.id, "s3");
    expect(await markFirstShipmentAttempt(db, OTHER, alone.id, elsewhere.id, now)).toBe(false);
    expect(await markFirstShipmentAttempt(db, SHOP, alone.id, allocation.id, now)).toBe(false);
    expect(await forShop(SHOP).shipment.findUniqueOrThrow({ where: { id: alone.id } })).toMatchObject({ status: "pending" });
  });

  it("give the warehouse SKU of each mapped item at a connection, and nothing for unmapped items or other shops", async () => {
    await forShop(SHOP).skuMapping.createMany({
      data: [
        { shop: SHOP, connectionId: "c1", inventoryItemId: "i1", warehouseSku: "SKU-1", matchedBy: "sku" },
        { shop: SHOP, connectionId: "c2", inventoryItemId: "i2", warehouseSku: "SKU-2B", matchedBy: "sku" },
      ],
    });
    await forShop(OTHER).skuMapping.create({ data: { shop: OTHER, connectionId: "c1", inventoryItemId: "i2", warehouseSku: "THEIRS", matchedBy: "sku" } });
    expect(await warehouseSkusOf(db, SHOP, "c1", ["i1", "i2", "i3"])).toEqual(new Map([["i1", "SKU-1"]]));
    expect(await warehouseSkusOf(db, SHOP, "c1", [])).toEqual(new Map());
  });

  it("say whether a shop is installed: known and not uninstalled", async () => {
    await forShop(SHOP).shop.create({ data: { shop: SHOP } });
    await forShop(OTHER).shop.create({ data: { shop: OTHER, uninstalledAt: new Date() } });
    expect(await isShopInstalled(SHOP)).toBe(true);
    expect(await isShopInstalled(OTHER)).toBe(false);
    expect(await isShopInstalled("never-installed.myshopify.com")).toBe(false);
  });
});

const T0 = new Date("2026-11-23T18:00:00.000Z");

describe("the stored order read", () => {
  it("gives the order, its lines and the allocation of the named fulfillment order, as Prisma reads them, in the shop only", async () => {
    const scoped = forShop(SHOP);
    const order = await scoped.order.create({ data: { shop: SHOP, shopifyOrderId: "gid://shopify/Order/stored-1", name: "#1001" } });
    expect(await storedOrder(db, SHOP, "gid://shopify/Order/stored-1", "fo-stored-1")).toEqual({ orderId: order.id, lines: [], allocationId: null });
    await scoped.orderLine.create({ data: { shop: SHOP, orderId: order.id, lineItemId: "li-stored-1", sku: "MUG-BLUE", quantity: 2 } });
    await scoped.orderLine.create({ data: { shop: SHOP, orderId: order.id, lineItemId: "li-stored-2", inventoryItemId: "ii-2", sku: "LAMP-OAK", quantity: 1 } });
    const requested = { kind: "requested", status: "requested", note: "requested", at: T0 };
    const allocation = await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-stored-1", assignedLocationId: null, lockedUntil: T0 }, requested, T0);
    await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-stored-2", assignedLocationId: null, lockedUntil: T0 }, requested, T0);

    const read = await storedOrder(db, SHOP, "gid://shopify/Order/stored-1", "fo-stored-1");
    const prisma = await scoped.order.findUniqueOrThrow({
      where: { shop_shopifyOrderId: { shop: SHOP, shopifyOrderId: "gid://shopify/Order/stored-1" } },
      select: { id: true, lines: { select: { lineItemId: true, inventoryItemId: true, quantity: true } }, allocations: { where: { fulfillmentOrderId: "fo-stored-1" }, select: { id: true } } },
    });
    expect(read!.orderId).toBe(prisma.id);
    expect(read!.allocationId).toBe(allocation!.id);
    expect([...read!.lines].sort((a, b) => a.lineItemId.localeCompare(b.lineItemId))).toEqual([...prisma.lines].sort((a, b) => a.lineItemId.localeCompare(b.lineItemId)));
    expect((await storedOrder(db, SHOP, "gid://shopify/Order/stored-1", "fo-stored-9"))!.allocationId).toBeNull();
    expect(await storedOrder(db, OTHER, "gid://shopify/Order/stored-1", "fo-stored-1")).toBeNull();
    expect(await storedOrder(db, SHOP, "gid://shopify/Order/stored-2", "fo-stored-1")).toBeNull();

    // A line's inventory item is named in its shop only.
    await setOrderLineItem(db, OTHER, "li-stored-1", "ii-other");
    await setOrderLineItem(db, SHOP, "li-stored-1", "ii-1");
    expect((await scoped.orderLine.findFirstOrThrow({ where: { lineItemId: "li-stored-1" } })).inventoryItemId).toBe("ii-1");
  });
});
