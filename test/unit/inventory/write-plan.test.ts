import { describe, expect, it } from "vitest";
import { idempotencyKeyFor, planShopifyWrites, type PositionToWrite } from "~/inventory/write-plan";

const SHOP = "alpha.myshopify.com";
const LOC = "gid://shopify/Location/1";
function position(n: number, target: number, shopifyAvailable: number | null, version = 1): PositionToWrite {
  return { positionId: `p${n}`, inventoryItemId: `gid://shopify/InventoryItem/${n}`, locationId: LOC, target, shopifyAvailable, version };
}

describe("planning Shopify writes", () => {
  it("writes only what differs, with compare-and-swap from what Shopify shows", () => {
    const plan = planShopifyWrites(SHOP, [position(1, 5, 9), position(2, 7, 7)]);
    expect(plan.unchanged.map((p) => p.positionId)).toEqual(["p2"]);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]!.quantities).toEqual([{ positionId: "p1", version: 1, inventoryItemId: "gid://shopify/InventoryItem/1", locationId: LOC, quantity: 5, changeFromQuantity: 9 }]);
  });

  it("never writes blind: a position whose Shopify value is unknown is read first", () => {
    const plan = planShopifyWrites(SHOP, [position(1, 5, null)]);
    expect(plan.writes).toEqual([]);
    expect(plan.needsRead.map((p) => p.positionId)).toEqual(["p1"]);
  });

  it("puts SKUs close to zero first", () => {
    const plan = planShopifyWrites(SHOP, [position(1, 120, 100), position(2, 0, 3), position(3, 4, 10), position(4, 0, 1)]);
    expect(plan.writes[0]!.quantities.map((q) => q.positionId)).toEqual(["p2", "p4", "p3", "p1"]);
  });

  it("sends at most 250 quantities per call", () => {
    const many = Array.from({ length: 601 }, (_, i) => position(i, i % 7, 100));
    const plan = planShopifyWrites(SHOP, many);
    expect(plan.writes.map((w) => w.quantities.length)).toEqual([250, 250, 101]);
    expect(new Set(plan.writes.flatMap((w) => w.quantities.map((q) => q.positionId))).size).toBe(601);
    expect(() => planShopifyWrites(SHOP, many, 251)).toThrow(RangeError);
  });

  it("gives the same logical change the same idempotency key, and another change another key", () => {
    const a = planShopifyWrites(SHOP, [position(1, 5, 9), position(2, 3, 4)]).writes[0]!;
    const again = planShopifyWrites(SHOP, [position(2, 3, 4), position(1, 5, 9)]).writes[0]!;
    const other = planShopifyWrites(SHOP, [position(1, 6, 9), position(2, 3, 4)]).writes[0]!;
    const otherShop = planShopifyWrites("beta.myshopify.com", [position(1, 5, 9), position(2, 3, 4)]).writes[0]!;
    expect(again.idempotencyKey).toBe(a.idempotencyKey);
    expect(other.idempotencyKey).not.toBe(a.idempotencyKey);
    expect(otherShop.idempotencyKey).not.toBe(a.idempotencyKey);
    expect(a.idempotencyKey).toBe(idempotencyKeyFor(SHOP, a.quantities));
    const sameNumbersLater = planShopifyWrites(SHOP, [position(1, 5, 9, 2), position(2, 3, 4)]).writes[0]!;
    expect(sameNumbersLater.idempotencyKey).not.toBe(a.idempotencyKey);
  });

  it("writes one location per call, near-zero batches first", () => {
    const other = "gid://shopify/Location/2";
    const plan = planShopifyWrites(SHOP, [
      position(1, 50, 60),
      { ...position(2, 0, 2), locationId: other },
      position(3, 9, 8),
      { ...position(4, 30, 31), locationId: other },
    ]);
    expect(plan.writes.map((w) => [w.locationId, w.quantities.map((q) => q.positionId)])).toEqual([
      [other, ["p2", "p4"]],
      [LOC, ["p3", "p1"]],
    ]);
    for (const write of plan.writes) expect(new Set(write.quantities.map((q) => q.locationId))).toEqual(new Set([write.locationId]));
  });

  it("refuses the same item and location twice (changes must be coalesced first)", () => {
    expect(() => planShopifyWrites(SHOP, [position(1, 5, 9), position(1, 6, 9)])).toThrow(/coalesce/);
  });
});
