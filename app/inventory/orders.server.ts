// Shopify orders -> reservations. Shopify commits an order's units at the location its
// fulfillment order is assigned to; until the warehouse acknowledges the order, those units are
// reserved against that warehouse's sellable stock. Idempotent: it brings the reservations in
// line with what Shopify says now, whatever the order of the webhooks that asked for it.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import type { ShopifyInventoryGateway } from "./gateway";
import { readOrderReservations } from "./position-statements.server";
import { changeOrderReservations, reserveOrderLines, type KnownReservation } from "./positions.server";

export interface OrderReservationSync {
  reserved: number;
  released: number;
}

/**
 * `known`: every reservation of the order, when the caller has just read them
 * (readOrderReservations); read here otherwise.
 */
export async function syncOrderReservations(
  shop: string,
  orderId: string,
  gateway: ShopifyInventoryGateway,
  db: Database = defaultDb,
  now: Date = new Date(),
  known?: KnownReservation[],
): Promise<OrderReservationSync> {
  const commitments = await gateway.orderCommitments(orderId);
  if (!commitments || commitments.cancelled) {
    return { reserved: 0, released: await changeOrderReservations(shop, orderId, "cancelled", {}, db, now) };
  }
  // The order's reservations in one read: what each line already holds, and what is still open.
  const reservations = known ?? (await readOrderReservations(db, shop, orderId));
  const reserved = await reserveOrderLines(shop, commitments.lines.map((line) => ({ orderId, ...line })), db, now, reservations);
  // Lines Shopify no longer has committed (fulfilled, removed by an edit, moved away) let go.
  // (What reserveOrderLines wrote is in `reservations` too; those lines are all still committed.)
  const stillCommitted = new Set(commitments.lines.map((l) => l.lineItemId));
  const open = reservations.filter((r) => r.status === "active" || r.status === "acknowledged");
  const gone = [...new Set(open.map((r) => r.lineItemId).filter((id) => !stillCommitted.has(id)))];
  const released = gone.length ? await changeOrderReservations(shop, orderId, "fulfilled", { lineItemIds: gone }, db, now) : 0;
  return { reserved, released };
}
