// A simulated Shopify shop and an admin client pointed at it, for the adapter's tests.
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient, type AdminClient, type AdminClientOptions, type ShopifyApiCall } from "~/shopify/admin-client.server";
import { startShopifySimulator, type ShopifySimulator } from "../../sim/shopify/server";

export const SHOP = "adapter-test.myshopify.com";

export interface SimulatedShop {
  sim: ShopifySimulator;
  token: string;
  locationId: string;
  /** Inventory item ids stocked at the location, in creation order (SKU-0001, SKU-0002, ...). */
  items: string[];
  /** An item that exists but is not stocked at the location. */
  unstockedItem: string;
  /** Every HTTP request the clients sent to the simulator (URL and body). */
  sent: { url: string; body: string }[];
  client(options?: Partial<Omit<AdminClientOptions, "shop" | "graphql">> & { calls?: ShopifyApiCall[] }): AdminClient;
  level(inventoryItemId: string): number;
  stop(): Promise<void>;
}

export async function startSimulatedShop(itemCount = 3): Promise<SimulatedShop> {
  const sim = await startShopifySimulator({
    app: { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: "http://127.0.0.1:9", handle: "tallysync" },
    seed: 7,
    shops: [{ domain: SHOP, locations: [{ name: "Main warehouse" }] }],
  });
  const locationId = `gid://shopify/Location/${[...sim.shop(SHOP).locations.keys()][0]}`;
  const items: string[] = [];
  for (let i = 1; i <= itemCount; i++) {
    const sku = `SKU-${String(i).padStart(4, "0")}`;
    const product = sim.addProduct(SHOP, { title: `Product ${i}`, variants: [{ sku, barcode: `BC${i}`, unitCost: "2.50", levels: { [locationId]: { available: 10 } } }] });
    items.push(product.variants[0]!.inventoryItemId);
  }
  const unstockedItem = sim.addProduct(SHOP, { title: "Not here", variants: [{ sku: "NOT-STOCKED" }] }).variants[0]!.inventoryItemId;
  const token = sim.issueAccessToken(SHOP);
  const sent: { url: string; body: string }[] = [];
  const toSimulator = sandboxFetch(new URL(sim.url));
  const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), body: String(init?.body ?? "") });
    return toSimulator(input, init);
  }) as typeof globalThis.fetch;

  return {
    sim,
    token,
    locationId,
    items,
    unstockedItem,
    sent,
    client({ calls, ...options } = {}) {
      return createAdminClient({
        shop: SHOP,
        accessToken: token,
        fetch: recordingFetch,
        backoff: { baseMs: 10, maxMs: 40 },
        timeoutMs: 2_000,
        ...(calls ? { recorder: { record: (call) => calls.push(call) } } : {}),
        ...options,
      } as AdminClientOptions);
    },
    level: (inventoryItemId) => sim.level(SHOP, inventoryItemId, locationId)!.available,
    stop: () => sim.stop(),
  };
}
