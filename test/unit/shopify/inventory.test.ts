import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ShopifyApiCall } from "~/shopify/admin-client.server";
import { InventoryBatchTooLargeError } from "~/shopify/errors";
import { adjustAvailable, readInventoryLevels, setAvailable } from "~/shopify/inventory.server";
import { SHOP, startSimulatedShop, type SimulatedShop } from "./simulated-shop";

let shop: SimulatedShop;
let calls: ShopifyApiCall[];
let a: string;
let b: string;

beforeAll(async () => {
  shop = await startSimulatedShop(260);
  [a, b] = shop.items as [string, string];
});
afterAll(() => shop.stop());
beforeEach(() => {
  calls = [];
  shop.sent.length = 0;
  shop.sim.faults.reset();
  shop.sim.shop(SHOP).bucket.drain(2000);
  shop.sim.setLevel(SHOP, a, shop.locationId, { available: 10, committed: 2, reserved: 1, damaged: 0, safety_stock: 0, incoming: 5, quality_control: 0 });
  shop.sim.setLevel(SHOP, b, shop.locationId, { available: 3, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, incoming: 0, quality_control: 0 });
});

let keys = 0;
const key = () => `inventory-test-${++keys}`;
const common = () => ({ reason: "correction", referenceDocumentUri: `gid://tallysync/SyncRun/${keys}`, idempotencyKey: key() });

describe("reading stock levels", () => {
  it("reads every quantity of each item at the location", async () => {
    const levels = await readInventoryLevels(shop.client(), shop.locationId, [a, b]);
    expect(levels.get(a)).toEqual({ available: 10, committed: 2, on_hand: 13, reserved: 1, damaged: 0, safety_stock: 0, incoming: 5, quality_control: 0 });
    expect(levels.get(b)?.available).toBe(3);
  });

  it("leaves out an item that is not stocked at the location", async () => {
    const levels = await readInventoryLevels(shop.client(), shop.locationId, [a, shop.unstockedItem]);
    expect([...levels.keys()]).toEqual([a]);
  });

  it("reads more than 250 items in calls of at most 250", async () => {
    const levels = await readInventoryLevels(shop.client({ calls }), shop.locationId, shop.items);
    expect(levels.size).toBe(260);
    expect(calls.map((c) => c.operation)).toEqual(["InventoryLevels", "InventoryLevels"]);
    const sizes = shop.sent.map((s) => (JSON.parse(s.body) as { variables: { inventoryItemIds: string[] } }).variables.inventoryItemIds.length);
    expect(sizes).toEqual([250, 10]);
  });
});

describe("setting available stock", () => {
  it("applies a change whose changeFromQuantity matches Shopify", async () => {
    const result = await setAvailable(shop.client(), {
      ...common(),
      locationId: shop.locationId,
      quantities: [
        { inventoryItemId: a, quantity: 7, changeFromQuantity: 10 },
        { inventoryItemId: b, quantity: 5, changeFromQuantity: 3 },
      ],
    });
    expect(result).toEqual({
      adjustmentGroupId: expect.stringMatching(/^gid:\/\/shopify\/InventoryAdjustmentGroup\//),
      applied: [
        { inventoryItemId: a, delta: -3, quantityAfterChange: 7 },
        { inventoryItemId: b, delta: 2, quantityAfterChange: 5 },
      ],
      stale: [],
      errors: [],
    });
    expect([shop.level(a), shop.level(b)]).toEqual([7, 5]);
  });

  it("a stale changeFromQuantity comes back as stale, by item, and Shopify applies nothing of the call", async () => {
    // Shopify names the stale quantity by its index: field ["input", "quantities", "1", "changeFromQuantity"].
    const result = await setAvailable(shop.client(), {
      ...common(),
      locationId: shop.locationId,
      quantities: [
        { inventoryItemId: a, quantity: 7, changeFromQuantity: 10 },
        { inventoryItemId: b, quantity: 5, changeFromQuantity: 4 },
      ],
    });
    expect(result).toEqual({ adjustmentGroupId: null, applied: [], stale: [b], errors: [] });
    expect([shop.level(a), shop.level(b)]).toEqual([10, 3]);
  });

  it("a null changeFromQuantity opts out of the check", async () => {
    const result = await setAvailable(shop.client(), { ...common(), locationId: shop.locationId, quantities: [{ inventoryItemId: a, quantity: 1, changeFromQuantity: null }] });
    expect(result.applied).toEqual([{ inventoryItemId: a, delta: -9, quantityAfterChange: 1 }]);
  });

  it("other refusals are reported with the item they concern", async () => {
    const result = await setAvailable(shop.client(), {
      ...common(),
      locationId: shop.locationId,
      quantities: [
        { inventoryItemId: a, quantity: 7, changeFromQuantity: 10 },
        { inventoryItemId: shop.unstockedItem, quantity: 1, changeFromQuantity: 0 },
      ],
    });
    expect(result.applied).toEqual([]);
    expect(result.errors).toEqual([
      { inventoryItemId: shop.unstockedItem, code: "ITEM_NOT_STOCKED_AT_LOCATION", message: expect.any(String), field: ["input", "quantities", "1"] },
    ]);
    expect(shop.level(a)).toBe(10);
  });

  it("replaying the same idempotency key returns the first result and applies once", async () => {
    const input = { ...common(), locationId: shop.locationId, quantities: [{ inventoryItemId: a, quantity: 8, changeFromQuantity: 10 }] };
    const first = await setAvailable(shop.client(), input);
    shop.sim.setLevel(SHOP, a, shop.locationId, { available: 12 }); // someone else changes it meanwhile
    const replay = await setAvailable(shop.client(), input);
    expect(replay).toEqual(first);
    expect(shop.level(a)).toBe(12);
  });

  it("reusing a key for a different change is refused", async () => {
    const idempotencyKey = key();
    await setAvailable(shop.client(), { ...common(), idempotencyKey, locationId: shop.locationId, quantities: [{ inventoryItemId: a, quantity: 8, changeFromQuantity: 10 }] });
    const other = await setAvailable(shop.client(), { ...common(), idempotencyKey, locationId: shop.locationId, quantities: [{ inventoryItemId: a, quantity: 2, changeFromQuantity: 8 }] });
    expect(other.applied).toEqual([]);
    expect(other.errors.map((e) => e.code)).toEqual(["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]);
    expect(shop.level(a)).toBe(8);
  });

  it("replaying the key of a call that was refused as stale says so, rather than applying it", async () => {
    const input = { ...common(), locationId: shop.locationId, quantities: [{ inventoryItemId: a, quantity: 8, changeFromQuantity: 9 }] };
    expect((await setAvailable(shop.client(), input)).stale).toEqual([a]);
    shop.sim.setLevel(SHOP, a, shop.locationId, { available: 9 });
    const replay = await setAvailable(shop.client(), input);
    expect(replay.applied).toEqual([]);
    expect(replay.errors.map((e) => e.code)).toEqual(["IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"]);
    expect(shop.level(a)).toBe(9);
  });

  it("251 quantities are refused before anything is sent", async () => {
    const quantities = shop.items.slice(0, 251).map((inventoryItemId) => ({ inventoryItemId, quantity: 1, changeFromQuantity: 10 }));
    await expect(setAvailable(shop.client({ calls }), { ...common(), locationId: shop.locationId, quantities })).rejects.toBeInstanceOf(InventoryBatchTooLargeError);
    expect(shop.sent).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("250 quantities go in one call", async () => {
    const quantities = shop.items.slice(0, 250).map((inventoryItemId) => ({ inventoryItemId, quantity: 10, changeFromQuantity: null }));
    const result = await setAvailable(shop.client({ calls }), { ...common(), locationId: shop.locationId, quantities });
    expect(result.applied).toHaveLength(250);
    expect(calls).toHaveLength(1);
  });

  it("nothing to set sends nothing", async () => {
    const result = await setAvailable(shop.client(), { ...common(), locationId: shop.locationId, quantities: [] });
    expect(result).toEqual({ adjustmentGroupId: null, applied: [], stale: [], errors: [] });
    expect(shop.sent).toEqual([]);
  });
});

describe("adjusting available stock", () => {
  it("applies deltas checked against changeFromQuantity", async () => {
    const result = await adjustAvailable(shop.client(), {
      ...common(),
      locationId: shop.locationId,
      changes: [
        { inventoryItemId: a, delta: -4, changeFromQuantity: 10 },
        { inventoryItemId: b, delta: 2, changeFromQuantity: 3 },
      ],
    });
    expect(result.applied).toEqual([
      { inventoryItemId: a, delta: -4, quantityAfterChange: 6 },
      { inventoryItemId: b, delta: 2, quantityAfterChange: 5 },
    ]);
    expect(result.stale).toEqual([]);
    expect([shop.level(a), shop.level(b)]).toEqual([6, 5]);
  });

  it("a stale delta is reported by item and nothing is applied", async () => {
    const result = await adjustAvailable(shop.client(), {
      ...common(),
      locationId: shop.locationId,
      changes: [
        { inventoryItemId: a, delta: -4, changeFromQuantity: 11 },
        { inventoryItemId: b, delta: 2, changeFromQuantity: 3 },
      ],
    });
    expect(result).toEqual({ adjustmentGroupId: null, applied: [], stale: [a], errors: [] });
    expect([shop.level(a), shop.level(b)]).toEqual([10, 3]);
  });

  it("251 changes are refused before anything is sent", async () => {
    const changes = shop.items.slice(0, 251).map((inventoryItemId) => ({ inventoryItemId, delta: 1, changeFromQuantity: null }));
    await expect(adjustAvailable(shop.client(), { ...common(), locationId: shop.locationId, changes })).rejects.toThrow(/at most 250/);
    expect(shop.sent).toEqual([]);
  });
});
