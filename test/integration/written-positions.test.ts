import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { appendWrittenLedger, recordWrittenPositions } from "~/inventory/written-positions.server";

const SHOP = "writes.myshopify.com";
const OTHER = "other.myshopify.com";

describe("recording a written batch in one statement", () => {
  it("sets the new value, cleans positions unchanged since planning, keeps changed ones dirty, and touches no other shop", async () => {
    const scoped = forShop(SHOP);
    const same = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "w", warehouseSku: "A", inventoryItemId: "i1", syncState: "dirty", dirtySince: new Date(), version: 4 } });
    const moved = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "w", warehouseSku: "B", inventoryItemId: "i2", syncState: "dirty", dirtySince: new Date(), version: 9 } });
    const foreign = await forShop(OTHER).inventoryPosition.create({ data: { shop: OTHER, warehouseId: "w", warehouseSku: "A", inventoryItemId: "i1", syncState: "dirty", version: 4 } });
    const at = new Date("2026-11-23T10:00:00.123Z");
    const recorded = await recordWrittenPositions(db, SHOP, [
      { positionId: same.id, quantityAfterChange: 12, plannedVersion: 4 },
      { positionId: moved.id, quantityAfterChange: 0, plannedVersion: 8 },
      { positionId: foreign.id, quantityAfterChange: 99, plannedVersion: 4 },
    ], at);
    // It says which positions it found, with their warehouse: the other shop's is not among them.
    expect(recorded.map((r) => r.id).sort()).toEqual([same.id, moved.id].sort());
    expect(recorded.every((r) => r.warehouseId === "w")).toBe(true);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: same.id } })).toMatchObject({ shopifyAvailable: 12, lastWrittenAvailable: 12, syncState: "clean", dirtySince: null, version: 5, lastWrittenAt: at });
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ shopifyAvailable: 0, syncState: "dirty", version: 10 });
    expect(await forShop(OTHER).inventoryPosition.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ shopifyAvailable: null, syncState: "dirty", version: 4 });
  });

  it("ledger rows inserted in one statement read back exactly as Prisma's own", async () => {
    const at = new Date("2026-11-23T10:00:00.456Z");
    await appendWrittenLedger(db, SHOP, [
      { warehouseId: "w", inventoryItemId: "i1", before: 3, after: 12, reference: "gid://tallysync/StockSync/x" },
      { warehouseId: "w", inventoryItemId: "i2", before: 5, after: 0, reference: "gid://tallysync/StockSync/x" },
    ], at);
    const rows = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { reference: "gid://tallysync/StockSync/x" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => ({ item: r.inventoryItemId, before: r.before, after: r.after, delta: r.delta, source: r.source, occurredAt: r.occurredAt.toISOString() }))).toEqual([
      { item: "i1", before: 3, after: 12, delta: 9, source: "stock_sync", occurredAt: at.toISOString() },
      { item: "i2", before: 5, after: 0, delta: -5, source: "stock_sync", occurredAt: at.toISOString() },
    ]);
    expect(await forShop(SHOP).inventoryLedgerEntry.count({ where: { occurredAt: { gte: new Date("2026-11-23T10:00:00.000Z"), lte: new Date("2026-11-23T10:00:01.000Z") } } })).toBe(2);
  });
});
