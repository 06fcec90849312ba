// From a Shopify fulfillment order to what routing and the warehouse need, and the routing
// decision to what the merchant reads (the rejection message Shopify shows, the record on the
// allocation). Pure: no I/O.
import type { FulfillmentOrderView, ShippingDestination } from "./gateway";
import { describeRouting, type FulfillmentRequest, type RoutingDecision } from "./routing";

/** The routing question for a fulfillment order: its unfulfilled units, where it ships, where Shopify put it. */
export function routingRequestFor(fo: FulfillmentOrderView): FulfillmentRequest {
  const destination = fo.destination;
  return {
    fulfillmentOrderId: fo.id,
    assignedLocationId: fo.assignedLocationId ?? "",
    destination: {
      countryCode: destination?.countryCode ?? "",
      provinceCode: destination?.provinceCode ?? null,
      postalCode: destination?.zip ?? null,
      latitude: destination?.latitude ?? null,
      longitude: destination?.longitude ?? null,
    },
    lines: fo.lines
      .filter((line) => line.remainingQuantity > 0)
      // routeFulfillmentRequest refuses a line without an inventory item, naming it.
      .map((line) => ({ lineItemId: line.id, inventoryItemId: line.inventoryItemId ?? "", sku: line.sku, quantity: line.remainingQuantity })),
  };
}

/** Why a warehouse could not ship to this address, in the merchant's words; null when it can. */
export function shippingAddressProblem(destination: ShippingDestination | null): string | null {
  if (!destination) return "The order has no shipping address, so no warehouse can ship it. Add one and request fulfillment again.";
  const missing = [
    ["street address", destination.address1],
    ["city", destination.city],
    ["country", destination.countryCode],
  ]
    .filter(([, value]) => !value?.trim())
    .map(([name]) => name);
  if (missing.length) {
    return `The shipping address has no ${missing.join(", ")}, so no warehouse can ship it. Correct the address and request fulfillment again.`;
  }
  return null;
}

/** The sentence Shopify shows the merchant when we reject a request no warehouse may ship. */
export function rejectionMessage(decision: RoutingDecision, warehouseNames: Readonly<Record<string, string>>): string {
  return `TallySync: no connected warehouse can ship this order. ${describeRouting(decision, warehouseNames)}`;
}

/** The message with a rejection that only moves the order to the warehouse that will ship it. */
export function moveMessage(warehouseName: string, decision: RoutingDecision, warehouseNames: Readonly<Record<string, string>>): string {
  return `TallySync is sending this order to ${warehouseName} instead. ${describeRouting(decision, warehouseNames)}`;
}

export interface RoutingRecord {
  kind: RoutingDecision["kind"];
  reasons: RoutingDecision["reasons"];
  /** The warehouses that ship it, in rank order (route only). */
  warehouseIds: string[];
  moveFrom: string | null;
  /** describeRouting's English sentence, for logs and as a fallback. */
  summary: string;
}

/** What Allocation.routingReason keeps: the reason codes for the UI to translate, and a sentence. */
export function routingRecord(decision: RoutingDecision, warehouseNames: Readonly<Record<string, string>>): RoutingRecord {
  return {
    kind: decision.kind,
    reasons: decision.reasons,
    warehouseIds: decision.kind === "route" ? decision.assignments.map((a) => a.warehouseId) : [],
    moveFrom: decision.kind === "route" ? (decision.moveFrom ?? null) : null,
    summary: describeRouting(decision, warehouseNames),
  };
}

/** The warehouse's ship-to address; the caller has checked shippingAddressProblem first. */
export function shipToAddress(destination: ShippingDestination) {
  return {
    name: destination.name?.trim() || destination.company?.trim() || "Customer",
    address1: destination.address1 ?? "",
    address2: destination.address2,
    city: destination.city ?? "",
    provinceCode: destination.provinceCode,
    postalCode: destination.zip,
    countryCode: (destination.countryCode ?? "").toUpperCase(),
    phone: destination.phone,
    email: destination.email,
  };
}
