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
