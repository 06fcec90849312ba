import { describe, expect, it } from "vitest";
import { driftUnits, isDrifted, isLow, LOW_STOCK_UNITS, stockStatus, type StockStatusInputs } from "../../../app/inventory/stock-status";

const inSync: StockStatusInputs = { mapped: true, warehouseFrozen: false, dirty: false, shopifyAvailable: 20, lastWrittenAvailable: 20, safetyStock: 2 };

describe("the Inventory page's status badge", () => {
  it("a mapped, clean position whose Shopify number is what we published is in sync", () => {
    expect(stockStatus(inSync)).toBe("in_sync");
  });

  it("a warehouse SKU without a Shopify product is unmapped, whatever else is true", () => {
    expect(stockStatus({ ...inSync, mapped: false, warehouseFrozen: true, dirty: true, shopifyAvailable: 0 })).toBe("unmapped");
  });

  it("a full count freezes the warehouse: frozen wins over syncing and drift", () => {
    expect(stockStatus({ ...inSync, warehouseFrozen: true, dirty: true, shopifyAvailable: 3 })).toBe("frozen");
  });

  it("a position waiting for its write is syncing, not drifted", () => {
    expect(stockStatus({ ...inSync, dirty: true, shopifyAvailable: 25 })).toBe("syncing");
    expect(isDrifted({ ...inSync, dirty: true, shopifyAvailable: 25 })).toBe(false);
  });

  it("Shopify showing something other than what we last published, with no write coming, is drift", () => {
    expect(stockStatus({ ...inSync, shopifyAvailable: 17 })).toBe("drifted");
  });

  it("drift needs both numbers: never read or never written is not drift", () => {
    expect(isDrifted({ ...inSync, shopifyAvailable: null })).toBe(false);
    expect(isDrifted({ ...inSync, lastWrittenAvailable: null })).toBe(false);
  });

  it("low is Shopify available at or below the safety stock, or at or below a handful of units", () => {
    expect(isLow({ mapped: true, shopifyAvailable: LOW_STOCK_UNITS, safetyStock: 0 })).toBe(true);
    expect(isLow({ mapped: true, shopifyAvailable: LOW_STOCK_UNITS + 1, safetyStock: 0 })).toBe(false);
    expect(isLow({ mapped: true, shopifyAvailable: 10, safetyStock: 10 })).toBe(true);
    expect(isLow({ mapped: true, shopifyAvailable: 11, safetyStock: 10 })).toBe(false);
    expect(isLow({ mapped: true, shopifyAvailable: null, safetyStock: 10 })).toBe(false);
    expect(stockStatus({ ...inSync, shopifyAvailable: 3, lastWrittenAvailable: 3 })).toBe("low");
  });

  it("drift outranks low: a wrong number is more urgent than a small one", () => {
    expect(stockStatus({ ...inSync, shopifyAvailable: 1, lastWrittenAvailable: 4 })).toBe("drifted");
  });

  it("drift is Shopify minus should-be, unknown until Shopify has been read", () => {
    expect(driftUnits(21, 16)).toBe(5);
    expect(driftUnits(16, 21)).toBe(-5);
    expect(driftUnits(null, 21)).toBeNull();
  });
});
