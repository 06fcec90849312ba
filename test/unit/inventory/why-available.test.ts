import { describe, expect, it } from "vitest";
import { availableToSell } from "../../../app/inventory/available";
import { whyAvailable, type WhyAvailableInputs } from "../../../app/inventory/why-available";

const base: WhyAvailableInputs = {
  warehouseSellable: 25,
  reservedUnacknowledged: 4,
  acknowledgedUnfulfilled: 0,
  shopifyCommitted: 4,
  positionSafetyStock: null,
  shopDefaultSafetyStock: 2,
};

describe("why a position's number is what it is", () => {
  it("sellable minus held for orders minus safety stock is what Shopify should show", () => {
    const why = whyAvailable(base);
    expect(why).toMatchObject({ warehouseSellable: 25, unacknowledged: 4, safetyStock: 2, safetyStockIsShopDefault: true, shouldBe: 19 });
    expect(why.sellableCounted - why.unacknowledged - why.safetyStock).toBe(why.shouldBe);
  });

  it("a SKU's own safety stock replaces the shop default, and says so", () => {
    expect(whyAvailable({ ...base, positionSafetyStock: 5 })).toMatchObject({ safetyStock: 5, safetyStockIsShopDefault: false, shouldBe: 16 });
  });

  it("when Shopify has committed more than the orders we have seen, the explanation says the larger number came from Shopify", () => {
    const why = whyAvailable({ ...base, shopifyCommitted: 9, acknowledgedUnfulfilled: 2 });
    expect(why).toMatchObject({ unacknowledged: 7, unacknowledgedFrom: "shopify_committed", reservedByOrders: 4, committedNotAcknowledged: 7, shouldBe: 16 });
  });

  it("below zero, the steps show the sum and the result is floored at 0", () => {
    const why = whyAvailable({ ...base, warehouseSellable: 3, reservedUnacknowledged: 5, shopifyCommitted: null });
    expect(why.beforeFloor).toBe(-4);
    expect(why.shouldBe).toBe(0);
  });

  it("the steps always add up to availableToSell, for every combination of inputs", () => {
    for (const sellable of [-3, 0, 1, 7, 40])
      for (const reserved of [0, 2, 9])
        for (const committed of [null, 0, 5, 12])
          for (const acknowledged of [0, 3])
            for (const own of [null, 0, 4]) {
              const inputs = { warehouseSellable: sellable, reservedUnacknowledged: reserved, acknowledgedUnfulfilled: acknowledged, shopifyCommitted: committed, positionSafetyStock: own, shopDefaultSafetyStock: 2 };
              const why = whyAvailable(inputs);
              const rule = availableToSell({ warehouseSellable: sellable, unacknowledgedReserved: reserved, safetyStock: own ?? 2, shopifyCommitted: committed, acknowledgedUnfulfilled: acknowledged });
              expect(why.shouldBe).toBe(rule.available);
              expect(why.beforeFloor).toBe(why.sellableCounted - why.unacknowledged - why.safetyStock);
              expect(why.shouldBe).toBe(Math.max(0, why.beforeFloor));
            }
  });
});
