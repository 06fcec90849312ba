import { describe, expect, it } from "vitest";
import { moveMessage, rejectionMessage, routingRecord, routingRequestFor, shipToAddress, shippingAddressProblem } from "~/orders/fulfillment-request";
import type { FulfillmentOrderView, ShippingDestination } from "~/orders/gateway";
import { routeFulfillmentRequest, RoutingInputError, type WarehouseCandidate } from "~/orders/routing";

const destination: ShippingDestination = {
  name: "Ada Lovelace",
  company: null,
  address1: "1 Broad St",
  address2: null,
  city: "Newark",
  provinceCode: "NJ",
  zip: "07102",
  countryCode: "US",
  phone: null,
  email: "ada@example.com",
  latitude: null,
  longitude: null,
};

function fo(overrides: Partial<FulfillmentOrderView> = {}): FulfillmentOrderView {
  return {
    id: "gid://shopify/FulfillmentOrder/1",
    orderId: "gid://shopify/Order/9",
    orderName: "#1001",
    status: "OPEN",
    requestStatus: "SUBMITTED",
    assignedLocationId: "gid://shopify/Location/1",
    destination,
    lines: [
      { id: "gid://shopify/FulfillmentOrderLineItem/11", lineItemId: "gid://shopify/LineItem/21", inventoryItemId: "gid://shopify/InventoryItem/31", sku: "MUG", totalQuantity: 2, remainingQuantity: 2 },
      { id: "gid://shopify/FulfillmentOrderLineItem/12", lineItemId: "gid://shopify/LineItem/22", inventoryItemId: "gid://shopify/InventoryItem/32", sku: "PLATE", totalQuantity: 1, remainingQuantity: 0 },
    ],
    linesComplete: true,
    fulfillments: [],
    cancellationMessage: null,
    ...overrides,
  };
}

const warehouse = (id: string, locationId: string, regions: string[], available: Record<string, number>): WarehouseCandidate => ({
  id,
  name: id === "w-la" ? "Los Angeles" : "Newark",
  locationId,
  priority: 1,
  active: true,
  regions,
  available,
});

describe("from a fulfillment order to the routing question", () => {
  it("routes only the units still to fulfil, at the province the order ships to", () => {
    const request = routingRequestFor(fo());
    expect(request).toMatchObject({
      fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1",
      assignedLocationId: "gid://shopify/Location/1",
      destination: { countryCode: "US", provinceCode: "NJ", postalCode: "07102" },
      lines: [{ lineItemId: "gid://shopify/FulfillmentOrderLineItem/11", inventoryItemId: "gid://shopify/InventoryItem/31", sku: "MUG", quantity: 2 }],
    });
  });

  it("a line without an inventory item is refused by routing, naming the line", () => {
    const request = routingRequestFor(fo({ lines: [{ ...fo().lines[0]!, inventoryItemId: null, sku: "GIFT-CARD" }] }));
    expect(() => routeFulfillmentRequest({ request, warehouses: [] })).toThrow(RoutingInputError);
    expect(() => routeFulfillmentRequest({ request, warehouses: [] })).toThrow(/SKU GIFT-CARD.*has no inventory item/);
  });
});

describe("the shipping address a warehouse needs", () => {
  it("a complete address is fine", () => {
    expect(shippingAddressProblem(destination)).toBeNull();
  });

  it("names what is missing", () => {
    expect(shippingAddressProblem({ ...destination, address1: " ", city: null })).toBe(
      "The shipping address has no street address, city, so no warehouse can ship it. Correct the address and request fulfillment again.",
    );
    expect(shippingAddressProblem(null)).toMatch(/no shipping address/);
  });

  it("the warehouse gets the name, or the company when there is no name, and an upper-case country", () => {
    expect(shipToAddress({ ...destination, countryCode: "us" })).toMatchObject({ name: "Ada Lovelace", countryCode: "US", postalCode: "07102", provinceCode: "NJ" });
    expect(shipToAddress({ ...destination, name: null, company: "Acme" }).name).toBe("Acme");
  });
});

describe("what the merchant reads about a routing decision", () => {
  const request = routingRequestFor(fo());
  const names = { "w-la": "Los Angeles", "w-nj": "Newark" };

  it("a rejection names each warehouse's reason", () => {
    const decision = routeFulfillmentRequest({ request, warehouses: [warehouse("w-la", "gid://shopify/Location/1", ["US-CA"], {}), warehouse("w-nj", "gid://shopify/Location/2", ["CA"], {})] });
    expect(decision.kind).toBe("reject");
    expect(rejectionMessage(decision, names)).toBe(
      "TallySync: no connected warehouse can ship this order. Reject: no active warehouse may ship to US-NJ; Los Angeles does not ship to US-NJ; Newark does not ship to US-NJ.",
    );
  });

  it("the record keeps the codes, the warehouses in rank order and where the order moves from", () => {
    const decision = routeFulfillmentRequest({
      request,
      warehouses: [warehouse("w-la", "gid://shopify/Location/1", ["*"], { "gid://shopify/InventoryItem/31": 0 }), warehouse("w-nj", "gid://shopify/Location/2", ["*"], { "gid://shopify/InventoryItem/31": 5 })],
    });
    const record = routingRecord(decision, names);
    expect(record).toMatchObject({ kind: "route", warehouseIds: ["w-nj"], moveFrom: "gid://shopify/Location/1" });
    expect(record.reasons.map((r) => r.code)).toEqual(["insufficient_stock", "chosen_only_option"]);
    expect(record.summary).toMatch(/^Ship from Newark:/);
    expect(moveMessage("Newark", decision, names)).toMatch(/^TallySync is sending this order to Newark instead\. Ship from Newark/);
  });
});
