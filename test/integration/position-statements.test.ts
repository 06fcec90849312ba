import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import {
  findLineReservation,
  insertReservation,
  moveReservationRows,
  readOrderReservations,
  readReservedTotals,
  warehouseAtLocation,
  writeReservedTotals,
} from "~/inventory/position-statements.server";
import { changeOrderReservations, reserveOrderLines } from "~/inventory/positions.server";

const SHOP = "statements.myshopify.com";
const OTHER = "statements-other.myshopify.com";

function ledgerFor(position: { warehouseId: string; inventoryItemId: string; reservedUnacknowledged: number; reserved: number }, reference: string) {
  return {
    shop: SHOP,
    warehouseId: position.warehouseId,
    inventoryItemId: position.inventoryItemId,
    quantityName: "reserved",
    before: position.reservedUnacknowledged,
    after: position.reserved,
    delta: position.reserved - position.reservedUnacknowledged,
    source: "shopify_order",
    reason: "order_reserved",
    reference,
    occurredAt: new Date("2026-11-23T12:00:00.250Z"),
  };
}

describe("the stock engine's raw statements", () => {
  it("read a position with the sums of its open reservations, counting only this shop, warehouse, item and status", async () => {
    const scoped = forShop(SHOP);
    await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "w1", warehouseSku: "A", inventoryItemId: "item-a", reservedUnacknowledged: 1, version: 3 } });
    await scoped.reservation.createMany({
      data: [
        { shop: SHOP, warehouseId: "w1", inventoryItemId: "item-a", orderId: "o1", lineItemId: "l1", quantity: 2, status: "active" },
        { shop: SHOP, warehouseId: "w1", inventoryItemId: "item-a", orderId: "o2", lineItemId: "l2", quantity: 5, status: "active" },
        { shop: SHOP, warehouseId: "w1", inventoryItemId: "item-a", orderId: "o3", lineItemId: "l3", quantity: 4, status: "acknowledged" },
        { shop: SHOP, warehouseId: "w1", inventoryItemId: "item-a", orderId: "o4", lineItemId: "l4", quantity: 9, status: "released" },
        { shop: SHOP, warehouseId: "w2", inventoryItemId: "item-a", orderId: "o5", lineItemId: "l5", quantity: 7, status: "active" },
        { shop: SHOP, warehouseId: "w1", inventoryItemId: "item-b", orderId: "o6", lineItemId: "l6", quantity: 8, status: "active" },
      ],
    });
    await forShop(OTHER).reservation.create({ data: { shop: OTHER, warehouseId: "w1", inventoryItemId: "item-a", orderId: "o1", lineItemId: "l1", quantity: 50 } });
    const [position, ...more] = await readReservedTotals(db, SHOP, "w1", "item-a");
    expect(more).toEqual([]);
    expect(position).toMatchObject({ warehouseSku: "A", reservedUnacknowledged: 1, acknowledgedUnfulfilled: 0, version: 3, reserved: 7, acknowledged: 4, syncState: "clean", dirtySince: null });
    expect(await readReservedTotals(db, SHOP, "w1", "nothing-here")).toEqual([]);
  });

  it("write new totals with their ledger row only while the position is at the version read; a lost race writes neither", async () => {
    const scoped = forShop(SHOP);
    const created = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "w3", warehouseSku: "C", inventoryItemId: "item-c", version: 1 } });
    await scoped.reservation.create({ data: { shop: SHOP, warehouseId: "w3", inventoryItemId: "item-c", orderId: "o9", lineItemId: "l9", quantity: 3 } });
    const [read] = await readReservedTotals(db, SHOP, "w3", "item-c");
    const now = new Date("2026-11-23T12:00:01.500Z");

    // Someone else changes the position first: this write must change nothing.
    await scoped.inventoryPosition.update({ where: { id: created.id }, data: { version: { increment: 1 } } });
    expect(await writeReservedTotals(db, read!, ledgerFor(read!, "race-lost"), now)).toBe(false);
    expect(await scoped.inventoryLedgerEntry.count({ where: { reference: "race-lost" } })).toBe(0);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ reservedUnacknowledged: 0, version: 2, syncState: "clean" });

    const [again] = await readReservedTotals(db, SHOP, "w3", "item-c");
    expect(await writeReservedTotals(db, again!, ledgerFor(again!, "race-won"), now)).toBe(true);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      reservedUnacknowledged: 3,
      acknowledgedUnfulfilled: 0,
      syncState: "dirty",
      dirtySince: now,
      version: 3,
      updatedAt: now,
    });
    const ledger = await scoped.inventoryLedgerEntry.findMany({ where: { reference: "race-won" } });
    expect(ledger.map((r) => ({ before: r.before, after: r.after, delta: r.delta, name: r.quantityName, at: r.occurredAt.toISOString() }))).toEqual([
      { before: 0, after: 3, delta: 3, name: "reserved", at: "2026-11-23T12:00:00.250Z" },
    ]);
    // A dirty position keeps the time it first became dirty.
    await scoped.reservation.create({ data: { shop: SHOP, warehouseId: "w3", inventoryItemId: "item-c", orderId: "o10", lineItemId: "l10", quantity: 1 } });
    const [third] = await readReservedTotals(db, SHOP, "w3", "item-c");
    expect(await writeReservedTotals(db, third!, ledgerFor(third!, "still-dirty"), new Date("2026-11-23T12:05:00.000Z"))).toBe(true);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ reservedUnacknowledged: 4, dirtySince: now, version: 4 });
  });

  it("find a warehouse by location, and reservations by line, for this shop only; a second reservation of the same line is refused", async () => {
    const connection = await forShop(SHOP).warehouseConnection.create({ data: { shop: SHOP, name: "WMS", provider: "mock", encryptedCredentials: "x" } });
    const warehouse = await forShop(SHOP).warehouse.create({ data: { shop: SHOP, connectionId: connection.id, externalCode: "LAX", name: "LA", shopifyLocationId: "gid://shopify/Location/7" } });
    expect(await warehouseAtLocation(db, SHOP, "gid://shopify/Location/7")).toEqual({ id: warehouse.id });
    expect(await warehouseAtLocation(db, OTHER, "gid://shopify/Location/7")).toBeNull();
    expect(await warehouseAtLocation(db, SHOP, "gid://shopify/Location/8")).toBeNull();

    const line = { shop: SHOP, warehouseId: warehouse.id, inventoryItemId: "item-d", orderId: "o20", lineItemId: "l20", quantity: 2 };
    const id = await insertReservation(db, line, new Date("2026-11-23T12:00:00.000Z"));
    expect(await findLineReservation(db, SHOP, "l20", warehouse.id)).toEqual({ id, lineItemId: "l20", warehouseId: warehouse.id, quantity: 2, status: "active" });
    expect(await findLineReservation(db, OTHER, "l20", warehouse.id)).toBeNull();
    expect(await forShop(SHOP).reservation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "active", createdAt: new Date("2026-11-23T12:00:00.000Z"), releasedAt: null });
    await expect(insertReservation(db, { ...line, quantity: 5 }, new Date())).rejects.toThrow(/will try again/);
    expect(await forShop(SHOP).reservation.count({ where: { lineItemId: "l20" } })).toBe(1);
    // An order's reservations, of some lines or all, of this shop only.
    const row = { id, lineItemId: "l20", warehouseId: warehouse.id, inventoryItemId: "item-d", quantity: 2, status: "active" };
    expect(await readOrderReservations(db, SHOP, "o20")).toEqual([row]);
    expect(await readOrderReservations(db, SHOP, "o20", ["l20", "l21"])).toEqual([row]);
    expect(await readOrderReservations(db, SHOP, "o20", ["l21"])).toEqual([]);
    expect(await readOrderReservations(db, SHOP, "o20", [])).toEqual([]);
    expect(await readOrderReservations(db, OTHER, "o20")).toEqual([]);
  });

  it("move an order's reservations in one statement, by status, warehouse and line, and never another shop's", async () => {
    const scoped = forShop(SHOP);
    await scoped.reservation.createMany({
      data: [
        { shop: SHOP, warehouseId: "w5", inventoryItemId: "i1", orderId: "o30", lineItemId: "l30", quantity: 1, status: "active" },
        { shop: SHOP, warehouseId: "w5", inventoryItemId: "i2", orderId: "o30", lineItemId: "l31", quantity: 1, status: "acknowledged" },
        { shop: SHOP, warehouseId: "w6", inventoryItemId: "i3", orderId: "o30", lineItemId: "l32", quantity: 1, status: "active" },
      ],
    });
    await forShop(OTHER).reservation.create({ data: { shop: OTHER, warehouseId: "w5", inventoryItemId: "i1", orderId: "o30", lineItemId: "l30", quantity: 1 } });
    const at = new Date("2026-11-23T13:00:00.000Z");
    expect(await moveReservationRows(db, { shop: SHOP, orderId: "o30", from: ["active"], lineItemIds: [] }, { status: "acknowledged" }, at)).toEqual([]);
    expect(await moveReservationRows(db, { shop: SHOP, orderId: "o30", from: ["active"], warehouseId: "w5" }, { status: "acknowledged" }, at)).toEqual([{ warehouseId: "w5", inventoryItemId: "i1" }]);
    const released = await moveReservationRows(db, { shop: SHOP, orderId: "o30", from: ["active", "acknowledged"], lineItemIds: ["l31", "l32"] }, { status: "released", reason: "fulfilled" }, at);
    expect(released.sort((a, b) => a.inventoryItemId.localeCompare(b.inventoryItemId))).toEqual([
      { warehouseId: "w5", inventoryItemId: "i2" },
      { warehouseId: "w6", inventoryItemId: "i3" },
    ]);
    const rows = await scoped.reservation.findMany({ where: { orderId: "o30" }, orderBy: { lineItemId: "asc" } });
    expect(rows.map((r) => [r.lineItemId, r.status, r.releasedReason, r.acknowledgedAt?.toISOString() ?? null, r.releasedAt?.toISOString() ?? null])).toEqual([
      ["l30", "acknowledged", null, at.toISOString(), null],
      ["l31", "released", "fulfilled", null, at.toISOString()],
      ["l32", "released", "fulfilled", null, at.toISOString()],
    ]);
    expect(await forShop(OTHER).reservation.findFirstOrThrow({ where: { orderId: "o30" } })).toMatchObject({ status: "active" });
  });

  it("keep a position's reserved units equal to its open reservations through reserve, acknowledge and fulfil, with one ledger row per change", async () => {
    const scoped = forShop(SHOP);
    const connection = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "WMS 2", provider: "mock", encryptedCredentials: "x" } });
    const warehouse = await scoped.warehouse.create({ data: { shop: SHOP, connectionId: connection.id, externalCode: "RTM", name: "Rotterdam", shopifyLocationId: "gid://shopify/Location/9" } });
    const position = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: warehouse.id, warehouseSku: "E", inventoryItemId: "item-e", warehouseSellable: 20 } });
    const line = (orderId: string, lineItemId: string, quantity: number) => ({ orderId, lineItemId, inventoryItemId: "item-e", locationId: "gid://shopify/Location/9", quantity });
    // Two orders reserved at once: the version check makes the later recompute read again.
    await Promise.all([reserveOrderLines(SHOP, [line("o40", "l40", 2)], db), reserveOrderLines(SHOP, [line("o41", "l41", 3)], db)]);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: position.id } })).toMatchObject({ reservedUnacknowledged: 5, acknowledgedUnfulfilled: 0, syncState: "dirty" });
    // Reserving the same line again changes nothing; a new quantity moves the total.
    expect(await reserveOrderLines(SHOP, [line("o40", "l40", 2)], db)).toBe(0);
    expect(await reserveOrderLines(SHOP, [line("o40", "l40", 4)], db)).toBe(1);
    expect(await changeOrderReservations(SHOP, "o40", "acknowledged", { warehouseId: warehouse.id }, db)).toBe(1);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: position.id } })).toMatchObject({ reservedUnacknowledged: 3, acknowledgedUnfulfilled: 4 });
    expect(await changeOrderReservations(SHOP, "o40", "fulfilled", {}, db)).toBe(1);
    expect(await changeOrderReservations(SHOP, "o41", "cancelled", {}, db)).toBe(1);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: position.id } })).toMatchObject({ reservedUnacknowledged: 0, acknowledgedUnfulfilled: 0 });
    const ledger = await scoped.inventoryLedgerEntry.findMany({ where: { warehouseId: warehouse.id, inventoryItemId: "item-e" }, orderBy: { id: "asc" } });
    // The reserved units' story adds up: each row starts where the previous one ended.
    const reservedRows = ledger.filter((r) => r.quantityName === "reserved");
    expect(reservedRows.length).toBeGreaterThanOrEqual(4);
    reservedRows.forEach((row, i) => {
      expect(row.delta).toBe(row.after - row.before);
      if (i > 0) expect(row.before).toBe(reservedRows[i - 1]!.after);
    });
    expect(reservedRows[0]!.before).toBe(0);
    expect(reservedRows.at(-1)!.after).toBe(0);
  });
});
