// Shopify's fulfillment-service stock callback: GET <callbackUrl>/fetch_stock(.json)?shop=...&sku=...
// (every SKU of the location when there is no sku). Answered from our positions, never from a
// live warehouse call, as { "<Shopify SKU>": <available> } with availableToSell, the one rule.
//
// Signed like every fulfillment-service GET callback (app/shopify/callback-signature.server.ts).
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { availableToSell, effectiveSafetyStock } from "./available";
import { verifyCallbackSignature } from "../shopify/callback-signature.server";

export const FETCH_STOCK_CACHE_MS = 5_000;

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
  if (!verifyCallbackSignature(url, request.headers.get("x-shopify-hmac-sha256"), secrets)) {
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
