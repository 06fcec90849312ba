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

describe("fulfillmentOrderMove with fulfillmentOrderLineItems (partial moves)", () => {
  let serviceLocation = "";
  const MOVE = `mutation($id: ID!, $loc: ID!, $lines: [FulfillmentOrderLineItemInput!]) {
    fulfillmentOrderMove(id: $id, newLocationId: $loc, fulfillmentOrderLineItems: $lines) {
      movedFulfillmentOrder { id status requestStatus assignedLocation { location { id } } lineItems(first: 10) { nodes { sku totalQuantity remainingQuantity } } }
      originalFulfillmentOrder { id status requestStatus assignedLocation { location { id } } lineItems(first: 10) { nodes { sku totalQuantity remainingQuantity } } }
      remainingFulfillmentOrder { id }
      userErrors { field message }
    }
  }`;
  const itemB = () => fx.items[1]!.inventoryItemId;

  beforeAll(async () => {
    const res = await gql(`mutation($url: URL!) { fulfillmentServiceCreate(name: "Split 3PL", callbackUrl: $url, inventoryManagement: true) { fulfillmentService { location { id } } userErrors { message } } }`, { url: `${fx.receiver.url}/fs/split` });
    serviceLocation = res.body.data.fulfillmentServiceCreate.fulfillmentService.location.id;
    // Checkouts go to the merchant's own location first.
    fx.sim.shop(SHOP).locations.get(Number(serviceLocation.split("/").pop()))!.priority = 20;
  });
  beforeEach(() => {
    fx.sim.setLevel(SHOP, itemA(), serviceLocation, { available: 10, committed: 0 });
  });

  /** An order of 3 SKU-A and 1 SKU-B at the merchant's location, and its fulfillment order's lines by SKU. */
  async function orderAtMain() {
    const placed = fx.sim.placeOrder(SHOP, { lines: [{ sku: "SKU-A", quantity: 3 }, { sku: "SKU-B", quantity: 1 }] });
    if (!placed.ok) throw new Error("order refused");
    expect(`gid://shopify/Location/${placed.locationId}`).toBe(fx.locationId);
    const foId = `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`;
    const read = await gql(`query($id: ID!) { fulfillmentOrder(id: $id) { lineItems(first: 10) { nodes { id sku } } } }`, { id: foId });
    const lines = Object.fromEntries((read.body.data.fulfillmentOrder.lineItems.nodes as Array<{ id: string; sku: string }>).map((l) => [l.sku, l.id]));
    return { placed, foId, lineA: lines["SKU-A"] as string, lineB: lines["SKU-B"] as string, orderId: `gid://shopify/Order/${placed.order.id}` };
  }

  test("the given units move to a new fulfillment order at the new location, the rest stays in the original, committed units follow", async () => {
    const { foId, lineA, orderId } = await orderAtMain();
    await fx.sim.webhooks.idle();
    fx.receiver.received.length = 0;
    const res = await gql(MOVE, { id: foId, loc: serviceLocation, lines: [{ id: lineA, quantity: 2 }] });
    const payload = res.body.data.fulfillmentOrderMove;
    expect(payload.userErrors).toEqual([]);
    expect(payload.movedFulfillmentOrder.id).not.toBe(foId);
    // A fulfillment-service location is asked to fulfil it, as after a whole move.
    expect(payload.movedFulfillmentOrder).toMatchObject({
      status: "OPEN",
      requestStatus: "SUBMITTED",
      assignedLocation: { location: { id: serviceLocation } },
      lineItems: { nodes: [{ sku: "SKU-A", totalQuantity: 2, remainingQuantity: 2 }] },
    });
    expect(payload.originalFulfillmentOrder).toMatchObject({
      id: foId,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      assignedLocation: { location: { id: fx.locationId } },
      lineItems: { nodes: [{ sku: "SKU-A", totalQuantity: 1, remainingQuantity: 1 }, { sku: "SKU-B", totalQuantity: 1, remainingQuantity: 1 }] },
    });
    expect(payload.remainingFulfillmentOrder).toEqual({ id: foId });
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 9, committed: 1 });
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 8, committed: 2 });
    expect(fx.sim.level(SHOP, itemB(), fx.locationId)).toMatchObject({ available: 2, committed: 1 });

    const order = await gql(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id assignedLocation { location { id } } } } } }`, { id: orderId });
    expect(order.body.data.order.fulfillmentOrders.nodes).toEqual([
      { id: foId, assignedLocation: { location: { id: fx.locationId } } },
      { id: payload.movedFulfillmentOrder.id, assignedLocation: { location: { id: serviceLocation } } },
    ]);
    const [callback] = await fx.receiver.waitFor(1, 5000, (r) => r.path === "/fs/split/fulfillment_order_notification");
    expect(JSON.parse(callback!.rawBody)).toEqual({ kind: "FULFILLMENT_REQUEST" });
    const [routed] = await fx.receiver.waitFor(1, 5000, (r) => r.headers["x-shopify-topic"] === "fulfillment_orders/order_routing_complete");
    expect(JSON.parse(routed!.rawBody)).toEqual({ fulfillment_order: { id: payload.movedFulfillmentOrder.id, status: "open" } });
  });

  test("refuses more units than remain, a line of another fulfillment order, no units, and an item the location does not stock, changing nothing", async () => {
    const { foId, lineA, lineB } = await orderAtMain();
    const other = await orderAtMain();
    const cases: Array<[unknown[], RegExp, string[]]> = [
      [[{ id: lineA, quantity: 4 }], /more than the 3 unfulfilled units/, ["fulfillmentOrderLineItems", "0", "quantity"]],
      [[{ id: lineA, quantity: 2 }, { id: lineA, quantity: 2 }], /more than the 3 unfulfilled units/, ["fulfillmentOrderLineItems", "1", "quantity"]],
      [[{ id: other.lineA, quantity: 1 }], /does not belong to this fulfillment order/, ["fulfillmentOrderLineItems", "0", "id"]],
      [[{ id: lineA, quantity: 0 }], /greater than 0/, ["fulfillmentOrderLineItems", "0", "quantity"]],
      [[{ id: lineB, quantity: 1 }], /SKU-B is not stocked at the destination location/, ["newLocationId"]],
    ];
    for (const [lines, message, field] of cases) {
      const res = await gql(MOVE, { id: foId, loc: serviceLocation, lines });
      const payload = res.body.data.fulfillmentOrderMove;
      expect(payload.movedFulfillmentOrder).toBeNull();
      expect(payload.userErrors).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    const fo = fx.sim.shop(SHOP).fulfillmentOrders.get(Number(foId.split("/").pop()))!;
    expect(fo.lineItems.map((l) => [l.sku, l.remainingQuantity])).toEqual([["SKU-A", 3], ["SKU-B", 1]]);
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 10, committed: 0 });
  });

  test("a line that moves whole leaves the original; every unfulfilled unit given moves the whole fulfillment order (same id)", async () => {
    const first = await orderAtMain();
    const part = await gql(MOVE, { id: first.foId, loc: serviceLocation, lines: [{ id: first.lineA, quantity: 3 }] });
    expect(part.body.data.fulfillmentOrderMove.originalFulfillmentOrder.lineItems.nodes).toEqual([{ sku: "SKU-B", totalQuantity: 1, remainingQuantity: 1 }]);
    expect(part.body.data.fulfillmentOrderMove.movedFulfillmentOrder.lineItems.nodes).toEqual([{ sku: "SKU-A", totalQuantity: 3, remainingQuantity: 3 }]);

    const second = await orderAtMain();
    fx.sim.setLevel(SHOP, itemB(), serviceLocation, { available: 5, committed: 0 });
    const whole = await gql(MOVE, { id: second.foId, loc: serviceLocation, lines: [{ id: second.lineA, quantity: 3 }, { id: second.lineB, quantity: 1 }] });
    const payload = whole.body.data.fulfillmentOrderMove;
    expect(payload.userErrors).toEqual([]);
    expect(payload.movedFulfillmentOrder).toMatchObject({ id: second.foId, assignedLocation: { location: { id: serviceLocation } } });
    expect(payload.originalFulfillmentOrder).toMatchObject({ id: second.foId, assignedLocation: { location: { id: serviceLocation } } });
    expect(payload.remainingFulfillmentOrder).toBeNull();
    expect(fx.sim.shop(SHOP).orders.get(second.placed.order.id)!.fulfillmentOrderIds).toHaveLength(1);
  });

  test("a fulfillment service must reject a submitted request before any of its lines can move; the original then stays rejected", async () => {
    const { foId, lineA } = await orderAtMain();
    // The whole order to the 3PL: Shopify asks the service to fulfil it.
    const toService = await gql(MOVE, { id: foId, loc: serviceLocation, lines: null });
    expect(toService.body.data.fulfillmentOrderMove.movedFulfillmentOrder).toMatchObject({ id: foId, requestStatus: "SUBMITTED" });
    fx.sim.setLevel(SHOP, itemA(), fx.locationId, { available: 10, committed: 0 });

    const refused = await gql(MOVE, { id: foId, loc: fx.locationId, lines: [{ id: lineA, quantity: 1 }] });
    expect(refused.body.data.fulfillmentOrderMove.userErrors).toEqual([{ field: ["id"], message: expect.stringMatching(/submitted or accepted by a fulfillment service/) }]);

    await gql(`mutation($id: ID!) { fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: OTHER, message: "splitting") { userErrors { message } } }`, { id: foId });
    const moved = await gql(MOVE, { id: foId, loc: fx.locationId, lines: [{ id: lineA, quantity: 1 }] });
    const payload = moved.body.data.fulfillmentOrderMove;
    expect(payload.userErrors).toEqual([]);
    // The merchant's own location: no fulfillment request.
    expect(payload.movedFulfillmentOrder).toMatchObject({ requestStatus: "UNSUBMITTED", assignedLocation: { location: { id: fx.locationId } } });
    expect(payload.originalFulfillmentOrder).toMatchObject({ id: foId, requestStatus: "REJECTED", assignedLocation: { location: { id: serviceLocation } } });
    expect(fx.sim.level(SHOP, itemA(), serviceLocation)).toMatchObject({ available: 8, committed: 2 });
    expect(fx.sim.level(SHOP, itemA(), fx.locationId)).toMatchObject({ available: 9, committed: 1 });
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
