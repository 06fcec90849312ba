// A Shopify fulfillment service per warehouse, through the Shopify and WMS simulators: registered
// when the warehouse is connected, its location made the warehouse's when the merchant chooses it,
// never registered twice, removed on disconnect after the merchant has been told what happens to
// open orders; and its callback, which only Shopify may call.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forShop } from "~/db/tenant.server";
import { checkWarehouseConnection, mapWarehouseLocation, removeWarehouseConnection, shopifyLocations } from "~/models/warehouse-setup.server";
import { ensureFulfillmentService, fulfillmentServiceCallbackUrl, fulfillmentServiceRemovalPreview } from "~/orders/fulfillment-service.server";
import { FULFILLMENT_NOTIFICATION_JOB } from "~/orders/job-types";
import { action as notificationRoute } from "~/routes/fulfillment-service.$warehouseId.fulfillment_order_notification";
import { buildWorld, SECRET, startOrderSims, twoWarehouses, type Sims } from "../helpers/orders-world";

let sims: Sims;

beforeAll(async () => {
  sims = await startOrderSims(47);
});

afterAll(async () => {
  await sims?.stop();
});

function notification(warehouseId: string, shop: string, body: string, hmac?: string, method = "POST") {
  const request = new Request(`${sims.appUrl}/fulfillment-service/${warehouseId}/fulfillment_order_notification`, {
    method,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Hmac-Sha256": hmac ?? createHmac("sha256", SECRET).update(body).digest("base64"),
    },
    body: method === "GET" ? undefined : body,
  });
  return notificationRoute({ request, params: { warehouseId }, context: {} } as never);
}

describe("a fulfillment service per warehouse", () => {
  it("connecting registers one fulfillment service per warehouse with its callback URL, inventory management and tracking, and its location becomes the warehouse's", async () => {
    const world = await buildWorld(sims, { skus: ["MUG"], warehouses: twoWarehouses({ LAX1: { MUG: 4 }, NJ1: { MUG: 2 } }) });
    const services = [...sims.shopify.shop(world.shop).fulfillmentServices.values()];
    expect(services).toHaveLength(2);
    for (const code of ["LAX1", "NJ1"] as const) {
      const warehouse = await forShop(world.shop).warehouse.findUniqueOrThrow({ where: { id: world.warehouse[code]!.id } });
      const service = services.find((s) => `gid://shopify/FulfillmentService/${s.id}` === warehouse.fulfillmentServiceId)!;
      expect(service).toMatchObject({ callbackUrl: fulfillmentServiceCallbackUrl(sims.appUrl, warehouse.id), inventoryManagement: true, trackingSupport: true });
      expect(warehouse.shopifyLocationId).toBe(`gid://shopify/Location/${service.locationId}`);
      expect(warehouse.fulfillmentServiceLocationId).toBe(warehouse.shopifyLocationId);
    }
    // Stock reached the service locations through the stock sync.
    expect(sims.shopify.level(world.shop, world.itemOf.get("MUG")!, world.warehouse.LAX1!.locationId)!.available).toBe(4);

    // Testing the connection again registers nothing new.
    const check = await checkWarehouseConnection(world.shop, world.connectionId, { appUrl: sims.appUrl, fulfillmentServices: world.shopify });
    expect(check).toMatchObject({ ok: true, fulfillmentServices: 2, fulfillmentServiceError: null });
    expect(sims.shopify.shop(world.shop).fulfillmentServices.size).toBe(2);
  });

  it("a service Shopify created just before a crash is found again by its callback URL, not created twice", async () => {
    const world = await buildWorld(sims, { skus: ["CUP"], warehouses: twoWarehouses({ LAX1: { CUP: 1 }, NJ1: {} }) });
    const lax = world.warehouse.LAX1!;
    const before = await forShop(world.shop).warehouse.findUniqueOrThrow({ where: { id: lax.id } });
    // We never heard back: Shopify has the service, we do not.
    await forShop(world.shop).warehouse.update({ where: { id: lax.id }, data: { fulfillmentServiceId: null, fulfillmentServiceLocationId: null } });
    const again = await ensureFulfillmentService(world.shop, lax.id, world.shopify, { appUrl: sims.appUrl });
    expect(again).toEqual({ fulfillmentServiceId: before.fulfillmentServiceId, locationId: before.fulfillmentServiceLocationId, created: false });
    expect(sims.shopify.shop(world.shop).fulfillmentServices.size).toBe(2);
  });

  it("mapping a warehouse to a location of the merchant's own still works, and the service location stays available to choose", async () => {
    const world = await buildWorld(sims, { skus: ["PAN"], warehouses: twoWarehouses({ LAX1: { PAN: 1 }, NJ1: {} }) });
    const own = sims.shopify.addLocation(world.shop, { name: "Back room" });
    const locations = await shopifyLocations(sims.client(world.shop));
    await mapWarehouseLocation(world.shop, world.warehouse.NJ1!.id, own.id, locations);
    const warehouse = await forShop(world.shop).warehouse.findUniqueOrThrow({ where: { id: world.warehouse.NJ1!.id } });
    expect(warehouse.shopifyLocationId).toBe(own.id);
    expect(warehouse.fulfillmentServiceLocationId).not.toBeNull();
    expect(locations.find((l) => l.id === warehouse.fulfillmentServiceLocationId)?.fulfillmentService).not.toBeNull();
  });

  it("disconnecting explains what happens to open orders, then removes the warehouses' fulfillment services", async () => {
    const world = await buildWorld(sims, { skus: ["BOX"], warehouses: twoWarehouses({ LAX1: { BOX: 5 }, NJ1: {} }, { LAX1: 1, NJ1: 2 }) });
    const placed = world.checkout([{ sku: "BOX", quantity: 1 }]);
    await world.settle();
    expect((await world.allocation(placed.fulfillmentOrderId)).status).toBe("sent");

    const preview = await fulfillmentServiceRemovalPreview(world.shop, world.warehouse.LAX1!.id, world.shopify);
    expect(preview.needsAttention).toBe(true);
    expect(preview.openOrders).toBe(1);
    expect(preview.consequences).toContainEqual({ code: "orders_still_at_warehouse", orders: [expect.stringMatching(/^#\d+$/)], warehouse: "Los Angeles" });

    await removeWarehouseConnection(world.shop, world.connectionId, { appUrl: sims.appUrl, fulfillmentServices: world.shopify });
    expect(sims.shopify.shop(world.shop).fulfillmentServices.size).toBe(0);
    const warehouses = await forShop(world.shop).warehouse.findMany({ where: { connectionId: world.connectionId } });
    expect(warehouses.map((w) => [w.fulfillmentServiceId, w.fulfillmentServiceLocationId, w.shopifyLocationId])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });
});

describe("the fulfillment_order_notification callback", () => {
  it("is stored and answered at once when signed by Shopify, with duplicates joining one waiting job", async () => {
    const world = await buildWorld(sims, { skus: ["FORK"], warehouses: twoWarehouses({ LAX1: { FORK: 1 }, NJ1: {} }) });
    const warehouseId = world.warehouse.LAX1!.id;
    const body = JSON.stringify({ kind: "FULFILLMENT_REQUEST" });
    for (let i = 0; i < 3; i++) expect((await notification(warehouseId, world.shop, body)).status).toBe(200);
    expect(await forShop(world.shop).webhookInbox.count({ where: { source: `fulfillment-service:${warehouseId}` } })).toBe(3);
    expect(await forShop(world.shop).job.count({ where: { type: FULFILLMENT_NOTIFICATION_JOB, status: "queued" } })).toBe(1);
    await world.settle();
    expect(await forShop(world.shop).webhookInbox.count({ where: { source: `fulfillment-service:${warehouseId}`, status: "processed" } })).toBe(3);
  });

  it("refuses a notification whose HMAC does not match, and stores nothing", async () => {
    const world = await buildWorld(sims, { skus: ["SPOON"], warehouses: twoWarehouses({ LAX1: { SPOON: 1 }, NJ1: {} }) });
    const warehouseId = world.warehouse.LAX1!.id;
    const body = JSON.stringify({ kind: "CANCELLATION_REQUEST" });
    const forged = createHmac("sha256", "not-the-secret").update(body).digest("base64");
    expect((await notification(warehouseId, world.shop, body, forged)).status).toBe(401);
    expect((await notification(warehouseId, world.shop, body, undefined, "GET")).status).toBe(405);
    expect((await notification(warehouseId, world.shop, JSON.stringify({ kind: "SOMETHING_ELSE" }))).status).toBe(400);
    expect(await forShop(world.shop).webhookInbox.count({ where: { source: `fulfillment-service:${warehouseId}` } })).toBe(0);
    expect(await forShop(world.shop).job.count({ where: { type: FULFILLMENT_NOTIFICATION_JOB } })).toBe(0);
  });
});
