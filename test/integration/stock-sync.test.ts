// The stock sync engine end to end, through the Shopify and WMS simulators:
// warehouse events -> positions -> availableToSell -> compare-and-swap writes -> Shopify.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { applyWarehouseLevels, reserveOrderLines } from "~/inventory/positions.server";
import type { ShopifyInventoryGateway } from "~/inventory/gateway";
import { syncShopStock } from "~/inventory/sync.server";
import { createWarehouseConnection } from "~/models/warehouse-connection.server";
import { connectorFor } from "~/warehouses/connections.server";
import type { ShopifySimulator } from "../sim/shopify/server";
import type { WmsSimulator } from "../sim/wms/server";
import { startSyncSimulators } from "../helpers/sync-simulators";

const SHOP = "sync-test.myshopify.com";
const SKUS = ["MUG-BLUE", "MUG-RED", "LAMP-OAK"];

let shopify: ShopifySimulator;
let wms: WmsSimulator;
let locationId: string;
const itemOf = new Map<string, string>();
let connectionId: string;
let gateway: ShopifyInventoryGateway;

function shopifyAvailable(sku: string): number {
  return shopify.level(SHOP, itemOf.get(sku)!, locationId)!.available;
}

async function warehouseSellable(): Promise<number[]> {
  const levels = await warehouseLevelsNow();
  return SKUS.map((sku) => levels.find((l) => l.sku === sku)!.sellable);
}

/** Sets a SKU's available at the warehouse's location in Shopify, as the admin would; Shopify's user errors. */
async function setInShopify(idempotencyKey: string, sku: string, quantity: number): Promise<unknown[]> {
  const result = await shopify.graphql<{ data: { inventorySetQuantities: { userErrors: unknown[] } } }>(
    SHOP,
    shopify.issueAccessToken(SHOP),
    `mutation SetInAdmin($input: InventorySetQuantitiesInput!, $key: String!) {
      inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code message } }
    }`,
    { key: idempotencyKey, input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemOf.get(sku), locationId, quantity, changeFromQuantity: null }] } },
  );
  return result.body.data.inventorySetQuantities.userErrors;
}

async function warehouseLevelsNow() {
  const connector = await connectorFor(SHOP, connectionId);
  const page = await connector.readStock(null);
  return page.levels;
}

beforeAll(async () => {
  const sims = await startSyncSimulators({ shop: SHOP, skus: SKUS, apiKey: "sk_test_sync", seed: 3 });
  ({ shopify, wms, locationId, gateway } = sims);
  for (const [sku, id] of sims.itemOf) itemOf.set(sku, id);
});

afterAll(async () => {
  await shopify?.stop();
  await wms?.stop();
});

beforeEach(async () => {
  for (const table of ["inventoryLedgerEntry", "inventoryPosition", "reservation", "shopifyInventoryWrite", "skuMapping", "warehouse", "warehouseConnection", "shopSettings", "shop", "alert"] as const) {
    await (db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  const scoped = forShop(SHOP);
  await scoped.shop.create({ data: { shop: SHOP } });
  await scoped.shopSettings.create({ data: { shop: SHOP, defaultSafetyStock: 0 } });
  const connection = await createWarehouseConnection(SHOP, { name: `Acme ${Date.now()}`, provider: "generic", credentials: { baseUrl: wms.url, apiKey: "sk_test_sync" } });
  connectionId = connection.id;
  await scoped.warehouse.create({ data: { shop: SHOP, connectionId, externalCode: "LAX1", name: "Los Angeles", shopifyLocationId: locationId } });
  for (const sku of SKUS) {
    await scoped.skuMapping.create({ data: { shop: SHOP, connectionId, inventoryItemId: itemOf.get(sku)!, warehouseSku: sku, matchedBy: "sku" } });
    shopify.setLevel(SHOP, itemOf.get(sku)!, locationId, { available: 0, committed: 0 });
  }
});

describe("stock sync through the simulators", () => {
  it("warehouse stock reaches Shopify's available at the warehouse's location", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    const outcome = await syncShopStock(SHOP, gateway);
    expect(outcome).toMatchObject({ written: 3, failed: 0, remaining: 0 });
    expect(SKUS.map(shopifyAvailable)).toEqual(await warehouseSellable());
    expect(SKUS.map(shopifyAvailable)).toEqual([20, 20, 20]);
  });

  it("safety stock is held back", async () => {
    await forShop(SHOP).shopSettings.update({ where: { shop: SHOP }, data: { defaultSafetyStock: 3 } });
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-BLUE")).toBe(17);
  });

  it("an order the warehouse has not seen still lowers Shopify availability; a stale warehouse number never raises it", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    // A buyer takes 4; the warehouse has not seen the order (its sellable is still 20).
    const placed = shopify.placeOrder(SHOP, { lines: [{ sku: "MUG-BLUE", quantity: 4 }] });
    expect(placed.ok).toBe(true);
    expect(shopifyAvailable("MUG-BLUE")).toBe(16);
    // The warehouse receives 5 more and reports 25, a number the order has already made stale.
    wms.act("acme", { action: "receive", warehouse: "LAX1", sku: "MUG-BLUE", quantity: 5 });
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_webhook");
    const outcome = await syncShopStock(SHOP, gateway);
    // Compare-and-swap refused the blind write; the engine re-read Shopify and recomputed.
    expect(outcome.stale).toBeGreaterThanOrEqual(1);
    expect(shopifyAvailable("MUG-BLUE")).toBe(21); // 25 sellable - 4 unacknowledged
    expect(await forShop(SHOP).shopifyInventoryWrite.count({ where: { status: "stale" } })).toBeGreaterThanOrEqual(1);
  });

  it("reservations from seen orders lower availability before the warehouse acknowledges", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    await reserveOrderLines(SHOP, [{ orderId: "gid://shopify/Order/1", lineItemId: "gid://shopify/LineItem/1", inventoryItemId: itemOf.get("LAMP-OAK")!, locationId, quantity: 6 }]);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("LAMP-OAK")).toBe(14);
    // the same reservation again changes nothing
    await reserveOrderLines(SHOP, [{ orderId: "gid://shopify/Order/1", lineItemId: "gid://shopify/LineItem/1", inventoryItemId: itemOf.get("LAMP-OAK")!, locationId, quantity: 6 }]);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("LAMP-OAK")).toBe(14);
  });

  it("orders for the same item reserved at the same moment all count: no recompute overwrites a newer total", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    const item = itemOf.get("MUG-BLUE")!;
    // Twelve orders of 1-3 units each, worked on concurrently as a busy worker does.
    const quantities = Array.from({ length: 12 }, (_, i) => 1 + (i % 3));
    await Promise.all(
      quantities.map((quantity, i) =>
        reserveOrderLines(SHOP, [{ orderId: `gid://shopify/Order/race-${i}`, lineItemId: `gid://shopify/LineItem/race-${i}`, inventoryItemId: item, locationId, quantity }]),
      ),
    );
    const total = quantities.reduce((a, b) => a + b, 0);
    const position = await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where: { inventoryItemId: item } });
    expect(position.reservedUnacknowledged).toBe(total);
    // The ledger tells the same story: its reserved changes add up to the total, each counted once.
    const entries = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { inventoryItemId: item, quantityName: "reserved" }, orderBy: { id: "asc" } });
    expect(entries.reduce((sum, e) => sum + e.delta, 0)).toBe(total);
    expect(entries.at(-1)!.after).toBe(total);
  });

  it("Shopify orders become reservations at the warehouse they are committed at, and cancelling releases them", async () => {
    const { syncOrderReservations } = await import("~/inventory/orders.server");
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    const placed = shopify.placeOrder(SHOP, { lines: [{ sku: "MUG-RED", quantity: 3 }] });
    if (!placed.ok) throw new Error(placed.message);
    const orderId = `gid://shopify/Order/${placed.order.id}`;
    expect(await syncOrderReservations(SHOP, orderId, gateway)).toEqual({ reserved: 1, released: 0 });
    expect(await syncOrderReservations(SHOP, orderId, gateway)).toEqual({ reserved: 0, released: 0 }); // idempotent
    const reservations = await forShop(SHOP).reservation.findMany({ where: { orderId } });
    expect(reservations).toMatchObject([{ status: "active", quantity: 3, inventoryItemId: itemOf.get("MUG-RED") }]);
    const position = await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where: { inventoryItemId: itemOf.get("MUG-RED")! } });
    expect(position.reservedUnacknowledged).toBe(3);
    await syncShopStock(SHOP, gateway);
    const sellable = (await warehouseSellable())[1]!;
    expect(shopifyAvailable("MUG-RED")).toBe(sellable - 3);

    shopify.cancelOrder(SHOP, orderId);
    expect(await syncOrderReservations(SHOP, orderId, gateway)).toMatchObject({ released: 1 });
    expect((await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where: { inventoryItemId: itemOf.get("MUG-RED")! } })).reservedUnacknowledged).toBe(0);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-RED")).toBe(sellable);
  });

  it("duplicate and out-of-order warehouse levels change nothing twice", async () => {
    const [level] = (await warehouseLevelsNow()).filter((l) => l.sku === "MUG-RED");
    const newer = { ...level!, sellable: 12, sequence: level!.sequence + 10 };
    const older = { ...level!, sellable: 30, sequence: level!.sequence + 5 };
    expect(await applyWarehouseLevels(SHOP, connectionId, [newer], "warehouse_webhook")).toMatchObject({ applied: 1 });
    expect(await applyWarehouseLevels(SHOP, connectionId, [newer], "warehouse_webhook")).toMatchObject({ applied: 0, stale: 1 });
    expect(await applyWarehouseLevels(SHOP, connectionId, [older], "warehouse_webhook")).toMatchObject({ applied: 0, stale: 1 });
    const ledger = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { quantityName: "warehouse_sellable", inventoryItemId: itemOf.get("MUG-RED")! } });
    expect(ledger.map((l) => [l.before, l.after])).toEqual([[0, 12]]);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-RED")).toBe(12);
  });

  it("a crash between the write to Shopify and recording it does not write twice", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    const groupsBefore = shopify.shop(SHOP).adjustmentGroups.size;
    let crashed = false;
    const crashing: ShopifyInventoryGateway = {
      orderCommitments: (id) => gateway.orderCommitments(id),
      readLevels: (l, ids) => gateway.readLevels(l, ids),
      async setAvailable(input) {
        await gateway.setAvailable(input); // Shopify applies it...
        crashed = true;
        throw new Error("process killed before the result was recorded"); // ...and we never hear back
      },
    };
    await expect(syncShopStock(SHOP, crashing)).rejects.toThrow(/process killed/);
    expect(crashed).toBe(true);
    expect(await forShop(SHOP).shopifyInventoryWrite.count({ where: { status: "pending" } })).toBe(1);
    const outcome = await syncShopStock(SHOP, gateway);
    expect(outcome.remaining).toBe(0);
    expect(SKUS.map(shopifyAvailable)).toEqual(await warehouseSellable());
    // one adjustment in Shopify: the resend replayed the first under the same idempotency key
    expect(shopify.shop(SHOP).adjustmentGroups.size - groupsBefore).toBe(1);
    expect(await forShop(SHOP).shopifyInventoryWrite.count({ where: { status: "applied" } })).toBe(1);
  });

  it("throttling slows writes down without losing any", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    shopify.faults.set({ apiThrottle: { next: 2 } });
    const outcome = await syncShopStock(SHOP, gateway);
    shopify.faults.reset();
    expect(outcome).toMatchObject({ failed: 0, remaining: 0 });
    expect(SKUS.map(shopifyAvailable)).toEqual(await warehouseSellable());
  });

  it("a hand edit in the Shopify admin at a warehouse location is restored and the merchant is told", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    const sellable = (await warehouseSellable())[2]!;
    // A staff member types 100 for LAMP-OAK at the 3PL's location in the admin.
    expect(await setInShopify("staff-edit-1", "LAMP-OAK", 100)).toEqual([]);
    expect(shopifyAvailable("LAMP-OAK")).toBe(100);
    // Shopify's inventory_levels/update arrives
    const { onShopifyLevelsChanged } = await import("~/inventory/shopify-events.server");
    expect(await onShopifyLevelsChanged(SHOP, [{ inventory_item_id: itemOf.get("LAMP-OAK")!, location_id: locationId, available: 100 }])).toBe(1);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("LAMP-OAK")).toBe(sellable);
    const alerts = await forShop(SHOP).alert.findMany({ where: { kind: "manual_edit_restored" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toContain("LAMP-OAK");
    expect(alerts[0]!.message).toContain("from " + sellable + " to 100");
    // our own write echoing back as a webhook changes nothing
    expect(await onShopifyLevelsChanged(SHOP, [{ inventory_item_id: itemOf.get("LAMP-OAK")!, location_id: locationId, available: sellable }])).toBe(0);
  });

  it("an order placed and fulfilled between two reads is not taken for a hand edit: the stock is put back, and no alert cries wolf", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    const sellable = (await warehouseSellable())[2]!;
    const scoped = forShop(SHOP);
    const warehouse = await scoped.warehouse.findFirstOrThrow({ where: { externalCode: "LAX1" } });
    // A customer buys 3 LAMP-OAK and the warehouse ships them before TallySync reads Shopify again.
    // TallySync saw the order (its reservation) and released it at the fulfilment...
    const soldAt = new Date(Date.now() + 1_000);
    await scoped.reservation.create({
      data: { shop: SHOP, warehouseId: warehouse.id, inventoryItemId: itemOf.get("LAMP-OAK")!, orderId: "gid://shopify/Order/77", lineItemId: "gid://shopify/LineItem/77", quantity: 3, status: "released", releasedReason: "fulfilled", createdAt: soldAt, acknowledgedAt: soldAt, releasedAt: soldAt },
    });
    // ...and in Shopify's numbers, available went down by 3 with committed back where it was,
    // exactly as if someone had typed the lower number in the admin.
    expect(await setInShopify("sold-and-shipped-1", "LAMP-OAK", sellable - 3)).toEqual([]);
    const { onShopifyLevelsChanged } = await import("~/inventory/shopify-events.server");
    expect(await onShopifyLevelsChanged(SHOP, [{ inventory_item_id: itemOf.get("LAMP-OAK")!, location_id: locationId, available: sellable - 3 }])).toBe(1);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("LAMP-OAK")).toBe(sellable);
    expect(await scoped.alert.count({ where: { kind: "manual_edit_restored" } })).toBe(0);
  });

  it("in a burst of level webhooks, echoes of our writes change nothing and the newest level per item decides", async () => {
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    const [blue, red, lamp] = await warehouseSellable();
    const { onShopifyLevelsChanged } = await import("~/inventory/shopify-events.server");
    const level = (sku: string, available: number, at: string) => ({ inventory_item_id: itemOf.get(sku)!, location_id: locationId, available, updated_at: at });
    const burst = [
      level("MUG-BLUE", blue!, "2026-11-23T10:00:01Z"),
      // an older hand edit, overtaken by the echo of what we wrote since
      level("MUG-RED", 99, "2026-11-23T10:00:00Z"),
      level("MUG-RED", red!, "2026-11-23T10:00:02Z"),
      // a hand edit that is the newest word about LAMP-OAK
      level("LAMP-OAK", lamp!, "2026-11-23T10:00:01Z"),
      level("LAMP-OAK", 77, "2026-11-23T10:00:03Z"),
      // a location that is not a warehouse's
      { inventory_item_id: itemOf.get("MUG-BLUE")!, location_id: "gid://shopify/Location/999999", available: 5 },
    ];
    expect(await onShopifyLevelsChanged(SHOP, burst)).toBe(1);
    const flagged = await forShop(SHOP).inventoryPosition.findMany({ where: { needsShopifyRead: true }, select: { warehouseSku: true } });
    expect(flagged.map((p) => p.warehouseSku)).toEqual(["LAMP-OAK"]);
  });

  it("an item not stocked at the warehouse's location yet is stocked there and then written", async () => {
    // As at a new fulfillment-service location: Shopify has no level for LAMP-OAK there.
    const state = shopify.shop(SHOP);
    const numeric = (id: string) => Number(id.split("/").pop());
    for (const [key, level] of state.levels) {
      if (level.inventoryItemId === numeric(itemOf.get("LAMP-OAK")!) && level.locationId === numeric(locationId)) state.levels.delete(key);
    }
    expect(shopify.level(SHOP, itemOf.get("LAMP-OAK")!, locationId)).toBeNull();
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    const outcome = await syncShopStock(SHOP, gateway);
    expect(outcome).toMatchObject({ failed: 0, remaining: 0 });
    expect(shopifyAvailable("LAMP-OAK")).toBe((await warehouseSellable())[2]);
  });

  it("a frozen warehouse (full count) is not synced until it is unfrozen", async () => {
    await forShop(SHOP).warehouse.updateMany({ where: { connectionId }, data: { syncFrozen: true, syncFrozenReason: "full count" } });
    await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-BLUE")).toBe(0);
    await forShop(SHOP).warehouse.updateMany({ where: { connectionId }, data: { syncFrozen: false } });
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-BLUE")).toBe((await warehouseSellable())[0]);
  });
});
