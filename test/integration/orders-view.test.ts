// The Orders page's data and the merchant's order and routing settings: filters, search and paging
// done by the database one shop at a time; one order's timeline; Retry; routing rules and a
// warehouse's routing details saved as the Settings pages save them.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { parseOrdersQuery, type OrdersQuery } from "~/models/orders-view";
import { loadOrderDetail, loadOrdersPage } from "~/models/orders-view.server";
import { loadRoutingSettings, saveRoutingSettings } from "~/models/routing-settings.server";
import { saveWarehouseRouting } from "~/models/warehouse-routing.server";
import { WarehouseSetupError } from "~/models/warehouse-setup.server";
import { FULFILLMENT_ORDER_JOB } from "~/orders/job-types";
import { RETRY_WAITING_JOB, retryAllocation } from "~/orders/jobs.server";
import { validateRoutingRules } from "~/orders/routing-rules";

const SHOP = "orders-view.myshopify.com";
const OTHER = "other-orders-view.myshopify.com";
const ids: Record<string, string> = {};
let lax = "";
let rtm = "";

function query(params: Record<string, string> = {}): OrdersQuery {
  return parseOrdersQuery(new URLSearchParams(params));
}

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function seedShop(shop: string) {
  const scoped = forShop(shop);
  await scoped.shopSettings.create({ data: { shop } });
  const connection = await scoped.warehouseConnection.create({ data: { shop, name: "Acme 3PL", provider: "generic", encryptedCredentials: "not-used" } });
  const gone = await scoped.warehouseConnection.create({ data: { shop, name: "Old 3PL", provider: "generic", encryptedCredentials: "x", status: "disconnected" } });
  const la = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles", countryCode: "US", shopifyLocationId: `gid://shopify/Location/${shop}/1` } });
  const nl = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "RTM1", name: "Rotterdam", countryCode: "NL", shopifyLocationId: `gid://shopify/Location/${shop}/2` } });
  const old = await scoped.warehouse.create({ data: { shop, connectionId: gone.id, externalCode: "OLD1", name: "Old warehouse" } });
  const routed = JSON.stringify({
    kind: "route",
    reasons: [{ code: "tie_break_proximity", warehouseId: nl.id, overWarehouseId: la.id, basis: "country", km: null, overKm: null }],
    warehouseIds: [nl.id],
    moveFrom: `gid://shopify/Location/${shop}/1`,
    summary: "Ship from Rotterdam",
  });
  const specs = [
    { key: "shipped", name: "#1001", status: "shipped", warehouseId: la.id, at: 60, country: "US", province: "OR" },
    { key: "routed", name: "#1002", status: "sent", warehouseId: nl.id, at: 50, country: "NL", province: null, routingReason: routed, warehouseOrderRef: "ob_1" },
    { key: "error", name: "#1003", status: "error", warehouseId: la.id, at: 40, country: "US", province: "TX", lastError: "Los Angeles put #1003 on hold" },
    { key: "waiting", name: "#1004", status: "waiting", warehouseId: null, at: 30, country: "US", province: "OR", nextAttemptAt: minutesAgo(-5) },
    { key: "short", name: "#1005", status: "accepted", warehouseId: la.id, at: 20, country: "US", province: "CA", nextAttemptAt: minutesAgo(-2), lastError: "Los Angeles had too little stock" },
    { key: "rejected", name: "#1006", status: "rejected", warehouseId: null, at: 10, country: "JP", province: null },
    { key: "oldWarehouse", name: "#0999", status: "shipped", warehouseId: old.id, at: 90, country: "US", province: null },
  ];
  const created: Record<string, string> = {};
  for (const spec of specs) {
    const order = await scoped.order.create({
      data: { shop, shopifyOrderId: `gid://shopify/Order/${shop}/${spec.name}`, name: spec.name, shippingCountry: spec.country, shippingProvince: spec.province, lines: { create: [{ shop, lineItemId: `${shop}-${spec.name}-1`, sku: "MUG-BLUE", quantity: 2 }] } },
    });
    const allocation = await scoped.allocation.create({
      data: {
        shop,
        orderId: order.id,
        fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${shop}/${spec.name}`,
        status: spec.status,
        warehouseId: spec.warehouseId,
        routingReason: spec.routingReason ?? null,
        warehouseOrderRef: spec.warehouseOrderRef ?? null,
        lastError: spec.lastError ?? null,
        nextAttemptAt: spec.nextAttemptAt ?? null,
        createdAt: minutesAgo(spec.at),
        events: { create: [{ shop, kind: "requested", status: "requested", at: minutesAgo(spec.at) }] },
      },
    });
    created[spec.key] = allocation.id;
  }
  // The shipped order's timeline and shipment, and a return.
  await scoped.allocationEvent.createMany({
    data: [
      { shop, allocationId: created.shipped!, kind: "routed", status: "requested", note: "Ship from Los Angeles", at: minutesAgo(59) },
      { shop, allocationId: created.shipped!, kind: "accepted", status: "accepted", at: minutesAgo(58) },
      { shop, allocationId: created.shipped!, kind: "sent", status: "sent", note: "Los Angeles order ob_9", at: minutesAgo(58) },
      { shop, allocationId: created.shipped!, kind: "shipped", status: "shipped", note: "Los Angeles shipped 2 units with UPS 1Z999", at: minutesAgo(30) },
    ],
  });
  await scoped.shipment.create({
    data: { shop, allocationId: created.shipped!, warehouseShipmentId: `${shop}-sh1`, carrier: "UPS", trackingNumber: "1Z999", trackingUrl: "https://www.ups.com/track?tracknum=1Z999", shopifyFulfillmentId: "gid://shopify/Fulfillment/1", status: "fulfilled", lines: JSON.stringify([{ fulfillmentOrderLineItemId: "x", quantity: 2 }]), shippedAt: minutesAgo(30) },
  });
  await scoped.returnReceipt.create({
    data: { shop, connectionId: connection.id, warehouseReturnId: `${shop}-rt1`, warehouseId: la.id, allocationId: created.shipped!, rma: "RMA-7", lines: "[]", sellableUnits: 1, damagedUnits: 1, receivedAt: minutesAgo(5) },
  });
  return { created, la: la.id, nl: nl.id };
}

beforeAll(async () => {
  const mine = await seedShop(SHOP);
  Object.assign(ids, mine.created);
  lax = mine.la;
  rtm = mine.nl;
  await seedShop(OTHER);
});

describe("the Orders page's list", () => {
  it("lists this shop's orders, newest first, each with its warehouse, status, problem and tracking", async () => {
    const page = await loadOrdersPage(SHOP, query());
    expect(page.rows.map((r) => r.orderName)).toEqual(["#1006", "#1005", "#1004", "#1003", "#1002", "#1001", "#0999"]);
    expect(page.total).toBe(7);
    expect(page.problems).toEqual({ waiting: 2, error: 1, rejected: 1 });
    const byName = Object.fromEntries(page.rows.map((r) => [r.orderName, r]));
    expect(byName["#1001"]).toMatchObject({ warehouseName: "Los Angeles", status: "shipped", problem: null, destination: "US-OR", tracking: [{ carrier: "UPS", number: "1Z999", url: "https://www.ups.com/track?tracknum=1Z999" }] });
    expect(byName["#1002"]!.routing).toMatchObject({ kind: "route", warehouseIds: [rtm], reasons: [{ code: "tie_break_proximity", basis: "country" }] });
    // A warehouse that refused for lack of stock leaves the order accepted, but it waits in the queue all the same.
    expect(byName["#1005"]).toMatchObject({ status: "accepted", problem: "waiting" });
    expect(byName["#0999"]).toMatchObject({ warehouseName: "Old warehouse" });
    // The filter offers connected warehouses; names of removed ones stay readable.
    expect(page.warehouses.filter((w) => w.connected).map((w) => w.name)).toEqual(["Los Angeles", "Rotterdam"]);
    expect(page).toMatchObject({ shopHasOrders: true, shopHasWarehouses: true });
  });

  it("each problem tab keeps its orders: the waiting queue, errors, rejections, and all three", async () => {
    const names = async (params: Record<string, string>) => (await loadOrdersPage(SHOP, query(params))).rows.map((r) => r.orderName);
    expect(await names({ view: "waiting" })).toEqual(["#1005", "#1004"]);
    expect(await names({ view: "error" })).toEqual(["#1003"]);
    expect(await names({ view: "rejected" })).toEqual(["#1006"]);
    expect(await names({ view: "attention" })).toEqual(["#1006", "#1005", "#1004", "#1003"]);
  });

  it("filters by status and warehouse, and searches by order number", async () => {
    const names = async (params: Record<string, string>) => (await loadOrdersPage(SHOP, query(params))).rows.map((r) => r.orderName);
    expect(await names({ status: "shipped,sent" })).toEqual(["#1002", "#1001", "#0999"]);
    expect(await names({ warehouse: lax })).toEqual(["#1005", "#1003", "#1001"]);
    expect(await names({ warehouse: lax, status: "shipped" })).toEqual(["#1001"]);
    expect(await names({ q: "1003" })).toEqual(["#1003"]);
    expect(await names({ q: "#100" })).toHaveLength(6);
    expect(await names({ q: "nothing-like-it" })).toEqual([]);
  });

  it("pages by cursor without skipping or repeating an order", async () => {
    const first = await loadOrdersPage(SHOP, query(), db, 3);
    expect(first.rows.map((r) => r.orderName)).toEqual(["#1006", "#1005", "#1004"]);
    expect(first.previousCursor).toBeNull();
    const second = await loadOrdersPage(SHOP, query({ after: first.nextCursor! }), db, 3);
    expect(second.rows.map((r) => r.orderName)).toEqual(["#1003", "#1002", "#1001"]);
    const third = await loadOrdersPage(SHOP, query({ after: second.nextCursor! }), db, 3);
    expect(third.rows.map((r) => r.orderName)).toEqual(["#0999"]);
    expect(third.nextCursor).toBeNull();
    const back = await loadOrdersPage(SHOP, query({ before: second.previousCursor! }), db, 3);
    expect(back.rows.map((r) => r.orderName)).toEqual(["#1006", "#1005", "#1004"]);
    // A cursor we did not make starts again at page one.
    expect((await loadOrdersPage(SHOP, query({ after: "not-a-cursor" }), db, 3)).rows[0]!.orderName).toBe("#1006");
  });

  it("a shop with warehouses but no orders yet says so, and sees nothing of another shop's", async () => {
    const shop = "orders-view-empty.myshopify.com";
    const connection = await forShop(shop).warehouseConnection.create({ data: { shop, name: "Acme", provider: "generic", encryptedCredentials: "x" } });
    await forShop(shop).warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "W1", name: "W1" } });
    const page = await loadOrdersPage(shop, query());
    expect(page).toMatchObject({ rows: [], total: 0, shopHasOrders: false, shopHasWarehouses: true, problems: { waiting: 0, error: 0, rejected: 0 } });
  });
});

describe("one order", () => {
  it("has its timeline in order, its shipments and returns, and the names of the warehouses its routing weighed", async () => {
    const detail = (await loadOrderDetail(SHOP, ids.shipped!))!;
    expect(detail.order.events.map((e) => e.kind)).toEqual(["requested", "routed", "accepted", "sent", "shipped"]);
    expect(detail.order.shipments).toEqual([expect.objectContaining({ carrier: "UPS", trackingNumber: "1Z999", units: 2, status: "fulfilled" })]);
    expect(detail.order.returns).toEqual([expect.objectContaining({ rma: "RMA-7", sellableUnits: 1, damagedUnits: 1 })]);
    expect(detail.order.lines).toEqual([{ sku: "MUG-BLUE", quantity: 2 }]);
    expect(detail.warehouseNames).toMatchObject({ [lax]: "Los Angeles", [rtm]: "Rotterdam" });
  });

  it("another shop's order is not found", async () => {
    const theirs = await forShop(OTHER).allocation.findFirstOrThrow({ where: { status: "shipped" } });
    expect(await loadOrderDetail(SHOP, theirs.id)).toBeNull();
  });
});

describe("Retry", () => {
  it("queues the order's work again, records that the merchant asked, and takes it out of the timed wait", async () => {
    expect(await retryAllocation(SHOP, ids.waiting!)).toBe(true);
    const allocation = await forShop(SHOP).allocation.findUniqueOrThrow({ where: { id: ids.waiting! }, include: { events: { orderBy: { at: "desc" }, take: 1 } } });
    expect(allocation.nextAttemptAt).toBeNull();
    expect(allocation.events[0]).toMatchObject({ kind: "retried", status: "waiting" });
    expect(await forShop(SHOP).job.count({ where: { type: FULFILLMENT_ORDER_JOB, dedupeKey: `fo:${allocation.fulfillmentOrderId}`, status: "queued" } })).toBe(1);
  });

  it("does nothing for an order of another shop", async () => {
    const theirs = await forShop(OTHER).allocation.findFirstOrThrow({ where: { status: "error" } });
    expect(await retryAllocation(SHOP, theirs.id)).toBe(false);
    expect(await forShop(OTHER).allocationEvent.count({ where: { allocationId: theirs.id, kind: "retried" } })).toBe(0);
  });
});

describe("routing settings", () => {
  it("saves ordered rules and the split options, reads them back as the form shows them, and routes waiting orders again", async () => {
    const checked = validateRoutingRules(
      {
        rules: [
          { kind: "prefer_warehouse", warehouseId: rtm, markets: "nl, be" },
          { kind: "exclude_warehouse_for_market", warehouseId: lax, markets: ["NL"] },
        ],
        allowSplit: "true",
        maxShipments: "2",
      },
      [{ id: lax }, { id: rtm }],
    );
    expect(checked.errors).toBeUndefined();
    await forShop(SHOP).job.deleteMany({ where: { type: RETRY_WAITING_JOB } });
    const saved = await saveRoutingSettings(SHOP, checked.values!);
    expect(saved.form).toEqual({
      rules: [
        { kind: "prefer_warehouse", warehouseId: rtm, markets: "NL, BE" },
        { kind: "exclude_warehouse_for_market", warehouseId: lax, markets: "NL" },
      ],
      allowSplit: true,
      maxShipments: "2",
    });
    expect(saved.warehouses.map((w) => w.name)).toEqual(["Los Angeles", "Rotterdam"]);
    expect(await forShop(SHOP).shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ routingAllowSplit: true, routingMaxShipments: 2 });
    expect(await forShop(SHOP).job.count({ where: { type: RETRY_WAITING_JOB, status: "queued" } })).toBe(1);
    // Another shop's settings are untouched.
    expect(await forShop(OTHER).shopSettings.findUniqueOrThrow({ where: { shop: OTHER } })).toMatchObject({ routingRules: "[]", routingAllowSplit: false });
  });

  it("leaves out rules about warehouses removed since, and says when the stored rules cannot be read", async () => {
    await forShop(SHOP).shopSettings.update({
      where: { shop: SHOP },
      data: { routingRules: JSON.stringify([{ kind: "prefer_warehouse", warehouseId: "gone", markets: ["US"] }, { kind: "ship_to_markets", warehouseId: lax, markets: ["US", "CA"] }]) },
    });
    expect((await loadRoutingSettings(SHOP)).form.rules).toEqual([{ kind: "ship_to_markets", warehouseId: lax, markets: "US, CA" }]);
    await forShop(SHOP).shopSettings.update({ where: { shop: SHOP }, data: { routingRules: "{not json" } });
    expect(await loadRoutingSettings(SHOP)).toMatchObject({ unreadable: true, form: { rules: [] } });
  });

  it("a warehouse's priority, markets and country are saved; a removed warehouse's are refused", async () => {
    await saveWarehouseRouting(SHOP, rtm, { priority: 3, regions: ["NL", "BE"], countryCode: "NL" });
    expect(await forShop(SHOP).warehouse.findUniqueOrThrow({ where: { id: rtm } })).toMatchObject({ priority: 3, regions: '["NL","BE"]', countryCode: "NL" });
    const old = await forShop(SHOP).warehouse.findFirstOrThrow({ where: { externalCode: "OLD1" } });
    await expect(saveWarehouseRouting(SHOP, old.id, { priority: 1, regions: ["*"], countryCode: null })).rejects.toBeInstanceOf(WarehouseSetupError);
    const theirs = await forShop(OTHER).warehouse.findFirstOrThrow({ where: { externalCode: "RTM1" } });
    await expect(saveWarehouseRouting(SHOP, theirs.id, { priority: 1, regions: ["*"], countryCode: null })).rejects.toBeInstanceOf(WarehouseSetupError);
  });
});
