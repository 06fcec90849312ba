// The order side's integration tests through both simulators: the app's own routes behind a real
// socket (fulfillment-service callbacks, warehouse webhooks, Shopify order webhooks), a Shopify
// simulator that calls them, and a WMS simulator with two warehouses. Each test builds a world of
// its own (a shop and a warehouse account), connected the way a merchant connects it: the
// connection is tested, each warehouse becomes a fulfillment service whose location is the
// warehouse's, the catalog is imported and mapped, and stock is synced.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import "~/jobs/handlers.server";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import { checkWarehouseConnection, mapWarehouseToFulfillmentService } from "~/models/warehouse-setup.server";
import { createWarehouseConnection } from "~/models/warehouse-connection.server";
import type { OrderDeps } from "~/orders/deps";
import { orderDeps } from "~/orders/jobs.server";
import { orderFulfillmentGateway, setOrderGatewayFactory } from "~/orders/shopify-gateway.server";
import type { OrderFulfillmentGateway } from "~/orders/gateway";
import { action as notificationRoute } from "~/routes/fulfillment-service.$warehouseId.fulfillment_order_notification";
import { action as warehouseWebhookRoute } from "~/routes/webhooks.warehouse.$connectionId";
import { sandboxFetch } from "~/sandbox.server";
import { createAdminClient, type AdminClient } from "~/shopify/admin-client.server";
import { inventoryGateway, setShopifyGatewayFactory } from "~/shopify/gateway.server";
import { setShopAdminClientFactory } from "~/shopify/shop-client.server";
import { receiveShopifyWebhook } from "~/webhooks/intake.server";
import { isWebhookTopic } from "~/webhooks/topics";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";
import { startWmsSimulator, type WmsSimulator } from "../sim/wms/server";
import type { WarehouseAccount } from "../sim/wms/account";

export const SECRET = "test-api-secret";

export interface Sims {
  shopify: ShopifySimulator;
  wms: WmsSimulator;
  appUrl: string;
  /** Answers the app's routes gave, by path prefix. */
  answers: Array<{ path: string; status: number }>;
  client(shop: string): AdminClient;
  runner: DatabaseJobRunner;
  stop(): Promise<void>;
}

/** Starts the app's routes on a socket, then both simulators pointed at them. */
export async function startOrderSims(seed: number): Promise<Sims> {
  const answers: Sims["answers"] = [];
  let appUrl = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const path = (req.url ?? "/").split("?")[0]!;
      const request = new Request(`${appUrl}${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
      let response: Response;
      const notification = /^\/fulfillment-service\/([^/]+)\/fulfillment_order_notification$/.exec(path);
      const warehouse = /^\/webhooks\/warehouse\/([^/]+)$/.exec(path);
      const topic = /^\/webhooks\/([a-z_]+\/[a-z_]+)$/.exec(path)?.[1];
      try {
        if (notification) response = await notificationRoute({ request, params: { warehouseId: decodeURIComponent(notification[1]!) }, context: {} } as never);
        else if (warehouse) response = await warehouseWebhookRoute({ request, params: { connectionId: warehouse[1]! }, context: {} } as never);
        else if (topic && isWebhookTopic(topic)) response = await receiveShopifyWebhook(request, topic);
        else response = new Response("not found", { status: 404 });
      } catch (error) {
        response = new Response(String(error), { status: 500 });
      }
      answers.push({ path, status: response.status });
      res.writeHead(response.status).end(await response.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const shopify = await startShopifySimulator({
    app: {
      apiKey: "test-api-key",
      apiSecret: SECRET,
      appUrl,
      handle: "tallysync",
      // Orders reserve stock the moment they are placed (app/inventory/orders.server.ts).
      webhooks: [
        { topics: ["orders/create"], uri: "/webhooks/orders/create" },
        { topics: ["orders/cancelled"], uri: "/webhooks/orders/cancelled" },
        // Deliveries Shopify's carrier tracking reports (app/orders/deliveries.server.ts).
        { topics: ["fulfillment_events/create"], uri: "/webhooks/fulfillment_events/create" },
      ],
    },
    timeScale: 1 / 10_000,
    seed,
  });
  const wms = await startWmsSimulator({ seed, rateLimit: false, webhooks: { retryScheduleMs: [20, 40, 80] } });
  const clients = new Map<string, AdminClient>();
  const client = (shop: string) => {
    let c = clients.get(shop);
    if (!c) {
      c = createAdminClient({ shop, accessToken: shopify.issueAccessToken(shop), fetch: sandboxFetch(new URL(shopify.url)), backoff: { baseMs: 5, maxMs: 20 } });
      clients.set(shop, c);
    }
    return c;
  };
  setShopAdminClientFactory(async (shop) => client(shop));
  setShopifyGatewayFactory(async (shop) => inventoryGateway(client(shop)));
  setOrderGatewayFactory(async (shop) => orderFulfillmentGateway(client(shop)));
  const runner = new DatabaseJobRunner({ concurrency: 4 });
  return {
    shopify,
    wms,
    appUrl,
    answers,
    client,
    runner,
    async stop() {
      setShopAdminClientFactory(null);
      setShopifyGatewayFactory(null);
      setOrderGatewayFactory(null);
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await shopify.stop();
      await wms.stop();
    },
  };
}

export interface WarehouseSeedSpec {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
  provinceCode: string;
  priority: number;
  stock: Record<string, number>;
}

export interface World {
  sims: Sims;
  shop: string;
  account: WarehouseAccount;
  connectionId: string;
  /** Warehouse id by WMS code. */
  warehouse: Record<string, { id: string; locationId: string; name: string }>;
  itemOf: Map<string, string>;
  shopify: OrderFulfillmentGateway;
  deps(): Promise<OrderDeps>;
  /** Let every webhook and callback arrive and every due job run, until all is quiet. */
  settle(): Promise<void>;
  checkout(lines: Array<{ sku: string; quantity: number }>, to?: Partial<typeof US_EAST>): { orderId: string; fulfillmentOrderId: string; locationId: string };
  allocation(fulfillmentOrderId: string): Promise<NonNullable<Awaited<ReturnType<ReturnType<typeof forShop>["allocation"]["findFirst"]>>>>;
  events(fulfillmentOrderId: string): Promise<string[]>;
  wmsOrders(reference: string): number;
  shopifyFo(fulfillmentOrderId: string): { requestStatus: string; status: string; assignedLocationId: string; rejectionReason: string | null; merchantRequests: unknown[] };
}

export const US_EAST = {
  firstName: "Ada",
  lastName: "Lovelace",
  address1: "1 Broad St",
  city: "Newark",
  province: "New Jersey",
  provinceCode: "NJ",
  country: "United States",
  countryCode: "US",
  zip: "07102",
};

let worlds = 0;

/** Jobs that schedule themselves again forever: settling does not wait for them. */
const RECURRING_JOBS = ["warehouse.poll", "orders.poll", "inventory.reconcile"];

/** A shop and a warehouse account with LAX1 (priority 2) and NJ1 (priority 1 unless given), connected as a merchant would. */
export async function buildWorld(sims: Sims, options: { skus: string[]; warehouses: WarehouseSeedSpec[]; regions?: Record<string, string[]> }): Promise<World> {
  const n = ++worlds;
  const shop = `orders-${n}-${process.pid}.myshopify.com`;
  sims.shopify.addShop({ domain: shop, plan: "plus" });
  const apiKey = `sk_test_orders_${n}_${process.pid}`;
  const account = sims.wms.createAccount({
    id: `acct-${n}`,
    apiKey,
    warehouses: options.warehouses.map((w) => ({ code: w.code, name: w.name, country_code: "US", latitude: w.latitude, longitude: w.longitude, address: { province_code: w.provinceCode } })),
    stock: options.warehouses.flatMap((w) => options.skus.map((sku) => ({ warehouse: w.code, sku, sellable: w.stock[sku] ?? 0 }))),
  });
  const scoped = forShop(shop);
  await scoped.shop.create({ data: { shop } });
  await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: 0 } });
  const connection = await createWarehouseConnection(shop, { name: `Acme 3PL ${n}`, provider: "generic", credentials: { baseUrl: sims.wms.url, apiKey } });
  const shopify = orderFulfillmentGateway(sims.client(shop));
  const setup = { appUrl: sims.appUrl, fulfillmentServices: shopify };
  const check = await checkWarehouseConnection(shop, connection.id, setup);
  if (!check.ok || check.fulfillmentServiceError) throw new Error(`connection failed: ${check.error ?? check.fulfillmentServiceError}`);
  const warehouse: World["warehouse"] = {};
  for (const spec of options.warehouses) {
    const row = await scoped.warehouse.findFirstOrThrow({ where: { connectionId: connection.id, externalCode: spec.code } });
    await scoped.warehouse.update({ where: { id: row.id }, data: { priority: spec.priority, ...(options.regions?.[spec.code] ? { regions: JSON.stringify(options.regions[spec.code]) } : {}) } });
    const { locationId } = await mapWarehouseToFulfillmentService(shop, row.id, shopify, setup);
    warehouse[spec.code] = { id: row.id, locationId, name: row.name };
  }
  // The catalog, stocked at the warehouses' fulfillment-service locations (0 until the sync writes).
  const itemOf = new Map<string, string>();
  for (const sku of options.skus) {
    const levels = Object.fromEntries(Object.values(warehouse).map((w) => [w.locationId, { available: 0 }]));
    const product = sims.shopify.addProduct(shop, { title: `Product ${sku}`, variants: [{ sku, levels }] });
    itemOf.set(sku, product.variants[0]!.inventoryItemId);
  }

  const world: World = {
    sims,
    shop,
    account,
    connectionId: connection.id,
    warehouse,
    itemOf,
    shopify,
    deps: () => orderDeps(shop),
    async settle() {
      for (let quiet = 0; quiet < 2; ) {
        await sims.shopify.webhooks.idle(20_000);
        await sims.wms.webhooks.idle();
        // Work that is about to happen: a retry after a failure (a few seconds), a busy allocation looked at again (1 s).
        const soon = await db.job.findMany({
          where: { status: { in: ["queued", "running"] }, type: { notIn: RECURRING_JOBS }, runAt: { lte: new Date(Date.now() + 15_000) } },
          select: { runAt: true },
          orderBy: { runAt: "asc" },
          take: 1,
        });
        if (soon.length === 0) quiet++;
        else {
          quiet = 0;
          const wait = soon[0]!.runAt.getTime() - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait + 10));
        }
        await sims.runner.drain();
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    checkout(lines, to = {}) {
      const placed = sims.shopify.placeOrder(shop, { lines, shippingAddress: { ...US_EAST, ...to }, email: "ada@example.com" });
      if (!placed.ok) throw new Error(`checkout refused: ${placed.message}`);
      return { orderId: `gid://shopify/Order/${placed.order.id}`, fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`, locationId: `gid://shopify/Location/${placed.locationId}` };
    },
    allocation: (fulfillmentOrderId) => scoped.allocation.findUniqueOrThrow({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } } }),
    async events(fulfillmentOrderId) {
      const allocation = await scoped.allocation.findUniqueOrThrow({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } } });
      const rows = await scoped.allocationEvent.findMany({ where: { allocationId: allocation.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
      return rows.map((r) => r.kind);
    },
    wmsOrders: (reference) => account.orders.list().filter((o) => o.external_reference === reference).length,
    shopifyFo(fulfillmentOrderId) {
      const fo = sims.shopify.shop(shop).fulfillmentOrders.get(Number(fulfillmentOrderId.split("/").pop()))!;
      return { requestStatus: fo.requestStatus, status: fo.status, assignedLocationId: `gid://shopify/Location/${fo.assignedLocationId}`, rejectionReason: fo.rejectionReason, merchantRequests: fo.merchantRequests };
    },
  };
  // First stock read, catalog import and SKU mapping, and the first sync to Shopify.
  await world.settle();
  return world;
}

/** LAX1 (west, priority 2) and NJ1 (east, priority 1) with the given stock. */
export function twoWarehouses(stock: { LAX1: Record<string, number>; NJ1: Record<string, number> }, priorities = { LAX1: 2, NJ1: 1 }): WarehouseSeedSpec[] {
  return [
    { code: "LAX1", name: "Los Angeles", latitude: 34.05, longitude: -118.24, provinceCode: "CA", priority: priorities.LAX1, stock: stock.LAX1 },
    { code: "NJ1", name: "Newark", latitude: 40.73, longitude: -74.17, provinceCode: "NJ", priority: priorities.NJ1, stock: stock.NJ1 },
  ];
}

/** A world with one order sent to Los Angeles (2 x MUG, 1 x PLATE unless other SKUs are given), which has them all. */
export async function sentOrder(sims: Sims, skus: Record<string, number> = { MUG: 2, PLATE: 1 }): Promise<{ world: World; fulfillmentOrderId: string; orderId: string }> {
  const world = await buildWorld(sims, { skus: Object.keys(skus), warehouses: twoWarehouses({ LAX1: { MUG: 10, PLATE: 10 }, NJ1: {} }, { LAX1: 1, NJ1: 2 }) });
  const placed = world.checkout(Object.entries(skus).map(([sku, quantity]) => ({ sku, quantity })));
  await world.settle();
  const allocation = await world.allocation(placed.fulfillmentOrderId);
  if (allocation.status !== "sent") throw new Error(`the order did not reach the warehouse: ${allocation.status}`);
  return { world, fulfillmentOrderId: placed.fulfillmentOrderId, orderId: placed.orderId };
}

/** The fulfillments Shopify holds for a fulfillment order. */
export function shopifyFulfillments(world: World, fulfillmentOrderId: string) {
  const shop = world.sims.shopify.shop(world.shop);
  const foId = Number(fulfillmentOrderId.split("/").pop());
  return [...shop.fulfillments.values()].filter((f) => f.fulfillmentOrderIds.includes(foId));
}
