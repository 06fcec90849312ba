// The Warehouse connections and Unmapped SKUs pages render on the server for an authenticated shop,
// reading its Shopify locations from the Shopify simulator (sandbox mode routes the app's Shopify
// traffic there), in English and Chinese.
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type ViteDevServer } from "vite";
import { ACCESS_SCOPES } from "~/config.server";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";

const root = path.resolve(import.meta.dirname, "../..");
const shop = "render-warehouses.myshopify.com";

let vite: ViteDevServer;
let shopify: ShopifySimulator;
let handle: (request: Request) => Promise<Response>;

async function page(pathname: string, query: Record<string, string> = {}): Promise<string> {
  const url = new URL(`http://localhost:3000${pathname}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const request = await setUpValidRequest(
    { type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
    new Request(url),
  );
  const response = await handle(request);
  const body = await response.text();
  expect(response.status, body.slice(0, 2000)).toBe(200);
  return body;
}

beforeAll(async () => {
  shopify = await startShopifySimulator({
    app: { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: "http://localhost:3000", handle: "tallysync" },
    shops: [{ domain: shop, plan: "standard", locations: [{ name: "Shop location" }, { name: "Acme - Los Angeles" }] }],
  });
  process.env.TALLYSYNC_SANDBOX_SHOPIFY_URL = shopify.url;
  const session = setUpValidSession({ shop, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) });
  shopify.issueAccessToken(shop, { token: session.accessToken });
  vite = await createServer({
    root,
    configFile: path.join(root, "vite.config.ts"),
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    appType: "custom",
  });
  const { sessionStorage } = (await vite.ssrLoadModule("/app/shopify.server.ts")) as typeof import("~/shopify.server");
  await sessionStorage.storeSession(session);
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  handle = createRequestHandler(build, "development");

  const scoped = forShop(shop, db);
  const connection = await scoped.warehouseConnection.create({ data: { shop, name: "Acme 3PL", provider: "generic", encryptedCredentials: "v1.x", status: "error", lastError: "The warehouse refused the API key. Check the key in Settings > Warehouses.", lastTestedAt: new Date(), lastTestLatencyMs: 42 } });
  const warehouse = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles", countryCode: "US" } });
  await scoped.inventoryPosition.create({ data: { shop, warehouseId: warehouse.id, warehouseSku: "VASE-TALL", warehouseSellable: 7 } });
  await scoped.catalogItem.create({ data: { shop, inventoryItemId: "gid://shopify/InventoryItem/1", productTitle: "Throw blanket", sku: "THROW-GREY" } });
}, 120_000);

afterAll(async () => {
  delete process.env.TALLYSYNC_SANDBOX_SHOPIFY_URL;
  await vite?.close();
  await shopify?.stop();
});

describe("warehouse settings pages", () => {
  it("Settings links to the warehouse connections and the unmapped SKUs", async () => {
    const html = await page("/app/settings");
    expect(html).toContain('href="/app/settings/warehouses"');
    expect(html).toContain('href="/app/settings/mapping"');
    expect(html).not.toContain("will be available");
  });

  it("lists each connection with its status, last test and error, its warehouses with a location choice, and the add form", async () => {
    const html = await page("/app/settings/warehouses");
    expect(html).toContain("Acme 3PL");
    expect(html).toContain("Not connecting");
    expect(html).toContain("answered in 42 ms");
    expect(html).toContain("The warehouse refused the API key.");
    expect(html).toContain("Los Angeles");
    expect(html).toContain("Acme - Los Angeles");
    expect(html).toContain("TallySync protocol (generic)");
    expect(html).toContain("ShipBob (coming soon)");
    // The removal confirmation is an App Bridge modal: its text is drawn in the browser, not here.
    expect(html).toContain("ui-modal");
  });

  it("shows both unmapped lists, in Chinese too", async () => {
    const html = await page("/app/settings/mapping");
    expect(html).toContain("VASE-TALL");
    expect(html).toContain("Throw blanket");
    const zh = await page("/app/settings/mapping", { locale: "zh-CN" });
    expect(zh).toContain("没有对应 Shopify 商品的仓库 SKU");
  });
});
