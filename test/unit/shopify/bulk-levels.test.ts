import { describe, expect, it } from "vitest";
import { levelsFromJsonl } from "~/shopify/bulk-levels.server";

const variant = (n: number) => JSON.stringify({ id: `gid://shopify/ProductVariant/${n}`, sku: `S-${n}`, inventoryItem: { id: `gid://shopify/InventoryItem/${n}` } });
const level = (n: number, location: number, available: number, committed = 0) =>
  JSON.stringify({
    __parentId: `gid://shopify/ProductVariant/${n}`,
    location: { id: `gid://shopify/Location/${location}` },
    quantities: [
      { name: "available", quantity: available },
      { name: "committed", quantity: committed },
      { name: "on_hand", quantity: available + committed },
    ],
  });

describe("reading a CatalogBulk result", () => {
  it("gives one level per variant and location, with its inventory item", () => {
    const levels = levelsFromJsonl([variant(1), level(1, 7, 5, 2), level(1, 8, 0), variant(2), level(2, 7, 9)].join("\n") + "\n");
    expect(levels).toEqual([
      { inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/7", available: 5, committed: 2, onHand: 7 },
      { inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/8", available: 0, committed: 0, onHand: 0 },
      { inventoryItemId: "gid://shopify/InventoryItem/2", locationId: "gid://shopify/Location/7", available: 9, committed: 0, onHand: 9 },
    ]);
  });

  it("does not depend on a child line following its parent", () => {
    const levels = levelsFromJsonl([level(3, 7, 4), variant(3)].join("\n"));
    expect(levels).toEqual([{ inventoryItemId: "gid://shopify/InventoryItem/3", locationId: "gid://shopify/Location/7", available: 4, committed: 0, onHand: 4 }]);
  });

  it("skips levels whose variant is not in the file, and empty lines", () => {
    expect(levelsFromJsonl(["", level(4, 7, 1), ""].join("\n"))).toEqual([]);
  });
});
