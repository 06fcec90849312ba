// The Orders page, one order's page and Settings > Order routing, rendered by the app's own Remix
// build for an authenticated shop (as inventory-render.test.ts does), and their actions called as
// Remix calls them: Retry, saving routing rules, a warehouse's routing details.
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { loadAppForRendering } from "../helpers/render-app";
import { ACCESS_SCOPES } from "~/config.server";
import { forShop } from "~/db/tenant.server";
import { FULFILLMENT_ORDER_JOB } from "~/orders/job-types";
import { sessionStorage } from "~/shopify.server";

const shop = "orders-render.myshopify.com";
const store = shop.replace(".myshopify.com", "");

let vite: ViteDevServer;
let handle: (request: Request) => Promise<Response>;
const ids: Record<string, string> = {};
let lax = "";
let rtm = "";

async function request(type: RequestType, pathname: string, query: Record<string, string> = {}, init?: RequestInit): Promise<Response> {
  const url = new URL(`http://localhost:3000${pathname}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return handle(await setUpValidRequest({ type, store, apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! }, new Request(url, init)));
}

async function html(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
}

/** A route's action called as Remix calls it, for a shop authenticated with a session token: its status and what it answered. */
async function post(action: (args: never) => unknown, pathname: string, body: BodyInit, contentType?: string): Promise<{ status: number; text: string }> {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store, apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
    new Request(`http://localhost:3000${pathname}`, { method: "POST", body, ...(contentType ? { headers: { "Content-Type": contentType } } : {}) }),
  );
  const result = (await action({ request, params: {}, context: {} } as never)) as { init?: { status?: number } | null; data?: unknown; type?: string };
  const wrapped = result && typeof result === "object" && result.type === "DataWithResponseInit";
  return { status: (wrapped ? result.init?.status : undefined) ?? 200, text: JSON.stringify(wrapped ? result.data : result) };
}

beforeAll(async () => {
  await sessionStorage.storeSession(setUpValidSession({ shop, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) }));
  const scoped = forShop(shop);
  await scoped.shopSettings.create({ data: { shop } });
  const connection = await scoped.warehouseConnection.create({ data: { shop, name: "Acme 3PL", provider: "generic", encryptedCredentials: "x" } });
  lax = (await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles", countryCode: "US", priority: 1 } })).id;
  rtm = (await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "RTM1", name: "Rotterdam", countryCode: "NL", priority: 1, regions: '["NL","BE"]' } })).id;
  const order = async (name: string, data: Record<string, unknown>, events: Array<{ kind: string; status: string; note?: string }>) => {
    const row = await scoped.order.create({ data: { shop, shopifyOrderId: `gid://shopify/Order/${name}`, name, shippingCountry: "US", shippingProvince: "OR" } });
    const allocation = await scoped.allocation.create({
      data: { shop, orderId: row.id, fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${name.slice(1)}`, ...data, events: { create: events.map((e, i) => ({ shop, ...e, at: new Date(Date.now() - (events.length - i) * 1000) })) } },
    });
    return allocation.id;
  };
  ids.routed = await order(
    "#1002",
    {
      status: "sent",
      warehouseId: rtm,
      warehouseOrderRef: "ob_000001",
      warehouseOrderStatus: "acknowledged",
      routingReason: JSON.stringify({
        kind: "route",
        reasons: [
          { code: "tie_break_proximity", warehouseId: rtm, overWarehouseId: lax, basis: "country", km: null, overKm: null },
        ],
        warehouseIds: [rtm],
        moveFrom: "gid://shopify/Location/1",
        summary: "Ship from Rotterdam",
      }),
    },
    [
      { kind: "requested", status: "requested" },
      { kind: "routed", status: "requested", note: "Ship from Rotterdam: same priority" },
      { kind: "moved", status: "requested", note: "Moved to Rotterdam" },
      { kind: "accepted", status: "accepted" },
      { kind: "sent", status: "sent", note: "Rotterdam order ob_000001" },
    ],
  );
  ids.failed = await order("#1003", { status: "error", warehouseId: lax, warehouseOrderRef: "ob_000002", warehouseOrderStatus: "exception", lastError: "Los Angeles put #1003 on hold: the carrier could not verify the address." }, [
    { kind: "requested", status: "requested" },
    { kind: "sent", status: "sent" },
    { kind: "warehouse_exception", status: "error", note: "Los Angeles put #1003 on hold" },
  ]);
  ids.waiting = await order(
    "#1004",
    {
      status: "waiting",
      nextAttemptAt: new Date(Date.now() + 60_000),
      routingReason: JSON.stringify({ kind: "wait", reasons: [{ code: "stock_short", inventoryItemId: "gid://shopify/InventoryItem/9", sku: "PLANTER-PRE", needed: 1, available: 0 }], warehouseIds: [], moveFrom: null, summary: "Wait" }),
    },
    [{ kind: "requested", status: "requested" }, { kind: "waiting", status: "waiting" }],
  );
  ({ vite, handle } = await loadAppForRendering());
}, 120_000);

afterAll(async () => {
  await vite?.close();
});

describe("the Orders page", () => {
  it("lists each order with its warehouse, status and why it went there, the waiting queue and the errors called out, with Retry", async () => {
    const page = await html(await request(RequestType.Admin, "/app/orders"));
    for (const text of [
      "#1002",
      "Rotterdam",
      "Sent to warehouse",
      "Rotterdam and Los Angeles have the same priority; Rotterdam is in the destination country",
      "#1003",
      "Error",
      "Los Angeles put #1003 on hold",
      "PLANTER-PRE: 1 needed, 0 available across your warehouses",
      "Orders waiting for stock: 1",
      "Orders with errors: 1",
      "Needs attention (2)",
      "Retry",
    ]) {
      expect(page, text).toContain(text);
    }
    expect(page).toContain(`/app/orders/${ids.routed}`);
  });

  it("follows the admin's language", async () => {
    const page = await html(await request(RequestType.Admin, "/app/orders", { locale: "zh-CN" }));
    for (const text of ["已发往仓库", "等待库存的订单：1", "Rotterdam 与 Los Angeles 优先级相同；Rotterdam 位于目的地国家", "重试"]) expect(page, text).toContain(text);
  });
});

describe("one order's page", () => {
  it("shows the status timeline, the routing decision and why, and what happened", async () => {
    const page = await html(await request(RequestType.Admin, `/app/orders/${ids.routed}`));
    for (const text of ["#1002", "Requested", "Accepted", "Sent to warehouse", "Not yet", "Moved to Rotterdam", "Shopify had assigned it to another location", "ob_000001", "Acknowledged, stock reserved", "Fulfillment requested by Shopify", "Moved to another warehouse"]) {
      expect(page, text).toContain(text);
    }
  });

  it("an order in error shows the warehouse's reason and a Retry", async () => {
    const page = await html(await request(RequestType.Admin, `/app/orders/${ids.failed}`, { locale: "zh-CN" }));
    for (const text of ["这个订单需要您处理", "the carrier could not verify the address", "重试", "仓库挂起"]) expect(page, text).toContain(text);
  });

  it("another shop's order is not found", async () => {
    const other = "someone-else.myshopify.com";
    const order = await forShop(other).order.create({ data: { shop: other, shopifyOrderId: "gid://shopify/Order/secret", name: "#SECRET-ORDER" } });
    const theirs = await forShop(other).allocation.create({ data: { shop: other, orderId: order.id, fulfillmentOrderId: "gid://shopify/FulfillmentOrder/secret", status: "sent" } });
    const response = await request(RequestType.Admin, `/app/orders/${theirs.id}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("#SECRET-ORDER");
    expect(await html(await request(RequestType.Admin, "/app/orders"))).not.toContain("#SECRET-ORDER");
  });

  it("Retry queues the order's work again", async () => {
    const answer = await post((await import("~/routes/app.orders")).action, "/app/orders", new URLSearchParams({ intent: "retry", allocationId: ids.failed! }));
    expect(answer.status).toBe(200);
    expect(await forShop(shop).job.count({ where: { type: FULFILLMENT_ORDER_JOB, dedupeKey: "fo:gid://shopify/FulfillmentOrder/1003" } })).toBe(1);
    expect((await post((await import("~/routes/app.orders")).action, "/app/orders", new URLSearchParams({ intent: "retry", allocationId: "not-an-order" }))).status).toBe(404);
  });
});

describe("Settings > Order routing", () => {
  it("shows the rules editor, the split options and each warehouse's priority and markets, linked from Settings", async () => {
    const settings = await html(await request(RequestType.Admin, "/app/settings"));
    expect(settings).toContain("/app/settings/routing");
    const page = await html(await request(RequestType.Admin, "/app/settings/routing"));
    for (const text of ["Rules, in order", "No rules:", "Add rule", "Splitting orders", "At most this many shipments per order", "Rotterdam: priority 1, ships to NL, BE", "Los Angeles: priority 1, ships to everywhere"]) {
      expect(page, text).toContain(text);
    }
  });

  it("refuses invalid rules with an error per field (422), and saves valid ones in order", async () => {
    const bad = await post((await import("~/routes/app.settings_.routing")).action, "/app/settings/routing", JSON.stringify({ rules: [{ kind: "prefer_warehouse", warehouseId: rtm, markets: "Netherlands" }, { kind: "ship_to_markets", warehouseId: "", markets: "" }], allowSplit: true, maxShipments: "11" }), "application/json");
    expect(bad.status).toBe(422);
    for (const key of ["rules.0.markets", "routing.errors.invalidMarket", "rules.1.warehouseId", "routing.errors.warehouseRequired", "routing.errors.maxShipments"]) expect(bad.text, key).toContain(key);
    expect((await forShop(shop).shopSettings.findUniqueOrThrow({ where: { shop } })).routingRules).toBe("[]");

    const good = await post((await import("~/routes/app.settings_.routing")).action, "/app/settings/routing", JSON.stringify({ rules: [{ kind: "prefer_warehouse", warehouseId: rtm, markets: "nl" }, { kind: "exclude_warehouse_for_market", warehouseId: lax, markets: "NL, BE" }], allowSplit: false, maxShipments: "" }), "application/json");
    expect(good.status).toBe(200);
    expect(JSON.parse((await forShop(shop).shopSettings.findUniqueOrThrow({ where: { shop } })).routingRules)).toEqual([
      { kind: "prefer_warehouse", warehouseId: rtm, markets: ["NL"] },
      { kind: "exclude_warehouse_for_market", warehouseId: lax, markets: ["NL", "BE"] },
    ]);
  });
});

describe("Settings > Warehouse connections: routing details", () => {
  it("a warehouse's priority, markets and country are checked and saved", async () => {
    const bad = await post((await import("~/routes/app.settings_.warehouses")).action, "/app/settings/warehouses", new URLSearchParams({ intent: "warehouse-routing", warehouseId: lax, priority: "first", regions: "Everywhere", countryCode: "USA" }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("warehouses.routing.errors.priority");
    const good = await post((await import("~/routes/app.settings_.warehouses")).action, "/app/settings/warehouses", new URLSearchParams({ intent: "warehouse-routing", warehouseId: lax, priority: "2", regions: "us, ca", countryCode: "us" }));
    expect(good.status).toBe(200);
    expect(await forShop(shop).warehouse.findUniqueOrThrow({ where: { id: lax } })).toMatchObject({ priority: 2, regions: '["US","CA"]', countryCode: "US" });
  });
});
