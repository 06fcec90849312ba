// Connecting warehouses and mapping SKUs, through the WMS and Shopify simulators: adding and
// testing a connection, the location a warehouse drives, automatic and manual SKU mapping,
// products/update re-mapping, and removing a connection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { applyWarehouseLevels } from "~/inventory/positions.server";
import { autoMapConnection, importShopifyCatalog, mapManually, remapCatalogItems, SkuMappingError, unmap, unmappedLists } from "~/models/sku-mapping.server";
import { warehouseCredentials } from "~/models/warehouse-connection.server";
import {
  addWarehouseConnection,
  checkWarehouseConnection,
  listWarehouseConnections,
  mapWarehouseLocation,
  removeWarehouseConnection,
  shopifyLocations,
  warehouseWebhookUrl,
  WarehouseSetupError,
  type ShopifyLocation,
} from "~/models/warehouse-setup.server";
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin-client.server";
import { connectorFor } from "~/warehouses/connections.server";
import { jobHandler } from "~/jobs/registry.server";
import "~/jobs/handlers.server";
import { setShopAdminClientFactory } from "~/shopify/shop-client.server";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";
import { startWmsSimulator, type WmsSimulator } from "../sim/wms/server";

const SHOP = "setup-test.myshopify.com";
const APP_URL = "http://127.0.0.1:9";
const setup = { appUrl: APP_URL };

let shopify: ShopifySimulator;
let wms: WmsSimulator;
let client: AdminClient;
let locations: ShopifyLocation[];
const itemOf = new Map<string, string>();

// Shopify's catalog: two SKUs match the warehouse's SKUs (one in another case), one matches only by
// barcode, two share a SKU (ambiguous), one has no warehouse SKU at all.
const SHOPIFY_VARIANTS = [
  { title: "Blue mug", sku: "MUG-BLUE", barcode: "4006381333931" },
  { title: "Red mug", sku: "mug-red", barcode: null },
  { title: "Oak lamp", sku: "LAMP-OAK-L", barcode: "0012345678905" },
  { title: "Rug A", sku: "RUG", barcode: null },
  { title: "Rug B", sku: "RUG", barcode: null },
  { title: "Throw blanket", sku: "THROW-GREY", barcode: null },
];

const WAREHOUSE_SKUS = [
  { sku: "MUG-BLUE" },
  { sku: "MUG-RED" },
  { sku: "LAMP-OAK", barcode: "0012345678905" },
  { sku: "RUG" },
  { sku: "VASE-TALL" },
];

async function positionsBySku(connectionId: string) {
  const warehouses = await forShop(SHOP).warehouse.findMany({ where: { connectionId }, select: { id: true } });
  const rows = await forShop(SHOP).inventoryPosition.findMany({ where: { warehouseId: { in: warehouses.map((w) => w.id) } } });
  return new Map(rows.map((row) => [`${row.warehouseSku}@${row.warehouseId}`, row]));
}

/**
 * What the first poll does: a full stock read applied to positions. The generic protocol's stock
 * rows carry no barcode (vendor adapters' do), so the barcodes the WMS holds are added here, as
 * an adapter that reports them would.
 */
async function firstFullRead(connectionId: string) {
  const connector = await connectorFor(SHOP, connectionId);
  const barcodes = wms.account("acme").skus;
  const levels = (await connector.readStock(null)).levels.map((level) => ({ ...level, barcode: barcodes.get(level.sku)?.barcode ?? null }));
  await applyWarehouseLevels(SHOP, connectionId, levels, "warehouse_poll");
}

async function connectAcme(apiKey = "sk_test_acme") {
  const check = await addWarehouseConnection(SHOP, { provider: "generic", name: "Acme 3PL", baseUrl: wms.url, apiKey }, setup);
  return check;
}

beforeAll(async () => {
  shopify = await startShopifySimulator({
    app: { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: APP_URL, handle: "tallysync" },
    shops: [{ domain: SHOP, plan: "standard", locations: [{ name: "Shop location" }] }],
  });
  shopify.addLocation(SHOP, { name: "Acme - Los Angeles" });
  shopify.addLocation(SHOP, { name: "Acme - New Jersey" });
  for (const variant of SHOPIFY_VARIANTS) {
    const product = shopify.addProduct(SHOP, { title: variant.title, variants: [{ sku: variant.sku, barcode: variant.barcode, unitCost: "4.25" }] });
    itemOf.set(variant.title, product.variants[0]!.inventoryItemId);
  }
  client = createAdminClient({ shop: SHOP, accessToken: shopify.issueAccessToken(SHOP), fetch: sandboxFetch(new URL(shopify.url)), backoff: { baseMs: 5, maxMs: 20 } });
  locations = await shopifyLocations(client);
  wms = await startWmsSimulator({
    seed: 7,
    rateLimit: false,
    webhooks: { retryScheduleMs: [20, 40, 80], timeoutMs: 200 },
    accounts: [
      {
        id: "acme",
        apiKey: "sk_test_acme",
        warehouses: [
          { code: "LAX1", name: "Los Angeles", country_code: "US" },
          { code: "NJ1", name: "New Jersey", country_code: "US" },
        ],
        skus: WAREHOUSE_SKUS,
        stock: WAREHOUSE_SKUS.flatMap(({ sku }) => [
          { warehouse: "LAX1", sku, sellable: 10 },
          { warehouse: "NJ1", sku, sellable: 5 },
        ]),
      },
    ],
  });
});

afterAll(async () => {
  await shopify?.stop();
  await wms?.stop();
});

beforeEach(async () => {
  for (const table of ["inventoryLedgerEntry", "inventoryPosition", "skuMapping", "catalogItem", "warehouse", "warehouseConnection", "job", "shopSettings", "shop"] as const) {
    await (db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  await forShop(SHOP).shop.create({ data: { shop: SHOP } });
  for (const subscription of wms.account("acme").subscriptions.values()) wms.account("acme").subscriptions.delete(subscription.id);
});

describe("adding a warehouse connection", () => {
  it("tests it, takes its warehouses, registers the webhook with its secret encrypted, and schedules the first full read", async () => {
    const check = await connectAcme();
    expect(check).toMatchObject({ ok: true, error: null, warehouses: 2, webhooks: "registered" });

    const scoped = forShop(SHOP);
    const connection = await scoped.warehouseConnection.findUniqueOrThrow({ where: { id: check.connectionId } });
    expect(connection).toMatchObject({ status: "active", lastError: null });
    expect(connection.lastTestedAt).toBeInstanceOf(Date);
    expect(connection.lastTestLatencyMs).toBeGreaterThanOrEqual(0);
    expect((await scoped.warehouse.findMany({ where: { connectionId: check.connectionId }, orderBy: { externalCode: "asc" } })).map((w) => [w.externalCode, w.name, w.countryCode])).toEqual([
      ["LAX1", "Los Angeles", "US"],
      ["NJ1", "New Jersey", "US"],
    ]);

    const [subscription] = [...wms.account("acme").subscriptions.values()];
    expect(subscription?.url).toBe(warehouseWebhookUrl(APP_URL, check.connectionId));
    const credentials = await warehouseCredentials(SHOP, check.connectionId);
    expect(credentials.webhookSecret).toBe(subscription!.secret);
    expect(connection.encryptedCredentials).not.toContain(subscription!.secret);
    expect(connection.encryptedCredentials).not.toContain("sk_test_acme");

    const poll = await scoped.job.findFirstOrThrow({ where: { type: "warehouse.poll" } });
    expect(JSON.parse(poll.payload)).toMatchObject({ connectionId: check.connectionId, delayMs: 0 });
    expect(poll.runAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("a refused API key is told in the merchant's words and stored as the connection's last error; adding again with the right key fixes it", async () => {
    const bad = await connectAcme("sk_wrong");
    expect(bad.ok).toBe(false);
    expect(bad.error).toBe("The warehouse refused the API key. Check the key in Settings > Warehouses.");
    const scoped = forShop(SHOP);
    expect(await scoped.warehouseConnection.findUniqueOrThrow({ where: { id: bad.connectionId } })).toMatchObject({ status: "error", lastError: bad.error });
    expect(await scoped.warehouse.count()).toBe(0);
    expect(await scoped.job.count({ where: { type: "warehouse.poll" } })).toBe(0);
    expect(wms.account("acme").subscriptions.size).toBe(0);

    const good = await connectAcme();
    expect(good).toMatchObject({ ok: true, connectionId: bad.connectionId, warehouses: 2 });
    expect(await scoped.warehouseConnection.findUniqueOrThrow({ where: { id: bad.connectionId } })).toMatchObject({ status: "active", lastError: null });
  });

  it("testing again records the new result and does not register a second webhook", async () => {
    const { connectionId } = await connectAcme();
    wms.faults.set({ serverError: { status: 503 } });
    const down = await checkWarehouseConnection(SHOP, connectionId, setup);
    wms.faults.clear();
    expect(down.ok).toBe(false);
    expect((await listWarehouseConnections(SHOP))[0]).toMatchObject({ status: "error", lastError: down.error });
    const up = await checkWarehouseConnection(SHOP, connectionId, setup);
    expect(up).toMatchObject({ ok: true, webhooks: "already_registered" });
    expect(wms.account("acme").subscriptions.size).toBe(1);
    expect((await listWarehouseConnections(SHOP))[0]).toMatchObject({ status: "active", lastError: null });
  });
});

describe("warehouse to Shopify location", () => {
  it("a location drives one warehouse only; mapping one marks its mapped positions for a fresh read and write", async () => {
    const { connectionId } = await connectAcme();
    await firstFullRead(connectionId);
    await importShopifyCatalog(SHOP, client);
    await autoMapConnection(SHOP, connectionId);
    const scoped = forShop(SHOP);
    await scoped.inventoryPosition.updateMany({ data: { syncState: "clean", dirtySince: null, needsShopifyRead: false } });
    const [lax, nj] = await scoped.warehouse.findMany({ where: { connectionId }, orderBy: { externalCode: "asc" } });
    const losAngeles = locations.find((l) => l.name === "Acme - Los Angeles")!;

    await mapWarehouseLocation(SHOP, lax!.id, losAngeles.id, locations);
    expect((await scoped.warehouse.findUniqueOrThrow({ where: { id: lax!.id } })).shopifyLocationId).toBe(losAngeles.id);
    const lax1 = await scoped.inventoryPosition.findMany({ where: { warehouseId: lax!.id } });
    expect(lax1.filter((p) => p.inventoryItemId).every((p) => p.syncState === "dirty" && p.needsShopifyRead)).toBe(true);
    expect(lax1.filter((p) => !p.inventoryItemId).every((p) => p.syncState === "clean")).toBe(true);
    expect(await scoped.inventoryPosition.count({ where: { warehouseId: nj!.id, syncState: "dirty" } })).toBe(0);
    expect(await scoped.job.count({ where: { type: "inventory.sync" } })).toBe(1);

    const refused = await mapWarehouseLocation(SHOP, nj!.id, losAngeles.id, locations).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WarehouseSetupError);
    expect(refused).toMatchObject({ code: "location_taken", params: { location: "Acme - Los Angeles", warehouse: "Los Angeles" } });
    expect((refused as Error).message).toBe("Acme - Los Angeles already shows the stock of warehouse Los Angeles; a location takes its stock from one warehouse.");

    await expect(mapWarehouseLocation(SHOP, nj!.id, "gid://shopify/Location/999999", locations)).rejects.toMatchObject({ code: "location_unknown" });
  });
});

describe("SKU mapping", () => {
  async function connectedAndRead() {
    const { connectionId } = await connectAcme();
    await firstFullRead(connectionId);
    return connectionId;
  }

  it("imports the Shopify catalog with titles, barcodes and exact unit costs, writing only what changed", async () => {
    expect(await importShopifyCatalog(SHOP, client)).toEqual({ read: 6, written: 6 });
    const lamp = await forShop(SHOP).catalogItem.findFirstOrThrow({ where: { inventoryItemId: itemOf.get("Oak lamp")! } });
    expect(lamp).toMatchObject({ sku: "LAMP-OAK-L", barcode: "0012345678905", productTitle: "Oak lamp", costCurrency: "USD" });
    expect(lamp.unitCost?.toString()).toBe("4.25");
    expect(await importShopifyCatalog(SHOP, client)).toEqual({ read: 6, written: 0 });
  });

  it("maps by SKU (ignoring case), then by barcode, leaves ambiguous and unknown SKUs with their reason, and queues a sync", async () => {
    const connectionId = await connectedAndRead();
    await importShopifyCatalog(SHOP, client);
    const outcome = await autoMapConnection(SHOP, connectionId);
    expect(outcome).toEqual({ bySku: 2, byBarcode: 1, unmatched: { duplicate_shopify_sku: 1, no_match: 1 } });

    const mappings = await forShop(SHOP).skuMapping.findMany({ where: { connectionId }, orderBy: { warehouseSku: "asc" } });
    expect(mappings.map((m) => [m.warehouseSku, m.inventoryItemId, m.matchedBy])).toEqual([
      ["LAMP-OAK", itemOf.get("Oak lamp"), "barcode"],
      ["MUG-BLUE", itemOf.get("Blue mug"), "sku"],
      ["MUG-RED", itemOf.get("Red mug"), "sku"],
    ]);
    // Both warehouses' positions of a mapped SKU carry the item and wait to be written.
    const positions = [...(await positionsBySku(connectionId)).values()];
    const mugBlue = positions.filter((p) => p.warehouseSku === "MUG-BLUE");
    expect(mugBlue).toHaveLength(2);
    expect(mugBlue.every((p) => p.inventoryItemId === itemOf.get("Blue mug") && p.syncState === "dirty" && p.needsShopifyRead)).toBe(true);
    expect(positions.filter((p) => p.warehouseSku === "RUG").every((p) => p.inventoryItemId === null)).toBe(true);
    expect(await forShop(SHOP).job.count({ where: { type: "inventory.sync" } })).toBe(1);

    const lists = await unmappedLists(SHOP, { connectionId });
    expect(lists.warehouseSkus.rows.map((r) => [r.warehouseSku, r.reason, r.sellable, r.warehouses.length])).toEqual([
      ["RUG", "duplicate_shopify_sku", 15, 2],
      ["VASE-TALL", "no_match", 15, 2],
    ]);
    expect(lists.shopifyItems.rows.map((r) => r.sku).sort()).toEqual(["RUG", "RUG", "THROW-GREY"]);

    // Running it again maps nothing twice.
    expect(await autoMapConnection(SHOP, connectionId)).toMatchObject({ bySku: 0, byBarcode: 0 });
    expect(await forShop(SHOP).skuMapping.count()).toBe(3);
  });

  it("the catalog.import-and-map job imports the catalog through the shop's admin client and maps the connection", async () => {
    const connectionId = await connectedAndRead();
    const previous = setShopAdminClientFactory(async () => client);
    try {
      await jobHandler("catalog.import-and-map")!({ connectionId }, { shop: SHOP, jobId: "job-1", attempt: 1, maxAttempts: 8 });
    } finally {
      setShopAdminClientFactory(previous);
    }
    expect(await forShop(SHOP).catalogItem.count()).toBe(6);
    expect(await forShop(SHOP).skuMapping.count({ where: { connectionId } })).toBe(3);
  });

  it("searches and pages the unmapped lists", async () => {
    const connectionId = await connectedAndRead();
    await importShopifyCatalog(SHOP, client);
    const search = await unmappedLists(SHOP, { connectionId, warehouse: { search: "vase" }, shopify: { search: "blanket" } });
    expect(search.warehouseSkus.rows.map((r) => r.warehouseSku)).toEqual(["VASE-TALL"]);
    expect(search.shopifyItems.rows.map((r) => r.productTitle)).toEqual(["Throw blanket"]);
    const page2 = await unmappedLists(SHOP, { connectionId, warehouse: { page: 2, pageSize: 2 }, shopify: { page: 3, pageSize: 2 } });
    expect(page2.warehouseSkus).toMatchObject({ total: 5, page: 2, pageCount: 3 });
    expect(page2.warehouseSkus.rows.map((r) => r.warehouseSku)).toEqual(["MUG-RED", "RUG"]);
    expect(page2.shopifyItems).toMatchObject({ total: 6, page: 3, pageCount: 3 });
    expect(page2.shopifyItems.rows).toHaveLength(2);
  });

  it("maps a SKU by hand, refuses a second partner on either side, and unmaps it", async () => {
    const connectionId = await connectedAndRead();
    await importShopifyCatalog(SHOP, client);
    await autoMapConnection(SHOP, connectionId);

    await mapManually(SHOP, connectionId, "RUG", itemOf.get("Rug B")!);
    const rug = await forShop(SHOP).skuMapping.findFirstOrThrow({ where: { warehouseSku: "RUG" } });
    expect(rug).toMatchObject({ inventoryItemId: itemOf.get("Rug B"), matchedBy: "manual" });
    expect([...(await positionsBySku(connectionId)).values()].filter((p) => p.warehouseSku === "RUG").every((p) => p.inventoryItemId === itemOf.get("Rug B") && p.syncState === "dirty")).toBe(true);

    const itemTaken = await mapManually(SHOP, connectionId, "VASE-TALL", itemOf.get("Blue mug")!).catch((e: unknown) => e);
    expect(itemTaken).toBeInstanceOf(SkuMappingError);
    expect(itemTaken).toMatchObject({ code: "item_already_mapped", message: "MUG-BLUE is already mapped to warehouse SKU MUG-BLUE of Acme 3PL." });
    await expect(mapManually(SHOP, connectionId, "RUG", itemOf.get("Rug A")!)).rejects.toMatchObject({ code: "sku_already_mapped" });
    await expect(mapManually(SHOP, connectionId, "NOT-THERE", itemOf.get("Rug A")!)).rejects.toMatchObject({ code: "warehouse_sku_unknown" });
    await expect(mapManually(SHOP, connectionId, "VASE-TALL", "gid://shopify/InventoryItem/404")).rejects.toMatchObject({ code: "item_unknown" });

    expect(await unmap(SHOP, connectionId, "RUG")).toBe(true);
    expect(await forShop(SHOP).skuMapping.count({ where: { warehouseSku: "RUG" } })).toBe(0);
    expect([...(await positionsBySku(connectionId)).values()].filter((p) => p.warehouseSku === "RUG").every((p) => p.inventoryItemId === null && p.syncState === "clean")).toBe(true);
  });

  it("a Shopify SKU change undoes the automatic mapping it rested on and maps again; manual mappings stay", async () => {
    const connectionId = await connectedAndRead();
    await importShopifyCatalog(SHOP, client);
    await autoMapConnection(SHOP, connectionId);
    await mapManually(SHOP, connectionId, "VASE-TALL", itemOf.get("Throw blanket")!);
    const scoped = forShop(SHOP);
    // The merchant renames the red mug's SKU, and gives the blanket another SKU.
    await scoped.catalogItem.updateMany({ where: { inventoryItemId: itemOf.get("Red mug")! }, data: { sku: "MUG-RED-2" } });
    await scoped.catalogItem.updateMany({ where: { inventoryItemId: itemOf.get("Throw blanket")! }, data: { sku: "BLANKET" } });
    await remapCatalogItems(SHOP, [itemOf.get("Red mug")!, itemOf.get("Throw blanket")!]);
    expect(await scoped.skuMapping.count({ where: { warehouseSku: "MUG-RED" } })).toBe(0);
    expect([...(await positionsBySku(connectionId)).values()].filter((p) => p.warehouseSku === "MUG-RED").every((p) => p.inventoryItemId === null)).toBe(true);
    expect(await scoped.skuMapping.findFirst({ where: { warehouseSku: "VASE-TALL" } })).toMatchObject({ inventoryItemId: itemOf.get("Throw blanket"), matchedBy: "manual" });
    // Renamed back, it maps again.
    await scoped.catalogItem.updateMany({ where: { inventoryItemId: itemOf.get("Red mug")! }, data: { sku: "MUG-RED" } });
    expect(await remapCatalogItems(SHOP, [itemOf.get("Red mug")!])).toBe(1);
    expect(await scoped.skuMapping.findFirst({ where: { warehouseSku: "MUG-RED" } })).toMatchObject({ inventoryItemId: itemOf.get("Red mug"), matchedBy: "sku" });
  });
});

describe("removing a warehouse connection", () => {
  it("stops sync for its warehouses, deletes their positions and mappings, frees their locations and deletes its secrets", async () => {
    const { connectionId } = await connectAcme();
    await firstFullRead(connectionId);
    await importShopifyCatalog(SHOP, client);
    await autoMapConnection(SHOP, connectionId);
    const scoped = forShop(SHOP);
    const [lax] = await scoped.warehouse.findMany({ where: { connectionId }, orderBy: { externalCode: "asc" } });
    const losAngeles = locations.find((l) => l.name === "Acme - Los Angeles")!;
    await mapWarehouseLocation(SHOP, lax!.id, losAngeles.id, locations);
    const shopifyLevelBefore = shopify.level(SHOP, itemOf.get("Blue mug")!, losAngeles.id);

    expect(await removeWarehouseConnection(SHOP, connectionId, setup)).toEqual({ warehouses: 2, positionsRemoved: 10, mappingsRemoved: 3 });

    expect(await scoped.warehouseConnection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ status: "disconnected", pollCursor: null });
    expect(await warehouseCredentials(SHOP, connectionId)).toEqual({ baseUrl: wms.url });
    expect(await scoped.inventoryPosition.count()).toBe(0);
    expect(await scoped.skuMapping.count()).toBe(0);
    expect(await scoped.warehouse.count({ where: { shopifyLocationId: { not: null } } })).toBe(0);
    expect(wms.account("acme").subscriptions.size).toBe(0);
    expect(await listWarehouseConnections(SHOP)).toEqual([]);
    expect(shopify.level(SHOP, itemOf.get("Blue mug")!, losAngeles.id)).toEqual(shopifyLevelBefore);

    // The freed location can drive another warehouse; the removed connection can be added again by name.
    const again = await connectAcme();
    expect(again).toMatchObject({ ok: true, connectionId });
    await mapWarehouseLocation(SHOP, lax!.id, losAngeles.id, locations);
    await expect(removeWarehouseConnection(SHOP, "nope", setup)).rejects.toMatchObject({ code: "connection_not_found" });
  });
});
