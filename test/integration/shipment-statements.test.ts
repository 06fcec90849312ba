import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { insertAllocation } from "~/orders/allocation-statements.server";
import { insertLeasedShipment, leaseShipment, recordFulfilledShipment, releaseShipmentLease, shipmentByKey } from "~/orders/shipment-statements.server";

const SHOP = "shipment-statements.myshopify.com";
const OTHER = "shipment-statements-other.myshopify.com";
const T0 = new Date("2026-11-23T18:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

async function allocationOf(shop: string, n: number): Promise<string> {
  const order = await forShop(shop).order.create({ data: { shop, shopifyOrderId: `gid://shopify/Order/${n}`, name: `#${1000 + n}` } });
  const requested = { kind: "requested", status: "requested", note: "requested", at: T0 };
  const allocation = await insertAllocation(db, shop, { orderId: order.id, fulfillmentOrderId: `fo-${n}`, assignedLocationId: null, lockedUntil: T0 }, requested, T0);
  return allocation!.id;
}

const shipment = (allocationId: string, key: string) => ({
  allocationId,
  connectionId: "conn-1",
  warehouseShipmentId: key,
  carrier: "UPS",
  trackingNumber: "1Z999",
  trackingUrl: null,
  shippedAt: T0,
  lines: JSON.stringify([{ sku: "MUG-BLUE", quantity: 2 }]),
});

/** What Prisma reads of the row, in the statements' shape. */
const prismaState = (id: string) =>
  db.shipment.findUniqueOrThrow({
    where: { id },
    select: { id: true, warehouseShipmentId: true, status: true, shopifyFulfillmentId: true, trackingWritten: true, warehouseSequence: true, deliveredAt: true, deliveryWritten: true },
  });

describe("the shipment statements", () => {
  it("a new shipment row is made leased and reads as Prisma reads it; a second one with the same key is not made", async () => {
    const allocationId = await allocationOf(SHOP, 1);
    const made = await insertLeasedShipment(db, SHOP, shipment(allocationId, "conn-1:sh_1"), T0, later(120_000));
    expect(made).toEqual(await prismaState(made!.id));
    expect(made).toMatchObject({ status: "pending", shopifyFulfillmentId: null, warehouseSequence: 0n, deliveredAt: null });
    expect(await db.shipment.findUniqueOrThrow({ where: { id: made!.id } })).toMatchObject({
      shop: SHOP,
      allocationId,
      carrier: "UPS",
      trackingNumber: "1Z999",
      trackingUrl: null,
      shippedAt: T0,
      lockedUntil: later(120_000),
      createdAt: T0,
      updatedAt: T0,
    });
    expect(await insertLeasedShipment(db, SHOP, shipment(allocationId, "conn-1:sh_1"), later(1), later(1_000))).toBeNull();
    expect(await db.shipment.count({ where: { shop: SHOP, warehouseShipmentId: "conn-1:sh_1" } })).toBe(1);
    // Found by its key in its shop only.
    expect(await shipmentByKey(db, SHOP, "conn-1:sh_1")).toEqual(made);
    expect(await shipmentByKey(db, OTHER, "conn-1:sh_1")).toBeNull();
  });

  it("a lease is taken only when free or run out, in this shop only, and given back", async () => {
    const allocationId = await allocationOf(SHOP, 2);
    const made = (await insertLeasedShipment(db, SHOP, shipment(allocationId, "conn-1:sh_2"), T0, later(60_000)))!;
    await db.shipment.update({ where: { id: made.id }, data: { shopifyFulfillmentId: "gid://shopify/Fulfillment/9", warehouseSequence: 7n, deliveredAt: later(5) } });
    expect(await leaseShipment(db, SHOP, made.id, later(1_000), later(61_000))).toBeNull();
    expect(await leaseShipment(db, OTHER, made.id, later(70_000), later(130_000))).toBeNull();
    const leased = await leaseShipment(db, SHOP, made.id, later(70_000), later(130_000));
    expect(leased).toEqual(await prismaState(made.id));
    expect(leased).toMatchObject({ shopifyFulfillmentId: "gid://shopify/Fulfillment/9", warehouseSequence: 7n, deliveredAt: later(5) });
    expect((await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).lockedUntil).toEqual(later(130_000));
    await releaseShipmentLease(db, OTHER, made.id, later(71_000));
    expect((await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).lockedUntil).toEqual(later(130_000));
    await releaseShipmentLease(db, SHOP, made.id, later(71_000));
    expect(await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ lockedUntil: null, updatedAt: later(71_000) });
    expect(await leaseShipment(db, SHOP, made.id, later(72_000), later(192_000))).not.toBeNull();
  });

  it("the fulfillment is recorded on the shipment in this shop only, the lease given back only when asked", async () => {
    const allocationId = await allocationOf(SHOP, 3);
    const made = (await insertLeasedShipment(db, SHOP, shipment(allocationId, "conn-1:sh_3"), T0, later(60_000)))!;
    await db.shipment.update({ where: { id: made.id }, data: { lastError: "Shopify timed out" } });
    const fulfilled = { shopifyFulfillmentId: "gid://shopify/Fulfillment/3", shopifyFulfillmentName: "#1003.1", trackingWritten: "UPS|1Z999|", warehouseSequence: 4, lines: '[{"quantity":2}]', release: false };
    await recordFulfilledShipment(db, OTHER, made.id, fulfilled, later(1_000));
    expect(await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ status: "pending", shopifyFulfillmentId: null });
    await recordFulfilledShipment(db, SHOP, made.id, fulfilled, later(1_000));
    expect(await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({
      status: "fulfilled",
      shopifyFulfillmentId: "gid://shopify/Fulfillment/3",
      shopifyFulfillmentName: "#1003.1",
      trackingWritten: "UPS|1Z999|",
      warehouseSequence: 4n,
      lines: '[{"quantity":2}]',
      lastError: null,
      lockedUntil: later(60_000),
      updatedAt: later(1_000),
    });
    // Without new lines the shipment's lines stay; with release the lease ends.
    await recordFulfilledShipment(db, SHOP, made.id, { ...fulfilled, warehouseSequence: 5, lines: null, release: true }, later(2_000));
    expect(await db.shipment.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ warehouseSequence: 5n, lines: '[{"quantity":2}]', lockedUntil: null });
  });
});
