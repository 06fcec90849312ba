// orders/updated comes for every change of a Shopify order; one that changes nothing we keep is
// recorded without asking Shopify anything (app/inventory/order-updates.server.ts), and everything
// else goes the full way as before.
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import "~/jobs/handlers.server";
import { processStoredWebhook } from "~/webhooks/process.server";
import { setShopifyGatewayFactory } from "~/shopify/gateway.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { PURGE_ORDER } from "~/models/shop.server";
import { orderPayload, shopifyDelivery } from "../helpers/webhooks";

const SHOP = "alpha.myshopify.com";
type Action = typeof ordersCreate;
const deliver = (action: Action, topic: string, body: object) => action({ request: shopifyDelivery({ topic, body, shop: SHOP }), params: {}, context: {} } as Parameters<Action>[0]);
const runJobs = async () => {
  for (const row of await db.webhookInbox.findMany({ where: { shop: SHOP, status: "received" }, orderBy: { receivedAt: "asc" } })) await processStoredWebhook(SHOP, row.webhookId);
};
let committed: { lineItemId: string; inventoryItemId: string; locationId: string; quantity: number }[] = [];
let calls = 0;
let restore: ReturnType<typeof setShopifyGatewayFactory>;
beforeAll(async () => {
  for (const model of PURGE_ORDER) {
    const key = model.charAt(0).toLowerCase() + model.slice(1);
    await (db as unknown as Record<string, { deleteMany(a: object): Promise<unknown> }>)[key]!.deleteMany({});
  }
  restore = setShopifyGatewayFactory(async () => ({
    orderCommitments: async () => { calls++; return { cancelled: false, lines: committed }; },
    readLevels: async () => new Map(),
    setAvailable: async () => ({ applied: [], stale: [], errors: [] }),
  }));
});
afterAll(() => { setShopifyGatewayFactory(restore); });

it("an unchanged orders/updated asks Shopify nothing and still makes older updates stale; a hand fulfilment, an email or a quantity change goes the full way", async () => {
  const scoped = forShop(SHOP);
  await scoped.shop.create({ data: { shop: SHOP } });
  await scoped.shopSettings.create({ data: { shop: SHOP } });
  await scoped.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x" } });
  const connection = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "LA", provider: "generic", encryptedCredentials: "v1.a.b.c.d" } });
  const wh = await scoped.warehouse.create({ data: { shop: SHOP, connectionId: connection.id, externalCode: "LAX1", name: "LA", shopifyLocationId: "gid://shopify/Location/9" } });
  await scoped.inventoryPosition.create({ data: { shop: SHOP, warehouseId: wh.id, inventoryItemId: "gid://shopify/InventoryItem/5", warehouseSku: "MUG-BLUE", warehouseSellable: 10 } });
  committed = [{ lineItemId: "gid://shopify/LineItem/1011", inventoryItemId: "gid://shopify/InventoryItem/5", locationId: "gid://shopify/Location/9", quantity: 2 }];
  const line = (fulfillable: number) => [{ id: 1011, admin_graphql_api_id: "gid://shopify/LineItem/1011", variant_id: 42, sku: "MUG-BLUE", quantity: 2, fulfillable_quantity: fulfillable }];
  await deliver(ordersCreate, "orders/create", orderPayload(101, { updated_at: "2026-11-20T10:00:00Z", line_items: line(2) }));
  await runJobs();
  expect(calls).toBe(1);
  const pos = () => scoped.inventoryPosition.findFirstOrThrow({ select: { reservedUnacknowledged: true } });
  expect((await pos()).reservedUnacknowledged).toBe(2);

  // 1. Nothing changed, reservations match: no Shopify call, updated_at moves on.
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T11:00:00Z", line_items: line(2) }));
  await runJobs();
  expect(calls).toBe(1);
  expect((await scoped.order.findFirstOrThrow({})).shopifyUpdatedAt).toEqual(new Date("2026-11-20T11:00:00Z"));

  // 2. An older, different update arriving late is stale.
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T10:30:00Z", email: "old@example.com", line_items: line(2) }));
  await runJobs();
  expect((await scoped.order.findFirstOrThrow({})).customerEmail).toBe("buyer@example.com");
  expect(calls).toBe(1);

  // 3. Fulfilled by hand in Shopify: same order, nothing left to fulfil; the reservation is released.
  committed = [];
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T12:00:00Z", line_items: line(0) }));
  await runJobs();
  expect(calls).toBe(2);
  expect((await scoped.reservation.findFirstOrThrow({})).status).toBe("released");
  expect((await pos()).reservedUnacknowledged).toBe(0);

  // 4. Again: settled now, no call.
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T13:00:00Z", line_items: line(0) }));
  await runJobs();
  expect(calls).toBe(2);

  // 5. A real change (email) records it and syncs.
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T14:00:00Z", email: "new@example.com", line_items: line(0) }));
  await runJobs();
  expect(calls).toBe(3);
  expect((await scoped.order.findFirstOrThrow({})).customerEmail).toBe("new@example.com");

  // 6. Quantity edit: the line is updated.
  await deliver(ordersUpdated, "orders/updated", orderPayload(101, { updated_at: "2026-11-20T15:00:00Z", email: "new@example.com", line_items: [{ ...line(0)[0], quantity: 3 }] }));
  await runJobs();
  expect(calls).toBe(4);
  expect((await scoped.orderLine.findFirstOrThrow({})).quantity).toBe(3);
  expect(await db.webhookInbox.count({ where: { status: { not: "processed" } } })).toBe(0);
});
