// A Shopify simulator and a WMS simulator set up for the stock sync's integration tests: one
// warehouse (LAX1, 20 sellable of each SKU) mapped to one Shopify location (0 available), and the
// engine's Shopify gateway pointed at the simulator.
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient } from "~/shopify/admin-client.server";
import { inventoryGateway } from "~/shopify/gateway.server";
import type { ShopifyInventoryGateway } from "~/inventory/gateway";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";
import { startWmsSimulator, type WmsSimulator } from "../sim/wms/server";

export interface SyncSimulators {
  shopify: ShopifySimulator;
  wms: WmsSimulator;
  locationId: string;
  itemOf: Map<string, string>;
  gateway: ShopifyInventoryGateway;
  stop(): Promise<void>;
}

export async function startSyncSimulators(options: { shop: string; skus: string[]; apiKey: string; seed: number }): Promise<SyncSimulators> {
  const shopify = await startShopifySimulator({
    app: { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: "http://127.0.0.1:9", handle: "tallysync" },
    shops: [{ domain: options.shop, plan: "standard" }],
  });
  const wms = await startWmsSimulator({
    seed: options.seed,
    rateLimit: false,
    auto: { acknowledgeAfterMs: null },
    accounts: [{ id: "acme", apiKey: options.apiKey, warehouses: [{ code: "LAX1", name: "Los Angeles" }], stock: options.skus.map((sku) => ({ warehouse: "LAX1", sku, sellable: 20 })) }],
  });
  const locationId = shopify.addLocation(options.shop, { name: "Acme 3PL - Los Angeles" }).id;
  const itemOf = new Map<string, string>();
  for (const sku of options.skus) {
    const product = shopify.addProduct(options.shop, { title: sku, variants: [{ sku, levels: { [locationId]: { available: 0 } } }] });
    itemOf.set(sku, product.variants[0]!.inventoryItemId);
  }
  const client = createAdminClient({
    shop: options.shop,
    accessToken: shopify.issueAccessToken(options.shop),
    fetch: sandboxFetch(new URL(shopify.url)),
    backoff: { baseMs: 5, maxMs: 20 },
  });
  return {
    shopify,
    wms,
    locationId,
    itemOf,
    gateway: inventoryGateway(client),
    async stop() {
      await shopify.stop();
      await wms.stop();
    },
  };
}
