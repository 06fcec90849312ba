import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { SHOP, startFixture, type Fixture } from "./test-helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());

const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason referenceDocumentUri changes { name delta quantityAfterChange item { sku } } }
    userErrors { field message code }
  }
}`;
const ADJUST = `mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange ledgerDocumentUri } }
    userErrors { field message code }
  }
}`;
const MOVE = `mutation Move($input: InventoryMoveQuantitiesInput!, $key: String!) {
  inventoryMoveQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { changes(quantityNames: ["available", "reserved", "on_hand"]) { name delta } }
    userErrors { field message code }
  }
}`;

let keySeq = 0;
const key = () => `key-${++keySeq}-${Date.now()}`;
const item = (i: number) => fx.items[i]!.inventoryItemId;
const level = (i = 0) => fx.sim.level(SHOP, item(i), fx.locationId)!;

beforeEach(() => {
  fx.sim.setLevel(SHOP, item(0), fx.locationId, { available: 10, reserved: 0, committed: 0, damaged: 0, incoming: 0 });
  fx.sim.faults.reset();
});

function setInput(quantity: number, changeFromQuantity: number | null | undefined, extra: Record<string, unknown> = {}) {
  const q: Record<string, unknown> = { inventoryItemId: item(0), locationId: fx.locationId, quantity };
  if (changeFromQuantity !== undefined) q.changeFromQuantity = changeFromQuantity;
  return { name: "available", reason: "correction", referenceDocumentUri: "gid://tallysync/SyncJob/1", quantities: [q], ...extra };
}

describe("inventorySetQuantities (2026-07)", () => {
  test("applies a compare-and-swap set and reports the adjustment group", async () => {
    const res = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(7, 10), key: key() });
    const payload = res.body.data.inventorySetQuantities;
    expect(payload.userErrors).toEqual([]);
    expect(payload.inventoryAdjustmentGroup.referenceDocumentUri).toBe("gid://tallysync/SyncJob/1");
    expect(payload.inventoryAdjustmentGroup.changes).toEqual(
      expect.arrayContaining([
        { name: "available", delta: -3, quantityAfterChange: 7, item: { sku: "SKU-A" } },
        { name: "on_hand", delta: -3, quantityAfterChange: 7, item: { sku: "SKU-A" } },
      ]),
    );
    expect(level().available).toBe(7);
  });

  test("a stale changeFromQuantity gives CHANGE_FROM_QUANTITY_STALE and changes nothing", async () => {
    const res = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(5, 9), key: key() });
    const payload = res.body.data.inventorySetQuantities;
    expect(payload.inventoryAdjustmentGroup).toBeNull();
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "quantities", "0", "changeFromQuantity"] })]);
    expect(level().available).toBe(10);
  });

  test("one stale quantity fails the whole call", async () => {
    const input = setInput(5, 10);
    (input.quantities as unknown[]).push({ inventoryItemId: item(1), locationId: fx.locationId, quantity: 1, changeFromQuantity: 99 });
    const res = await fx.sim.graphql(SHOP, fx.token, SET, { input, key: key() });
    expect(res.body.data.inventorySetQuantities.userErrors[0].code).toBe("CHANGE_FROM_QUANTITY_STALE");
    expect(level().available).toBe(10);
  });

  test("omitting changeFromQuantity is an error; explicit null opts out of the check", async () => {
    const omitted = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(4, undefined), key: key() });
    expect(omitted.body.data).toBeUndefined();
    expect(omitted.body.errors[0].extensions.code).toBe("INVALID_FIELD_ARGUMENTS");
    expect(omitted.body.errors[0].message).toBe("InventoryQuantityInput must include the following argument: changeFromQuantity");
    expect(level().available).toBe(10);

    const optOut = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(4, null), key: key() });
    expect(optOut.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(level().available).toBe(4);
  });

  test("older API versions keep changeFromQuantity optional", async () => {
    const mutation = `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`;
    const res = await fx.sim.graphql(SHOP, fx.token, mutation, { input: setInput(6, undefined, { ignoreCompareQuantity: true }) }, "2025-10");
    expect(res.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(level().available).toBe(6);
  });

  test("without @idempotent the mutation fails at runtime with BAD_REQUEST", async () => {
    const mutation = `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`;
    const res = await fx.sim.graphql(SHOP, fx.token, mutation, { input: setInput(1, 10) });
    expect(res.body.data.inventorySetQuantities).toBeNull();
    expect(res.body.errors[0]).toMatchObject({ message: "The @idempotent directive is required for this mutation but was not provided.", extensions: { code: "BAD_REQUEST" }, path: ["inventorySetQuantities"] });
    expect(level().available).toBe(10);
  });

  test("replaying a key with the same input returns the first result and applies once", async () => {
    const k = key();
    const first = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(8, 10), key: k });
    fx.sim.setLevel(SHOP, item(0), fx.locationId, { available: 12 });
    const second = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(8, 10), key: k });
    expect(second.body.data).toEqual(first.body.data);
    expect(level().available).toBe(12);
  });

  test("replaying a key with different input gives IDEMPOTENCY_KEY_PARAMETER_MISMATCH", async () => {
    const k = key();
    await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(8, 10), key: k });
    const res = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(2, 8), key: k });
    expect(res.body.data.inventorySetQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(level().available).toBe(8);
  });

  test("more than 250 quantities is refused before execution", async () => {
    const quantities = Array.from({ length: 251 }, () => ({ inventoryItemId: item(0), locationId: fx.locationId, quantity: 1, changeFromQuantity: null }));
    const res = await fx.sim.graphql(SHOP, fx.token, SET, { input: { ...setInput(1, null), quantities }, key: key() });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0]).toMatchObject({ message: "The input array size of 251 is greater than the maximum allowed of 250.", extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
    expect(level().available).toBe(10);
  });

  test("reasons, names and unknown ids are validated", async () => {
    const bad = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(1, 10, { reason: "because" }), key: key() });
    expect(bad.body.data.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: "INVALID_REASON", field: ["input", "reason"] })]);
    const badName = await fx.sim.graphql(SHOP, fx.token, SET, { input: setInput(1, 10, { name: "reserved" }), key: key() });
    expect(badName.body.data.inventorySetQuantities.userErrors[0].code).toBe("INVALID_NAME");
    const input = setInput(1, 10);
    (input.quantities as Record<string, unknown>[])[0]!.inventoryItemId = "gid://shopify/InventoryItem/1";
    const unknown = await fx.sim.graphql(SHOP, fx.token, SET, { input, key: key() });
    expect(unknown.body.data.inventorySetQuantities.userErrors[0].code).toBe("INVALID_INVENTORY_ITEM");
    expect(level().available).toBe(10);
  });
});

describe("inventoryAdjustQuantities / inventoryMoveQuantities", () => {
  test("adjust applies deltas with CAS and fires inventory_levels/update", async () => {
    const before = fx.receiver.received.length;
    const res = await fx.sim.graphql(SHOP, fx.token, ADJUST, {
      input: { name: "available", reason: "cycle_count_available", referenceDocumentUri: "gid://tallysync/CycleCount/7", changes: [{ delta: -2, inventoryItemId: item(0), locationId: fx.locationId, changeFromQuantity: 10 }] },
      key: key(),
    });
    expect(res.body.data.inventoryAdjustQuantities.userErrors).toEqual([]);
    expect(level().available).toBe(8);
    const hooks = await fx.receiver.waitFor(before + 1, 5000);
    const last = hooks.filter((h) => h.headers["x-shopify-topic"] === "inventory_levels/update").pop()!;
    expect(JSON.parse(last.rawBody)).toMatchObject({ available: 8, inventory_item_id: Number(item(0).split("/").pop()) });
  });

  test("adjust with a stale changeFromQuantity applies nothing", async () => {
    const res = await fx.sim.graphql(SHOP, fx.token, ADJUST, {
      input: { name: "available", reason: "correction", changes: [{ delta: 5, inventoryItemId: item(0), locationId: fx.locationId, changeFromQuantity: 3 }] },
      key: key(),
    });
    expect(res.body.data.inventoryAdjustQuantities.userErrors[0].code).toBe("CHANGE_FROM_QUANTITY_STALE");
    expect(level().available).toBe(10);
  });

  test("adjusting a non-available quantity needs a ledger document", async () => {
    const input = (ledgerDocumentUri?: string) => ({
      name: "damaged",
      reason: "damaged",
      changes: [{ delta: 1, inventoryItemId: item(0), locationId: fx.locationId, changeFromQuantity: 0, ...(ledgerDocumentUri ? { ledgerDocumentUri } : {}) }],
    });
    const missing = await fx.sim.graphql(SHOP, fx.token, ADJUST, { input: input(), key: key() });
    expect(missing.body.data.inventoryAdjustQuantities.userErrors[0].code).toBe("INVALID_QUANTITY_DOCUMENT");
    const ok = await fx.sim.graphql(SHOP, fx.token, ADJUST, { input: input("tallysync://damage/1"), key: key() });
    expect(ok.body.data.inventoryAdjustQuantities.userErrors).toEqual([]);
    expect(level()).toMatchObject({ damaged: 1, available: 10, on_hand: 11 });
  });

  test("move shifts units between states with CAS on both ends", async () => {
    const change = (fromCfq: number | null) => ({
      reason: "reservation_created",
      referenceDocumentUri: "gid://tallysync/Reservation/1",
      changes: [
        {
          inventoryItemId: item(0),
          quantity: 4,
          from: { locationId: fx.locationId, name: "available", changeFromQuantity: fromCfq },
          to: { locationId: fx.locationId, name: "reserved", ledgerDocumentUri: "tallysync://reservation/1", changeFromQuantity: 0 },
        },
      ],
    });
    const stale = await fx.sim.graphql(SHOP, fx.token, MOVE, { input: change(9), key: key() });
    expect(stale.body.data.inventoryMoveQuantities.userErrors[0]).toMatchObject({ code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "from", "changeFromQuantity"] });
    const ok = await fx.sim.graphql(SHOP, fx.token, MOVE, { input: change(10), key: key() });
    expect(ok.body.data.inventoryMoveQuantities.userErrors).toEqual([]);
    expect(ok.body.data.inventoryMoveQuantities.inventoryAdjustmentGroup.changes).toEqual(expect.arrayContaining([{ name: "available", delta: -4 }, { name: "reserved", delta: 4 }]));
    expect(level()).toMatchObject({ available: 6, reserved: 4, on_hand: 10 });
  });
});

describe("inventoryActivate", () => {
  const ACTIVATE = `mutation Activate($item: ID!, $location: ID!, $available: Int) {
    inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
      inventoryLevel { id location { id } quantities(names: ["available"]) { name quantity } }
      userErrors { field message }
    }
  }`;

  test("stocks an item at a location where it had no level, at the given available or 0", async () => {
    const location = fx.sim.addLocation(SHOP, { name: "3PL service location" }).id;
    expect(fx.sim.level(SHOP, item(0), location)).toBeNull();
    const res = await fx.sim.graphql(SHOP, fx.token, ACTIVATE, { item: item(0), location });
    expect(res.body.data.inventoryActivate.userErrors).toEqual([]);
    expect(res.body.data.inventoryActivate.inventoryLevel.location.id).toBe(location);
    expect(fx.sim.level(SHOP, item(0), location)!.available).toBe(0);
    await fx.sim.graphql(SHOP, fx.token, ACTIVATE, { item: item(1), location, available: 4 });
    expect(fx.sim.level(SHOP, item(1), location)!.available).toBe(4);
  });

  test("an item already stocked keeps its quantities", async () => {
    const res = await fx.sim.graphql(SHOP, fx.token, ACTIVATE, { item: item(0), location: fx.locationId, available: 99 });
    expect(res.body.data.inventoryActivate.userErrors).toEqual([]);
    expect(level().available).toBe(10);
  });

  test("an unknown item or location is a user error and stocks nothing", async () => {
    const unknownItem = await fx.sim.graphql(SHOP, fx.token, ACTIVATE, { item: "gid://shopify/InventoryItem/999999", location: fx.locationId });
    expect(unknownItem.body.data.inventoryActivate).toMatchObject({ inventoryLevel: null, userErrors: [{ field: ["inventoryItemId"] }] });
    const unknownLocation = await fx.sim.graphql(SHOP, fx.token, ACTIVATE, { item: item(0), location: "gid://shopify/Location/999999" });
    expect(unknownLocation.body.data.inventoryActivate).toMatchObject({ inventoryLevel: null, userErrors: [{ field: ["locationId"] }] });
  });
});
