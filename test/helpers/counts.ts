// Setting up shops, warehouses and stock for the count tests: warehouse stock arrives the way it
// does in the app (applyWarehouseLevels, which writes positions and ledger rows), SKUs are mapped
// and catalogued with barcodes and unit costs.
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { applyWarehouseLevels } from "~/inventory/positions.server";
import { createWarehouseConnection } from "~/models/warehouse-connection.server";

const TABLES = [
  "countAdjustment",
  "countLine",
  "countTaskEvent",
  "countTask",
  "countPlan",
  "inventoryLedgerEntry",
  "inventoryPosition",
  "reservation",
  "shopifyInventoryWrite",
  "skuMapping",
  "catalogItem",
  "orderLine",
  "order",
  "warehouse",
  "warehouseConnection",
  "shopSettings",
  "shop",
  "alert",
  "job",
] as const;

export async function resetCountData(): Promise<void> {
  for (const table of TABLES) await (db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
}

export async function seedShop(shop: string, settings: { varianceThresholdUnits?: number; varianceThresholdValue?: string; timeZone?: string; defaultSafetyStock?: number } = {}) {
  const scoped = forShop(shop);
  await scoped.shop.create({ data: { shop } });
  await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: 0, ...settings } });
}

export interface SeedSku {
  sku: string;
  sellable: number;
  /** The Shopify inventory item (default gid://shopify/InventoryItem/<sku>). */
  item?: string;
  barcode?: string | null;
  unitCost?: string | null;
  title?: string;
}

export interface SeededWarehouse {
  connectionId: string;
  warehouseId: string;
  code: string;
  itemOf: Map<string, string>;
}

let sequence = 1_000;

/** A warehouse of a (new or given) generic connection, its SKUs mapped and their stock applied. */
export async function seedWarehouse(
  shop: string,
  options: { code: string; name?: string; locationId?: string | null; skus: SeedSku[]; connectionId?: string; baseUrl?: string; apiKey?: string; at?: Date },
): Promise<SeededWarehouse> {
  const scoped = forShop(shop);
  const connectionId =
    options.connectionId ??
    (await createWarehouseConnection(shop, { name: `Acme ${options.code} ${Math.random().toString(36).slice(2, 8)}`, provider: "generic", credentials: { baseUrl: options.baseUrl ?? "http://127.0.0.1:9", apiKey: options.apiKey ?? "sk_test_counts" } })).id;
  const warehouse = await scoped.warehouse.create({
    data: { shop, connectionId, externalCode: options.code, name: options.name ?? options.code, shopifyLocationId: options.locationId ?? null },
  });
  const itemOf = new Map<string, string>();
  for (const sku of options.skus) {
    const item = sku.item ?? `gid://shopify/InventoryItem/${sku.sku}`;
    itemOf.set(sku.sku, item);
    await scoped.skuMapping.upsert({
      where: { shop_connectionId_inventoryItemId: { shop, connectionId, inventoryItemId: item } },
      create: { shop, connectionId, inventoryItemId: item, warehouseSku: sku.sku, matchedBy: "sku" },
      update: {},
    });
    await scoped.catalogItem.upsert({
      where: { shop_inventoryItemId: { shop, inventoryItemId: item } },
      create: { shop, inventoryItemId: item, sku: sku.sku, barcode: sku.barcode ?? null, unitCost: sku.unitCost ?? null, productTitle: sku.title ?? `${sku.sku} product`, productId: `gid://shopify/Product/${sku.sku}` },
      update: {},
    });
  }
  const at = options.at ?? new Date(Date.now() - 2 * 3_600_000);
  await applyWarehouseLevels(
    shop,
    connectionId,
    options.skus.map((sku) => ({ sku: sku.sku, warehouseCode: options.code, sellable: sku.sellable, reserved: 0, damaged: 0, sequence: ++sequence, updatedAt: at, barcode: sku.barcode ?? null })),
    "warehouse_poll",
  );
  return { connectionId, warehouseId: warehouse.id, code: options.code, itemOf };
}

/** The warehouse reports a new sellable quantity for a SKU (a sale acknowledged, a receipt...). */
export async function warehouseReports(shop: string, warehouse: SeededWarehouse, sku: string, sellable: number, at: Date, extra: { reserved?: number; damaged?: number } = {}) {
  return applyWarehouseLevels(shop, warehouse.connectionId, [{ sku, warehouseCode: warehouse.code, sellable, reserved: extra.reserved ?? 0, damaged: extra.damaged ?? 0, sequence: ++sequence, updatedAt: at }], "warehouse_webhook");
}

/**
 * Instants in order for a test's story: the real time, but always later than the previous one, so
 * that warehouse events stamped by a simulator's clock fall between the steps around them.
 */
export function clock() {
  let t = 0;
  return () => new Date((t = Math.max(Date.now(), t + 1)));
}

// ---------------------------------------------------------------------------------------------
// The same shop against the Shopify and WMS simulators, for posting and stock sync interplay
// ---------------------------------------------------------------------------------------------

export interface CountSimulators {
  shopify: import("../sim/shopify/server").ShopifySimulator;
  wms: import("../sim/wms/server").WmsSimulator;
  /** Shopify location per warehouse code. */
  locationOf: Map<string, string>;
  /** Shopify inventory item per SKU. */
  itemOf: Map<string, string>;
  /** The stock sync's gateway and the posting's, both on one Admin client to the simulator. */
  syncGateway: import("~/inventory/gateway").ShopifyInventoryGateway;
  countGateway: import("~/models/counts/posting.server").CountShopifyGateway;
  stop(): Promise<void>;
}

/** Shopify with one location per warehouse (available 0), and a WMS account holding `sellable` of each SKU in each warehouse. */
export async function startCountSimulators(options: { shop: string; skus: string[]; warehouses: string[]; apiKey: string; sellable: number; seed: number }): Promise<CountSimulators> {
  const { startShopifySimulator } = await import("../sim/shopify/server");
  const { startWmsSimulator } = await import("../sim/wms/server");
  const { sandboxFetch } = await import("~/sandbox.server");
  const { createAdminClient } = await import("~/shopify/admin-client.server");
  const { inventoryGateway } = await import("~/shopify/gateway.server");
  const { countShopifyGateway } = await import("~/models/counts/posting.server");
  const shopify = await startShopifySimulator({
    app: { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: "http://127.0.0.1:9", handle: "tallysync" },
    shops: [{ domain: options.shop, plan: "standard" }],
  });
  const wms = await startWmsSimulator({
    seed: options.seed,
    rateLimit: false,
    auto: { acknowledgeAfterMs: null },
    accounts: [
      {
        id: "acme",
        apiKey: options.apiKey,
        warehouses: options.warehouses.map((code) => ({ code, name: code })),
        stock: options.warehouses.flatMap((warehouse) => options.skus.map((sku) => ({ warehouse, sku, sellable: options.sellable }))),
      },
    ],
  });
  const locationOf = new Map(options.warehouses.map((code) => [code, shopify.addLocation(options.shop, { name: `Acme 3PL - ${code}` }).id]));
  const itemOf = new Map<string, string>();
  for (const sku of options.skus) {
    const levels = Object.fromEntries([...locationOf.values()].map((id) => [id, { available: 0 }]));
    const product = shopify.addProduct(options.shop, { title: sku, variants: [{ sku, levels }] });
    itemOf.set(sku, product.variants[0]!.inventoryItemId);
  }
  const client = createAdminClient({ shop: options.shop, accessToken: shopify.issueAccessToken(options.shop), fetch: sandboxFetch(new URL(shopify.url)), backoff: { baseMs: 5, maxMs: 20 } });
  return {
    shopify,
    wms,
    locationOf,
    itemOf,
    syncGateway: inventoryGateway(client),
    countGateway: countShopifyGateway(client),
    async stop() {
      await shopify.stop();
      await wms.stop();
    },
  };
}

/** The shop's warehouses connected to the WMS simulator, mapped to their Shopify locations, and Shopify synced to them. */
export async function seedSimulatedShop(shop: string, sims: CountSimulators, options: { apiKey: string; unitCost?: string }) {
  const { syncShopStock } = await import("~/inventory/sync.server");
  const { connectorFor } = await import("~/warehouses/connections.server");
  await seedShop(shop, { varianceThresholdUnits: 5, varianceThresholdValue: "500" });
  const scoped = forShop(shop);
  const connection = await createWarehouseConnection(shop, { name: `Acme ${Math.random().toString(36).slice(2, 8)}`, provider: "generic", credentials: { baseUrl: sims.wms.url, apiKey: options.apiKey } });
  const warehouses = new Map<string, SeededWarehouse>();
  for (const [code, locationId] of sims.locationOf) {
    const warehouse = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: code, name: code, shopifyLocationId: locationId } });
    warehouses.set(code, { connectionId: connection.id, warehouseId: warehouse.id, code, itemOf: sims.itemOf });
  }
  for (const [sku, item] of sims.itemOf) {
    await scoped.skuMapping.create({ data: { shop, connectionId: connection.id, inventoryItemId: item, warehouseSku: sku, matchedBy: "sku" } });
    await scoped.catalogItem.create({ data: { shop, inventoryItemId: item, sku, productTitle: sku, unitCost: options.unitCost ?? "5.00", productId: `gid://shopify/Product/${sku}` } });
  }
  const connector = await connectorFor(shop, connection.id);
  // Stock as of two hours ago, so that counts started "now" come after it.
  const levels = (await connector.readStock(null)).levels.map((level) => ({ ...level, updatedAt: new Date(Date.now() - 2 * 3_600_000) }));
  await applyWarehouseLevels(shop, connection.id, levels, "warehouse_poll");
  await syncShopStock(shop, sims.syncGateway);
  return { connectionId: connection.id, warehouses };
}
