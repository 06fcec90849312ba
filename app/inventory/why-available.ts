// "Why is this number what it is": the steps of availableToSell for one position, in the order a
// merchant reads them. It only lays out what availableToSell decided; it never decides itself.
// Pure: no I/O, no clock.
import { availableToSell, effectiveSafetyStock } from "./available";

export interface WhyAvailableInputs {
  warehouseSellable: number;
  /** Sum of our active reservations at this warehouse (orders the warehouse has not acknowledged). */
  reservedUnacknowledged: number;
  acknowledgedUnfulfilled: number;
  shopifyCommitted: number | null;
  positionSafetyStock: number | null;
  shopDefaultSafetyStock: number;
}

export interface WhyAvailable {
  /** As the warehouse reported it. */
  warehouseSellable: number;
  /** What the rule counts (a negative warehouse figure counts as 0). */
  sellableCounted: number;
  /** Units taken out for orders the warehouse has not acknowledged. */
  unacknowledged: number;
  unacknowledgedFrom: "reservations" | "shopify_committed";
  reservedByOrders: number;
  /** Shopify's committed units minus those the warehouse already acknowledged, when read. */
  committedNotAcknowledged: number | null;
  safetyStock: number;
  safetyStockIsShopDefault: boolean;
  /** sellableCounted - unacknowledged - safetyStock, before the floor at 0. */
  beforeFloor: number;
  shouldBe: number;
}

export function whyAvailable(inputs: WhyAvailableInputs): WhyAvailable {
  const safetyStock = effectiveSafetyStock(inputs.positionSafetyStock, inputs.shopDefaultSafetyStock);
  const result = availableToSell({
    warehouseSellable: inputs.warehouseSellable,
    unacknowledgedReserved: inputs.reservedUnacknowledged,
    safetyStock,
    shopifyCommitted: inputs.shopifyCommitted,
    acknowledgedUnfulfilled: inputs.acknowledgedUnfulfilled,
  });
  const sellableCounted = Math.max(0, inputs.warehouseSellable);
  const safetyCounted = Math.max(0, safetyStock);
  return {
    warehouseSellable: inputs.warehouseSellable,
    sellableCounted,
    unacknowledged: result.unacknowledged,
    unacknowledgedFrom: result.unacknowledgedFrom,
    reservedByOrders: Math.max(0, inputs.reservedUnacknowledged),
    committedNotAcknowledged: inputs.shopifyCommitted == null ? null : inputs.shopifyCommitted - inputs.acknowledgedUnfulfilled,
    safetyStock: safetyCounted,
    safetyStockIsShopDefault: inputs.positionSafetyStock == null,
    beforeFloor: sellableCounted - result.unacknowledged - safetyCounted,
    shouldBe: result.available,
  };
}
