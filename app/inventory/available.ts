// The one rule for what Shopify may sell at a warehouse's location.
//
//   Shopify available = warehouse sellable
//                     - units of Shopify orders the warehouse has not acknowledged yet
//                     - safety stock,                                        never below 0.
//
// "Units the warehouse has not acknowledged" is known from two sides, and either may lag:
// - our reservations, one per order line, made from orders/create webhooks (which can be late);
// - Shopify's own `committed` quantity at the location, which counts every unfulfilled order
//   there the instant it is placed, including orders whose webhook has not reached us, minus the
//   units of orders the warehouse has already acknowledged (those left `sellable` in the
//   warehouse when it acknowledged them, and are still committed in Shopify until fulfilled).
// Taking the larger of the two means a late webhook or a stale read can only make us publish
// less, never more: an order the warehouse has not seen always lowers Shopify availability.
// Pure: no I/O, no clock.

export interface AvailabilityInputs {
  /** Units the warehouse can ship now (its own reservations already taken out). */
  warehouseSellable: number;
  /** Units of our active reservations: Shopify orders the warehouse has not acknowledged. */
  unacknowledgedReserved: number;
  safetyStock: number;
  /** Shopify's committed quantity at the location, when we have read it. */
  shopifyCommitted?: number | null;
  /** Units of orders the warehouse acknowledged that Shopify still counts as committed. */
  acknowledgedUnfulfilled?: number;
}

export interface Availability {
  /** What Shopify should show as available at the location. */
  available: number;
  /** The unacknowledged units that were taken out. */
  unacknowledged: number;
  /** Which side said how many units are unacknowledged. */
  unacknowledgedFrom: "reservations" | "shopify_committed";
  /** Units the formula wanted below zero (sold beyond what the warehouse can ship). */
  shortfall: number;
}

function wholeUnits(name: string, value: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be a whole number of units, got ${value}`);
  return value;
}

export function availableToSell(inputs: AvailabilityInputs): Availability {
  const sellable = Math.max(0, wholeUnits("warehouseSellable", inputs.warehouseSellable));
  const reserved = Math.max(0, wholeUnits("unacknowledgedReserved", inputs.unacknowledgedReserved));
  const safety = Math.max(0, wholeUnits("safetyStock", inputs.safetyStock));
  const fromShopify =
    inputs.shopifyCommitted == null
      ? null
      : wholeUnits("shopifyCommitted", inputs.shopifyCommitted) - wholeUnits("acknowledgedUnfulfilled", inputs.acknowledgedUnfulfilled ?? 0);
  const useShopify = fromShopify != null && fromShopify > reserved;
  const unacknowledged = useShopify ? fromShopify : reserved;
  const raw = sellable - unacknowledged - safety;
  return {
    available: Math.max(0, raw),
    unacknowledged,
    unacknowledgedFrom: useShopify ? "shopify_committed" : "reservations",
    shortfall: raw < 0 ? Math.min(-raw, Math.max(0, unacknowledged - sellable)) : 0,
  };
}

/** Safety stock for a position: its own when set, else the shop's default. */
export function effectiveSafetyStock(positionSafetyStock: number | null | undefined, shopDefault: number): number {
  return positionSafetyStock ?? shopDefault;
}
