// The fulfillment order as it was sent to the warehouse, kept on the allocation: its first
// shipment is written to Shopify from it, without reading the fulfillment order again (a read is
// 14 of Shopify's cost points, and a flash sale runs out of points before it runs out of CPU).
// Anything unexpected (no snapshot, a second shipment, Shopify refusing) falls back to the read.
import type { FulfillmentOrderLine } from "./gateway";

export interface SentFulfillmentOrder {
  /** The Shopify order. */
  orderId: string;
  fulfillmentOrderId: string;
  lines: FulfillmentOrderLine[];
}

export function sentLinesText(sent: SentFulfillmentOrder): string {
  return JSON.stringify(sent);
}

/** The snapshot of `fulfillmentOrderId`, or null when there is none or it is of another fulfillment order. */
export function parseSentLines(text: string | null, fulfillmentOrderId: string): SentFulfillmentOrder | null {
  if (!text) return null;
  try {
    const sent = JSON.parse(text) as Partial<SentFulfillmentOrder>;
    if (sent.fulfillmentOrderId !== fulfillmentOrderId || typeof sent.orderId !== "string" || !Array.isArray(sent.lines)) return null;
    const lines = sent.lines.filter(
      (l): l is FulfillmentOrderLine => Boolean(l) && typeof l.id === "string" && typeof l.lineItemId === "string" && typeof l.remainingQuantity === "number",
    );
    return lines.length === sent.lines.length ? { orderId: sent.orderId, fulfillmentOrderId, lines } : null;
  } catch {
    return null;
  }
}
