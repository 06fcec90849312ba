import { describe, expect, it } from "vitest";
import type { FulfillmentOrderLine } from "~/orders/gateway";
import { fullyShippedLineItems, matchShipmentLines, trackingKey } from "~/orders/shipment-lines";

const lines: FulfillmentOrderLine[] = [
  { id: "fol-1", lineItemId: "li-1", inventoryItemId: "item-mug", sku: "MUG", totalQuantity: 3, remainingQuantity: 3 },
  { id: "fol-2", lineItemId: "li-2", inventoryItemId: "item-plate", sku: "PLATE", totalQuantity: 1, remainingQuantity: 1 },
];
const itemOfSku = new Map([
  ["WH-MUG", "item-mug"],
  ["WH-PLATE", "item-plate"],
]);

describe("which fulfillment order lines a warehouse shipment ships", () => {
  it("a line the warehouse names back is fulfilled by that line", () => {
    expect(matchShipmentLines([{ sku: "WH-MUG", quantity: 2, externalLineReference: "fol-1" }], lines, itemOfSku)).toEqual({
      lines: [{ fulfillmentOrderLineItemId: "fol-1", lineItemId: "li-1", sku: "MUG", quantity: 2 }],
      unmatched: [],
    });
  });

  it("without a reference, the warehouse SKU's mapped item finds the line", () => {
    expect(matchShipmentLines([{ sku: "WH-PLATE", quantity: 1, externalLineReference: null }], lines, itemOfSku).lines).toEqual([
      { fulfillmentOrderLineItemId: "fol-2", lineItemId: "li-2", sku: "PLATE", quantity: 1 },
    ]);
  });

  it("never fulfils more than remains; the excess is reported, not sent", () => {
    const partlyShipped = [{ ...lines[0]!, remainingQuantity: 1 }, lines[1]!];
    expect(matchShipmentLines([{ sku: "WH-MUG", quantity: 3, externalLineReference: "fol-1" }], partlyShipped, itemOfSku)).toEqual({
      lines: [{ fulfillmentOrderLineItemId: "fol-1", lineItemId: "li-1", sku: "MUG", quantity: 1 }],
      unmatched: [{ sku: "WH-MUG", quantity: 2 }],
    });
  });

  it("a SKU that is not on the fulfillment order is unmatched", () => {
    expect(matchShipmentLines([{ sku: "WH-LAMP", quantity: 1, externalLineReference: null }], lines, itemOfSku)).toEqual({ lines: [], unmatched: [{ sku: "WH-LAMP", quantity: 1 }] });
  });

  it("a partial shipment leaves the other lines to a later shipment; only fully shipped lines count as shipped", () => {
    const shipped = matchShipmentLines([{ sku: "WH-MUG", quantity: 2, externalLineReference: "fol-1" }, { sku: "WH-PLATE", quantity: 1, externalLineReference: "fol-2" }], lines, itemOfSku).lines;
    expect(fullyShippedLineItems(lines, shipped)).toEqual(["li-2"]);
    expect(fullyShippedLineItems(lines, [...shipped, { fulfillmentOrderLineItemId: "fol-1", lineItemId: "li-1", sku: "MUG", quantity: 1 }])).toEqual(["li-1", "li-2"]);
  });

  it("tracking compares on company, number and URL", () => {
    expect(trackingKey({ company: "UPS", number: "1Z", url: null })).toBe(trackingKey({ company: "UPS", number: "1Z", url: null }));
    expect(trackingKey({ company: "UPS", number: "1Z", url: null })).not.toBe(trackingKey({ company: "UPS", number: "1Y", url: null }));
  });
});
