// Which warehouse SKU is which Shopify inventory item: by SKU first, then by barcode. Pure (no
// I/O). A match is made only when it is certain: a SKU or barcode that appears twice on either
// side is reported with its reason for the merchant to decide, never guessed.

export interface ShopifyItemKeys {
  inventoryItemId: string;
  sku: string | null;
  barcode: string | null;
}

export interface WarehouseSkuKeys {
  warehouseSku: string;
  barcode: string | null;
}

export interface ExistingMapping {
  warehouseSku: string;
  inventoryItemId: string;
}

export type MatchedBy = "sku" | "barcode";

export interface SkuMatch {
  warehouseSku: string;
  inventoryItemId: string;
  matchedBy: MatchedBy;
}

export type UnmatchedReason =
  /** No Shopify item has this SKU or barcode. */
  | "no_match"
  /** Two or more warehouse SKUs read the same once trimmed and case is ignored. */
  | "duplicate_warehouse_sku"
  /** Two or more Shopify items carry this SKU. */
  | "duplicate_shopify_sku"
  | "duplicate_warehouse_barcode"
  | "duplicate_shopify_barcode"
  /** The only Shopify item that fits is already mapped to another warehouse SKU of the connection. */
  | "shopify_item_taken";

export interface UnmatchedSku {
  warehouseSku: string;
  reason: UnmatchedReason;
}

export interface SkuMatchResult {
  matches: SkuMatch[];
  unmatched: UnmatchedSku[];
}

/** SKUs compare trimmed and case-insensitive: "mug-blue " is MUG-BLUE. */
export function normalizeSku(sku: string | null | undefined): string | null {
  const value = sku?.trim().toUpperCase();
  return value ? value : null;
}

/** Barcodes compare trimmed; letters (Code 128 and the like) case-insensitive. */
export function normalizeBarcode(barcode: string | null | undefined): string | null {
  const value = barcode?.trim().toUpperCase();
  return value ? value : null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** One entry per warehouse SKU: the same SKU stocked in two warehouses of a connection is one SKU. */
function distinctWarehouseSkus(skus: readonly WarehouseSkuKeys[]): WarehouseSkuKeys[] {
  const bySku = new Map<string, WarehouseSkuKeys>();
  for (const entry of skus) {
    const seen = bySku.get(entry.warehouseSku);
    if (!seen) bySku.set(entry.warehouseSku, { ...entry });
    else if (!seen.barcode && entry.barcode) seen.barcode = entry.barcode;
  }
  return [...bySku.values()];
}

/**
 * Matches the unmapped warehouse SKUs of one connection to Shopify items. `existing` are the
 * connection's mappings already made (by hand or earlier runs): their SKUs and items are left
 * alone and are never given a second partner.
 */
export function matchSkus(
  shopifyItems: readonly ShopifyItemKeys[],
  warehouseSkus: readonly WarehouseSkuKeys[],
  existing: readonly ExistingMapping[] = [],
): SkuMatchResult {
  const mappedSkus = new Set(existing.map((m) => m.warehouseSku));
  const takenItems = new Set(existing.map((m) => m.inventoryItemId));
  const warehouse = distinctWarehouseSkus(warehouseSkus);

  // Duplicates are counted over every item and SKU, mapped or not: a SKU that two Shopify items
  // share is a catalog problem even if one of them is mapped already.
  const shopifyBySku = groupBy(shopifyItems, (item) => normalizeSku(item.sku));
  const shopifyByBarcode = groupBy(shopifyItems, (item) => normalizeBarcode(item.barcode));
  const warehouseBySku = groupBy(warehouse, (entry) => normalizeSku(entry.warehouseSku));
  const warehouseByBarcode = groupBy(warehouse, (entry) => normalizeBarcode(entry.barcode));

  const candidates = warehouse
    .filter((entry) => !mappedSkus.has(entry.warehouseSku))
    .sort((a, b) => (a.warehouseSku < b.warehouseSku ? -1 : a.warehouseSku > b.warehouseSku ? 1 : 0));
  const matches: SkuMatch[] = [];
  const unmatched = new Map<string, UnmatchedReason>();

  const claim = (entry: WarehouseSkuKeys, inventoryItemId: string, matchedBy: MatchedBy) => {
    takenItems.add(inventoryItemId);
    matches.push({ warehouseSku: entry.warehouseSku, inventoryItemId, matchedBy });
    unmatched.delete(entry.warehouseSku);
  };

  // Pass 1: SKU. A SKU match is settled here, so that pass 2's barcodes never take an item
  // that a later SKU would have claimed.
  const needBarcode: WarehouseSkuKeys[] = [];
  for (const entry of candidates) {
    const sku = normalizeSku(entry.warehouseSku);
    const sameSku = sku ? (shopifyBySku.get(sku) ?? []) : [];
    if (sameSku.length === 0) {
      needBarcode.push(entry);
    } else if ((warehouseBySku.get(sku!)?.length ?? 0) > 1) {
      unmatched.set(entry.warehouseSku, "duplicate_warehouse_sku");
    } else if (sameSku.length > 1) {
      unmatched.set(entry.warehouseSku, "duplicate_shopify_sku");
    } else if (takenItems.has(sameSku[0]!.inventoryItemId)) {
      unmatched.set(entry.warehouseSku, "shopify_item_taken");
    } else {
      claim(entry, sameSku[0]!.inventoryItemId, "sku");
    }
  }

  // Pass 2: barcode, for SKUs no Shopify item carries.
  for (const entry of needBarcode) {
    const barcode = normalizeBarcode(entry.barcode);
    const sameBarcode = barcode ? (shopifyByBarcode.get(barcode) ?? []) : [];
    if (sameBarcode.length === 0) {
      unmatched.set(entry.warehouseSku, "no_match");
    } else if ((warehouseByBarcode.get(barcode!)?.length ?? 0) > 1) {
      unmatched.set(entry.warehouseSku, "duplicate_warehouse_barcode");
    } else if (sameBarcode.length > 1) {
      unmatched.set(entry.warehouseSku, "duplicate_shopify_barcode");
    } else if (takenItems.has(sameBarcode[0]!.inventoryItemId)) {
      unmatched.set(entry.warehouseSku, "shopify_item_taken");
    } else {
      claim(entry, sameBarcode[0]!.inventoryItemId, "barcode");
    }
  }

  return { matches, unmatched: [...unmatched].map(([warehouseSku, reason]) => ({ warehouseSku, reason })) };
}

/**
 * After a Shopify item's SKU or barcode changed: does an automatic mapping still rest on what
 * it was made from? Manual mappings always hold (the merchant made them knowingly).
 */
export function mappingStillHolds(
  mapping: { warehouseSku: string; matchedBy: string },
  item: { sku: string | null; barcode: string | null },
  warehouseBarcode: string | null,
): boolean {
  if (mapping.matchedBy === "sku") return normalizeSku(item.sku) === normalizeSku(mapping.warehouseSku);
  if (mapping.matchedBy === "barcode") {
    const barcode = normalizeBarcode(item.barcode);
    return barcode !== null && barcode === normalizeBarcode(warehouseBarcode);
  }
  return true;
}
