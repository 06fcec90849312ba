import { describe, expect, it } from "vitest";
import { mappingStillHolds, matchSkus, type ShopifyItemKeys, type WarehouseSkuKeys } from "../../../app/inventory/sku-matching";

const item = (id: string, sku: string | null, barcode: string | null = null): ShopifyItemKeys => ({ inventoryItemId: `gid://shopify/InventoryItem/${id}`, sku, barcode });
const wh = (warehouseSku: string, barcode: string | null = null): WarehouseSkuKeys => ({ warehouseSku, barcode });
const gid = (id: string) => `gid://shopify/InventoryItem/${id}`;

describe("matchSkus", () => {
  it("matches a warehouse SKU to the Shopify item with the same SKU", () => {
    expect(matchSkus([item("1", "MUG-BLUE")], [wh("MUG-BLUE")])).toEqual({
      matches: [{ warehouseSku: "MUG-BLUE", inventoryItemId: gid("1"), matchedBy: "sku" }],
      unmatched: [],
    });
  });

  it("ignores surrounding spaces and letter case in SKUs", () => {
    const { matches } = matchSkus([item("1", "  mug-blue ")], [wh("MUG-BLUE")]);
    expect(matches).toEqual([{ warehouseSku: "MUG-BLUE", inventoryItemId: gid("1"), matchedBy: "sku" }]);
  });

  it("falls back to the barcode when no Shopify item has the SKU", () => {
    const { matches } = matchSkus([item("1", "BLUE-MUG-350", "0012345678905")], [wh("MB350", " 0012345678905 ")]);
    expect(matches).toEqual([{ warehouseSku: "MB350", inventoryItemId: gid("1"), matchedBy: "barcode" }]);
  });

  it("prefers the SKU over the barcode when both could match different items", () => {
    const { matches } = matchSkus([item("1", "MUG", "111"), item("2", "OTHER", "222")], [wh("MUG", "222")]);
    expect(matches).toEqual([{ warehouseSku: "MUG", inventoryItemId: gid("1"), matchedBy: "sku" }]);
  });

  it("a barcode never takes an item another warehouse SKU matched by SKU, whatever the order", () => {
    // "A-OLD" sorts before "B" and would reach item 1 by barcode first if barcodes ran alongside SKUs.
    const result = matchSkus([item("1", "B", "999")], [wh("A-OLD", "999"), wh("B")]);
    expect(result.matches).toEqual([{ warehouseSku: "B", inventoryItemId: gid("1"), matchedBy: "sku" }]);
    expect(result.unmatched).toEqual([{ warehouseSku: "A-OLD", reason: "shopify_item_taken" }]);
  });

  it("reports a SKU no Shopify item has, by SKU or barcode, as no match", () => {
    expect(matchSkus([item("1", "MUG", "111")], [wh("LAMP", "222"), wh("RUG")]).unmatched).toEqual([
      { warehouseSku: "LAMP", reason: "no_match" },
      { warehouseSku: "RUG", reason: "no_match" },
    ]);
  });

  it("does not guess when two Shopify items share the SKU, even if a barcode would tell them apart", () => {
    const result = matchSkus([item("1", "MUG", "111"), item("2", "mug", "222")], [wh("MUG", "111")]);
    expect(result).toEqual({ matches: [], unmatched: [{ warehouseSku: "MUG", reason: "duplicate_shopify_sku" }] });
  });

  it("does not guess when two warehouse SKUs differ only in case or spaces", () => {
    const result = matchSkus([item("1", "MUG")], [wh("MUG"), wh("mug ")]);
    expect(result.matches).toEqual([]);
    expect(result.unmatched).toEqual([
      { warehouseSku: "MUG", reason: "duplicate_warehouse_sku" },
      { warehouseSku: "mug ", reason: "duplicate_warehouse_sku" },
    ]);
  });

  it("does not guess when two Shopify items share the barcode", () => {
    const result = matchSkus([item("1", "A", "555"), item("2", "B", "555")], [wh("X", "555")]);
    expect(result).toEqual({ matches: [], unmatched: [{ warehouseSku: "X", reason: "duplicate_shopify_barcode" }] });
  });

  it("does not guess when two warehouse SKUs share the barcode", () => {
    const result = matchSkus([item("1", "A", "555")], [wh("X", "555"), wh("Y", "555")]);
    expect(result.matches).toEqual([]);
    expect(result.unmatched.map((u) => u.reason)).toEqual(["duplicate_warehouse_barcode", "duplicate_warehouse_barcode"]);
  });

  it("the same SKU stocked in two warehouses of the connection is one SKU, not a duplicate", () => {
    const result = matchSkus([item("1", "MUG")], [wh("MUG"), wh("MUG", "111")]);
    expect(result).toEqual({ matches: [{ warehouseSku: "MUG", inventoryItemId: gid("1"), matchedBy: "sku" }], unmatched: [] });
  });

  it("a barcode known in only one of the warehouses still counts for the SKU", () => {
    const result = matchSkus([item("1", null, "777")], [wh("MUG"), wh("MUG", "777")]);
    expect(result.matches).toEqual([{ warehouseSku: "MUG", inventoryItemId: gid("1"), matchedBy: "barcode" }]);
  });

  it("never gives an item a second warehouse SKU of the connection", () => {
    const result = matchSkus([item("1", "MUG", "111")], [wh("MUG"), wh("MUG-OLD", "111")]);
    expect(result.matches).toHaveLength(1);
    expect(result.unmatched).toEqual([{ warehouseSku: "MUG-OLD", reason: "shopify_item_taken" }]);
  });

  it("leaves mapped SKUs alone and never pairs their items again", () => {
    const existing = [{ warehouseSku: "MUG-MANUAL", inventoryItemId: gid("1") }];
    const result = matchSkus([item("1", "MUG"), item("2", "LAMP")], [wh("MUG-MANUAL"), wh("MUG"), wh("LAMP")], existing);
    expect(result.matches).toEqual([{ warehouseSku: "LAMP", inventoryItemId: gid("2"), matchedBy: "sku" }]);
    expect(result.unmatched).toEqual([{ warehouseSku: "MUG", reason: "shopify_item_taken" }]);
  });

  it("a mapped warehouse SKU keeps its mapping even when another item now has its SKU", () => {
    const result = matchSkus([item("9", "MUG")], [wh("MUG")], [{ warehouseSku: "MUG", inventoryItemId: gid("1") }]);
    expect(result).toEqual({ matches: [], unmatched: [] });
  });

  it("items without a SKU or barcode, and warehouse SKUs without a barcode, never match on emptiness", () => {
    const result = matchSkus([item("1", null, null), item("2", "  ", " ")], [wh("A", null), wh("B", "  ")]);
    expect(result.matches).toEqual([]);
    expect(result.unmatched.map((u) => u.reason)).toEqual(["no_match", "no_match"]);
  });

  it("matches every SKU of a larger catalog once, in SKU order", () => {
    const items = Array.from({ length: 300 }, (_, i) => item(String(i), `SKU-${String(i).padStart(3, "0")}`, `BC${i}`));
    const skus = items.map((it, i) => (i % 2 ? wh(it.sku!) : wh(`WH-${i}`, it.barcode)));
    const { matches, unmatched } = matchSkus(items, skus);
    expect(unmatched).toEqual([]);
    expect(new Set(matches.map((m) => m.inventoryItemId)).size).toBe(300);
    expect(matches.filter((m) => m.matchedBy === "barcode")).toHaveLength(150);
  });
});

describe("mappingStillHolds", () => {
  it("a SKU mapping holds while the item keeps the SKU (case and spaces aside)", () => {
    expect(mappingStillHolds({ warehouseSku: "MUG", matchedBy: "sku" }, { sku: " mug", barcode: null }, null)).toBe(true);
    expect(mappingStillHolds({ warehouseSku: "MUG", matchedBy: "sku" }, { sku: "MUG-2", barcode: null }, null)).toBe(false);
  });

  it("a barcode mapping holds while the item keeps the warehouse's barcode", () => {
    expect(mappingStillHolds({ warehouseSku: "X", matchedBy: "barcode" }, { sku: "A", barcode: "111" }, "111")).toBe(true);
    expect(mappingStillHolds({ warehouseSku: "X", matchedBy: "barcode" }, { sku: "A", barcode: "112" }, "111")).toBe(false);
    expect(mappingStillHolds({ warehouseSku: "X", matchedBy: "barcode" }, { sku: "A", barcode: null }, null)).toBe(false);
  });

  it("a manual mapping always holds", () => {
    expect(mappingStillHolds({ warehouseSku: "X", matchedBy: "manual" }, { sku: "Z", barcode: null }, null)).toBe(true);
  });
});
