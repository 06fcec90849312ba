// Campaign count: the stock of chosen products counted before a promotion or a live stream, so the
// warehouse really holds what is about to be sold. The products are chosen by id, by collection or
// by tag; the lines are the warehouse's mapped SKUs of those products. Pure.

export type CampaignScope =
  | { by: "products"; productIds: readonly string[] }
  | { by: "collection"; collectionId: string }
  /** Shopify tags are matched ignoring case and surrounding spaces. */
  | { by: "tag"; tag: string };

/** What the catalog says about an inventory item. */
export interface CatalogEntry {
  inventoryItemId: string;
  productId: string | null;
  collectionIds: readonly string[];
  tags: readonly string[];
}

export interface CampaignCountLines<T> {
  lines: T[];
  /** Chosen products with no mapped SKU at this warehouse (nothing there to count). */
  productsNotStocked: string[];
}

function tagKey(tag: string): string {
  return tag.trim().toLowerCase();
}

export function inCampaign(entry: CatalogEntry, scope: CampaignScope): boolean {
  switch (scope.by) {
    case "products":
      return entry.productId != null && scope.productIds.includes(entry.productId);
    case "collection":
      return entry.collectionIds.includes(scope.collectionId);
    case "tag": {
      const wanted = tagKey(scope.tag);
      return wanted !== "" && entry.tags.some((tag) => tagKey(tag) === wanted);
    }
  }
}

/** The warehouse's mapped SKUs of the products a campaign count covers, by SKU. */
export function campaignCountLines<T extends { inventoryItemId: string; warehouseSku: string }>(
  skus: readonly T[],
  catalog: readonly CatalogEntry[],
  scope: CampaignScope,
): CampaignCountLines<T> {
  const entries = new Map(catalog.map((entry) => [entry.inventoryItemId, entry]));
  const lines: T[] = [];
  const stocked = new Set<string>();
  for (const sku of skus) {
    const entry = entries.get(sku.inventoryItemId);
    if (entry && inCampaign(entry, scope)) {
      lines.push(sku);
      if (entry.productId != null) stocked.add(entry.productId);
    }
  }
  lines.sort((a, b) => (a.warehouseSku < b.warehouseSku ? -1 : a.warehouseSku > b.warehouseSku ? 1 : 0));
  const productsNotStocked = scope.by === "products" ? [...new Set(scope.productIds)].filter((id) => !stocked.has(id)) : [];
  return { lines, productsNotStocked };
}
