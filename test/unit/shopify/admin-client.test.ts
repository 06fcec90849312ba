import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxFetch } from "~/sandbox.server";
import type { ShopifyApiCall } from "~/shopify/admin-client.server";
import { ShopifyApiError } from "~/shopify/errors";
import {
  BULK_OPERATION,
  BULK_OPERATION_RUN_QUERY,
  CATALOG_BULK_QUERY,
  FULFILLMENT_SERVICE_CREATE,
  FULFILLMENT_SERVICE_DELETE,
  LOCATIONS,
  PRODUCT_VARIANTS,
  SHOP_INFO,
  WEBHOOK_SUBSCRIPTION_CREATE,
  type BulkOperationData,
  type BulkOperationRunQueryData,
  type FulfillmentServiceCreateData,
  type FulfillmentServiceDeleteData,
  type LocationsData,
  type ProductVariantsData,
  type ShopInfoData,
  type WebhookSubscriptionCreateData,
} from "~/shopify/operations";
import { setAvailable } from "~/shopify/inventory.server";
import { SHOP, startSimulatedShop, type SimulatedShop } from "./simulated-shop";

let shop: SimulatedShop;
let calls: ShopifyApiCall[];

beforeAll(async () => {
  shop = await startSimulatedShop(3);
});
afterAll(() => shop.stop());
beforeEach(() => {
  calls = [];
  shop.sent.length = 0;
  shop.sim.faults.reset();
  shop.sim.shop(SHOP).bucket.drain(2000);
  for (const item of shop.items) shop.sim.setLevel(SHOP, item, shop.locationId, { available: 10 });
});

const outcomes = () => calls.map((c) => c.outcome);
let keys = 0;
const key = () => `admin-client-test-${++keys}`;

describe("reading from Shopify", () => {
  it("reads the shop, its locations and its catalog with an access token, at API version 2026-07", async () => {
    const client = shop.client({ calls });
    const info = await client.request<ShopInfoData>(SHOP_INFO);
    expect(info.shop).toMatchObject({ myshopifyDomain: SHOP, currencyCode: "USD", ianaTimezone: expect.any(String), plan: { publicDisplayName: "Basic" } });
    expect(shop.sent[0]!.url).toBe(`https://${SHOP}/admin/api/2026-07/graphql.json`);

    const locations = await client.request<LocationsData>(LOCATIONS, { first: 50 });
    expect(locations.locations.nodes).toEqual([
      expect.objectContaining({ id: shop.locationId, name: "Main warehouse", isActive: true, fulfillmentService: null, address: { countryCode: "CA" } }),
    ]);

    const firstPage = await client.request<ProductVariantsData>(PRODUCT_VARIANTS, { first: 2 });
    expect(firstPage.productVariants.nodes[0]).toMatchObject({ sku: "SKU-0001", barcode: "BC1", product: { title: "Product 1" }, inventoryItem: { id: shop.items[0], tracked: true, unitCost: { amount: "2.50" } } });
    expect(firstPage.productVariants.pageInfo.hasNextPage).toBe(true);
    const nextPage = await client.request<ProductVariantsData>(PRODUCT_VARIANTS, { first: 2, after: firstPage.productVariants.pageInfo.endCursor });
    expect(nextPage.productVariants.nodes.map((v) => v.sku)).toEqual(["SKU-0003", "NOT-STOCKED"]);

    const bySku = await client.request<ProductVariantsData>(PRODUCT_VARIANTS, { first: 10, query: "sku:SKU-0002" });
    expect(bySku.productVariants.nodes.map((v) => v.inventoryItem.id)).toEqual([shop.items[1]]);
  });

  it("runs the nightly full read as a bulk operation and polls it by id", async () => {
    const client = shop.client();
    const started = await client.request<BulkOperationRunQueryData>(BULK_OPERATION_RUN_QUERY, { query: CATALOG_BULK_QUERY });
    expect(started.bulkOperationRunQuery?.userErrors).toEqual([]);
    const id = started.bulkOperationRunQuery!.bulkOperation!.id;
    let operation: BulkOperationData["node"] = null;
    for (let i = 0; i < 100 && operation?.status !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      operation = (await client.request<BulkOperationData>(BULK_OPERATION, { id })).node;
    }
    expect(operation).toMatchObject({ status: "COMPLETED", rootObjectCount: "4" });
    const lines = (await (await sandboxFetch(new URL(shop.sim.url))(operation!.url!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.find((l) => l.sku === "SKU-0001")).toMatchObject({ inventoryItem: { id: shop.items[0] } });
    expect(lines.filter((l) => l.__parentId && l.location?.id === shop.locationId)).toHaveLength(3);
  });
});

describe("setting up a shop", () => {
  it("creates and deletes a fulfillment service and subscribes to webhooks", async () => {
    const client = shop.client();
    const created = await client.request<FulfillmentServiceCreateData>(FULFILLMENT_SERVICE_CREATE, {
      name: "Acme 3PL Reno",
      callbackUrl: "https://tallysync.example.com/fulfillment-service/acme",
      inventoryManagement: true,
      trackingSupport: true,
    });
    expect(created.fulfillmentServiceCreate?.userErrors).toEqual([]);
    const service = created.fulfillmentServiceCreate!.fulfillmentService!;
    expect(service).toMatchObject({ serviceName: "Acme 3PL Reno", inventoryManagement: true, location: { id: expect.stringMatching(/^gid:\/\/shopify\/Location\//) } });

    const locations = await client.request<LocationsData>(LOCATIONS, { first: 50 });
    expect(locations.locations.nodes.find((l) => l.id === service.location!.id)?.fulfillmentService).toEqual({ id: service.id, handle: service.handle });

    const duplicate = await client.request<FulfillmentServiceCreateData>(FULFILLMENT_SERVICE_CREATE, {
      name: "Acme 3PL Reno",
      callbackUrl: "https://tallysync.example.com/fulfillment-service/acme",
      inventoryManagement: true,
      trackingSupport: true,
    });
    expect(duplicate.fulfillmentServiceCreate?.userErrors).toEqual([{ field: ["name"], message: "Name has already been taken" }]);

    const deleted = await client.request<FulfillmentServiceDeleteData>(FULFILLMENT_SERVICE_DELETE, { id: service.id, inventoryAction: "DELETE" });
    expect(deleted.fulfillmentServiceDelete).toEqual({ deletedId: service.id, userErrors: [] });

    const webhook = await client.request<WebhookSubscriptionCreateData>(WEBHOOK_SUBSCRIPTION_CREATE, {
      topic: "INVENTORY_LEVELS_UPDATE",
      webhookSubscription: { uri: "https://tallysync.example.com/webhooks/inventory_levels/update", format: "JSON" },
    });
    expect(webhook.webhookSubscriptionCreate?.webhookSubscription).toMatchObject({ topic: "INVENTORY_LEVELS_UPDATE" });
  });
});

describe("Shopify's rate limit", () => {
  it("a THROTTLED answer is waited out as the bucket says, and the write is applied once", async () => {
    shop.sim.shop(SHOP).bucket.drain(0);
    const client = shop.client({ calls });
    const result = await setAvailable(client, {
      locationId: shop.locationId,
      reason: "correction",
      referenceDocumentUri: "gid://tallysync/SyncRun/1",
      idempotencyKey: key(),
      quantities: [{ inventoryItemId: shop.items[0]!, quantity: 4, changeFromQuantity: 10 }],
    });
    expect(result.applied).toEqual([{ inventoryItemId: shop.items[0], delta: -6, quantityAfterChange: 4 }]);
    expect(shop.level(shop.items[0]!)).toBe(4);
    expect(outcomes()).toEqual(["throttled", "ok"]);
    // 10 points at 100 points/s, learnt from the THROTTLED answer's throttleStatus
    expect(calls[1]!.throttleWaitMs).toBeGreaterThanOrEqual(50);
    expect(calls[1]!.throttleWaitMs).toBeLessThanOrEqual(110);
  });

  it("concurrent writes into an empty bucket all land, none twice", async () => {
    shop.sim.shop(SHOP).bucket.drain(0);
    const client = shop.client({ calls });
    const results = await Promise.all(
      shop.items.map((inventoryItemId, i) =>
        setAvailable(client, {
          locationId: shop.locationId,
          reason: "correction",
          referenceDocumentUri: "gid://tallysync/SyncRun/2",
          idempotencyKey: key(),
          quantities: [{ inventoryItemId, quantity: 20 + i, changeFromQuantity: 10 }],
        }),
      ),
    );
    expect(results.map((r) => r.applied.length)).toEqual([1, 1, 1]);
    expect(shop.items.map((item) => shop.level(item))).toEqual([20, 21, 22]);
    expect(outcomes().filter((o) => o === "ok")).toHaveLength(3);
    expect(outcomes()).toContain("throttled");
  });

  it("throttling Shopify reports whatever the bucket holds is backed off and retried", async () => {
    shop.sim.faults.set({ apiThrottle: { next: 3 } });
    const client = shop.client({ calls });
    await client.request<ShopInfoData>(SHOP_INFO);
    expect(outcomes()).toEqual(["throttled", "throttled", "throttled", "ok"]);
    expect(calls.slice(1).every((c) => c.throttleWaitMs > 0)).toBe(true);
  });

  it("waits before sending when the last answer says the bucket cannot pay for the call", async () => {
    const client = shop.client({ calls });
    await client.request(PRODUCT_VARIANTS, { first: 25 }); // learns the cost: 2 + 25 x 4 = 102 points
    shop.sim.shop(SHOP).bucket.drain(22);
    await client.request(SHOP_INFO); // learns the bucket is nearly empty
    await client.request(PRODUCT_VARIANTS, { first: 25 });
    expect(outcomes()).toEqual(["ok", "ok", "ok"]);
    expect(calls[0]!.cost).toBeGreaterThan(0);
    // about (102 - 20) points at 100 points/s
    expect(calls[2]!.throttleWaitMs).toBeGreaterThan(600);
    expect(calls[2]!.throttleWaitMs).toBeLessThan(1000);
  });
});

describe("Shopify outages", () => {
  it("a 5xx answer is retried with backoff", async () => {
    shop.sim.faults.set({ api5xx: { next: 2, status: 503 } });
    const client = shop.client({ calls });
    const info = await client.request<ShopInfoData>(SHOP_INFO);
    expect(info.shop.myshopifyDomain).toBe(SHOP);
    expect(outcomes()).toEqual(["error", "error", "ok"]);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it("a call that times out is retried", async () => {
    shop.sim.faults.set({ apiTimeout: { next: 1, hangMs: 5_000 } });
    const client = shop.client({ calls, timeoutMs: 200 });
    await client.request<ShopInfoData>(SHOP_INFO);
    expect(outcomes()).toEqual(["error", "ok"]);
    expect(calls[0]!.latencyMs).toBeGreaterThanOrEqual(190);
  });

  it("a retry after a lost answer resends the same variables and idempotency key, and the write applies once", async () => {
    const toSimulator = sandboxFetch(new URL(shop.sim.url));
    const bodies: string[] = [];
    let dropNext = true;
    // Shopify applies the write, then the connection drops before the answer arrives.
    const losingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      bodies.push(String(init?.body));
      const response = await toSimulator(input, init);
      if (dropNext) {
        dropNext = false;
        await response.text();
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    }) as typeof globalThis.fetch;
    const client = shop.client({ calls, fetch: losingFetch });

    const result = await setAvailable(client, {
      locationId: shop.locationId,
      reason: "correction",
      referenceDocumentUri: "gid://tallysync/SyncRun/3",
      idempotencyKey: key(),
      quantities: [{ inventoryItemId: shop.items[1]!, quantity: 13, changeFromQuantity: 10 }],
    });

    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(outcomes()).toEqual(["error", "ok"]);
    expect(result.applied).toEqual([{ inventoryItemId: shop.items[1], delta: 3, quantityAfterChange: 13 }]);
    expect(shop.level(shop.items[1]!)).toBe(13);
    expect(shop.sim.shop(SHOP).adjustmentGroups.size).toBeGreaterThan(0);
    const groups = [...shop.sim.shop(SHOP).adjustmentGroups.values()].filter((g) => g.referenceDocumentUri === "gid://tallysync/SyncRun/3");
    expect(groups).toHaveLength(1);
  });

  it("gives up after maxRetries with a retryable error the merchant can read", async () => {
    shop.sim.faults.set({ api5xx: { next: 10, status: 502 } });
    const client = shop.client({ calls, maxRetries: 2 });
    const error = await client.request(SHOP_INFO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyApiError);
    expect(error).toMatchObject({ code: "SERVER_ERROR", status: 502, retryable: true, attempts: 3, operation: "ShopInfo", shop: SHOP });
    expect((error as Error).message).toMatch(/Shopify did not answer TallySync's request to read your shop details/);
    expect(outcomes()).toEqual(["error", "error", "error"]);
  });
});

describe("requests Shopify refuses", () => {
  it("a GraphQL error is thrown at once, typed, and not retried", async () => {
    const client = shop.client({ calls });
    const error = await client.request("query Broken { shop { name doesNotExist } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyApiError);
    expect(error).toMatchObject({ code: "GRAPHQL", retryable: false, attempts: 1, operation: "Broken" });
    expect((error as ShopifyApiError).errors[0]!.extensions?.code).toBe("undefinedField");
    expect((error as Error).message).toMatch(/Shopify rejected TallySync's request .* Field 'doesNotExist' doesn't exist on type 'Shop'.*contact TallySync support/);
    expect(outcomes()).toEqual(["error"]);
  });

  it("a revoked token asks the merchant to reconnect", async () => {
    const client = shop.client({ calls, accessToken: "shpat_revoked" });
    const error = await client.request(SHOP_INFO).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, retryable: false, attempts: 1 });
    expect((error as Error).message).toMatch(/Open TallySync from your Shopify admin to reconnect/);
  });

  it("an inventory mutation without an idempotency key is refused before anything is sent", async () => {
    const client = shop.client({ calls });
    const { INVENTORY_SET_QUANTITIES } = await import("~/shopify/operations");
    await expect(client.request(INVENTORY_SET_QUANTITIES, { input: {} })).rejects.toThrow(/needs an idempotency key/);
    await expect(client.request(SHOP_INFO, {}, { idempotencyKey: "k" })).rejects.toThrow(/does not declare \$idempotencyKey/);
    expect(shop.sent).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe("call records", () => {
  it("each attempt is recorded with operation, outcome, latency, cost and throttle wait", async () => {
    const client = shop.client({ calls });
    await client.request(SHOP_INFO);
    expect(calls).toEqual([
      { integration: "shopify", shop: SHOP, operation: "ShopInfo", outcome: "ok", latencyMs: expect.any(Number), cost: expect.any(Number), throttleWaitMs: 0, attempt: 1 },
    ]);
  });

  it("a recorder that fails does not fail the call", async () => {
    const client = shop.client({ recorder: { record: () => { throw new Error("metrics table is gone"); } } });
    await expect(client.request<ShopInfoData>(SHOP_INFO)).resolves.toMatchObject({ shop: { myshopifyDomain: SHOP } });
  });
});
