// orders/updated comes for every change of a Shopify order, most of which change nothing we keep:
// Shopify sends one when an order is fulfilled, tagged, paid, noted... (a flash sale brings one per
// order). Recording it and asking Shopify where its units are committed costs a dozen queries and a
// GraphQL call; telling that nothing changed costs one conditional write and one narrow read.
//
// The order's fields and lines are compared with what app/models/order.server.ts
// (upsertOrderFromWebhook) would write, and the order's open reservations with the units Shopify
// says are still to be fulfilled per line (fulfillable_quantity). When both match, recording the
// order and syncing its reservations would change nothing, except the order's shopifyUpdatedAt,
// which is moved on (so that an older update arriving later is still known to be stale).
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import type { ShopifyOrderPayload } from "../webhooks/payloads";
import { readOrderReservations } from "./position-statements.server";
import { gid, storedOrderFields } from "../models/order.server";
import type { KnownReservation } from "./positions.server";

export interface UnchangedOrder {
  shopifyOrderId: string;
  /** Its open reservations match what Shopify has still to fulfil, line by line: a reservation sync would change nothing. */
  reservationsSettled: boolean;
  /** Every reservation of the order (for the sync, when it runs). */
  reservations: KnownReservation[];
}

/**
 * An orders/updated newer than the update we applied, that changes nothing else we keep: its
 * updated_at is recorded, in one statement that only matches when the order and every line it
 * lists are stored as upsertOrderFromWebhook would store them. Then the order's reservations are
 * read and compared with the payload's fulfillable quantities. Null when the statement matched
 * nothing (a change, a stale or repeated update, an order new to us): record it as usual.
 */
export async function recordUnchangedOrderUpdate(shop: string, payload: ShopifyOrderPayload, db: Database): Promise<UnchangedOrder | null> {
  if (!payload.updated_at) return null;
  const updatedAt = new Date(payload.updated_at);
  if (Number.isNaN(updatedAt.getTime())) return null;
  const scoped = forShop(shop, db);
  const shopifyOrderId = payload.admin_graphql_api_id ?? gid("Order", payload.id);
  const payloadLines = (payload.line_items ?? []).map((line) => ({
    lineItemId: line.admin_graphql_api_id ?? gid("LineItem", line.id),
    sku: line.sku ?? null,
    quantity: line.quantity,
    fulfillable: (line as { fulfillable_quantity?: unknown }).fulfillable_quantity,
  }));
  const { count } = await scoped.order.updateMany({
    where: {
      shopifyOrderId,
      ...storedOrderFields(payload),
      // Newer than what was applied: an older one is stale, the same one a repeat (both as before).
      OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lt: updatedAt } }],
      // Lines we keep that the payload no longer lists are left alone by the upsert too.
      AND: payloadLines.map((line) => ({ lines: { some: { lineItemId: line.lineItemId, sku: line.sku, quantity: line.quantity } } })),
    },
    data: { shopifyUpdatedAt: updatedAt },
  });
  if (!count) return null;

  // The reservations: settled when every line's open reservations add up to the units Shopify
  // still has to fulfil of it, and no other line holds any. A payload without fulfillable
  // quantities cannot tell: the sync asks Shopify as before.
  const reservations = await readOrderReservations(db, shop, shopifyOrderId);
  const held = new Map<string, number>();
  for (const r of reservations) {
    if (r.status === "active" || r.status === "acknowledged") held.set(r.lineItemId, (held.get(r.lineItemId) ?? 0) + r.quantity);
  }
  const listed = new Set(payloadLines.map((line) => line.lineItemId));
  const reservationsSettled =
    payloadLines.every((line) => typeof line.fulfillable === "number" && (held.get(line.lineItemId) ?? 0) === line.fulfillable) &&
    [...held.keys()].every((lineItemId) => listed.has(lineItemId));
  return { shopifyOrderId, reservationsSettled, reservations };
}
