// Which fulfillment order line items a warehouse shipment ships. The warehouse names our line
// back (external_line_reference, the fulfillment order line item id we sent) when it can; otherwise
// the line is found by its SKU's inventory item. Only what the fulfillment order still has to
// fulfil is taken: a partial shipment fulfils only its own units. Pure: no I/O.
import type { FulfillmentOrderLine } from "./gateway";

export interface ShippedLine {
  sku: string;
  quantity: number;
  externalLineReference: string | null;
}

export interface FulfilledLine {
  fulfillmentOrderLineItemId: string;
  lineItemId: string;
  sku: string | null;
  quantity: number;
}

export interface ShipmentMatch {
  lines: FulfilledLine[];
  /** Units the fulfillment order has no room for (already fulfilled, or not on it at all). */
  unmatched: Array<{ sku: string; quantity: number }>;
}

/**
 * @param itemOfSku the Shopify inventory item of each warehouse SKU (the connection's SKU mapping)
 */
export function matchShipmentLines(shipped: readonly ShippedLine[], orderLines: readonly FulfillmentOrderLine[], itemOfSku: ReadonlyMap<string, string>): ShipmentMatch {
  const left = new Map(orderLines.map((line) => [line.id, line.remainingQuantity]));
  const taken = new Map<string, number>();
  const unmatched: ShipmentMatch["unmatched"] = [];
  const take = (line: FulfillmentOrderLine, wanted: number): number => {
    const room = left.get(line.id) ?? 0;
    const units = Math.min(room, wanted);
    if (units <= 0) return 0;
    left.set(line.id, room - units);
    taken.set(line.id, (taken.get(line.id) ?? 0) + units);
    return units;
  };

  for (const shippedLine of shipped) {
    let wanted = shippedLine.quantity;
    const named = shippedLine.externalLineReference ? orderLines.find((line) => line.id === shippedLine.externalLineReference) : undefined;
    if (named) wanted -= take(named, wanted);
    if (wanted > 0) {
      const item = itemOfSku.get(shippedLine.sku);
      for (const line of orderLines) {
        if (wanted === 0) break;
        const sameItem = item ? line.inventoryItemId === item : line.sku === shippedLine.sku;
        if (sameItem) wanted -= take(line, wanted);
      }
    }
    if (wanted > 0) unmatched.push({ sku: shippedLine.sku, quantity: wanted });
  }

  const lines = orderLines
    .filter((line) => (taken.get(line.id) ?? 0) > 0)
    .map((line) => ({ fulfillmentOrderLineItemId: line.id, lineItemId: line.lineItemId, sku: line.sku, quantity: taken.get(line.id)! }));
  return { lines, unmatched };
}

/** The order line items whose units have all shipped once these lines are fulfilled. */
export function fullyShippedLineItems(orderLines: readonly FulfillmentOrderLine[], fulfilled: readonly FulfilledLine[]): string[] {
  const shipped = new Map<string, number>();
  for (const line of fulfilled) shipped.set(line.fulfillmentOrderLineItemId, (shipped.get(line.fulfillmentOrderLineItemId) ?? 0) + line.quantity);
  return orderLines.filter((line) => line.remainingQuantity - (shipped.get(line.id) ?? 0) <= 0).map((line) => line.lineItemId);
}

/** Tracking as one comparable text, to skip writing what Shopify already has. */
export function trackingKey(tracking: { company: string | null; number: string | null; url: string | null }): string {
  return JSON.stringify([tracking.company ?? "", tracking.number ?? "", tracking.url ?? ""]);
}
