// The reconciler through the Shopify and WMS simulators: drift made behind the engine's back is
// found, recorded in a ReconcileRun and healed by the next sync; and Shopify's fetch_stock
// callback answered from our positions.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { availableToSell } from "~/inventory/available";
import { clearFetchStockCache } from "~/inventory/fetch-stock.server";
import type { ShopifyInventoryGateway } from "~/inventory/gateway";
import { applyWarehouseLevels } from "~/inventory/positions.server";
import { RECONCILE_JOB, nextLocalHour, scheduleReconciliation } from "~/inventory/reconcile-jobs.server";
import { reconcileShop } from "~/inventory/reconcile.server";
import { syncShopStock } from "~/inventory/sync.server";
import { createWarehouseConnection } from "~/models/warehouse-connection.server";
import { loader as fetchStockLoader } from "~/routes/fulfillment-service.$warehouseId.fetch_stock";
import { inventoryGateway, setShopifyGatewayFactory } from "~/shopify/gateway.server";
import { jobHandler } from "~/jobs/registry.server";
import { connectorFor } from "~/warehouses/connections.server";
import type { ShopifySimulator } from "../sim/shopify/server";
import type { WmsSimulator } from "../sim/wms/server";
import { startSyncSimulators } from "../helpers/sync-simulators";

const SHOP = "reconcile-test.myshopify.com";
const SKUS = ["MUG-BLUE", "MUG-RED", "LAMP-OAK"];
const LATER = () => new Date(Date.now() + 20 * 60_000); // past the delta run's 15 minutes

let shopify: ShopifySimulator;
let wms: WmsSimulator;
let locationId: string;
const itemOf = new Map<string, string>();
let connectionId: string;
let warehouseId: string;
let gateway: ShopifyInventoryGateway;

function shopifyAvailable(sku: string): number {
  return shopify.level(SHOP, itemOf.get(sku)!, locationId)!.available;
}

async function warehouseLevelsNow() {
  const connector = await connectorFor(SHOP, connectionId);
  return (await connector.readStock(null)).levels;
}

/** Stock in Shopify, in step with the warehouse: the state the reconciler should find clean. */
async function inStep() {
  await applyWarehouseLevels(SHOP, connectionId, await warehouseLevelsNow(), "warehouse_poll");
  expect(await syncShopStock(SHOP, gateway)).toMatchObject({ failed: 0, remaining: 0 });
}

beforeAll(async () => {
  const sims = await startSyncSimulators({ shop: SHOP, skus: SKUS, apiKey: "sk_test_reconcile", seed: 5 });
  ({ shopify, wms, locationId, gateway } = sims);
  for (const [sku, id] of sims.itemOf) itemOf.set(sku, id);
});

afterAll(async () => {
  await shopify?.stop();
  await wms?.stop();
});

beforeEach(async () => {
  for (const table of ["inventoryLedgerEntry", "inventoryPosition", "reservation", "shopifyInventoryWrite", "skuMapping", "catalogItem", "warehouse", "warehouseConnection", "shopSettings", "shop", "alert", "reconcileRun", "job"] as const) {
    await (db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  clearFetchStockCache();
  const scoped = forShop(SHOP);
  await scoped.shop.create({ data: { shop: SHOP } });
  await scoped.shopSettings.create({ data: { shop: SHOP, defaultSafetyStock: 0, timeZone: "America/New_York" } });
  const connection = await createWarehouseConnection(SHOP, { name: `Acme ${Date.now()}`, provider: "generic", credentials: { baseUrl: wms.url, apiKey: "sk_test_reconcile" } });
  connectionId = connection.id;
  warehouseId = (await scoped.warehouse.create({ data: { shop: SHOP, connectionId, externalCode: "LAX1", name: "Los Angeles", shopifyLocationId: locationId } })).id;
  for (const sku of SKUS) {
    await scoped.skuMapping.create({ data: { shop: SHOP, connectionId, inventoryItemId: itemOf.get(sku)!, warehouseSku: sku, matchedBy: "sku" } });
    shopify.setLevel(SHOP, itemOf.get(sku)!, locationId, { available: 0, committed: 0 });
  }
});

describe("reconciliation through the simulators", () => {
  it("a clean shop records a run with no drift, every item checked", async () => {
    await inStep();
    const run = await reconcileShop(SHOP, gateway, { kind: "full" });
    expect(run).toMatchObject({ kind: "full", status: "succeeded", itemsTotal: 3, itemsChecked: 3, driftFound: 0, unitsDrifted: 0, healed: 0, error: null });
    expect(run.finishedAt).not.toBeNull();
    expect(await forShop(SHOP).inventoryPosition.count({ where: { syncState: "dirty" } })).toBe(0);
  });

  it("an edit of Shopify's available behind the engine's back is found and healed by the next sync", async () => {
    await inStep();
    shopify.setLevel(SHOP, itemOf.get("MUG-BLUE")!, locationId, { available: 12 });
    shopify.setLevel(SHOP, itemOf.get("LAMP-OAK")!, locationId, { available: 23 });
    const run = await reconcileShop(SHOP, gateway, { kind: "delta", now: LATER() });
    expect(run).toMatchObject({ kind: "delta", status: "succeeded", itemsTotal: 3, itemsChecked: 3, driftFound: 2, unitsDrifted: 11, healed: 2 });
    const blue = await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where: { warehouseSku: "MUG-BLUE" } });
    expect(blue).toMatchObject({ syncState: "dirty", needsShopifyRead: true, lastDrift: -8 });
    expect(blue.lastDriftAt).not.toBeNull();
    expect(await forShop(SHOP).job.count({ where: { type: "inventory.sync" } })).toBe(1);

    await syncShopStock(SHOP, gateway);
    expect(SKUS.map(shopifyAvailable)).toEqual([20, 20, 20]);
    const after = await reconcileShop(SHOP, gateway, { kind: "full" });
    expect(after).toMatchObject({ status: "succeeded", driftFound: 0 });
  });

  it("the full run reads Shopify in one bulk operation, the delta run level by level", async () => {
    await inStep();
    shopify.setLevel(SHOP, itemOf.get("MUG-RED")!, locationId, { available: 3 });
    const reads = { levels: 0, bulk: 0 };
    const counting: ShopifyInventoryGateway = {
      ...gateway,
      readLevels: (location, items) => (reads.levels++, gateway.readLevels(location, items)),
      readAllLevels: () => (reads.bulk++, gateway.readAllLevels!()),
    };
    const full = await reconcileShop(SHOP, counting, { kind: "full" });
    expect(full).toMatchObject({ status: "succeeded", itemsChecked: 3, driftFound: 1, unitsDrifted: 17 });
    expect(reads).toEqual({ levels: 0, bulk: 1 });
    const delta = await reconcileShop(SHOP, counting, { kind: "delta", now: LATER() });
    expect(delta).toMatchObject({ status: "succeeded", itemsChecked: 3 });
    expect(reads).toEqual({ levels: 1, bulk: 1 });
  });

  it("a warehouse change whose webhook was dropped is read, found and healed", async () => {
    await inStep();
    wms.act("acme", { action: "receive", warehouse: "LAX1", sku: "MUG-RED", quantity: 5 }); // webhook never reaches us
    const run = await reconcileShop(SHOP, gateway, { kind: "full" });
    expect(run).toMatchObject({ status: "succeeded", itemsTotal: 3, itemsChecked: 3, driftFound: 1, unitsDrifted: 5, healed: 1 });
    const red = await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where: { warehouseSku: "MUG-RED" } });
    expect(red).toMatchObject({ warehouseSellable: 25, lastDrift: -5, syncState: "dirty" });
    const ledger = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { source: "reconciler" } });
    expect(ledger.map((l) => [l.quantityName, l.before, l.after])).toEqual([["warehouse_sellable", 20, 25]]);
    await syncShopStock(SHOP, gateway);
    expect(shopifyAvailable("MUG-RED")).toBe(25);
  });

  it("the delta run re-reads only positions not confirmed in the last 15 minutes", async () => {
    await inStep();
    const fresh = await reconcileShop(SHOP, gateway, { kind: "delta" });
    expect(fresh).toMatchObject({ status: "succeeded", itemsTotal: 0, itemsChecked: 0, driftFound: 0 });
    const later = LATER();
    const stale = await reconcileShop(SHOP, gateway, { kind: "delta", now: later });
    expect(stale).toMatchObject({ itemsTotal: 3, itemsChecked: 3 });
    // the re-read confirmed them, though nothing changed
    const confirmed = await forShop(SHOP).inventoryPosition.findMany();
    expect(confirmed.every((p) => p.lastConfirmedAt?.getTime() === later.getTime())).toBe(true);
  });

  it("a failing read records a failed run", async () => {
    await inStep();
    const broken: ShopifyInventoryGateway = {
      ...gateway,
      readLevels: async () => Promise.reject(new Error("Shopify is down")),
      readAllLevels: async () => Promise.reject(new Error("Shopify's bulk read of inventory levels ended failed (INTERNAL_SERVER_ERROR).")),
    };
    expect(await reconcileShop(SHOP, broken, { kind: "full" })).toMatchObject({ status: "failed", error: "Shopify's bulk read of inventory levels ended failed (INTERNAL_SERVER_ERROR)." });
    expect(await reconcileShop(SHOP, broken, { kind: "delta", now: LATER() })).toMatchObject({ status: "failed", error: "Shopify is down" });
  });
});

describe("reconciliation scheduling", () => {
  it("the full run is due at the next 02:00 in the shop's time zone", () => {
    expect(nextLocalHour(new Date("2026-01-15T12:00:00Z"), "America/New_York").toISOString()).toBe("2026-01-16T07:00:00.000Z");
    expect(nextLocalHour(new Date("2026-07-15T05:00:00Z"), "America/New_York").toISOString()).toBe("2026-07-15T06:00:00.000Z");
    expect(nextLocalHour(new Date("2026-01-15T01:59:00Z"), "UTC").toISOString()).toBe("2026-01-15T02:00:00.000Z");
    expect(nextLocalHour(new Date("2026-01-15T02:00:00Z"), "Not/AZone").toISOString()).toBe("2026-01-16T02:00:00.000Z");
  });

  it("scheduleReconciliation enqueues a delta and a full run once", async () => {
    const now = new Date("2026-01-15T12:00:00Z");
    await scheduleReconciliation(SHOP, now);
    await scheduleReconciliation(SHOP, now);
    const jobs = await forShop(SHOP).job.findMany({ where: { type: RECONCILE_JOB }, orderBy: { runAt: "asc" } });
    expect(jobs.map((j) => [JSON.parse(j.payload), j.dedupeKey, j.runAt.toISOString()])).toEqual([
      [{ kind: "delta" }, "reconcile:delta", "2026-01-15T12:00:00.000Z"],
      [{ kind: "full" }, "reconcile:full", "2026-01-16T07:00:00.000Z"],
    ]);
  });
});

describe("the reconcile job", () => {
  it("runs, records the run, and puts the next delta run 5 minutes later; the full one at 02:00", async () => {
    await inStep();
    const previous = setShopifyGatewayFactory(async () => gateway);
    try {
      const handler = jobHandler(RECONCILE_JOB)!;
      const started = Date.now();
      await handler({ kind: "delta" }, { shop: SHOP, jobId: "j1", attempt: 1, maxAttempts: 8 });
      await handler({ kind: "full" }, { shop: SHOP, jobId: "j2", attempt: 1, maxAttempts: 8 });
      expect((await forShop(SHOP).reconcileRun.findMany({ orderBy: { startedAt: "asc" } })).map((r) => [r.kind, r.status])).toEqual([
        ["delta", "succeeded"],
        ["full", "succeeded"],
      ]);
      const queued = await forShop(SHOP).job.findMany({ where: { type: RECONCILE_JOB } });
      const delta = queued.find((j) => j.dedupeKey === "reconcile:delta")!;
      const full = queued.find((j) => j.dedupeKey === "reconcile:full")!;
      expect(delta.runAt.getTime() - started).toBeGreaterThanOrEqual(5 * 60_000 - 1_000);
      expect(delta.runAt.getTime() - started).toBeLessThanOrEqual(5 * 60_000 + 30_000);
      expect(full.runAt.getTime()).toBe(nextLocalHour(new Date(), "America/New_York").getTime());
      await expect(handler({ kind: "weekly" }, { shop: SHOP, jobId: "j3", attempt: 1, maxAttempts: 8 })).rejects.toThrow(/kind/);
    } finally {
      setShopifyGatewayFactory(previous);
    }
  });
});

describe("fetch_stock callback", () => {
  const secret = "test-api-secret";

  async function callFetchStock(id: string, query: string, sign: string | null) {
    const request = new Request(`https://app.example.com/fulfillment-service/${id}/fetch_stock.json?${query}`, {
      headers: sign ? { "X-Shopify-Hmac-Sha256": createHmac("sha256", sign).update(query).digest("base64") } : {},
    });
    return fetchStockLoader({ request, params: { warehouseId: id }, context: {} });
  }

  async function expected(where: object) {
    const p = await forShop(SHOP).inventoryPosition.findFirstOrThrow({ where });
    return availableToSell({ warehouseSellable: p.warehouseSellable, unacknowledgedReserved: p.reservedUnacknowledged, safetyStock: p.safetyStock ?? 0, shopifyCommitted: p.shopifyCommitted, acknowledgedUnfulfilled: p.acknowledgedUnfulfilled }).available;
  }

  it("answers availableToSell per SKU of that warehouse only, and refuses unsigned requests", async () => {
    await inStep();
    const scoped = forShop(SHOP);
    await scoped.inventoryPosition.updateMany({ where: { warehouseSku: "MUG-BLUE" }, data: { reservedUnacknowledged: 4 } });
    await scoped.inventoryPosition.updateMany({ where: { warehouseSku: "LAMP-OAK" }, data: { safetyStock: 3 } });
    // Another warehouse of the shop, with a SKU of its own.
    const otherLocation = shopify.addLocation(SHOP, { name: "Acme 3PL - Newark" }).id;
    const other = await scoped.warehouse.create({ data: { shop: SHOP, connectionId, externalCode: "EWR1", name: "Newark", shopifyLocationId: otherLocation } });
    await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: other.id, warehouseSku: "CHAIR-ASH", inventoryItemId: "gid://shopify/InventoryItem/999999", warehouseSellable: 7 } });

    const query = `max_retries=3&shop=${SHOP}&timestamp=1700000000`;
    expect((await callFetchStock(warehouseId, query, null)).status).toBe(401);
    expect((await callFetchStock(warehouseId, query, "not-the-secret")).status).toBe(401);

    const all = await callFetchStock(warehouseId, query, secret);
    expect(all.status).toBe(200);
    const body = (await all.json()) as Record<string, number>;
    expect(body).toEqual({
      "MUG-BLUE": await expected({ warehouseSku: "MUG-BLUE" }),
      "MUG-RED": await expected({ warehouseSku: "MUG-RED" }),
      "LAMP-OAK": await expected({ warehouseSku: "LAMP-OAK" }),
    });
    // 20 sellable - 4 unacknowledged; 20 sellable - 3 safety (MUG-RED's WMS stock moved in an earlier test)
    expect(body).toMatchObject({ "MUG-BLUE": 16, "LAMP-OAK": 17 });

    const one = await callFetchStock(warehouseId, `max_retries=3&shop=${SHOP}&sku=MUG-BLUE&timestamp=1700000000`, secret);
    expect(await one.json()).toEqual({ "MUG-BLUE": 16 });
    const elsewhere = await callFetchStock(warehouseId, `shop=${SHOP}&sku=CHAIR-ASH&timestamp=1700000000`, secret);
    expect(await elsewhere.json()).toEqual({});
    expect(await (await callFetchStock(other.id, query, secret)).json()).toEqual({ "CHAIR-ASH": 7 });
    // another shop's request does not see this shop's warehouse
    expect((await callFetchStock(warehouseId, `shop=other.myshopify.com&timestamp=1700000000`, secret)).status).toBe(404);
  });
});
