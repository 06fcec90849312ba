import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { claimAllocationLease, claimAllocationRow, insertAllocation, releaseAllocationLease, updateAllocation } from "~/orders/allocation-statements.server";

const SHOP = "allocation-statements.myshopify.com";
const OTHER = "allocation-statements-other.myshopify.com";
const T0 = new Date("2026-11-23T18:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

async function orderOf(shop: string, n: number) {
  return forShop(shop).order.create({ data: { shop, shopifyOrderId: `gid://shopify/Order/${n}`, name: `#${1000 + n}` } });
}

const requested = (at: Date) => ({ kind: "requested", status: "requested", note: "#1001 sent to TallySync for fulfillment", at });
const timeline = async (allocationId: string) =>
  (await db.allocationEvent.findMany({ where: { allocationId }, orderBy: [{ at: "asc" }, { id: "asc" }], select: { shop: true, kind: true, status: true, note: true, at: true } }));

describe("the allocation statements", () => {
  it("a new allocation is created holding its lease, with its requested event; a second one for the same fulfillment order is not", async () => {
    const order = await orderOf(SHOP, 1);
    const created = await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-1", assignedLocationId: "loc-1", lockedUntil: later(120_000) }, requested(T0), T0);
    expect(created).toMatchObject({ orderId: order.id, status: "requested", attempts: 0, warehouseId: null, cancelRequestedAt: null });
    const row = await db.allocation.findUniqueOrThrow({ where: { id: created!.id } });
    expect(row).toMatchObject({ shop: SHOP, fulfillmentOrderId: "fo-1", assignedLocationId: "loc-1", lockedUntil: later(120_000), createdAt: T0 });
    expect(await timeline(created!.id)).toEqual([{ shop: SHOP, ...requested(T0) }]);

    const again = await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-1", assignedLocationId: null, lockedUntil: later(1) }, requested(later(1)), later(1));
    expect(again).toBeNull();
    expect(await db.allocation.count({ where: { shop: SHOP, fulfillmentOrderId: "fo-1" } })).toBe(1);
    expect(await timeline(created!.id)).toHaveLength(1);
    // The same fulfillment order id in another shop is another allocation.
    const other = await orderOf(OTHER, 1);
    expect(await insertAllocation(db, OTHER, { orderId: other.id, fulfillmentOrderId: "fo-1", assignedLocationId: null, lockedUntil: later(1) }, requested(T0), T0)).not.toBeNull();
  });

  it("a lease is taken only when it is free or has run out, by id or by fulfillment order, in this shop only", async () => {
    const order = await orderOf(SHOP, 2);
    const created = (await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-2", assignedLocationId: null, lockedUntil: later(60_000) }, requested(T0), T0))!;
    expect(await claimAllocationLease(db, SHOP, { id: created.id }, later(1_000), later(61_000))).toBeNull();
    expect(await claimAllocationLease(db, OTHER, { id: created.id }, later(70_000), later(130_000))).toBeNull();
    // Ran out: taken.
    expect(await claimAllocationLease(db, SHOP, { id: created.id }, later(70_000), later(130_000))).toMatchObject({ id: created.id, status: "requested" });
    expect((await db.allocation.findUniqueOrThrow({ where: { id: created.id } })).lockedUntil).toEqual(later(130_000));
    await releaseAllocationLease(db, SHOP, created.id);
    expect((await db.allocation.findUniqueOrThrow({ where: { id: created.id } })).lockedUntil).toBeNull();
    expect(await claimAllocationLease(db, SHOP, { fulfillmentOrderId: "fo-2" }, later(71_000), later(191_000))).toMatchObject({ id: created.id });
  });

  it("a claim can return the allocation's whole row, the same row Prisma reads", async () => {
    const order = await orderOf(SHOP, 5);
    const created = (await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-5", assignedLocationId: "loc-5", lockedUntil: later(1_000) }, requested(T0), T0))!;
    await updateAllocation(db, SHOP, created.id, { columns: { sentLines: '{"lines":[]}', nextAttemptAt: later(500), attempts: 1 }, status: "sent", release: true, events: [] }, later(2));
    expect(await claimAllocationRow(db, OTHER, created.id, later(3), later(60_000))).toBeNull();
    const row = await claimAllocationRow(db, SHOP, created.id, later(3), later(60_000));
    expect(row).toEqual(await db.allocation.findUniqueOrThrow({ where: { id: created.id } }));
    expect(row).toMatchObject({ status: "sent", lockedUntil: later(60_000), nextAttemptAt: later(500), attempts: 1, sentLines: '{"lines":[]}' });
    expect(await claimAllocationRow(db, SHOP, created.id, later(4), later(60_000))).toBeNull();
  });

  it("a change writes the columns given, the status, the lease's release and its events together, and leaves the rest alone", async () => {
    const order = await orderOf(SHOP, 3);
    const created = (await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-3", assignedLocationId: "loc-1", lockedUntil: later(60_000) }, requested(T0), T0))!;
    const changed = await updateAllocation(
      db,
      SHOP,
      created.id,
      {
        columns: { warehouseId: "w-1", routingReason: '{"kind":"stay"}', nextAttemptAt: null, attempts: 2, cancelRequestedAt: later(5) },
        status: "accepted",
        release: true,
        events: [
          { kind: "routed", status: "requested", note: "Stays at LAX1", at: later(10) },
          { kind: "accepted", status: "accepted", note: null, at: later(10) },
        ],
      },
      later(20),
    );
    expect(changed).toMatchObject({ id: created.id, status: "accepted", warehouseId: "w-1", routingReason: '{"kind":"stay"}', attempts: 2, cancelRequestedAt: later(5) });
    expect(await db.allocation.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ assignedLocationId: "loc-1", lockedUntil: null, updatedAt: later(20) });
    // Two events at the same moment keep the order they were given in.
    expect((await timeline(created.id)).map((e) => e.kind)).toEqual(["requested", "routed", "accepted"]);
    // Without a status the stored one stays; without release the lease stays.
    await claimAllocationLease(db, SHOP, { id: created.id }, later(30), later(60_030));
    expect(await updateAllocation(db, SHOP, created.id, { columns: { lastError: "WMS down" }, events: [] }, later(40))).toMatchObject({ status: "accepted", lastError: "WMS down" });
    expect((await db.allocation.findUniqueOrThrow({ where: { id: created.id } })).lockedUntil).toEqual(later(60_030));
  });

  it("a change of an allocation that is not there (or is another shop's) throws and writes no event", async () => {
    const order = await orderOf(SHOP, 4);
    const created = (await insertAllocation(db, SHOP, { orderId: order.id, fulfillmentOrderId: "fo-4", assignedLocationId: null, lockedUntil: later(1) }, requested(T0), T0))!;
    const event = { kind: "error", status: "error", note: "x", at: later(1) };
    await expect(updateAllocation(db, OTHER, created.id, { columns: { lastError: "x" }, status: "error", events: [event] }, later(2))).rejects.toThrow(/no longer there/);
    await expect(updateAllocation(db, SHOP, "missing", { columns: {}, status: "error", events: [event] }, later(2))).rejects.toThrow(/no longer there/);
    expect(await db.allocation.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: "requested", lastError: null });
    expect(await timeline(created.id)).toHaveLength(1);
    expect(await db.allocationEvent.count({ where: { allocationId: "missing" } })).toBe(0);
  });
});
