// The Dashboard's health figures, from rows seeded straight into the tables: API calls per
// integration (success rate, p50/p95, rate-limit waits), stock freshness, queues, the reconciler.
import { beforeAll, describe, expect, it } from "vitest";
import { forShop } from "~/db/tenant.server";
import { loadShopHealth } from "~/models/shop-health.server";

const SHOP = "health-figures.myshopify.com";
const OTHER = "health-other.myshopify.com";
const NOW = new Date("2026-03-10T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
let warehouseConnectionId = "";

beforeAll(async () => {
  const scoped = forShop(SHOP);
  const connection = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "Goodcang US", provider: "generic", encryptedCredentials: "x" } });
  await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "Idle 3PL", provider: "generic", encryptedCredentials: "x" } });
  warehouseConnectionId = connection.id;
  // Shopify: 100 calls with latencies 1..100 ms, 90 ok, 6 errors, 4 throttled; 3 of the ok calls waited.
  await scoped.apiCallMetric.createMany({
    data: Array.from({ length: 100 }, (_, i) => ({
      shop: SHOP,
      integration: "shopify",
      operation: "inventorySetQuantities",
      outcome: i < 90 ? "ok" : i < 96 ? "error" : "throttled",
      latencyMs: 100 - i,
      throttleWaitMs: i < 3 ? 500 : i >= 96 ? 1000 : 0,
      occurredAt: ago((i + 1) * MIN),
    })),
  });
  // The warehouse: 4 calls, one failed; one older than 24 h that must not count.
  await scoped.apiCallMetric.createMany({
    data: [
      { shop: SHOP, integration: connection.id, operation: "readStock", outcome: "ok", latencyMs: 200, occurredAt: ago(HOUR) },
      { shop: SHOP, integration: connection.id, operation: "readStock", outcome: "ok", latencyMs: 400, occurredAt: ago(2 * HOUR) },
      { shop: SHOP, integration: connection.id, operation: "readStock", outcome: "ok", latencyMs: 300, occurredAt: ago(3 * HOUR) },
      { shop: SHOP, integration: connection.id, operation: "readStock", outcome: "error", latencyMs: 5000, occurredAt: ago(4 * HOUR) },
      { shop: SHOP, integration: connection.id, operation: "readStock", outcome: "error", latencyMs: 9000, occurredAt: ago(25 * HOUR) },
    ],
  });
  // Another shop's calls never count.
  await forShop(OTHER).apiCallMetric.createMany({
    data: Array.from({ length: 50 }, () => ({ shop: OTHER, integration: "shopify", operation: "x", outcome: "error", latencyMs: 99_999, occurredAt: ago(MIN) })),
  });

  const position = (sku: string, data: object) => ({ shop: SHOP, warehouseId: "wh", warehouseSku: sku, inventoryItemId: `gid://shopify/InventoryItem/${sku}`, ...data });
  await scoped.inventoryPosition.createMany({
    data: [
      position("A", { lastConfirmedAt: ago(MIN) }),
      position("B", { lastConfirmedAt: ago(4 * MIN) }),
      position("C", { lastConfirmedAt: ago(30 * MIN), syncState: "dirty", dirtySince: ago(2 * MIN) }),
      position("D", { lastConfirmedAt: ago(3 * HOUR), syncState: "dirty", dirtySince: ago(7 * MIN) }),
      position("E", { lastConfirmedAt: null }),
      // unmapped SKUs are not part of freshness or the sync backlog
      { shop: SHOP, warehouseId: "wh", warehouseSku: "F", inventoryItemId: null, lastConfirmedAt: ago(10 * HOUR), syncState: "dirty", dirtySince: ago(HOUR) },
    ],
  });

  // Webhooks: 20 handled in the last hour with lags 1..20 s, one handled two hours ago (lag 10 min), two waiting.
  await scoped.webhookInbox.createMany({
    data: [
      ...Array.from({ length: 20 }, (_, i) => ({
        shop: SHOP,
        webhookId: `done-${i}`,
        topic: "orders/create",
        payload: "{}",
        status: "processed",
        receivedAt: ago(30 * MIN + (i + 1) * 1000),
        processedAt: ago(30 * MIN),
      })),
      { shop: SHOP, webhookId: "old", topic: "orders/create", payload: "{}", status: "processed", receivedAt: ago(2 * HOUR + 10 * MIN), processedAt: ago(2 * HOUR) },
      { shop: SHOP, webhookId: "wait-1", topic: "orders/create", payload: "{}", status: "received", receivedAt: ago(3 * MIN) },
      { shop: SHOP, webhookId: "wait-2", topic: "orders/create", payload: "{}", status: "received", receivedAt: ago(MIN) },
    ],
  });

  await scoped.reconcileRun.createMany({
    data: [
      { shop: SHOP, kind: "full", status: "succeeded", itemsChecked: 300, driftFound: 9, healed: 9, startedAt: ago(10 * HOUR), finishedAt: ago(9 * HOUR) },
      { shop: SHOP, kind: "delta", status: "succeeded", itemsChecked: 40, driftFound: 2, healed: 1, startedAt: ago(5 * MIN), finishedAt: ago(4 * MIN) },
    ],
  });
});

describe("Dashboard health figures", () => {
  it("per integration: calls, success rate and latency p50/p95 over the last 24 hours", async () => {
    const { integrations } = await loadShopHealth(SHOP, NOW);
    expect(integrations.map((i) => i.name)).toEqual([null, "Goodcang US", "Idle 3PL"]);
    expect(integrations[0]).toMatchObject({ id: "shopify", calls: 100, succeeded: 90, successRate: 0.9, p50Ms: 50, p95Ms: 95 });
    expect(integrations[1]).toMatchObject({ id: warehouseConnectionId, calls: 4, succeeded: 3, successRate: 0.75, p50Ms: 300, p95Ms: 5000 });
  });

  it("an integration without calls shows no rate and no latency, not zero", async () => {
    const idle = (await loadShopHealth(SHOP, NOW)).integrations[2]!;
    expect(idle).toMatchObject({ calls: 0, successRate: null, p50Ms: null, p95Ms: null, rateLimitWaits: 0 });
  });

  it("rate-limit waits count calls that waited or were throttled, and add up the time waited", async () => {
    const shopify = (await loadShopHealth(SHOP, NOW)).integrations[0]!;
    expect(shopify).toMatchObject({ rateLimitWaits: 7, rateLimitWaitMs: 3 * 500 + 4 * 1000 });
  });

  it("stock freshness splits mapped SKUs by their last warehouse confirmation", async () => {
    const { freshness } = await loadShopHealth(SHOP, NOW);
    expect(freshness).toEqual({
      mapped: 5,
      withinFiveMinutes: 2,
      withinOneHour: 1,
      older: 2,
      never: 1,
      oldestConfirmedAt: ago(3 * HOUR).toISOString(),
    });
  });

  it("webhook backlog and the p95 lag of events handled in the last hour", async () => {
    const { webhookQueue } = await loadShopHealth(SHOP, NOW);
    expect(webhookQueue).toEqual({ waiting: 2, oldestWaitingSince: ago(3 * MIN).toISOString(), processedLastHour: 20, lagP95Ms: 19_000 });
  });

  it("sync backlog counts mapped positions waiting for Shopify, with the oldest", async () => {
    const { syncQueue } = await loadShopHealth(SHOP, NOW);
    expect(syncQueue).toEqual({ dirty: 2, oldestDirtySince: ago(7 * MIN).toISOString() });
  });

  it("the reconciler's latest run is reported; a shop without one has none", async () => {
    expect((await loadShopHealth(SHOP, NOW)).reconciler).toMatchObject({ kind: "delta", driftFound: 2, healed: 1, itemsChecked: 40 });
    const other = await loadShopHealth(OTHER, NOW);
    expect(other.reconciler).toBeNull();
    expect(other.integrations[0]).toMatchObject({ calls: 50, successRate: 0 });
    expect(other.freshness.mapped).toBe(0);
  });
});
