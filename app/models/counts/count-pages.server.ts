// What the Counts, count task and Discrepancies pages need besides the count functions themselves:
// who is acting (the staff member of the session token), the shop's warehouses, time zone and currency,
// SKUs typed by the merchant turned into products or inventory items, and a count made by hand
// from the "New count" form.
import type { Session } from "@shopify/shopify-api";
import { staffActorId } from "../../counts/count-actor";
import { isCountKind } from "../../counts/count-kind";
import { db as defaultDb } from "../../db.server";
import type { Database } from "../../db/client.server";
import { forShop } from "../../db/tenant.server";
import { shopCountSettings } from "./count-store.server";
import type { FieldError } from "./plan-fields";
import { MANUAL_COUNT_KINDS, type ManualCountField, type ManualCountFields } from "./new-count-fields";
import { shopDateTime, skuList } from "./plan-fields";
import { createCountTask, type CountTaskSummary } from "./tasks.server";

/**
 * Who is acting, for the count's history, from what authenticate.admin returns: the staff member
 * whose App Bridge session token came with the request, as "staff:<user id>" (the token's `sub`).
 * The app's sessions are offline, one per shop, and cannot say who it was. Without a token: the
 * user of an online session (their email, or name), else the shop itself.
 */
export function staffActor(auth: { session: Pick<Session, "shop" | "onlineAccessInfo">; sessionToken?: { sub?: string | number } | null }): string {
  const fromToken = staffActorId(auth.sessionToken?.sub);
  if (fromToken) return fromToken;
  const session = auth.session;
  const user = session.onlineAccessInfo?.associated_user;
  if (user) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
    return user.email || name || `staff ${user.id}`;
  }
  return session.shop;
}

export interface CountPageWarehouse {
  id: string;
  name: string;
  linked: boolean;
  syncFrozen: boolean;
}

export interface CountPageContext {
  warehouses: CountPageWarehouse[];
  timeZone: string;
  /** ISO 4217 code of the unit costs (Shopify's), or null when no item has a cost. */
  currency: string | null;
  thresholds: { units: number; value: string };
  targetPercent: string;
  /** The shop's ABC cadence (days between counts per class), used by plans without their own. */
  abcCadence: { A: number; B: number; C: number };
}

/** The shop's warehouses, time zone, currency and count settings, for the count pages. */
export async function countPageContext(shop: string, db: Database = defaultDb): Promise<CountPageContext> {
  const scoped = forShop(shop, db);
  const [warehouses, settings, costed] = await Promise.all([
    scoped.warehouse.findMany({ select: { id: true, name: true, shopifyLocationId: true, syncFrozen: true }, orderBy: [{ name: "asc" }] }),
    shopCountSettings(scoped, shop),
    scoped.catalogItem.findFirst({ where: { costCurrency: { not: null } }, select: { costCurrency: true } }),
  ]);
  return {
    warehouses: warehouses.map((w) => ({ id: w.id, name: w.name, linked: w.shopifyLocationId != null, syncFrozen: w.syncFrozen })),
    timeZone: settings.timeZone,
    currency: costed?.costCurrency ?? null,
    thresholds: settings.thresholds,
    targetPercent: settings.targetPercent,
    abcCadence: settings.abcCadence,
  };
}

/** Product ids of SKUs typed in a campaign plan; SKUs the catalog does not know are listed. */
export async function productIdsForSkus(shop: string, skus: readonly string[], db: Database = defaultDb): Promise<{ productIds: string[]; unknown: string[] }> {
  if (!skus.length) return { productIds: [], unknown: [] };
  const items = await forShop(shop, db).catalogItem.findMany({ where: { sku: { in: [...skus] }, productId: { not: null } }, select: { sku: true, productId: true } });
  const found = new Map(items.map((item) => [item.sku!.toUpperCase(), item.productId!]));
  // SKUs compare ignoring case, as in SKU mapping; the exact ones above are the common case.
  const missing = skus.filter((sku) => !found.has(sku.toUpperCase()));
  if (missing.length) {
    const all = await forShop(shop, db).catalogItem.findMany({ where: { sku: { not: null }, productId: { not: null } }, select: { sku: true, productId: true } });
    for (const item of all) if (!found.has(item.sku!.toUpperCase())) found.set(item.sku!.toUpperCase(), item.productId!);
  }
  return {
    productIds: [...new Set(skus.map((sku) => found.get(sku.toUpperCase())).filter((id): id is string => id != null))],
    unknown: skus.filter((sku) => !found.has(sku.toUpperCase())),
  };
}

/** The SKUs of products, for showing a products campaign back in its form. */
export async function skusOfProducts(shop: string, productIds: readonly string[], db: Database = defaultDb): Promise<string[]> {
  if (!productIds.length) return [];
  const items = await forShop(shop, db).catalogItem.findMany({
    where: { productId: { in: [...productIds] }, sku: { not: null } },
    select: { sku: true },
    orderBy: [{ sku: "asc" }],
  });
  return items.map((item) => item.sku!);
}

export type ManualCountResult = { task: CountTaskSummary; errors?: undefined } | { errors: Partial<Record<ManualCountField, FieldError>>; task?: undefined };

/**
 * A count made by hand: a warehouse, the SKUs to count (SKU or barcode, as the warehouse or the
 * catalog knows them; every mapped SKU for a full count), an optional due date, blind or not.
 */
export async function createManualCount(shop: string, fields: ManualCountFields, options: { actor: string; db?: Database; now?: Date }): Promise<ManualCountResult> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const errors: Partial<Record<ManualCountField, FieldError>> = {};
  const warehouse = fields.warehouseId ? await scoped.warehouse.findFirst({ where: { id: fields.warehouseId }, select: { id: true, name: true } }) : null;
  if (!warehouse) errors.warehouseId = { key: "counts.new.errors.warehouse" };
  const kind = isCountKind(fields.kind) && (MANUAL_COUNT_KINDS as readonly string[]).includes(fields.kind) ? fields.kind : null;
  if (!kind) errors.kind = { key: "counts.new.errors.kind" };
  const settings = await shopCountSettings(scoped, shop);
  let dueAt: Date | null = null;
  if (fields.dueOn !== "") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.dueOn) || Number.isNaN(new Date(`${fields.dueOn}T00:00:00Z`).getTime())) errors.dueOn = { key: "counts.plan.errors.day" };
    else if (fields.dueTime !== "" && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(fields.dueTime)) errors.dueTime = { key: "counts.plan.errors.time" };
    else dueAt = shopDateTime(fields.dueOn, fields.dueTime || "23:59", settings.timeZone);
  }
  const codes = skuList(fields.skus);
  let inventoryItemIds: string[] | undefined;
  if (kind && kind !== "full" && !codes.length) errors.skus = { key: "counts.new.errors.skus" };
  if (warehouse && codes.length) {
    const found = await itemsAtWarehouse(shop, warehouse.id, codes, db);
    if (found.unknown.length) errors.skus = { key: "counts.new.errors.unknownSkus", vars: { skus: found.unknown.slice(0, 10).join(", "), count: found.unknown.length } };
    inventoryItemIds = found.inventoryItemIds;
  }
  if (Object.keys(errors).length || !warehouse || !kind) return { errors };
  const task = await createCountTask(
    shop,
    { warehouseId: warehouse.id, kind, inventoryItemIds, dueAt, blind: fields.blind !== "false" },
    { actor: options.actor, db, now: options.now }
  );
  return { task };
}

/** Inventory items of SKUs or barcodes at a warehouse (its mapped SKUs), and the codes it does not stock. */
async function itemsAtWarehouse(shop: string, warehouseId: string, codes: readonly string[], db: Database): Promise<{ inventoryItemIds: string[]; unknown: string[] }> {
  const scoped = forShop(shop, db);
  const positions = await scoped.inventoryPosition.findMany({
    where: { warehouseId, inventoryItemId: { not: null } },
    select: { inventoryItemId: true, warehouseSku: true, warehouseBarcode: true },
  });
  const catalog = await scoped.catalogItem.findMany({
    where: { inventoryItemId: { in: positions.map((p) => p.inventoryItemId!) } },
    select: { inventoryItemId: true, sku: true, barcode: true },
  });
  const byCode = new Map<string, string>();
  for (const p of positions) {
    byCode.set(p.warehouseSku.toUpperCase(), p.inventoryItemId!);
    if (p.warehouseBarcode) byCode.set(p.warehouseBarcode, p.inventoryItemId!);
  }
  for (const item of catalog) {
    if (item.sku && !byCode.has(item.sku.toUpperCase())) byCode.set(item.sku.toUpperCase(), item.inventoryItemId);
    if (item.barcode && !byCode.has(item.barcode)) byCode.set(item.barcode, item.inventoryItemId);
  }
  const lookup = (code: string) => byCode.get(code.toUpperCase()) ?? byCode.get(code);
  return {
    inventoryItemIds: [...new Set(codes.map(lookup).filter((id): id is string => id != null))],
    unknown: codes.filter((code) => lookup(code) == null),
  };
}
