import { describe, expect, it } from "vitest";
import { translator } from "../../../app/i18n";
import { describeLedgerRow, type LedgerRow } from "../../../app/inventory/ledger-story";

const en = translator("en");
const zh = translator("zh-CN");
const names = new Map([["gid://shopify/Order/5001", "#1042"]]);

function row(partial: Partial<LedgerRow>): LedgerRow {
  return { quantityName: "warehouse_sellable", source: "warehouse_webhook", reason: "warehouse_level", reference: null, before: 20, after: 25, delta: 5, ...partial };
}

describe("ledger rows in the merchant's words", () => {
  it("a warehouse report names the new and old figures and how it reached us", () => {
    expect(describeLedgerRow(row({}), names, en)).toBe("Warehouse reported 25 sellable (was 20), by webhook");
    expect(describeLedgerRow(row({ source: "warehouse_poll" }), names, zh)).toBe("仓库上报可售 25（原为 20），来源：轮询");
  });

  it("an order's reservation names the order by its Shopify name and the units it took", () => {
    const reserved = row({ quantityName: "reserved", source: "shopify_order", reason: "order_reserved", reference: "gid://shopify/Order/5001", before: 3, after: 5, delta: 2 });
    expect(describeLedgerRow(reserved, names, en)).toBe("Order #1042 reserved 2 (held for orders: 5, was 3)");
  });

  it("an order we do not hold is named by its Shopify id", () => {
    const cancelled = row({ quantityName: "reserved", reason: "order_cancelled", reference: "gid://shopify/Order/777", before: 5, after: 3, delta: -2 });
    expect(describeLedgerRow(cancelled, names, en)).toBe("Order 777 cancelled: 2 released (held for orders: 3, was 5)");
  });

  it("our own writes read as 'Written to Shopify'", () => {
    const written = row({ quantityName: "shopify_available", source: "stock_sync", reason: "written_to_shopify", before: 16, after: 21, delta: 5 });
    expect(describeLedgerRow(written, names, en)).toBe("Written to Shopify: 21 (was 16)");
  });

  it("a quantity we have no words for still shows its figures and source", () => {
    expect(describeLedgerRow(row({ quantityName: "incoming", source: "mystery" }), names, en)).toBe("incoming: 25 (was 20), by mystery");
  });
});
