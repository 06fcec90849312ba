import "@shopify/shopify-api/adapters/node";
import { ApiVersion, DeliveryMethod, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { simulatorFetch } from "./app-wiring";
import { API_KEY, API_SECRET, SHOP, startFixture, type Fixture } from "./test-helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());
beforeEach(() => {
  fx.sim.faults.reset();
  fx.sim.shop(SHOP).bucket.drain(2000);
  fx.sim.state.setPlan(fx.sim.shop(SHOP), "standard");
});

async function post(body: unknown, headers: Record<string, string> = { "X-Shopify-Access-Token": fx.token }) {
  const res = await fetch(fx.sim.graphqlUrl(SHOP), { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe("request handling", () => {
  test("an unknown access token gets Shopify's 401 body", async () => {
    const res = await post({ query: "{ shop { name } }" }, { "X-Shopify-Access-Token": "shpat_nope" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  test("a token of another shop is refused", async () => {
    fx.sim.addShop("other-shop.myshopify.com");
    const other = fx.sim.issueAccessToken("other-shop.myshopify.com");
    const res = await post({ query: "{ shop { name } }" }, { "X-Shopify-Access-Token": other });
    expect(res.status).toBe(401);
  });

  test("an unknown field fails validation with the Shopify error shape and no data", async () => {
    const res = await post({ query: "query Q { shop { name doesNotExist } }" });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      {
        message: "Field 'doesNotExist' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 23 }],
        path: ["query Q", "shop", "doesNotExist"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "doesNotExist" },
      },
    ]);
  });

  test("the same text sent again gets the same answer (checked texts are kept per schema)", async () => {
    const invalid = { query: "query Again { shop { name notAField } }" };
    const first = await post(invalid);
    const second = await post(invalid);
    expect(second.body).toEqual(first.body);
    expect(second.body.errors[0].extensions.code).toBe("undefinedField");
    const broken = { query: "query Broken { shop { name " };
    const third = await post(broken);
    const fourth = await post(broken);
    expect(fourth.body).toEqual(third.body);
    expect(fourth.body.errors[0].message).toMatch(/^syntax error, /);
    const valid = await post({ query: "query Again2 { shop { name } }" });
    const validAgain = await post({ query: "query Again2 { shop { name } }" });
    expect(validAgain.body.data).toEqual(valid.body.data);
    expect(validAgain.body.data.shop.name).toBeTruthy();
  });

  test("missing required arguments and unknown arguments are validation errors", async () => {
    const res = await post({ query: "{ inventoryItem { id } products(first: 1, bogus: 1) { nodes { id } } }" });
    const codes = res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes).toEqual(expect.arrayContaining(["missingRequiredArguments", "argumentNotAccepted"]));
  });

  test("2026 extensions are part of the schema (@idempotent, changeFromQuantity)", () => {
    expect(fx.sim.schema.getDirective("idempotent")?.args.map((a) => `${a.name}:${a.type}`)).toEqual(["key:String!"]);
    for (const t of ["InventoryQuantityInput", "InventoryChangeInput", "InventoryMoveQuantityTerminalInput", "InventorySetQuantityInput"]) {
      const type = fx.sim.schema.getType(t) as { getFields(): Record<string, { type: unknown }> };
      expect(String(type.getFields().changeFromQuantity?.type)).toBe("Int");
    }
  });

  test("connections need first or last, paginate with cursors and filter by sku", async () => {
    const noFirst = await post({ query: "{ products { nodes { id } } }" });
    expect(noFirst.body.errors[0].message).toBe("you must provide one of first or last");
    const page1 = await post({ query: "{ productVariants(first: 1) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } } }" });
    const conn = page1.body.data.productVariants;
    expect(conn.edges).toHaveLength(1);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const page2 = await post({ query: `query($after: String) { productVariants(first: 1, after: $after) { nodes { sku } pageInfo { hasNextPage } } }`, variables: { after: conn.pageInfo.endCursor } });
    expect(page2.body.data.productVariants.nodes[0].sku).not.toBe(conn.edges[0].node.sku);
    expect(page2.body.data.productVariants.pageInfo.hasNextPage).toBe(false);
    const filtered = await post({ query: `{ inventoryItems(first: 5, query: "sku:SKU-B") { nodes { sku tracked unitCost { amount } variant { barcode product { title } } } } }` });
    expect(filtered.body.data.inventoryItems.nodes).toEqual([{ sku: "SKU-B", tracked: true, unitCost: null, variant: { barcode: "222", product: { title: "Gadget" } } }]);
  });

  test("inventory levels expose every quantity name; on_hand is the sum", async () => {
    fx.sim.setLevel(SHOP, fx.items[0]!.inventoryItemId, fx.locationId, { available: 5, committed: 2, reserved: 1, damaged: 1, safety_stock: 1, quality_control: 1, incoming: 7 });
    const names = ["available", "on_hand", "committed", "reserved", "incoming", "damaged", "safety_stock", "quality_control"];
    const res = await post({
      query: `query($id: ID!, $loc: ID!, $names: [String!]!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) { id quantities(names: $names) { name quantity } location { name } } } }`,
      variables: { id: fx.items[0]!.inventoryItemId, loc: fx.locationId, names },
    });
    const level = res.body.data.inventoryItem.inventoryLevel;
    expect(Object.fromEntries(level.quantities.map((q: { name: string; quantity: number }) => [q.name, q.quantity]))).toEqual({
      available: 5, on_hand: 11, committed: 2, reserved: 1, incoming: 7, damaged: 1, safety_stock: 1, quality_control: 1,
    });
    expect(level.id).toMatch(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/);
    fx.sim.setLevel(SHOP, fx.items[0]!.inventoryItemId, fx.locationId, { available: 10, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 });
  });
});

describe("rate limits", () => {
  test("every response reports calculated cost and throttle status", async () => {
    const res = await post({ query: "{ shop { name } products(first: 10) { nodes { title } } }" });
    // shop object 1 + connection 2 + 10 x product 1
    expect(res.body.extensions.cost.requestedQueryCost).toBe(13);
    // two products exist: 1 + 2 + 2
    expect(res.body.extensions.cost.actualQueryCost).toBe(5);
    expect(res.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(1995);
    const mutation = await post({ query: `mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/1") { userErrors { message } } }` });
    expect(mutation.body.extensions.cost.requestedQueryCost).toBe(10);
  });

  test("a query over 1000 points is refused with MAX_COST_EXCEEDED", async () => {
    const res = await post({ query: "{ products(first: 250) { nodes { variants(first: 10) { nodes { id } } } } }" });
    expect(res.body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 10), maxCost: 1000 });
    expect(res.body.data).toBeUndefined();
  });

  test("a drained bucket answers THROTTLED and restores at the plan's rate", async () => {
    const shop = fx.sim.shop(SHOP);
    shop.bucket.drain(5);
    const res = await post({ query: "{ products(first: 10) { nodes { title } } }" });
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(res.body.extensions.cost).toMatchObject({ requestedQueryCost: 12, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(12);
    fx.sim.advance(1000);
    const after = await post({ query: "{ products(first: 10) { nodes { title } } }" });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(90);
  });

  test("plan presets set bucket size and restore rate", async () => {
    fx.sim.state.setPlan(fx.sim.shop(SHOP), "plus");
    fx.sim.shop(SHOP).bucket.drain(20000);
    const res = await post({ query: "{ shop { name } }" });
    expect(res.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 20000, restoreRate: 1000 });
  });
});

describe("API faults", () => {
  test("5xx fault answers the next N calls with 503", async () => {
    fx.sim.faults.set({ api5xx: { next: 2 } });
    expect((await post({ query: "{ shop { name } }" })).status).toBe(503);
    expect((await post({ query: "{ shop { name } }" })).status).toBe(503);
    expect((await post({ query: "{ shop { name } }" })).status).toBe(200);
  });

  test("timeout fault hangs the call", async () => {
    fx.sim.faults.set({ apiTimeout: { next: 1 } });
    const call = fetch(fx.sim.graphqlUrl(SHOP), { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": fx.token }, body: JSON.stringify({ query: "{ shop { name } }" }), signal: AbortSignal.timeout(300) });
    await expect(call).rejects.toThrow(/timeout|aborted/i);
    expect((await post({ query: "{ shop { name } }" })).status).toBe(200);
  });

  test("forced throttling and the HTTP fault switch", async () => {
    const set = await fetch(`${fx.sim.url}/sim/faults`, { method: "POST", body: JSON.stringify({ apiThrottle: { next: 1 } }) });
    expect((await set.json()).faults).toEqual({ apiThrottle: { next: 1 } });
    const res = await post({ query: "{ shop { name } }" });
    expect(res.body.errors[0].extensions.code).toBe("THROTTLED");
    expect((await post({ query: "{ shop { name } }" })).body.data.shop.name).toBe("tally-test");
  });
});

describe("token exchange with @shopify/shopify-api", () => {
  const shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    scopes: ["read_products"],
    hostName: "localhost:3000",
    hostScheme: "http",
    apiVersion: ApiVersion.July26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });

  beforeAll(() => {
    setAbstractFetchFunc(simulatorFetch(fx.sim.url) as Parameters<typeof setAbstractFetchFunc>[0]);
  });

  test("an offline expiring token works against the GraphQL endpoint and refreshes", async () => {
    const sessionToken = fx.sim.sessionToken(SHOP);
    const payload = await shopify.session.decodeSessionToken(sessionToken);
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY });
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken, expiring: true });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.expires).toBeInstanceOf(Date);
    expect(session.refreshToken).toMatch(/^shprt_/);
    const client = new shopify.clients.Graphql({ session });
    const res = await client.request<{ shop: { myshopifyDomain: string } }>("{ shop { myshopifyDomain } }");
    expect(res.data?.shop.myshopifyDomain).toBe(SHOP);

    const refreshed = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.session.accessToken).not.toBe(session.accessToken);
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! })).rejects.toThrow();
  });

  test("online tokens carry the associated user; bad session tokens are refused", async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: fx.sim.sessionToken(SHOP, { userId: "77" }), requestedTokenType: RequestedTokenType.OnlineAccessToken });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(77);
    const tampered = `${fx.sim.sessionToken(SHOP).slice(0, -4)}AAAA`;
    const res = await fetch(`${fx.sim.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: API_KEY, client_secret: API_SECRET, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: tampered, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_subject_token");
  });

  test("shopify-api's webhook registration queries and mutations run against the simulator", async () => {
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken: fx.sim.sessionToken(SHOP), requestedTokenType: RequestedTokenType.OfflineAccessToken });
    shopify.webhooks.addHandlers({ PRODUCTS_UPDATE: { deliveryMethod: DeliveryMethod.Http, callbackUrl: "/webhooks/products" } });
    const result = await shopify.webhooks.register({ session });
    expect(result.PRODUCTS_UPDATE?.[0]?.success).toBe(true);
    const again = await shopify.webhooks.register({ session });
    expect(again.PRODUCTS_UPDATE ?? []).toEqual([]);
  });

  test("expired access tokens stop working", async () => {
    const token = fx.sim.issueAccessToken(SHOP, { expiresInSec: 60 });
    expect((await post({ query: "{ shop { name } }" }, { "X-Shopify-Access-Token": token })).status).toBe(200);
    fx.sim.advance(61_000);
    expect((await post({ query: "{ shop { name } }" }, { "X-Shopify-Access-Token": token })).status).toBe(401);
  });
});
