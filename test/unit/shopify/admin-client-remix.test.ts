// The adapter over shopify-app-remix's own admin client (unauthenticated.admin(shop).admin.graphql),
// which throws on GraphQL errors and HTTP failures instead of answering: the same rules must hold.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, Session, shopifyApp } from "@shopify/shopify-app-remix/server";
import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { MemorySessionStorage } from "@shopify/shopify-app-session-storage-memory";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient, type AdminGraphql, type ShopifyApiCall } from "~/shopify/admin-client.server";
import { ShopifyApiError } from "~/shopify/errors";
import { readInventoryLevels, setAvailable } from "~/shopify/inventory.server";
import { PRODUCT_VARIANTS, SHOP_INFO, type ProductVariantsData, type ShopInfoData } from "~/shopify/operations";
import { SHOP, startSimulatedShop, type SimulatedShop } from "./simulated-shop";

// Compile-time check: the library's admin.graphql is what createAdminClient accepts.
const accepts = (graphql: AdminApiContext["graphql"]): AdminGraphql => graphql;
void accepts;

let shop: SimulatedShop;
let graphql: AdminGraphql;
let calls: ShopifyApiCall[];

beforeAll(async () => {
  shop = await startSimulatedShop(2);
  setAbstractFetchFunc(sandboxFetch(new URL(shop.sim.url)) as Parameters<typeof setAbstractFetchFunc>[0]);
  const sessionStorage = new MemorySessionStorage();
  const app = shopifyApp({
    apiKey: "test-api-key",
    apiSecretKey: "test-api-secret",
    appUrl: "http://localhost:3000",
    apiVersion: ApiVersion.July26,
    scopes: ["write_inventory"],
    distribution: AppDistribution.AppStore,
    sessionStorage,
    isEmbeddedApp: true,
    future: { unstable_newEmbeddedAuthStrategy: true },
    logger: { level: LogSeverity.Error },
  });
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: shop.token, scope: "write_inventory" }));
  const { admin } = await app.unauthenticated.admin(SHOP);
  graphql = admin.graphql;
});
afterAll(() => shop.stop());
beforeEach(() => {
  calls = [];
  shop.sim.faults.reset();
  shop.sim.shop(SHOP).bucket.drain(2000);
});

const client = () => createAdminClient({ shop: SHOP, graphql, recorder: { record: (c) => calls.push(c) }, backoff: { baseMs: 10, maxMs: 40 } });

describe("admin client over shopify-app-remix's admin.graphql", () => {
  it("reads and writes stock, learning the bucket from the response's extensions.cost", async () => {
    const c = client();
    const levels = await readInventoryLevels(c, shop.locationId, shop.items);
    expect(levels.get(shop.items[0]!)?.available).toBe(10);
    expect(calls[0]!.cost).toBeGreaterThan(0);
    expect(c.throttle.reportedLimits()).toEqual({ maximumAvailable: 2000, restoreRate: 100 });

    const result = await setAvailable(c, {
      locationId: shop.locationId,
      reason: "correction",
      referenceDocumentUri: "gid://tallysync/SyncRun/remix",
      idempotencyKey: "remix-1",
      quantities: [{ inventoryItemId: shop.items[0]!, quantity: 6, changeFromQuantity: 10 }],
    });
    expect(result.applied).toEqual([{ inventoryItemId: shop.items[0], delta: -4, quantityAfterChange: 6 }]);
  });

  it("a THROTTLED answer (thrown by the library as a GraphqlQueryError) is waited out", async () => {
    shop.sim.shop(SHOP).bucket.drain(0);
    const page = await client().request<ProductVariantsData>(PRODUCT_VARIANTS, { first: 10 });
    expect(page.productVariants.nodes).toHaveLength(3);
    expect(calls.map((c) => c.outcome)).toEqual(["throttled", "ok"]);
    // 2 + 10 x 4 = 42 points at 100 points/s, read from the error's extensions.cost (a backoff is at most 40 ms)
    expect(calls[1]!.throttleWaitMs).toBeGreaterThan(300);
  });

  it("a 5xx (thrown by the library as an HttpInternalError) is retried", async () => {
    shop.sim.faults.set({ api5xx: { next: 1, status: 500 } });
    await client().request<ShopInfoData>(SHOP_INFO);
    expect(calls.map((c) => c.outcome)).toEqual(["error", "ok"]);
  });

  it("a GraphQL error becomes a typed ShopifyApiError", async () => {
    const error = await client().request("query Broken { shop { nope } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyApiError);
    expect(error).toMatchObject({ code: "GRAPHQL", retryable: false, status: 200 });
    expect((error as ShopifyApiError).errors[0]!.message).toBe("Field 'nope' doesn't exist on type 'Shop'");
  });
});
