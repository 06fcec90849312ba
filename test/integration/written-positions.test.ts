import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { appendWrittenLedger, markPositionsClean, recordShopifyReads, recordWrittenPositions } from "~/inventory/written-positions.server";

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

  it("records what Shopify said of each position in one statement, for this shop only", async () => {
    const scoped = forShop(SHOP);
    const a = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "r", warehouseSku: "A", inventoryItemId: "r1", needsShopifyRead: true, version: 2 } });
    const b = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "r", warehouseSku: "B", inventoryItemId: "r2", needsShopifyRead: true, shopifyOnHand: 9 } });
    const foreign = await forShop(OTHER).inventoryPosition.create({ data: { shop: OTHER, warehouseId: "r", warehouseSku: "A", inventoryItemId: "r1", needsShopifyRead: true } });
    const at = new Date("2026-11-23T11:00:00.789Z");
    await recordShopifyReads(db, SHOP, [
      { positionId: a.id, available: 7, committed: 2, onHand: 9 },
      { positionId: b.id, available: 0, committed: 0, onHand: null },
      { positionId: foreign.id, available: 50, committed: 50, onHand: 50 },
    ], at);
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ shopifyAvailable: 7, shopifyCommitted: 2, shopifyOnHand: 9, shopifyReadAt: at, needsShopifyRead: false, version: 2, updatedAt: at });
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ shopifyAvailable: 0, shopifyCommitted: 0, shopifyOnHand: null, needsShopifyRead: false });
    expect(await forShop(OTHER).inventoryPosition.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ shopifyAvailable: null, needsShopifyRead: true });
    // Prisma's own filters find the written values (the boolean is stored as Prisma stores it).
    expect(await scoped.inventoryPosition.count({ where: { warehouseId: "r", needsShopifyRead: false } })).toBe(2);
  });

  it("marks positions Shopify already shows right clean in one statement, unless they changed since the plan", async () => {
    const scoped = forShop(SHOP);
    const same = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "c", warehouseSku: "A", inventoryItemId: "c1", syncState: "dirty", dirtySince: new Date(), version: 3 } });
    const moved = await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: "c", warehouseSku: "B", inventoryItemId: "c2", syncState: "dirty", dirtySince: new Date(), version: 6 } });
    const foreign = await forShop(OTHER).inventoryPosition.create({ data: { shop: OTHER, warehouseId: "c", warehouseSku: "A", inventoryItemId: "c1", syncState: "dirty", version: 3 } });
    await markPositionsClean(db, SHOP, [
      { positionId: same.id, version: 3, target: 11 },
      { positionId: moved.id, version: 5, target: 4 },
      { positionId: foreign.id, version: 3, target: 1 },
    ], new Date());
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: same.id } })).toMatchObject({ syncState: "clean", dirtySince: null, lastWrittenAvailable: 11, version: 3 });
    expect(await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: moved.id } })).toMatchObject({ syncState: "dirty", lastWrittenAvailable: null, version: 6 });
    expect(await forShop(OTHER).inventoryPosition.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ syncState: "dirty", lastWrittenAvailable: null });
  });
});
