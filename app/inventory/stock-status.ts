// What the Inventory page says about a position at a glance. Each filter on that page selects one
// property (drifted, low, unmapped); the badge shows the most pressing property a position has.
// The same rules are pushed into the database query (app/models/inventory-view.server.ts), so a
// row a filter returns always has that property. Pure: no I/O, no clock.

export type StockStatus = "unmapped" | "frozen" | "syncing" | "drifted" | "low" | "in_sync";

/** Shopify available at or below this many units is low, whatever the safety stock. */
export const LOW_STOCK_UNITS = 5;

export interface StockStatusInputs {
  mapped: boolean;
  /** A full count of the warehouse froze its stock sync. */
  warehouseFrozen: boolean;
  /** Waiting to be written to Shopify. */
  dirty: boolean;
  /** What Shopify showed when we last read or wrote it. */
  shopifyAvailable: number | null;
  /** What we last published to Shopify. */
  lastWrittenAvailable: number | null;
  /** Effective safety stock (the position's own or the shop's default). */
  safetyStock: number;
}

/**
 * Shopify shows something other than what we last published, and no write is on its way. A dirty
 * position is not drift: the sync is about to correct it.
 */
export function isDrifted(p: Pick<StockStatusInputs, "mapped" | "dirty" | "shopifyAvailable" | "lastWrittenAvailable">): boolean {
  return p.mapped && !p.dirty && p.shopifyAvailable != null && p.lastWrittenAvailable != null && p.shopifyAvailable !== p.lastWrittenAvailable;
}

/** Buyers can see at most the safety stock, or only a handful of units. */
export function isLow(p: Pick<StockStatusInputs, "mapped" | "shopifyAvailable" | "safetyStock">): boolean {
  return p.mapped && p.shopifyAvailable != null && p.shopifyAvailable <= Math.max(p.safetyStock, LOW_STOCK_UNITS);
}

export function stockStatus(p: StockStatusInputs): StockStatus {
  if (!p.mapped) return "unmapped";
  if (p.warehouseFrozen) return "frozen";
  if (p.dirty) return "syncing";
  if (isDrifted(p)) return "drifted";
  if (isLow(p)) return "low";
  return "in_sync";
}

/** Shopify available minus what it should be; null while we have not read Shopify. */
export function driftUnits(shopifyAvailable: number | null, shouldBe: number | null): number | null {
  return shopifyAvailable == null || shouldBe == null ? null : shopifyAvailable - shouldBe;
}
