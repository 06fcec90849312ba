// Reservations follow what Shopify has committed for an order; a large order comes in pages, and
// every line of every page must be read, or its units could be sold twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient } from "~/shopify/admin-client.server";
import { inventoryGateway } from "~/shopify/gateway.server";
import { startShopifySimulator, type ShopifySimulator } from "../../sim/shopify/server";

const SHOP = "large-orders.myshopify.com";
let sim: ShopifySimulator;
const skus = Array.from({ length: 140 }, (_, i) => `BULK-${i}`);

beforeAll(async () => {
  sim = await startShopifySimulator({
    app: { apiKey: "k", apiSecret: "s", appUrl: "http://127.0.0.1:9", handle: "tallysync" },
    shops: [{ domain: SHOP, plan: "plus" }],
  });
  const location = sim.addLocation(SHOP, { name: "3PL" }).id;
  for (const sku of skus) sim.addProduct(SHOP, { title: sku, variants: [{ sku, levels: { [location]: { available: 5 } } }] });
});

afterAll(async () => {
  await sim?.stop();
});

describe("order commitments", () => {
  it("an order of 140 lines is read in full, every line with its units", async () => {
    const placed = sim.placeOrder(SHOP, { lines: skus.map((sku, i) => ({ sku, quantity: 1 + (i % 3) })) });
    if (!placed.ok) throw new Error(placed.message);
    const client = createAdminClient({ shop: SHOP, accessToken: sim.issueAccessToken(SHOP), fetch: sandboxFetch(new URL(sim.url)) });
    const commitments = await inventoryGateway(client).orderCommitments(`gid://shopify/Order/${placed.order.id}`);
    expect(commitments?.lines).toHaveLength(140);
    expect(commitments!.lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(skus.reduce((sum, _sku, i) => sum + 1 + (i % 3), 0));
    expect(new Set(commitments!.lines.map((line) => line.lineItemId)).size).toBe(140);
  });
});
