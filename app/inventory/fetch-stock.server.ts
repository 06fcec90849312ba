// Shopify's fulfillment-service stock callback: GET <callbackUrl>/fetch_stock(.json)?shop=...&sku=...
// (every SKU of the location when there is no sku). Answered from our positions, never from a
// live warehouse call, as { "<Shopify SKU>": <available> } with availableToSell, the one rule.
//
// Shopify signs the GET with X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the query string,
// keyed with the app's client secret. Developers report the raw query string as sent works; older
// answers describe the decoded parameters sorted by name. Either form is accepted: both need the
// secret. (Shopify also sends a timestamp; no replay window is enforced here: the answer is a
// read-only stock figure.)
import { createHmac, timingSafeEqual } from "node:crypto";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { availableToSell, effectiveSafetyStock } from "./available";

export const FETCH_STOCK_CACHE_MS = 5_000;

function sign(message: string, secret: string): Buffer {
  return createHmac("sha256", secret).update(message, "utf8").digest();
}

/** The two strings Shopify's signature may cover: the raw query, and the sorted decoded pairs. */
function signedForms(url: URL): string[] {
  const raw = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  const sorted = [...url.searchParams.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  return raw === sorted ? [raw] : [raw, sorted];
}

export function fetchStockSignature(url: URL, secret: string): string {
  return sign(signedForms(url)[0]!, secret).toString("base64");
}

export function verifyFetchStockRequest(url: URL, header: string | null, secrets: string[]): boolean {
  if (!header) return false;
  const received = Buffer.from(header, "base64");
  for (const secret of secrets) {
    for (const form of signedForms(url)) {
      const expected = sign(form, secret);
      if (received.length === expected.length && timingSafeEqual(received, expected)) return true;
    }
  }
  return false;
}

const cache = new Map<string, { expires: number; stock: Record<string, number> }>();

export function clearFetchStockCache(): void {
  cache.clear();
}

/**
 * What Shopify may sell of each mapped SKU at a warehouse's location, keyed by Shopify's SKU (the
 * variant's, from the catalog; the warehouse SKU when the catalog has none). Null when the
 * warehouse is not the shop's.
 */
export async function warehouseStock(shop: string, warehouseId: string, db: Database = defaultDb, nowMs: number = Date.now()): Promise<Record<string, number> | null> {
  const key = `${shop}\n${warehouseId}`;
  const hit = cache.get(key);
  if (hit && hit.expires > nowMs) return hit.stock;
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findFirst({ where: { id: warehouseId }, select: { id: true } });
  if (!warehouse) return null;
  const [positions, settings] = await Promise.all([
    scoped.inventoryPosition.findMany({ where: { warehouseId, inventoryItemId: { not: null } } }),
    scoped.shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true } }),
  ]);
  const catalog = await scoped.catalogItem.findMany({
    where: { inventoryItemId: { in: positions.map((p) => p.inventoryItemId!) } },
    select: { inventoryItemId: true, sku: true },
  });
  const skuOf = new Map(catalog.map((c) => [c.inventoryItemId, c.sku]));
  const stock: Record<string, number> = {};
  for (const p of positions) {
    const sku = skuOf.get(p.inventoryItemId!) || p.warehouseSku;
    stock[sku] = availableToSell({
      warehouseSellable: p.warehouseSellable,
      unacknowledgedReserved: p.reservedUnacknowledged,
      safetyStock: effectiveSafetyStock(p.safetyStock, settings?.defaultSafetyStock ?? 0),
      shopifyCommitted: p.shopifyCommitted,
      acknowledgedUnfulfilled: p.acknowledgedUnfulfilled,
    }).available;
  }
  cache.set(key, { expires: nowMs + FETCH_STOCK_CACHE_MS, stock });
  return stock;
}

/** The whole request: signature, shop, warehouse, answer. */
export async function answerFetchStock(request: Request, warehouseId: string, secrets: string[], db: Database = defaultDb): Promise<Response> {
  const url = new URL(request.url);
  if (!verifyFetchStockRequest(url, request.headers.get("x-shopify-hmac-sha256"), secrets)) {
    return Response.json({ error: "invalid signature" }, { status: 401 });
  }
  const shop = url.searchParams.get("shop") ?? request.headers.get("x-shopify-shop-domain");
  if (!shop) return Response.json({ error: "shop is required" }, { status: 400 });
  const stock = await warehouseStock(shop, warehouseId, db);
  if (!stock) return Response.json({ error: "unknown warehouse" }, { status: 404 });
  const sku = url.searchParams.get("sku");
  if (sku == null) return Response.json(stock);
  // A SKU this location does not carry is left out rather than answered with 0.
  return Response.json(sku in stock ? { [sku]: stock[sku] } : {});
}
