import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { SHOP, startFixture, type Fixture } from "./test-helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());
beforeEach(async () => {
  fx.sim.faults.reset();
  await fx.sim.webhooks.idle();
  fx.receiver.received.length = 0;
  fx.sim.setLevel(SHOP, fx.items[0]!.inventoryItemId, fx.locationId, { available: 10, committed: 0 });
  fx.sim.setLevel(SHOP, fx.items[1]!.inventoryItemId, fx.locationId, { available: 3, committed: 0 });
});

const gql = (query: string, variables?: Record<string, unknown>) => fx.sim.graphql(SHOP, fx.token, query, variables);
const itemA = () => fx.items[0]!.inventoryItemId;

describe("checkout stand-in", () => {
  test("refuses an order when stock is short and counts the rejection", async () => {
    const before = fx.sim.counters(SHOP).checkoutsRejected;
    const result = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-B", quantity: 4 }] });
    expect(result).toMatchObject({ ok: false, reason: "OUT_OF_STOCK", lines: [{ sku: "SKU-B", requested: 4, available: 3 }] });
    expect(fx.sim.counters(SHOP).checkoutsRejected).toBe(before + 1);
    expect(fx.sim.level(SHOP, fx.items[1]!.inventoryItemId, fx.locationId)).toMatchObject({ available: 3, committed: 0 });
  });

  test("moves units available -> committed and creates order + fulfillment order (HTTP endpoint)", async () => {
    const res = await fetch(`${fx.sim.url}/sim/shops/${SHOP}/checkout`, { method: "POST", body: JSON.stringify({ lines: [{ sku: "SKU-A", quantity: 2 }, { sku: "SKU-B", quantity: 1 }] }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { order: { id: string }; fulfillmentOrders: string[]; locationId: string };
    expect(body.locationId).toBe(fx.locationId);
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 8, committed: 2, on_hand: 10 });
    const order = await gql(`query($id: ID!) { order(id: $id) { name displayFulfillmentStatus lineItems(first: 5) { nodes { sku quantity } } fulfillmentOrders(first: 5) { nodes { id status requestStatus assignedLocation { location { id } } } } } }`, { id: body.order.id });
    expect(order.body.data.order.lineItems.nodes).toEqual([{ sku: "SKU-A", quantity: 2 }, { sku: "SKU-B", quantity: 1 }]);
    expect(order.body.data.order.fulfillmentOrders.nodes[0]).toMatchObject({ id: body.fulfillmentOrders[0], status: "OPEN", requestStatus: "UNSUBMITTED", assignedLocation: { location: { id: fx.locationId } } });
    const hooks = await fx.receiver.waitFor(2, 5000, (r) => ["orders/create", "fulfillment_orders/order_routing_complete"].includes(String(r.headers["x-shopify-topic"])));
    const routing = hooks.find((h) => h.headers["x-shopify-topic"] === "fulfillment_orders/order_routing_complete")!;
    expect(JSON.parse(routing.rawBody)).toEqual({ fulfillment_order: { id: body.fulfillmentOrders[0], status: "open" } });
  });

  test("picks the first location, by priority, that can ship every line", async () => {
    const second = fx.sim.addLocation(SHOP, { name: "Overflow", priority: 5 });
    fx.sim.setLevel(SHOP, itemA(), second.id, { available: 50 });
    const result = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 20 }] });
    expect(result.ok && `gid://shopify/Location/${result.locationId}`).toBe(second.id);
    fx.sim.shop(SHOP).locations.get(second.numericId)!.isActive = false;
  });

  test("cancelling releases committed units and sends orders/cancelled", async () => {
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 3 }] });
    if (!placed.ok) throw new Error("order refused");
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 7, committed: 3 });
    const res = await gql(`mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refund: false) { job { done } orderCancelUserErrors { message } } }`, { id: `gid://shopify/Order/${placed.order.id}` });
    expect(res.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 10, committed: 0 });
    const [hook] = await fx.receiver.waitFor(1, 5000, (r) => r.headers["x-shopify-topic"] === "orders/cancelled");
    expect(JSON.parse(hook!.rawBody)).toMatchObject({ id: placed.order.id, cancel_reason: "customer" });
  });

  test("oversell detection flags available < 0", () => {
    const before = fx.sim.counters(SHOP).oversells.length;
    fx.sim.setLevel(SHOP, itemA(), fx.locationId, { available: -1 });
    expect(fx.sim.counters(SHOP).oversells.slice(before)).toEqual([expect.objectContaining({ sku: "SKU-A", available: -1 })]);
  });
});

describe("fulfillment service flow", () => {
  let serviceLocation = "";
  let serviceId = "";
  beforeAll(async () => {
    const res = await gql(`mutation($url: URL!) { fulfillmentServiceCreate(name: "Acme 3PL", callbackUrl: $url, inventoryManagement: true, trackingSupport: true) { fulfillmentService { id serviceName handle location { id isFulfillmentService } } userErrors { message } } }`, { url: `${fx.receiver.url}/fs/acme` });
    const fs = res.body.data.fulfillmentServiceCreate.fulfillmentService;
    expect(fs).toMatchObject({ serviceName: "Acme 3PL", handle: "acme-3pl", location: { isFulfillmentService: true } });
    serviceLocation = fs.location.id;
    serviceId = fs.id;
    // Stock only at the 3PL for SKU-B so orders route there.
    fx.sim.shop(SHOP).locations.get(Number(fx.locationId.split("/").pop()))!.priority = 10;
  });
  afterAll(() => {
    fx.sim.shop(SHOP).locations.get(Number(fx.locationId.split("/").pop()))!.priority = 0;
  });

  test("orders at a 3PL location are requested, accepted, fulfilled with tracking", async () => {
    fx.sim.setLevel(SHOP, itemA(), serviceLocation, { available: 5 });
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 2 }] });
    if (!placed.ok) throw new Error("order refused");
    expect(`gid://shopify/Location/${placed.locationId}`).toBe(serviceLocation);
    const [callback] = await fx.receiver.waitFor(1, 5000, (r) => r.path === "/fs/acme/fulfillment_order_notification");
    expect(JSON.parse(callback!.rawBody)).toEqual({ kind: "FULFILLMENT_REQUEST" });
    expect(callback!.headers["x-shopify-shop-domain"]).toBe(SHOP);

    const assigned = await gql(`{ assignedFulfillmentOrders(first: 10, assignmentStatus: FULFILLMENT_REQUESTED) { nodes { id requestStatus merchantRequests(first: 5, kind: FULFILLMENT_REQUEST) { nodes { kind } } lineItems(first: 5) { nodes { id sku remainingQuantity } } } } }`);
    const fo = assigned.body.data.assignedFulfillmentOrders.nodes[0];
    expect(fo).toMatchObject({ requestStatus: "SUBMITTED", merchantRequests: { nodes: [{ kind: "FULFILLMENT_REQUEST" }] } });

    const accepted = await gql(`mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id, message: "ok") { fulfillmentOrder { status requestStatus } userErrors { message } } }`, { id: fo.id });
    expect(accepted.body.data.fulfillmentOrderAcceptFulfillmentRequest.fulfillmentOrder).toEqual({ status: "IN_PROGRESS", requestStatus: "ACCEPTED" });

    const created = await gql(
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status trackingInfo { company number url } } userErrors { message } } }`,
      { f: { notifyCustomer: true, trackingInfo: { company: "UPS", number: "1Z999", url: "https://ups.example/1Z999" }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } },
    );
    const fulfillment = created.body.data.fulfillmentCreate.fulfillment;
    expect(fulfillment).toMatchObject({ status: "SUCCESS", trackingInfo: [{ company: "UPS", number: "1Z999", url: "https://ups.example/1Z999" }] });
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 3, committed: 0, on_hand: 3 });

    const updated = await gql(`mutation($id: ID!) { fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: { company: "DHL", number: "JD01" }, notifyCustomer: false) { fulfillment { trackingInfo { company number } } userErrors { message } } }`, { id: fulfillment.id });
    expect(updated.body.data.fulfillmentTrackingInfoUpdate.fulfillment.trackingInfo).toEqual([{ company: "DHL", number: "JD01" }]);
    const order = await gql(`query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillmentOrders(first: 1) { nodes { status } } } }`, { id: `gid://shopify/Order/${placed.order.id}` });
    expect(order.body.data.order).toEqual({ displayFulfillmentStatus: "FULFILLED", fulfillmentOrders: { nodes: [{ status: "CLOSED" }] } });
  });

  test("cancelling an accepted order sends a cancellation request the 3PL can accept", async () => {
    fx.sim.setLevel(SHOP, itemA(), serviceLocation, { available: 5, committed: 0 });
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 1 }] });
    if (!placed.ok) throw new Error("order refused");
    const foId = `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`;
    await gql(`mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id) { userErrors { message } } }`, { id: foId });
    await fx.sim.webhooks.idle(); // earlier deliveries (the fulfillment request) must not land after the reset
    fx.receiver.received.length = 0;
    fx.sim.cancelOrder(SHOP, `gid://shopify/Order/${placed.order.id}`);
    const [callback] = await fx.receiver.waitFor(1, 5000, (r) => r.path === "/fs/acme/fulfillment_order_notification");
    expect(JSON.parse(callback!.rawBody)).toEqual({ kind: "CANCELLATION_REQUEST" });
    const pending = await gql(`{ assignedFulfillmentOrders(first: 10, assignmentStatus: CANCELLATION_REQUESTED) { nodes { id } } }`);
    expect(pending.body.data.assignedFulfillmentOrders.nodes).toEqual([{ id: foId }]);
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 4, committed: 1 });
    const res = await gql(`mutation($id: ID!) { fulfillmentOrderAcceptCancellationRequest(id: $id) { fulfillmentOrder { status requestStatus } userErrors { message } } }`, { id: foId });
    expect(res.body.data.fulfillmentOrderAcceptCancellationRequest.fulfillmentOrder).toEqual({ status: "CANCELLED", requestStatus: "CANCELLATION_ACCEPTED" });
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 5, committed: 0 });
  });

  test("rejected requests can be moved to another location with their committed units", async () => {
    fx.sim.setLevel(SHOP, itemA(), serviceLocation, { available: 5, committed: 0 });
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 2 }] });
    if (!placed.ok) throw new Error("order refused");
    const foId = `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`;
    const rejected = await gql(`mutation($id: ID!) { fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: INVENTORY_OUT_OF_STOCK, message: "none left") { fulfillmentOrder { status requestStatus } userErrors { message } } }`, { id: foId });
    expect(rejected.body.data.fulfillmentOrderRejectFulfillmentRequest.fulfillmentOrder).toEqual({ status: "OPEN", requestStatus: "REJECTED" });
    const moved = await gql(`mutation($id: ID!, $loc: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $loc) { movedFulfillmentOrder { id assignedLocation { location { id } } } userErrors { message } } }`, { id: foId, loc: fx.locationId });
    expect(moved.body.data.fulfillmentOrderMove.movedFulfillmentOrder).toEqual({ id: foId, assignedLocation: { location: { id: fx.locationId } } });
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 5, committed: 0 });
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 8, committed: 2 });
  });

  test("fulfillmentServiceDelete removes the service and deactivates its location", async () => {
    const res = await gql(`mutation($id: ID!) { fulfillmentServiceDelete(id: $id) { deletedId userErrors { message } } }`, { id: serviceId });
    expect(res.body.data.fulfillmentServiceDelete.deletedId).toBe(serviceId);
    const loc = await gql(`query($id: ID!) { location(id: $id) { isActive isFulfillmentService } }`, { id: serviceLocation });
    expect(loc.body.data.location).toEqual({ isActive: false, isFulfillmentService: false });
  });
});

describe("metafields and bulk operations", () => {
  test("metafieldsSet upserts product metafields", async () => {
    const product = (await gql(`{ products(first: 1, query: "sku:SKU-A") { nodes { id } } }`)).body.data.products.nodes[0].id;
    const set = await gql(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key value type } userErrors { code message } } }`, {
      m: [{ ownerId: product, namespace: "tallysync", key: "stock_signal", type: "single_line_text_field", value: "low" }],
    });
    expect(set.body.data.metafieldsSet.metafields).toEqual([{ namespace: "tallysync", key: "stock_signal", value: "low", type: "single_line_text_field" }]);
    const read = await gql(`query($id: ID!) { product(id: $id) { metafield(namespace: "tallysync", key: "stock_signal") { value } } }`, { id: product });
    expect(read.body.data.product.metafield).toEqual({ value: "low" });
    const bad = await gql(`mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { code } } }`, { m: [{ ownerId: product, namespace: "x", key: "n", type: "number_integer", value: "abc" }] });
    expect(bad.body.data.metafieldsSet.userErrors[0].code).toBe("INVALID_VALUE");
  });

  test("bulkOperationRunQuery produces a JSONL file served by the simulator", async () => {
    const run = await gql(`mutation { bulkOperationRunQuery(groupObjects: false, query: """{ productVariants { edges { node { id sku inventoryItem { id inventoryLevels { edges { node { id quantities(names: ["available"]) { name quantity } } } } } } } } }""") { bulkOperation { id status } userErrors { message } } }`);
    const op = run.body.data.bulkOperationRunQuery.bulkOperation;
    expect(op.status).toBe("CREATED");
    let current: { status: string; url: string | null; objectCount: string; rootObjectCount: string } | undefined;
    for (let i = 0; i < 100; i++) {
      current = (await gql(`query($id: ID!) { node(id: $id) { ... on BulkOperation { status url objectCount rootObjectCount } } }`, { id: op.id })).body.data.node;
      if (current!.status === "COMPLETED") break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(current!.status).toBe("COMPLETED");
    const jsonl = await (await fetch(current!.url!)).text();
    const lines = jsonl.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const variant = lines.find((l) => l.sku === "SKU-A")!;
    const level = lines.find((l) => l.__parentId === variant.id)!;
    expect(level.quantities).toEqual([{ name: "available", quantity: 10 }]);
    expect(Number(current!.rootObjectCount)).toBe(2);
    const currentOp = await gql(`{ currentBulkOperation { id status } }`);
    expect(currentOp.body.data.currentBulkOperation).toEqual({ id: op.id, status: "COMPLETED" });
  });
});
