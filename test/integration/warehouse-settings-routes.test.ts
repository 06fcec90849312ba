// The Settings > Warehouse connections and Unmapped SKUs actions, called as Remix calls them, for
// a shop authenticated with a session token (no Shopify call is needed by what is tested here).
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_SCOPES } from "~/config.server";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";

const shop = "routes-shop.myshopify.com";

async function post<A extends (args: never) => unknown>(action: A, pathname: string, form: Record<string, string>) {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store: "routes-shop", apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! },
    new Request(`http://localhost:3000${pathname}`, { method: "POST", body: new URLSearchParams(form) }),
  );
  return (await action({ request, params: {}, context: {} } as never)) as Awaited<ReturnType<A>>;
}

beforeAll(async () => {
  await sessionStorage.storeSession(setUpValidSession({ shop, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) }));
});

describe("warehouse connection actions", () => {
  it("an invalid new connection is answered 422 with an error per field, and nothing is stored", async () => {
    const { action } = await import("~/routes/app.settings_.warehouses");
    const result = await post(action, "/app/settings/warehouses", { intent: "add", provider: "shiphero", name: "", baseUrl: "wms.example.com", apiKey: "" });
    expect(result).toMatchObject({
      init: { status: 422 },
      data: {
        errors: {
          provider: "warehouses.errors.providerUnavailable",
          name: "warehouses.errors.nameRequired",
          baseUrl: "warehouses.errors.baseUrlInvalid",
          apiKey: "warehouses.errors.apiKeyRequired",
        },
      },
    });
    expect(await db.warehouseConnection.count({ where: { shop } })).toBe(0);
  });

  it("testing or removing a connection the shop does not have is answered 422 in words, even another shop's", async () => {
    const { action } = await import("~/routes/app.settings_.warehouses");
    const other = await db.warehouseConnection.create({ data: { shop: "other-shop.myshopify.com", name: "Theirs", provider: "generic", encryptedCredentials: "x" } });
    for (const intent of ["test", "remove"]) {
      const result = await post(action, "/app/settings/warehouses", { intent, connectionId: other.id });
      expect(result, intent).toMatchObject({ init: { status: 422 }, data: { error: { code: "connection_not_found" } } });
    }
    expect(await db.warehouseConnection.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ status: "active" });
  });

  it("Re-run automatic mapping queues the catalog import and mapping once while it waits", async () => {
    const { action } = await import("~/routes/app.settings_.warehouses");
    expect(await post(action, "/app/settings/warehouses", { intent: "remap", connectionId: "c1" })).toEqual({ intent: "remap", queued: true });
    expect(await post(action, "/app/settings/warehouses", { intent: "remap", connectionId: "c1" })).toEqual({ intent: "remap", queued: true });
    expect(await db.job.count({ where: { shop, type: "catalog.import-and-map", status: "queued" } })).toBe(1);
  });
});

describe("unmapped SKU actions", () => {
  it("mapping by hand on a removed or unknown connection is answered 422 with the reason", async () => {
    const { action } = await import("~/routes/app.settings_.mapping");
    const result = await post(action, "/app/settings/mapping", { intent: "map", connectionId: "nope", warehouseSku: "MUG", inventoryItemId: "gid://shopify/InventoryItem/1" });
    expect(result).toMatchObject({ init: { status: 422 }, data: { error: { code: "connection_unavailable" } } });
  });
});
