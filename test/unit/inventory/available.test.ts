import { describe, expect, it } from "vitest";
import { availableToSell, effectiveSafetyStock } from "~/inventory/available";

describe("available to sell = warehouse sellable - unacknowledged order units - safety stock", () => {
  it("is sellable minus reservations minus safety stock", () => {
    expect(availableToSell({ warehouseSellable: 50, unacknowledgedReserved: 7, safetyStock: 3 }).available).toBe(40);
  });

  it("is never below zero", () => {
    expect(availableToSell({ warehouseSellable: 2, unacknowledgedReserved: 5, safetyStock: 1 }).available).toBe(0);
    expect(availableToSell({ warehouseSellable: 0, unacknowledgedReserved: 0, safetyStock: 10 }).available).toBe(0);
  });

  it("an order the warehouse has not seen still lowers availability", () => {
    const before = availableToSell({ warehouseSellable: 20, unacknowledgedReserved: 0, safetyStock: 0 });
    const after = availableToSell({ warehouseSellable: 20, unacknowledgedReserved: 3, safetyStock: 0 });
    expect(after.available).toBe(before.available - 3);
  });

  it("an order whose webhook has not arrived yet lowers availability through Shopify's committed units", () => {
    const result = availableToSell({ warehouseSellable: 20, unacknowledgedReserved: 0, safetyStock: 0, shopifyCommitted: 4, acknowledgedUnfulfilled: 0 });
    expect(result).toMatchObject({ available: 16, unacknowledged: 4, unacknowledgedFrom: "shopify_committed" });
  });

  it("units the warehouse acknowledged are not taken out twice", () => {
    // 4 committed in Shopify, 3 of them acknowledged (already gone from sellable), 1 reservation left
    const result = availableToSell({ warehouseSellable: 17, unacknowledgedReserved: 1, safetyStock: 0, shopifyCommitted: 4, acknowledgedUnfulfilled: 3 });
    expect(result).toMatchObject({ available: 16, unacknowledged: 1 });
  });

  it("takes the larger of the two views, so a stale side can only lower availability", () => {
    const staleShopify = availableToSell({ warehouseSellable: 20, unacknowledgedReserved: 5, safetyStock: 0, shopifyCommitted: 2, acknowledgedUnfulfilled: 0 });
    expect(staleShopify).toMatchObject({ available: 15, unacknowledgedFrom: "reservations" });
    const lateWebhook = availableToSell({ warehouseSellable: 20, unacknowledgedReserved: 2, safetyStock: 0, shopifyCommitted: 5, acknowledgedUnfulfilled: 0 });
    expect(lateWebhook).toMatchObject({ available: 15, unacknowledgedFrom: "shopify_committed" });
  });

  it("a fulfilment Shopify has recorded but we have not cannot make committed go negative", () => {
    const result = availableToSell({ warehouseSellable: 10, unacknowledgedReserved: 0, safetyStock: 0, shopifyCommitted: 0, acknowledgedUnfulfilled: 2 });
    expect(result).toMatchObject({ available: 10, unacknowledged: 0 });
  });

  it("reports the shortfall when orders exceed what the warehouse can ship (oversold)", () => {
    expect(availableToSell({ warehouseSellable: 3, unacknowledgedReserved: 5, safetyStock: 2 })).toMatchObject({ available: 0, shortfall: 2 });
    expect(availableToSell({ warehouseSellable: 5, unacknowledgedReserved: 4, safetyStock: 3 })).toMatchObject({ available: 0, shortfall: 0 });
  });

  it("treats a negative warehouse figure as nothing sellable", () => {
    expect(availableToSell({ warehouseSellable: -4, unacknowledgedReserved: 0, safetyStock: 0 }).available).toBe(0);
  });

  it("refuses fractional units", () => {
    expect(() => availableToSell({ warehouseSellable: 1.5, unacknowledgedReserved: 0, safetyStock: 0 })).toThrow(/whole number/);
  });

  it("uses the position's safety stock when set, else the shop default", () => {
    expect(effectiveSafetyStock(null, 2)).toBe(2);
    expect(effectiveSafetyStock(0, 2)).toBe(0);
    expect(effectiveSafetyStock(5, 2)).toBe(5);
  });

  it("never publishes more than sellable minus safety, whatever the inputs (property check)", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 5_000; i++) {
      const inputs = {
        warehouseSellable: rand(200) - 20,
        unacknowledgedReserved: rand(50),
        safetyStock: rand(10),
        shopifyCommitted: rand(3) === 0 ? null : rand(80),
        acknowledgedUnfulfilled: rand(40),
      };
      const { available } = availableToSell(inputs);
      expect(available).toBeGreaterThanOrEqual(0);
      expect(available).toBeLessThanOrEqual(Math.max(0, inputs.warehouseSellable - inputs.safetyStock));
      expect(available).toBeLessThanOrEqual(Math.max(0, inputs.warehouseSellable - inputs.unacknowledgedReserved - inputs.safetyStock));
    }
  });
});

describe("telling a hand edit in the admin from orders", async () => {
  const { handEdit } = await import("~/inventory/sync.server");
  it("an order moves units from available to committed: not an edit", () => {
    expect(handEdit(10, 0, { available: 7, committed: 3 })).toBeNull();
  });
  it("a cancellation moves them back: not an edit", () => {
    expect(handEdit(7, 3, { available: 10, committed: 0 })).toBeNull();
  });
  it("a fulfilment takes units out of committed only: not an edit", () => {
    expect(handEdit(7, 3, { available: 7, committed: 0 })).toBeNull();
  });
  it("units appearing in available with committed unchanged: an edit", () => {
    expect(handEdit(10, 2, { available: 100, committed: 2 })).toEqual({ from: 10, to: 100 });
  });
  it("units vanishing from available without an order: an edit", () => {
    expect(handEdit(10, 2, { available: 4, committed: 2 })).toEqual({ from: 10, to: 4 });
  });
  it("nothing to compare with on the first read: not an edit", () => {
    expect(handEdit(null, null, { available: 4, committed: 0 })).toBeNull();
  });
});
