// The Inventory page, a position's "why" page, the CSV export and the Dashboard's health cards,
// rendered by the app's own Remix build for an authenticated shop (as ui-render.test.ts does).
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { loadAppForRendering } from "../helpers/render-app";
import { ACCESS_SCOPES } from "~/config.server";
import { forShop } from "~/db/tenant.server";
import { sessionStorage } from "~/shopify.server";

const shop = "inventory-render.myshopify.com";
const store = shop.replace(".myshopify.com", "");

let vite: ViteDevServer;
let handle: (request: Request) => Promise<Response>;
let mugId = "";
let otherShopPositionId = "";

async function request(type: RequestType, pathname: string, query: Record<string, string> = {}): Promise<Response> {
  const url = new URL(`http://localhost:3000${pathname}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return handle(await setUpValidRequest({ type, store, apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! }, new Request(url)));
}

async function html(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
}

beforeAll(async () => {
  await sessionStorage.storeSession(setUpValidSession({ shop, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) }));
  const scoped = forShop(shop);
  const connection = await scoped.warehouseConnection.create({ data: { shop, name: "Acme 3PL", provider: "generic", encryptedCredentials: "x" } });
  const warehouse = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles" } });
  await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: 2 } });
  await scoped.catalogItem.create({ data: { shop, inventoryItemId: "gid://shopify/InventoryItem/1", productTitle: "Ceramic Mug", variantTitle: "Blue", sku: "MUG-BLUE" } });
  const now = new Date();
  mugId = (
    await scoped.inventoryPosition.create({
      data: { shop, warehouseId: warehouse.id, warehouseSku: "MUG-BLUE", inventoryItemId: "gid://shopify/InventoryItem/1", warehouseSellable: 25, reservedUnacknowledged: 4, shopifyAvailable: 19, lastWrittenAvailable: 19, lastWrittenAt: now, lastConfirmedAt: now, syncState: "clean" },
    })
  ).id;
  await scoped.inventoryPosition.create({ data: { shop, warehouseId: warehouse.id, warehouseSku: "LAMP-OAK", inventoryItemId: null, warehouseSellable: 7 } });
  await scoped.order.create({ data: { shop, shopifyOrderId: "gid://shopify/Order/5001", name: "#1042" } });
  await scoped.reservation.create({ data: { shop, warehouseId: warehouse.id, inventoryItemId: "gid://shopify/InventoryItem/1", orderId: "gid://shopify/Order/5001", lineItemId: "L1", quantity: 4 } });
  await scoped.inventoryLedgerEntry.createMany({
    data: [
      { shop, warehouseId: warehouse.id, inventoryItemId: "gid://shopify/InventoryItem/1", quantityName: "warehouse_sellable", before: 20, after: 25, delta: 5, source: "warehouse_webhook", reason: "warehouse_level", occurredAt: new Date(now.getTime() - 60_000) },
      { shop, warehouseId: warehouse.id, inventoryItemId: "gid://shopify/InventoryItem/1", quantityName: "reserved", before: 0, after: 4, delta: 4, source: "shopify_order", reason: "order_reserved", reference: "gid://shopify/Order/5001", occurredAt: new Date(now.getTime() - 30_000) },
      { shop, warehouseId: warehouse.id, inventoryItemId: "gid://shopify/InventoryItem/1", quantityName: "shopify_available", before: 16, after: 19, delta: 3, source: "stock_sync", reason: "written_to_shopify", occurredAt: now },
    ],
  });
  await scoped.apiCallMetric.create({ data: { shop, integration: "shopify", operation: "inventorySetQuantities", outcome: "ok", latencyMs: 180 } });
  otherShopPositionId = (await forShop("someone-else.myshopify.com").inventoryPosition.create({ data: { shop: "someone-else.myshopify.com", warehouseId: "w", warehouseSku: "SECRET-SKU" } })).id;

  ({ vite, handle } = await loadAppForRendering());
}, 120_000);

afterAll(async () => {
  await vite?.close();
});

describe("the Inventory page", () => {
  it("lists SKU x warehouse with what Shopify should show, the status, and the filters", async () => {
    const page = await html(await request(RequestType.Admin, "/app/inventory"));
    for (const text of ["MUG-BLUE", "Ceramic Mug — Blue", "Los Angeles", "Held for orders", "Should be", "In sync", "LAMP-OAK", "Unmapped", "Drifted", "Low stock", "2 (default)"]) {
      expect(page, text).toContain(text);
    }
    expect(page).toContain(`/app/inventory/${mugId}`);
    expect(page).not.toContain("SECRET-SKU");
  });

  it("a view keeps only its rows", async () => {
    const page = await html(await request(RequestType.Admin, "/app/inventory", { view: "unmapped" }));
    expect(page).toContain("LAMP-OAK");
    expect(page).not.toContain(`/app/inventory/${mugId}`);
  });

  it("follows the admin's language", async () => {
    const page = await html(await request(RequestType.Admin, "/app/inventory", { locale: "zh-CN" }));
    expect(page).toContain("仓库可售");
    expect(page).toContain("已同步");
  });
});

describe("why a number is what it is", () => {
  it("explains the number step by step and tells the history in words", async () => {
    const page = await html(await request(RequestType.Admin, `/app/inventory/${mugId}`));
    for (const text of ["Why Shopify should show 19", "Warehouse sellable", "Order #1042: 4", "The shop&#x27;s default safety stock", "Written to Shopify: 19 (was 16)", "Order #1042 reserved 4", "Warehouse reported 25 sellable (was 20), by webhook"]) {
      expect(page, text).toContain(text);
    }
  });

  it("another shop's position is not found", async () => {
    const response = await request(RequestType.Admin, `/app/inventory/${otherShopPositionId}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("SECRET-SKU");
  });
});

describe("CSV export", () => {
  it("answers a CSV file of the current filter", async () => {
    const response = await request(RequestType.Bearer, "/app/inventory/export", { view: "unmapped" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="inventory-\d{4}-\d\d-\d\d\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)], "a UTF-8 byte order mark, so Excel reads Chinese titles").toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n").filter(Boolean);
    expect(lines[0]).toMatch(/^SKU,Product,/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["LAMP-OAK"]);
  });
});

describe("the Dashboard's health", () => {
  it("shows each connection's calls and latency, stock freshness and the queues, with a chart's text alternative", async () => {
    const page = await html(await request(RequestType.Admin, "/app"));
    for (const text of ["Connections in the last 24 hours", "Acme 3PL", "180 ms", "Stock freshness", "Shopify events waiting", "Stock updates waiting for Shopify", "No check has run yet", 'role="img"', "Shopify: typical response 180 ms, slowest 5% 180 ms"]) {
      expect(page, text).toContain(text);
    }
  });
});
