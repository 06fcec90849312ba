// Install, uninstall and erasure of a shop's data.
import { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows } from "../db/raw.server";
import { withUniqueRetry } from "../db/errors";
import { forShop } from "../db/tenant.server";
import { forgetOfflineAdmin } from "../shopify/offline-admin.server";

/** Called on every authenticated admin request; cheap when the shop is already installed. */
export async function ensureShopInstalled(shop: string, scopes: string | undefined, db: Database = defaultDb) {
  const scoped = forShop(shop, db);
  await withUniqueRetry(() =>
    scoped.shop.upsert({
      where: { shop },
      create: { shop, scopes: scopes ?? null },
      update: { uninstalledAt: null, ...(scopes ? { scopes } : {}) },
    }),
  );
  await withUniqueRetry(() => scoped.shopSettings.upsert({ where: { shop }, create: { shop }, update: {} }));
}

// Children before parents, so relations never block a delete; every model is listed (a test
// checks that the list covers Prisma.ModelName, so a new table cannot be forgotten).
export const PURGE_ORDER: Prisma.ModelName[] = [
  "Shipment",
  "AllocationEvent",
  "Allocation",
  "ReturnReceipt",
  "OrderLine",
  "Order",
  "Reservation",
  "CountAdjustment",
  "CountLine",
  "CountTaskEvent",
  "CountTask",
  "CountPlan",
  "InventoryLedgerEntry",
  "ShopifyInventoryWrite",
  "ReconcileRun",
  "InventoryPosition",
  "SkuMapping",
  "CatalogItem",
  "Warehouse",
  "WarehouseConnection",
  "Alert",
  "ApiCallMetric",
  "ComplianceRequest",
  "WebhookInbox",
  "Job",
  "ShopSettings",
  "Session",
  "Shop",
];

type Delegate = { deleteMany(args: { where: { shop: string } }): Promise<{ count: number }> };

function delegate(client: unknown, model: Prisma.ModelName): Delegate {
  const key = model.charAt(0).toLowerCase() + model.slice(1);
  return (client as Record<string, Delegate>)[key]!;
}

/**
 * Delete every row the shop owns (shop/redact, 48 h after uninstall). `keep` names models to
 * leave in place, used by app/uninstalled to keep a tombstone of the Shop row.
 */
export async function purgeShopData(shop: string, db: Database = defaultDb, keep: Prisma.ModelName[] = []) {
  const scoped = forShop(shop, db);
  const deleted: Partial<Record<Prisma.ModelName, number>> = {};
  for (const model of PURGE_ORDER) {
    if (keep.includes(model)) continue;
    const result = await delegate(scoped, model).deleteMany({ where: { shop } });
    deleted[model] = result.count;
  }
  return deleted;
}

/**
 * app/uninstalled: the access token is void, so sessions and warehouse credentials go at once, and
 * so does everything else the shop owns. A tombstone Shop row (no personal data) stays until
 * shop/redact, so that late webhooks and jobs for the shop are recognised and ignored.
 */
export async function uninstallShop(shop: string, db: Database = defaultDb) {
  forgetOfflineAdmin(shop);
  const deleted = await purgeShopData(shop, db, ["Shop"]);
  const scoped = forShop(shop, db);
  await scoped.shop.upsert({
    where: { shop },
    create: { shop, uninstalledAt: new Date() },
    update: { uninstalledAt: new Date(), scopes: null },
  });
  return deleted;
}

/** Raw SQL: every order job asks this first (one Prisma read each was a millisecond of CPU). */
export async function isShopInstalled(shop: string, db: Database = defaultDb): Promise<boolean> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<{ uninstalledAt: unknown }[]>(db, `SELECT "uninstalledAt" FROM "Shop" WHERE "shop" = ${sql.add(shop)}`, ...sql.values);
  return Boolean(rows[0] && rows[0].uninstalledAt == null);
}

export async function updateShopScopes(shop: string, scopes: string, db: Database = defaultDb) {
  const scoped = forShop(shop, db);
  await scoped.shop.updateMany({ where: { shop }, data: { scopes } });
  await scoped.session.updateMany({ where: { shop }, data: { scope: scopes } });
}
