import { isEnumType } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { webhookHmac } from "./hmac";
import { API_SECRET, SHOP, startFixture, type Fixture } from "./test-helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
  // API subscriptions (the fixture's app config does not list these topics).
  for (const topic of ["FULFILLMENT_EVENTS_CREATE", "FULFILLMENTS_UPDATE"]) {
    const res = await gql(`mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { userErrors { message } } }`, { topic, uri: `${fx.receiver.url}/hooks/tracking` });
    expect(res.body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
  }
});
afterAll(() => fx.close());
beforeEach(async () => {
  fx.sim.faults.reset();
  await fx.sim.webhooks.idle();
  fx.receiver.received.length = 0;
  fx.sim.setLevel(SHOP, fx.items[0]!.inventoryItemId, fx.locationId, { available: 10, committed: 0 });
});

const gql = (query: string, variables?: Record<string, unknown>) => fx.sim.graphql(SHOP, fx.token, query, variables);
const numeric = (gid: string) => Number(gid.split("/").pop());
const topicIs = (topic: string) => (r: { headers: Record<string, unknown> }) => r.headers["x-shopify-topic"] === topic;

/** Places an order for one SKU-A and fulfils it; returns the fulfillment gid. */
async function shipOne(token = fx.token, shop = SHOP, sku = "SKU-A"): Promise<string> {
  const placed = fx.sim.placeOrder(shop, { lines: [{ sku, quantity: 1 }] });
  if (!placed.ok) throw new Error(`order refused: ${placed.message}`);
  const res = await fx.sim.graphql(shop, token, `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { message } } }`, {
    f: { trackingInfo: { company: "UPS", number: "1Z999" }, lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}` }] },
  });
  expect(res.body.data.fulfillmentCreate.userErrors).toEqual([]);
  return res.body.data.fulfillmentCreate.fulfillment.id as string;
}

const CREATE = `mutation($e: FulfillmentEventInput!) { fulfillmentEventCreate(fulfillmentEvent: $e) {
  fulfillmentEvent { id status happenedAt createdAt estimatedDeliveryAt message address1 city province country zip latitude longitude }
  userErrors { field message } } }`;
const createEvent = (e: Record<string, unknown>) => gql(CREATE, { e });

const TRACKING = `query($id: ID!, $sortKey: FulfillmentEventSortKeys, $reverse: Boolean) { fulfillment(id: $id) {
  status displayStatus deliveredAt inTransitAt estimatedDeliveryAt
  events(first: 10, sortKey: $sortKey, reverse: $reverse) { nodes { id status happenedAt } } } }`;
const tracking = async (id: string, vars: Record<string, unknown> = {}) => (await gql(TRACKING, { id, ...vars })).body.data.fulfillment;

describe("fulfillmentEventCreate", () => {
  test("records an event with every input field and costs like any mutation (10)", async () => {
    const fid = await shipOne();
    const res = await createEvent({
      fulfillmentId: fid,
      status: "IN_TRANSIT",
      happenedAt: "2030-01-02T10:00:00Z",
      estimatedDeliveryAt: "2030-01-05T17:00:00Z",
      message: "Departed facility",
      address1: "1 Depot Rd",
      city: "Montreal",
      province: "Quebec",
      country: "Canada",
      zip: "H1A 0A1",
      latitude: 45.5,
      longitude: -73.56,
    });
    expect(res.body.extensions.cost.requestedQueryCost).toBe(10);
    const { fulfillmentEvent, userErrors } = res.body.data.fulfillmentEventCreate;
    expect(userErrors).toEqual([]);
    expect(fulfillmentEvent).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentEvent\/\d+$/),
      status: "IN_TRANSIT",
      happenedAt: "2030-01-02T10:00:00.000Z",
      createdAt: expect.any(String),
      estimatedDeliveryAt: "2030-01-05T17:00:00.000Z",
      message: "Departed facility",
      address1: "1 Depot Rd",
      city: "Montreal",
      province: "Quebec",
      country: "Canada",
      zip: "H1A 0A1",
      latitude: 45.5,
      longitude: -73.56,
    });
    const node = await gql(`query($id: ID!) { node(id: $id) { ... on FulfillmentEvent { status message } } }`, { id: fulfillmentEvent.id });
    expect(node.body.data.node).toEqual({ status: "IN_TRANSIT", message: "Departed facility" });
  });

  test("happenedAt defaults to now on the simulated clock", async () => {
    const fid = await shipOne();
    fx.sim.advance(3 * 60 * 60 * 1000);
    const before = fx.sim.clock.now();
    const res = await createEvent({ fulfillmentId: fid, status: "CONFIRMED" });
    const event = res.body.data.fulfillmentEventCreate.fulfillmentEvent;
    expect(event.happenedAt).toBe(event.createdAt);
    expect(Date.parse(event.happenedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.happenedAt)).toBeLessThanOrEqual(fx.sim.clock.now());
    expect(Date.parse(event.happenedAt) - Date.now()).toBeGreaterThan(2 * 60 * 60 * 1000);
  });

  test("Fulfillment.events sorts by happenedAt by default, by id with sortKey ID, and pages with cursors", async () => {
    const fid = await shipOne();
    const transit = (await createEvent({ fulfillmentId: fid, status: "IN_TRANSIT", happenedAt: "2030-03-02T00:00:00Z" })).body.data.fulfillmentEventCreate.fulfillmentEvent.id;
    const label = (await createEvent({ fulfillmentId: fid, status: "LABEL_PURCHASED", happenedAt: "2030-03-01T00:00:00Z" })).body.data.fulfillmentEventCreate.fulfillmentEvent.id;
    const delivered = (await createEvent({ fulfillmentId: fid, status: "DELIVERED", happenedAt: "2030-03-04T00:00:00Z" })).body.data.fulfillmentEventCreate.fulfillmentEvent.id;
    expect((await tracking(fid)).events.nodes.map((n: { id: string }) => n.id)).toEqual([label, transit, delivered]);
    expect((await tracking(fid, { reverse: true })).events.nodes.map((n: { id: string }) => n.id)).toEqual([delivered, transit, label]);
    expect((await tracking(fid, { sortKey: "ID" })).events.nodes.map((n: { id: string }) => n.id)).toEqual([transit, label, delivered]);

    const page = `query($id: ID!, $after: String) { fulfillment(id: $id) { events(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    const one = (await gql(page, { id: fid })).body.data.fulfillment.events;
    expect(one.nodes.map((n: { id: string }) => n.id)).toEqual([label, transit]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await gql(page, { id: fid, after: one.pageInfo.endCursor })).body.data.fulfillment.events;
    expect(two).toEqual({ nodes: [{ id: delivered }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
  });

  test("a fulfillment of another shop, or one that does not exist, gives a userError and records nothing", async () => {
    const other = "other-shop.myshopify.com";
    const shop = fx.sim.addShop({ domain: other });
    const loc = `gid://shopify/Location/${[...shop.locations.keys()][0]}`;
    fx.sim.addProduct(other, { title: "Thing", variants: [{ sku: "SKU-X", levels: { [loc]: { available: 5 } } }] });
    const foreign = await shipOne(fx.sim.issueAccessToken(other), other, "SKU-X");
    await fx.sim.webhooks.idle();
    fx.receiver.received.length = 0;

    for (const fulfillmentId of [foreign, "gid://shopify/Fulfillment/999999999", "gid://shopify/Order/1"]) {
      const res = await createEvent({ fulfillmentId, status: "DELIVERED" });
      expect(res.body.data.fulfillmentEventCreate).toEqual({ fulfillmentEvent: null, userErrors: [{ field: ["fulfillmentEvent", "fulfillmentId"], message: "Fulfillment does not exist." }] });
    }
    expect(fx.sim.shop(other).fulfillments.get(numeric(foreign))!.events).toEqual([]);
    expect(fx.sim.shop(other).fulfillmentEvents.size).toBe(0);
    const otherView = await fx.sim.graphql(other, fx.sim.issueAccessToken(other), TRACKING, { id: foreign });
    expect(otherView.body.data.fulfillment).toMatchObject({ displayStatus: "FULFILLED", events: { nodes: [] } });
    await fx.sim.webhooks.idle();
    expect(fx.receiver.received.filter(topicIs("fulfillment_events/create"))).toEqual([]);
  });

  test("a cancelled fulfillment refuses events", async () => {
    const fid = await shipOne();
    // The simulator has no fulfillmentCancel; cancel it in the state.
    fx.sim.shop(SHOP).fulfillments.get(numeric(fid))!.status = "CANCELLED";
    const res = await createEvent({ fulfillmentId: fid, status: "IN_TRANSIT" });
    expect(res.body.data.fulfillmentEventCreate.fulfillmentEvent).toBeNull();
    expect(res.body.data.fulfillmentEventCreate.userErrors).toEqual([{ field: ["fulfillmentEvent", "fulfillmentId"], message: expect.stringMatching(/cancel/i) }]);
    expect(await tracking(fid)).toMatchObject({ status: "CANCELLED", displayStatus: "CANCELED", events: { nodes: [] } });
  });

  test("a status outside FulfillmentEventStatus is a GraphQL validation error and nothing runs", async () => {
    const fid = await shipOne();
    const literal = await gql(`mutation($id: ID!) { fulfillmentEventCreate(fulfillmentEvent: { fulfillmentId: $id, status: SHIPPED }) { userErrors { message } } }`, { id: fid });
    expect(literal.body.data).toBeUndefined();
    expect(literal.body.errors[0].message).toMatch(/SHIPPED.*FulfillmentEventStatus/);
    const variable = await createEvent({ fulfillmentId: fid, status: "SHIPPED" });
    expect(variable.body.data).toBeUndefined();
    expect(variable.body.errors[0].extensions.code).toBe("INVALID_VARIABLE");
    expect(fx.sim.shop(SHOP).fulfillments.get(numeric(fid))!.events).toEqual([]);
  });
});

describe("fields derived from events", () => {
  test("with no events a fulfillment shows FULFILLED and no dates", async () => {
    const fid = await shipOne();
    expect(await tracking(fid)).toEqual({ status: "SUCCESS", displayStatus: "FULFILLED", deliveredAt: null, inTransitAt: null, estimatedDeliveryAt: null, events: { nodes: [] } });
  });

  test("displayStatus follows the latest event by happenedAt; deliveredAt, inTransitAt and the estimate come from the events", async () => {
    const fid = await shipOne();
    await createEvent({ fulfillmentId: fid, status: "IN_TRANSIT", happenedAt: "2030-04-01T08:00:00Z", estimatedDeliveryAt: "2030-04-04T12:00:00Z" });
    await createEvent({ fulfillmentId: fid, status: "IN_TRANSIT", happenedAt: "2030-04-02T08:00:00Z" });
    expect(await tracking(fid)).toMatchObject({ status: "SUCCESS", displayStatus: "IN_TRANSIT", inTransitAt: "2030-04-01T08:00:00.000Z", deliveredAt: null, estimatedDeliveryAt: "2030-04-04T12:00:00.000Z" });

    await createEvent({ fulfillmentId: fid, status: "DELIVERED", happenedAt: "2030-04-03T15:30:00Z" });
    // Reported late: happened before the delivery, so it is not the latest event.
    await createEvent({ fulfillmentId: fid, status: "OUT_FOR_DELIVERY", happenedAt: "2030-04-03T07:00:00Z" });
    expect(await tracking(fid)).toMatchObject({ status: "SUCCESS", displayStatus: "DELIVERED", deliveredAt: "2030-04-03T15:30:00.000Z", inTransitAt: "2030-04-01T08:00:00.000Z" });
  });

  test("every FulfillmentEventStatus shows as the FulfillmentDisplayStatus of the same name", async () => {
    const eventEnum = fx.sim.schema.getType("FulfillmentEventStatus");
    const displayEnum = fx.sim.schema.getType("FulfillmentDisplayStatus");
    if (!isEnumType(eventEnum) || !isEnumType(displayEnum)) throw new Error("enums missing from the schema");
    const statuses = eventEnum.getValues().map((v) => v.name);
    expect(statuses.length).toBeGreaterThanOrEqual(11);
    const fid = await shipOne();
    for (const [i, status] of statuses.entries()) {
      expect(displayEnum.getValue(status)).toBeDefined();
      const res = await createEvent({ fulfillmentId: fid, status, happenedAt: new Date(Date.UTC(2030, 5, 1, i)).toISOString() });
      expect(res.body.data.fulfillmentEventCreate.userErrors).toEqual([]);
      expect((await tracking(fid)).displayStatus).toBe(status);
    }
  });
});

describe("webhooks", () => {
  test("fulfillment_events/create carries the REST FulfillmentEvent, signed; fulfillments/update carries the new shipment_status", async () => {
    const fid = await shipOne();
    const res = await createEvent({ fulfillmentId: fid, status: "OUT_FOR_DELIVERY", happenedAt: "2030-05-01T09:00:00Z", estimatedDeliveryAt: "2030-05-01T18:00:00Z", message: "On the truck", city: "Ottawa", province: "Ontario", country: "Canada", zip: "K2P0V6", address1: "5 Elm St", latitude: 45.4, longitude: -75.7 });
    const event = res.body.data.fulfillmentEventCreate.fulfillmentEvent;
    const [hook] = await fx.receiver.waitFor(1, 5000, topicIs("fulfillment_events/create"));
    expect(hook!.path).toBe("/hooks/tracking");
    expect(hook!.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(API_SECRET, hook!.rawBody));
    expect(hook!.headers["x-shopify-shop-domain"]).toBe(SHOP);
    const f = fx.sim.shop(SHOP).fulfillments.get(numeric(fid))!;
    expect(JSON.parse(hook!.rawBody)).toEqual({
      id: numeric(event.id),
      fulfillment_id: numeric(fid),
      order_id: f.orderId,
      shop_id: fx.sim.shop(SHOP).id,
      status: "out_for_delivery",
      message: "On the truck",
      happened_at: "2030-05-01T09:00:00.000Z",
      estimated_delivery_at: "2030-05-01T18:00:00.000Z",
      city: "Ottawa",
      province: "Ontario",
      country: "Canada",
      zip: "K2P0V6",
      address1: "5 Elm St",
      latitude: 45.4,
      longitude: -75.7,
      created_at: event.createdAt,
      updated_at: event.createdAt,
      admin_graphql_api_id: event.id,
    });
    const [update] = await fx.receiver.waitFor(1, 5000, topicIs("fulfillments/update"));
    expect(JSON.parse(update!.rawBody)).toMatchObject({ id: numeric(fid), status: "success", shipment_status: "out_for_delivery" });
  });

  test("an event that does not change the latest status sends fulfillment_events/create only", async () => {
    const fid = await shipOne();
    await createEvent({ fulfillmentId: fid, status: "DELIVERED", happenedAt: "2030-06-02T00:00:00Z" });
    await createEvent({ fulfillmentId: fid, status: "IN_TRANSIT", happenedAt: "2030-06-01T00:00:00Z" });
    await fx.sim.webhooks.idle();
    const created = fx.receiver.received.filter(topicIs("fulfillment_events/create")).map((r) => JSON.parse(r.rawBody).status);
    expect(created.sort()).toEqual(["delivered", "in_transit"]);
    const updates = fx.receiver.received.filter(topicIs("fulfillments/update")).map((r) => JSON.parse(r.rawBody).shipment_status);
    expect(updates).toEqual(["delivered"]);
  });
});

describe("simulated carrier", () => {
  const post = (fulfillmentId: string, body: unknown) => fetch(`${fx.sim.url}/sim/shops/${SHOP}/fulfillments/${encodeURIComponent(fulfillmentId)}/events`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  test("POST /sim/shops/<shop>/fulfillments/<id>/events adds an event like the mutation: 201, derived fields, webhook", async () => {
    const fid = await shipOne();
    const res = await post(fid, { status: "DELIVERED", happenedAt: "2030-07-01T12:00:00Z", message: "Left at front door" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { fulfillment_event: Record<string, unknown> };
    expect(body.fulfillment_event).toMatchObject({ fulfillment_id: numeric(fid), status: "delivered", happened_at: "2030-07-01T12:00:00.000Z", message: "Left at front door", admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentEvent\/\d+$/) });
    expect(await tracking(fid)).toMatchObject({ displayStatus: "DELIVERED", deliveredAt: "2030-07-01T12:00:00.000Z", events: { nodes: [{ id: body.fulfillment_event.admin_graphql_api_id, status: "DELIVERED" }] } });
    const [hook] = await fx.receiver.waitFor(1, 5000, topicIs("fulfillment_events/create"));
    expect(JSON.parse(hook!.rawBody)).toEqual(body.fulfillment_event);
  });

  test("the endpoint answers 404 for an unknown fulfillment and 400 for a status outside the enum", async () => {
    const fid = await shipOne();
    expect((await post("gid://shopify/Fulfillment/999999999", { status: "DELIVERED" })).status).toBe(404);
    expect((await post("999999999", { status: "DELIVERED" })).status).toBe(404);
    expect((await post(fid, { status: "SHIPPED" })).status).toBe(400);
    expect((await post(fid, {})).status).toBe(400);
    expect((await post(fid, { status: "IN_TRANSIT", happenedAt: "not a date" })).status).toBe(400);
    expect(fx.sim.shop(SHOP).fulfillments.get(numeric(fid))!.events).toEqual([]);
  });

  test("sim.carrierEvent takes a numeric id and defaults happenedAt to the simulated clock", async () => {
    const fid = await shipOne();
    fx.sim.advance(60_000);
    const out = fx.sim.carrierEvent(SHOP, numeric(fid), { status: "CARRIER_PICKED_UP" });
    if (!out.ok) throw new Error(out.message);
    expect(Math.abs(Date.parse(String(out.event.happened_at)) - fx.sim.clock.now())).toBeLessThan(1000);
    expect((await tracking(fid)).displayStatus).toBe("CARRIER_PICKED_UP");
    expect(fx.sim.carrierEvent(SHOP, "gid://shopify/Order/1", { status: "DELIVERED" })).toMatchObject({ ok: false, reason: "NOT_FOUND" });
  });
});
