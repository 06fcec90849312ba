import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import "~/jobs/handlers.server";
import { PURGE_ORDER } from "~/models/shop.server";
import { setShopifyGatewayFactory } from "~/shopify/gateway.server";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { orderPayload, shopifyDelivery } from "../helpers/webhooks";

const ALPHA = "alpha.myshopify.com";
const BETA = "beta.myshopify.com";
type Action = typeof ordersCreate;
const deliver = (action: Action, topic: string, body: object, shop = ALPHA, webhookId?: string) =>
  action({ request: shopifyDelivery({ topic, body, shop, webhookId }), params: {}, context: {} } as Parameters<Action>[0]);
const runJobs = () => new DatabaseJobRunner().drain();

async function installShop(shop: string) {
  const scoped = forShop(shop);
  await scoped.shop.create({ data: { shop } });
  await scoped.shopSettings.create({ data: { shop } });
  await scoped.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_secret_token" } });
  const connection = await scoped.warehouseConnection.create({
    data: { shop, name: "LA", provider: "generic", encryptedCredentials: "v1.a.b.c.d" },
  });
  await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles" } });
  await scoped.inventoryLedgerEntry.create({
    data: { shop, warehouseId: "w", inventoryItemId: "i", quantityName: "warehouse_sellable", before: 0, after: 5, delta: 5, source: "system", reason: "seed", occurredAt: new Date() },
  });
}

async function rowsFor(shop: string) {
  const counts: Record<string, number> = {};
  for (const model of Object.values(Prisma.ModelName)) {
    const key = model.charAt(0).toLowerCase() + model.slice(1);
    counts[model] = await (db as unknown as Record<string, { count(a: object): Promise<number> }>)[key]!.count({ where: { shop } });
  }
  return counts;
}

describe("processing stored webhooks", () => {
  // These orders are at locations no warehouse manages: Shopify commits nothing we reserve.
  const committedNowhere = async () => ({
    orderCommitments: async () => ({ cancelled: false, lines: [] }),
    readLevels: async () => new Map(),
    setAvailable: async () => ({ applied: [], stale: [], errors: [] }),
  });
  let restore: ReturnType<typeof setShopifyGatewayFactory>;
  beforeAll(() => {
    restore = setShopifyGatewayFactory(committedNowhere);
  });
  afterAll(() => {
    setShopifyGatewayFactory(restore);
  });

  beforeEach(async () => {
    for (const model of PURGE_ORDER) {
      const key = model.charAt(0).toLowerCase() + model.slice(1);
      await (db as unknown as Record<string, { deleteMany(a: object): Promise<unknown> }>)[key]!.deleteMany({});
    }
    await installShop(ALPHA);
    await installShop(BETA);
  });

  it("orders/create stores the order and its lines, and marks the inbox row processed", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(101));
    await runJobs();
    const order = await forShop(ALPHA).order.findFirstOrThrow({ include: { lines: true } });
    expect(order).toMatchObject({ shopifyOrderId: "gid://shopify/Order/101", customerEmail: "buyer@example.com", shippingCountry: "US", status: "open" });
    expect(order.lines).toHaveLength(1);
    expect(order.lines[0]).toMatchObject({ sku: "MUG-BLUE", quantity: 2 });
    expect(await db.webhookInbox.findFirstOrThrow({ where: { shop: ALPHA } })).toMatchObject({ status: "processed" });
  });

  it("a redelivered webhook is processed once", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(102), ALPHA, "same-id");
    await runJobs();
    await deliver(ordersCreate, "orders/create", orderPayload(102), ALPHA, "same-id");
    await runJobs();
    expect(await db.job.count({ where: { shop: ALPHA } })).toBe(1);
    expect(await forShop(ALPHA).orderLine.count({})).toBe(1);
  });

  it("an older orders/updated arriving after a newer one does not roll the order back", async () => {
    await deliver(ordersUpdated, "orders/updated", orderPayload(103, { updated_at: "2026-11-20T12:00:00Z", email: "new@example.com" }));
    await runJobs();
    await deliver(ordersUpdated, "orders/updated", orderPayload(103, { updated_at: "2026-11-20T11:00:00Z", email: "old@example.com" }));
    await runJobs();
    expect((await forShop(ALPHA).order.findFirstOrThrow({})).customerEmail).toBe("new@example.com");
  });

  it("products/update keeps SKU and barcode per inventory item", async () => {
    const product = {
      id: 9,
      title: "Ceramic mug",
      variants: [{ id: 91, title: "Blue", sku: "MUG-BLUE", barcode: "4006381333931", inventory_item_id: 501 }],
    };
    await deliver(productsUpdate, "products/update", product);
    await runJobs();
    await deliver(productsUpdate, "products/update", { ...product, variants: [{ ...product.variants[0], sku: "MUG-BLUE-2" }] });
    await runJobs();
    const item = await forShop(ALPHA).catalogItem.findFirstOrThrow({});
    expect(item).toMatchObject({ inventoryItemId: "gid://shopify/InventoryItem/501", sku: "MUG-BLUE-2", barcode: "4006381333931" });
  });

  it("customers/redact removes that customer's personal data and nobody else's", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(201));
    await deliver(ordersCreate, "orders/create", orderPayload(202, { email: "other@example.com", customer: { id: 7002, email: "other@example.com", first_name: "Ana", last_name: "Li" } }));
    await deliver(ordersCreate, "orders/create", orderPayload(201), BETA);
    await runJobs();
    await deliver(customersRedact, "customers/redact", { shop_domain: ALPHA, customer: { id: 7001, email: "buyer@example.com" }, orders_to_redact: [201] });
    await runJobs();
    const redacted = await forShop(ALPHA).order.findFirstOrThrow({ where: { shopifyOrderId: "gid://shopify/Order/201" } });
    expect(redacted).toMatchObject({ customerId: null, customerEmail: null, customerName: null, shippingAddress: null });
    expect(redacted.name).toBe("#1201");
    const other = await forShop(ALPHA).order.findFirstOrThrow({ where: { shopifyOrderId: "gid://shopify/Order/202" } });
    expect(other.customerEmail).toBe("other@example.com");
    const betaCopy = await forShop(BETA).order.findFirstOrThrow({});
    expect(betaCopy.customerEmail).toBe("buyer@example.com");
  });

  it("customers/data_request records what we hold for that customer", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(301));
    await runJobs();
    await deliver(customersDataRequest, "customers/data_request", { customer: { id: 7001, email: "buyer@example.com" }, orders_requested: [301], data_request: { id: 1 } });
    await runJobs();
    const request = await forShop(ALPHA).complianceRequest.findFirstOrThrow({});
    const report = JSON.parse(request.report) as { orders: Array<{ shopifyOrderId: string; customerEmail: string }> };
    expect(report.orders).toHaveLength(1);
    expect(report.orders[0]).toMatchObject({ shopifyOrderId: "gid://shopify/Order/301", customerEmail: "buyer@example.com" });
  });

  it("app/uninstalled removes the shop's data and sessions, keeps a tombstone, and leaves other shops alone", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(401));
    await runJobs();
    const betaBefore = await rowsFor(BETA);
    await deliver(appUninstalled, "app/uninstalled", { id: 1, domain: ALPHA });
    await runJobs();
    const after = await rowsFor(ALPHA);
    expect(after.Shop).toBe(1);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: ALPHA } })).uninstalledAt).not.toBeNull();
    expect(Object.entries(after).filter(([model, count]) => model !== "Shop" && count > 0)).toEqual([]);
    expect(await rowsFor(BETA)).toEqual(betaBefore);
  });

  it("a webhook arriving after uninstall is recorded as ignored, and changes nothing", async () => {
    await deliver(appUninstalled, "app/uninstalled", { id: 1, domain: ALPHA });
    await runJobs();
    await deliver(ordersCreate, "orders/create", orderPayload(402));
    await runJobs();
    expect(await forShop(ALPHA).order.count({})).toBe(0);
    expect(await db.webhookInbox.findFirstOrThrow({ where: { shop: ALPHA, topic: "orders/create" } })).toMatchObject({ status: "ignored" });
  });

  it("shop/redact erases every row of the shop, in every table, and nothing of other shops", async () => {
    await deliver(ordersCreate, "orders/create", orderPayload(501));
    await runJobs();
    const betaBefore = await rowsFor(BETA);
    await deliver(appUninstalled, "app/uninstalled", { id: 1, domain: ALPHA });
    await runJobs();
    await deliver(shopRedact, "shop/redact", { shop_id: 1, shop_domain: ALPHA });
    await runJobs();
    const after = await rowsFor(ALPHA);
    expect(Object.entries(after).filter(([, count]) => count > 0)).toEqual([]);
    expect(await rowsFor(BETA)).toEqual(betaBefore);
  });

  it("the purge list names every table, so a new table cannot be forgotten", () => {
    expect([...PURGE_ORDER].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });
});
