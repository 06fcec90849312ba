import { describe, expect, it } from "vitest";
import { exceptionCountLines, exceptionReasons, type StockPositionFigures } from "~/counts/exception-count";

const position = (figures: Partial<StockPositionFigures> = {}): StockPositionFigures => ({
  inventoryItemId: "i-mug",
  warehouseSku: "MUG-BLUE",
  sellable: 10,
  reserved: 2,
  onHand: 12,
  lastDrift: null,
  exceptionQuantity: 0,
  ...figures,
});
const reasons = (figures: Partial<StockPositionFigures>, driftUnits = 5) => exceptionReasons(position(figures), { driftUnits }).reasons;

describe("exception counts raised by the system", () => {
  it("a healthy position raises nothing", () => {
    expect(reasons({})).toEqual([]);
  });

  it("negative sellable or on-hand stock raises a count", () => {
    expect(reasons({ sellable: -3 })).toEqual(["negative_stock"]);
    expect(reasons({ onHand: -1, reserved: -2 })).toEqual(["negative_stock"]);
  });

  it("more reserved than on hand is impossible stock", () => {
    expect(reasons({ reserved: 13, onHand: 12 })).toEqual(["impossible_stock"]);
    expect(reasons({ reserved: 12, onHand: 12 })).toEqual([]);
  });

  it("without an on-hand figure only sellable is checked", () => {
    expect(reasons({ onHand: null, reserved: 99 })).toEqual([]);
  });

  it("drift above the threshold either way raises a count; at the threshold it does not", () => {
    expect(reasons({ lastDrift: 6 })).toEqual(["drift"]);
    expect(reasons({ lastDrift: -6 })).toEqual(["drift"]);
    expect(reasons({ lastDrift: 5 })).toEqual([]);
    expect(reasons({ lastDrift: 1 }, 0)).toEqual(["drift"]);
  });

  it("drift found before the SKU's last count is settled by that count", () => {
    const counted = new Date("2025-03-10T00:00:00Z");
    expect(reasons({ lastDrift: 9, lastDriftAt: new Date("2025-03-09T00:00:00Z"), lastCountedAt: counted })).toEqual([]);
    expect(reasons({ lastDrift: 9, lastDriftAt: new Date("2025-03-11T00:00:00Z"), lastCountedAt: counted })).toEqual(["drift"]);
  });

  it("units in the warehouse's exception quantity raise a count", () => {
    expect(reasons({ exceptionQuantity: 2 })).toEqual(["warehouse_exception"]);
  });

  it("lists every reason with a sentence a merchant can read", () => {
    expect(exceptionReasons(position({ sellable: -1, reserved: 20, onHand: 12, lastDrift: -8, exceptionQuantity: 1 }), { driftUnits: 5 })).toEqual({
      reasons: ["negative_stock", "impossible_stock", "drift", "warehouse_exception"],
      details: [
        "The warehouse reports -1 unit sellable of MUG-BLUE",
        "20 units of MUG-BLUE are reserved but only 12 are on hand",
        "Shopify showed 8 units fewer than it should for MUG-BLUE (more than the 5 allowed)",
        "The warehouse holds 1 unit of MUG-BLUE as exceptions",
      ],
    });
  });

  it("raises lines by SKU, skipping positions already on an open count", () => {
    const lines = exceptionCountLines(
      [position({ warehouseSku: "Z", inventoryItemId: "z", sellable: -1 }), position({ warehouseSku: "A", inventoryItemId: "a", sellable: -1 }), position({ warehouseSku: "OK", inventoryItemId: "ok" }), position({ warehouseSku: "B", inventoryItemId: "b", sellable: -2 })],
      { driftUnits: 5 },
      { beingCounted: new Set(["b"]) },
    );
    expect(lines.map((l) => l.position.warehouseSku)).toEqual(["A", "Z"]);
  });
});
