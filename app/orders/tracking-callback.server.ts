// Shopify's fulfillment-service tracking callback: GET <callbackUrl>/fetch_tracking_numbers(.json)
// ?shop=...&order_names[]=#1001.1&order_names[]=#1002.1, asked (about hourly) for fulfillments
// that still wait for a tracking number when the service has trackingSupport. TallySync pushes
// tracking as soon as the warehouse ships, so this answers from our shipments, never from a live
// warehouse call: { "tracking_numbers": { "#1001.1": "1Z..." }, "message": ..., "success": true }.
// Names we do not know, or without a tracking number yet, are left out.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { verifyCallbackSignature } from "../shopify/callback-signature.server";

/** At most this many names are looked up per call (Shopify sends a handful). */
export const MAX_TRACKING_NAMES = 250;

/** The fulfillment names asked for: order_names[] (Shopify's form) or order_names, repeated or comma separated. */
export function requestedFulfillmentNames(url: URL): string[] {
  const raw = [...url.searchParams.getAll("order_names[]"), ...url.searchParams.getAll("order_names")];
  const names = raw.flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean);
  return [...new Set(names)].slice(0, MAX_TRACKING_NAMES);
}

/** The tracking number of each named fulfillment of this warehouse that has one. */
export async function trackingNumbersFor(shop: string, warehouseId: string, names: string[], db: Database = defaultDb): Promise<Record<string, string> | null> {
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findFirst({ where: { id: warehouseId }, select: { id: true } });
  if (!warehouse) return null;
  if (!names.length) return {};
  const shipments = await scoped.shipment.findMany({
    where: { shopifyFulfillmentName: { in: names }, trackingNumber: { not: null }, allocation: { warehouseId } },
    select: { shopifyFulfillmentName: true, trackingNumber: true },
  });
  return Object.fromEntries(shipments.map((s) => [s.shopifyFulfillmentName!, s.trackingNumber!]));
}

/** The whole request: signature, shop, warehouse, answer. */
export async function answerFetchTrackingNumbers(request: Request, warehouseId: string, secrets: string[], db: Database = defaultDb): Promise<Response> {
  const url = new URL(request.url);
  if (!verifyCallbackSignature(url, request.headers.get("x-shopify-hmac-sha256"), secrets)) {
    return Response.json({ success: false, message: "invalid signature" }, { status: 401 });
  }
  const shop = url.searchParams.get("shop") ?? request.headers.get("x-shopify-shop-domain");
  if (!shop) return Response.json({ success: false, message: "shop is required" }, { status: 400 });
  const numbers = await trackingNumbersFor(shop, warehouseId, requestedFulfillmentNames(url), db);
  if (!numbers) return Response.json({ success: false, message: "unknown warehouse" }, { status: 404 });
  return Response.json({ tracking_numbers: numbers, message: "Successfully received the tracking numbers", success: true });
}
