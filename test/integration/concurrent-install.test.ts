import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loadShopSettings } from "~/models/settings.server";
import { ensureShopInstalled } from "~/models/shop.server";

describe("a shop's first requests arrive together", () => {
  it("creating the shop and its settings from parallel loaders neither fails nor duplicates", async () => {
    const shop = "parallel.myshopify.com";
    const results = await Promise.allSettled([
      ensureShopInstalled(shop, "read_products"),
      loadShopSettings(shop),
      ensureShopInstalled(shop, "read_products"),
      loadShopSettings(shop),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await db.shop.count({ where: { shop } })).toBe(1);
    expect(await db.shopSettings.count({ where: { shop } })).toBe(1);
  });
});

describe("changing the default safety stock", () => {
  it("marks every position that uses the default for the next sync, and asks for one", async () => {
    const shop = "safety.myshopify.com";
    const { forShop } = await import("~/db/tenant.server");
    const { saveShopSettings } = await import("~/models/settings.server");
    const { validateSettings } = await import("~/models/settings");
    const scoped = forShop(shop);
    await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: 2 } });
    const usesDefault = await scoped.inventoryPosition.create({ data: { shop, warehouseId: "w", warehouseSku: "A", inventoryItemId: "i1", syncState: "clean" } });
    const ownSafety = await scoped.inventoryPosition.create({ data: { shop, warehouseId: "w", warehouseSku: "B", inventoryItemId: "i2", safetyStock: 7, syncState: "clean" } });
    const form = { defaultSafetyStock: "5", accuracyTargetPercent: "99.5", countCadenceDaysA: "7", countCadenceDaysB: "30", countCadenceDaysC: "90", abcThresholdAPercent: "80", abcThresholdBPercent: "95", varianceThresholdUnits: "5", varianceThresholdValue: "50.00", timeZone: "UTC" };
    const result = validateSettings(form);
    if (!result.values) throw new Error(JSON.stringify(result.errors));
    await saveShopSettings(shop, result.values);
    expect((await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: usesDefault.id } })).syncState).toBe("dirty");
    expect((await scoped.inventoryPosition.findUniqueOrThrow({ where: { id: ownSafety.id } })).syncState).toBe("clean");
    expect(await scoped.job.count({ where: { type: "inventory.sync" } })).toBe(1);
    // saving the same value again changes nothing
    await scoped.inventoryPosition.updateMany({ where: {}, data: { syncState: "clean" } });
    await saveShopSettings(shop, result.values);
    expect(await scoped.inventoryPosition.count({ where: { syncState: "dirty" } })).toBe(0);
  });
});
