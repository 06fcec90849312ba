// orders/create and orders/updated store the order and its lines in raw SQL
// (app/models/order.server.ts): the same outcomes as the Prisma calls it replaced, and rows that
// Prisma reads back with the right types.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { PURGE_ORDER } from "~/models/shop.server";
import { upsertOrderFromWebhook } from "~/models/order.server";
import { connectionById } from "~/warehouses/connections.server";
import type { ShopifyOrderPayload } from "~/webhooks/payloads";
import { orderPayload } from "../helpers/webhooks";

const SHOP = "upsert.myshopify.com";
const OTHER = "other-upsert.myshopify.com";

const line = (id: number, quantity: number, sku: string | null = `SKU-${id}`) => ({ id, admin_graphql_api_id: `gid://shopify/LineItem/${id}`, variant_id: 42, sku, quantity });
const payload = (overrides: Record<string, unknown> = {}) =>
  orderPayload(500, { updated_at: "2026-11-20T10:00:00Z", line_items: [line(5001, 2), line(5002, 1)], ...overrides }) as ShopifyOrderPayload;

const stored = (shop = SHOP) =>
  forShop(shop, db).order.findFirstOrThrow({ where: { shopifyOrderId: "gid://shopify/Order/500" }, include: { lines: { orderBy: { lineItemId: "asc" } } } });

beforeEach(async () => {
  for (const model of PURGE_ORDER) {
    const key = model.charAt(0).toLowerCase() + model.slice(1);
    await (db as unknown as Record<string, { deleteMany(a: object): Promise<unknown> }>)[key]!.deleteMany({});
  }
});

describe("storing an order from its webhook", () => {
  it("creates a new order with its two lines, typed as Prisma's own rows", async () => {
    const before = new Date();
    expect(await upsertOrderFromWebhook(SHOP, payload())).toBe("created");
    const order = await stored();
    expect(order).toMatchObject({
      shop: SHOP,
      shopifyOrderId: "gid://shopify/Order/500",
      name: "#1500",
      customerId: "gid://shopify/Customer/7001",
      customerEmail: "buyer@example.com",
      customerName: "Lin Wei",
      shippingAddress: "Lin Wei, 1 Market St, San Francisco, 94105, United States",
      shippingCountry: "US",
      shippingProvince: "CA",
      status: "open",
      cancelledAt: null,
    });
    expect(order.shopifyUpdatedAt).toBeInstanceOf(Date);
    expect(order.shopifyUpdatedAt).toEqual(new Date("2026-11-20T10:00:00Z"));
    expect(order.createdAt).toBeInstanceOf(Date);
    expect(order.updatedAt).toBeInstanceOf(Date);
    expect(order.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
    expect(order.updatedAt.getTime()).toBe(order.createdAt.getTime());
    expect(order.lines).toEqual([
      { id: expect.any(String), shop: SHOP, orderId: order.id, lineItemId: "gid://shopify/LineItem/5001", inventoryItemId: null, sku: "SKU-5001", quantity: 2, refundedQuantity: 0 },
      { id: expect.any(String), shop: SHOP, orderId: order.id, lineItemId: "gid://shopify/LineItem/5002", inventoryItemId: null, sku: "SKU-5002", quantity: 1, refundedQuantity: 0 },
    ]);
    // Prisma's own filters find the raw-written values.
    expect(await forShop(SHOP, db).order.count({ where: { shopifyUpdatedAt: new Date("2026-11-20T10:00:00Z"), createdAt: { lte: new Date() } } })).toBe(1);
    expect(await forShop(SHOP, db).orderLine.count({ where: { quantity: { gt: 1 }, refundedQuantity: 0 } })).toBe(1);
  });

  it("a repeat with a changed quantity updates the line and keeps its refunds and inventory item", async () => {
    await upsertOrderFromWebhook(SHOP, payload());
    const first = await stored();
    const scoped = forShop(SHOP, db);
    await scoped.orderLine.updateMany({ where: { lineItemId: "gid://shopify/LineItem/5001" }, data: { refundedQuantity: 1, inventoryItemId: "gid://shopify/InventoryItem/9" } });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // The same updated_at is a repeat, not stale.
    expect(await upsertOrderFromWebhook(SHOP, payload({ line_items: [line(5001, 3, "SKU-NEW"), line(5002, 1)] }))).toBe("updated");
    let order = await stored();
    expect(order.id).toBe(first.id);
    expect(order.createdAt).toEqual(first.createdAt);
    expect(order.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
    expect(order.lines.map((l) => [l.id, l.sku, l.quantity, l.refundedQuantity, l.inventoryItemId])).toEqual([
      [first.lines[0]!.id, "SKU-NEW", 3, 1, "gid://shopify/InventoryItem/9"],
      [first.lines[1]!.id, "SKU-5002", 1, 0, null],
    ]);

    // A newer one: the order's fields move, a new line is added, a line no longer listed stays.
    expect(
      await upsertOrderFromWebhook(SHOP, payload({ updated_at: "2026-11-20T11:00:00Z", email: null, customer: null, cancelled_at: "2026-11-20T10:59:00.250Z", shipping_address: null, line_items: [line(5003, 4, null)] })),
    ).toBe("updated");
    order = await stored();
    expect(order).toMatchObject({
      id: first.id,
      customerId: null,
      customerEmail: null,
      customerName: null,
      shippingAddress: null,
      shippingCountry: null,
      shippingProvince: null,
      status: "cancelled",
      cancelledAt: new Date("2026-11-20T10:59:00.250Z"),
      shopifyUpdatedAt: new Date("2026-11-20T11:00:00Z"),
    });
    expect(order.cancelledAt).toBeInstanceOf(Date);
    expect(order.lines.map((l) => [l.lineItemId, l.sku, l.quantity, l.refundedQuantity])).toEqual([
      ["gid://shopify/LineItem/5001", "SKU-NEW", 3, 1],
      ["gid://shopify/LineItem/5002", "SKU-5002", 1, 0],
      ["gid://shopify/LineItem/5003", null, 4, 0],
    ]);
  });

  it("an update older than the stored one is stale and changes nothing, lines included", async () => {
    await upsertOrderFromWebhook(SHOP, payload({ updated_at: "2026-11-20T12:00:00Z" }));
    const before = await stored();
    expect(
      await upsertOrderFromWebhook(SHOP, payload({ updated_at: "2026-11-20T11:59:59.999Z", email: "old@example.com", line_items: [line(5001, 9), line(5009, 1)] })),
    ).toBe("stale");
    expect(await stored()).toEqual(before);
    expect(await forShop(SHOP, db).orderLine.count({})).toBe(2);
  });

  it("a payload without updated_at is never stale and clears the stored one, as before", async () => {
    await upsertOrderFromWebhook(SHOP, payload({ updated_at: "2026-11-20T12:00:00Z" }));
    expect(await upsertOrderFromWebhook(SHOP, payload({ updated_at: undefined, email: "x@example.com" }))).toBe("updated");
    expect(await stored()).toMatchObject({ customerEmail: "x@example.com", shopifyUpdatedAt: null });
    // Then any dated update applies.
    expect(await upsertOrderFromWebhook(SHOP, payload({ updated_at: "2026-11-19T00:00:00Z" }))).toBe("updated");
    expect((await stored()).shopifyUpdatedAt).toEqual(new Date("2026-11-19T00:00:00Z"));
  });

  it("an order without lines, and a line listed twice (the last one counts)", async () => {
    expect(await upsertOrderFromWebhook(SHOP, payload({ line_items: [] }))).toBe("created");
    expect((await stored()).lines).toEqual([]);
    expect(await upsertOrderFromWebhook(SHOP, payload({ line_items: [line(5001, 1), line(5001, 6, "LAST")] }))).toBe("updated");
    expect((await stored()).lines.map((l) => [l.sku, l.quantity])).toEqual([["LAST", 6]]);
  });

  it("two deliveries of the same new order at once make one order: one created, the other updated", async () => {
    const results = await Promise.all([upsertOrderFromWebhook(SHOP, payload()), upsertOrderFromWebhook(SHOP, payload())]);
    expect(results.sort()).toEqual(["created", "updated"]);
    expect(await forShop(SHOP, db).order.count({})).toBe(1);
    expect(await forShop(SHOP, db).orderLine.count({})).toBe(2);
  });

  it("stays within its shop: the same order and line ids of another shop are another order", async () => {
    await upsertOrderFromWebhook(OTHER, payload({ updated_at: "2026-11-21T00:00:00Z", line_items: [line(5001, 7)] }));
    expect(await upsertOrderFromWebhook(SHOP, payload())).toBe("created");
    expect(await upsertOrderFromWebhook(SHOP, payload({ line_items: [line(5001, 1)] }))).toBe("updated");
    const other = await stored(OTHER);
    expect(other.lines.map((l) => [l.shop, l.quantity])).toEqual([[OTHER, 7]]);
    expect((await stored()).lines.map((l) => [l.shop, l.orderId === other.id, l.quantity])).toEqual([
      [SHOP, false, 1],
      [SHOP, false, 1],
    ]);
  });
});

describe("finding a warehouse webhook's connection", () => {
  it("returns the connection's id, shop and provider; null for an unknown or disconnected one", async () => {
    const scoped = forShop(SHOP, db);
    const active = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "LA", provider: "shipbob", encryptedCredentials: "v1.a.b.c.d" } });
    const gone = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "NY", provider: "generic", encryptedCredentials: "v1.a.b.c.d", status: "disconnected" } });
    const paused = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "SF", provider: "generic", encryptedCredentials: "v1.a.b.c.d", status: "paused" } });
    expect(await connectionById(active.id)).toEqual({ id: active.id, shop: SHOP, provider: "shipbob" });
    expect(await connectionById(paused.id)).toEqual({ id: paused.id, shop: SHOP, provider: "generic" });
    expect(await connectionById(gone.id)).toBeNull();
    expect(await connectionById("no-such-connection")).toBeNull();
  });
});
