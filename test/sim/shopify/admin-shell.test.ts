import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, expect, test } from "vitest";
import { simulatorFetch } from "./app-wiring";
import { API_KEY, API_SECRET, SHOP, startFixture, type Fixture } from "./test-helpers";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(() => fx.close());

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

test("the admin page embeds the app with shop, host, embedded=1 and a valid id_token", async () => {
  const res = await fetch(fx.sim.adminUrl(SHOP, "/app/counts"));
  expect(res.status).toBe(200);
  const html = await res.text();
  const src = /<iframe id="app-iframe"[^>]* src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, "&");
  const url = new URL(src);
  expect(`${url.origin}${url.pathname}`).toBe(`${fx.receiver.url}/app/counts`);
  const params = Object.fromEntries(url.searchParams);
  expect(params).toMatchObject({ embedded: "1", shop: SHOP });
  expect(shopify.utils.sanitizeShop(params.shop!)).toBe(SHOP);
  expect(shopify.utils.sanitizeHost(params.host!)).toBe(params.host);
  expect(Buffer.from(params.host!, "base64").toString()).toBe("admin.shopify.com/store/tally-test");
  expect(await shopify.utils.validateHmac(params)).toBe(true);

  const claims = await shopify.session.decodeSessionToken(params.id_token!);
  expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: expect.any(String), jti: expect.any(String), sid: expect.any(String) });
  expect(claims.exp - claims.iat).toBe(60);
});

test("a session token signed with another secret is rejected by shopify-api", async () => {
  const other = shopifyApi({ apiKey: API_KEY, apiSecretKey: "wrong-secret", scopes: [], hostName: "localhost:3000", apiVersion: ApiVersion.July26, isEmbeddedApp: true, logger: { level: LogSeverity.Error } });
  await expect(other.session.decodeSessionToken(fx.sim.sessionToken(SHOP))).rejects.toThrow();
});

test("the App Bridge stand-in script is served with the window.shopify API and ui-* elements", async () => {
  const res = await fetch(`${fx.sim.url}/cdn/app-bridge.js`);
  expect(res.headers.get("content-type")).toMatch(/javascript/);
  const js = await res.text();
  for (const needle of ["window.shopify", "idToken", "toast", "saveBar", "ui-nav-menu", "ui-title-bar", "ui-save-bar", "ui-modal", "aria-modal", "'content'", "shopify:navigate", "shopify-reload", "Authorization"]) {
    expect(js).toContain(needle);
  }
  expect(() => new Function(js)).not.toThrow();
});

test("the shell hands out fresh session tokens for App Bridge's idToken()", async () => {
  const res = await fetch(`${fx.sim.url}/sim/admin/session-token?shop=${SHOP}`);
  const { token } = (await res.json()) as { token: string };
  expect((await shopify.session.decodeSessionToken(token)).dest).toBe(`https://${SHOP}`);
});

test("simulatorFetch rewrites https://<shop>.myshopify.com to the simulator", async () => {
  const seen: string[] = [];
  const f = simulatorFetch(fx.sim.url, async (input) => {
    seen.push(String(input));
    return new Response("{}");
  });
  await f(`https://${SHOP}/admin/api/2026-07/graphql.json`);
  await f("https://example.com/x");
  expect(seen).toEqual([`${fx.sim.url}/shops/${SHOP}/admin/api/2026-07/graphql.json`, "https://example.com/x"]);
});
