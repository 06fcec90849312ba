import { describe, expect, it } from "vitest";
import { campaignCountLines, type CatalogEntry } from "~/counts/campaign-count";
import { fullCountLines } from "~/counts/full-count";

const skus = [
  { inventoryItemId: "i-mug-blue", warehouseSku: "MUG-BLUE" },
  { inventoryItemId: "i-mug-red", warehouseSku: "MUG-RED" },
  { inventoryItemId: "i-plate", warehouseSku: "PLATE-1" },
  { inventoryItemId: "i-vase", warehouseSku: "VASE-9" },
];
const catalog: CatalogEntry[] = [
  { inventoryItemId: "i-mug-blue", productId: "p-mug", collectionIds: ["c-kitchen"], tags: ["Live-0612", "ceramic"] },
  { inventoryItemId: "i-mug-red", productId: "p-mug", collectionIds: ["c-kitchen"], tags: ["ceramic"] },
  { inventoryItemId: "i-plate", productId: "p-plate", collectionIds: ["c-kitchen", "c-sale"], tags: [] },
  { inventoryItemId: "i-vase", productId: "p-vase", collectionIds: [], tags: [" live-0612 "] },
  { inventoryItemId: "i-lamp", productId: "p-lamp", collectionIds: ["c-sale"], tags: ["live-0612"] },
];
const names = (lines: { warehouseSku: string }[]) => lines.map((l) => l.warehouseSku);

describe("full count", () => {
  it("takes every mapped SKU of the warehouse, by SKU", () => {
    expect(names(fullCountLines([...skus].reverse()))).toEqual(["MUG-BLUE", "MUG-RED", "PLATE-1", "VASE-9"]);
  });
});

describe("campaign count", () => {
  it("chosen products bring all their variants stocked at the warehouse", () => {
    expect(names(campaignCountLines(skus, catalog, { by: "products", productIds: ["p-mug"] }).lines)).toEqual(["MUG-BLUE", "MUG-RED"]);
  });

  it("says which chosen products have nothing mapped at the warehouse", () => {
    expect(campaignCountLines(skus, catalog, { by: "products", productIds: ["p-vase", "p-lamp"] })).toEqual({
      lines: [skus[3]],
      productsNotStocked: ["p-lamp"],
    });
  });

  it("a collection brings every stocked item in it", () => {
    expect(names(campaignCountLines(skus, catalog, { by: "collection", collectionId: "c-sale" }).lines)).toEqual(["PLATE-1"]);
  });

  it("a tag matches whatever its letter case and spaces", () => {
    expect(names(campaignCountLines(skus, catalog, { by: "tag", tag: "LIVE-0612" }).lines)).toEqual(["MUG-BLUE", "VASE-9"]);
  });

  it("an empty tag matches nothing", () => {
    expect(campaignCountLines(skus, catalog, { by: "tag", tag: "  " }).lines).toEqual([]);
  });

  it("a SKU missing from the catalog is left out", () => {
    expect(campaignCountLines([{ inventoryItemId: "unknown", warehouseSku: "X" }], catalog, { by: "collection", collectionId: "c-sale" }).lines).toEqual([]);
  });
});
