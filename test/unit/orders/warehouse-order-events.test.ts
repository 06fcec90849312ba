// The generic protocol's order events, read into the connector's types (docs/warehouse-protocol.openapi.yaml).
import { describe, expect, it } from "vitest";
import { ProtocolShapeError, readOrderEvent, readReturnFeed, readShipmentFeed } from "~/warehouses/generic/protocol";

const shipment = {
  id: "sh_1",
  sequence: 42,
  order_id: "ob_1",
  external_reference: "gid://shopify/FulfillmentOrder/5012",
  warehouse: "LAX1",
  carrier: "UPS",
  service: "Ground",
  tracking_number: "1Z999",
  tracking_url: "https://www.ups.com/track?tracknum=1Z999",
  lines: [{ sku: "MUG-BLUE", quantity: 2, external_line_reference: "gid://shopify/FulfillmentOrderLineItem/9001" }],
  shipped_at: "2026-11-02T09:16:00.000Z",
  updated_at: "2026-11-02T09:16:00.000Z",
};

describe("warehouse order events", () => {
  it("a shipment event carries the shipment with its tracking and the lines named back", () => {
    const event = readOrderEvent({ id: "evt_1", topic: "shipment.created", occurredAt: new Date(), data: shipment });
    expect(event).toMatchObject({
      kind: "shipment",
      shipment: { id: "sh_1", sequence: 42, externalReference: "gid://shopify/FulfillmentOrder/5012", trackingNumber: "1Z999", lines: [{ sku: "MUG-BLUE", quantity: 2, externalLineReference: "gid://shopify/FulfillmentOrderLineItem/9001" }] },
    });
  });

  it("an order event carries the order's status, shipped units and exception", () => {
    const event = readOrderEvent({
      id: "evt_2",
      topic: "order.exception",
      occurredAt: new Date(),
      data: {
        id: "ob_1",
        external_reference: "gid://shopify/FulfillmentOrder/5012",
        warehouse: "LAX1",
        status: "exception",
        lines: [{ sku: "MUG-BLUE", quantity: 2, shipped_quantity: 0, external_line_reference: null }],
        exception: { code: "address_invalid", message: "No such street" },
      },
    });
    expect(event).toMatchObject({ kind: "order", order: { status: "exception", exception: { code: "address_invalid", message: "No such street" }, lines: [{ shippedQuantity: 0 }] } });
  });

  it("a return event splits each line into sellable and damaged units; stock events carry no order", () => {
    const received = { id: "rt_1", sequence: 7, rma: "RMA-1", order_id: null, external_reference: null, warehouse: "LAX1", lines: [{ sku: "MUG-BLUE", quantity: 3, sellable_quantity: 2, damaged_quantity: 1 }], received_at: "2026-11-02T09:16:00.000Z" };
    expect(readOrderEvent({ id: "evt_3", topic: "return.received", occurredAt: new Date(), data: received })).toMatchObject({ kind: "return", received: { id: "rt_1", lines: [{ sellable: 2, damaged: 1 }] } });
    expect(readOrderEvent({ id: "evt_4", topic: "inventory.changed", occurredAt: new Date(), data: {} })).toBeNull();
  });

  it("feeds page with their own cursors, and a wrong field is named", () => {
    expect(readShipmentFeed({ data: [shipment], next_cursor: "c2", has_more: false })).toMatchObject({ items: [{ id: "sh_1" }], nextCursor: "c2", hasMore: false });
    expect(readReturnFeed({ data: [], next_cursor: "c3", has_more: true })).toEqual({ items: [], nextCursor: "c3", hasMore: true });
    expect(() => readShipmentFeed({ data: [{ ...shipment, lines: [{ sku: "X", quantity: 0 }] }], next_cursor: "c", has_more: false })).toThrow(ProtocolShapeError);
    expect(() => readShipmentFeed({ data: [{ ...shipment, lines: [{ sku: "X", quantity: 0 }] }], next_cursor: "c", has_more: false })).toThrow("data[0].lines[0].quantity should be a whole number");
  });
});
