// What the stock sync engine needs from Shopify, as a small interface: the Shopify adapter
// (app/shopify/) implements it for a shop, tests can hand the engine the same adapter pointed at
// the simulator.

export interface ShopifyLevel {
  inventoryItemId: string;
  locationId: string;
  available: number;
  committed: number;
  onHand: number;
}

export interface AvailableQuantityWrite {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity: number;
}

export interface AvailableWriteResult {
  /** Items Shopify applied, with the quantity it now shows. */
  applied: Array<{ inventoryItemId: string; locationId: string; quantityAfterChange: number }>;
  /**
   * Items whose changeFromQuantity no longer matched Shopify (compare-and-swap refused). Shopify
   * then refuses the whole call: nothing in it was applied.
   */
  stale: Array<{ inventoryItemId: string; locationId: string }>;
  /** Anything else Shopify refused, in its words. */
  errors: Array<{ inventoryItemId?: string; locationId?: string; message: string; code?: string }>;
}

/** Units of an order Shopify still has committed at a location, per order line. */
export interface CommittedOrderLine {
  lineItemId: string;
  inventoryItemId: string;
  locationId: string;
  quantity: number;
}

export interface ShopifyInventoryGateway {
  /** Where the order's unfulfilled units are committed; null when Shopify has no such order. */
  orderCommitments(orderId: string): Promise<{ cancelled: boolean; lines: CommittedOrderLine[] } | null>;
  readLevels(locationId: string, inventoryItemIds: string[]): Promise<Map<string, ShopifyLevel>>;
  /**
   * Stocks items at a location where they are not stocked yet (a warehouse's new fulfillment-service
   * location); returns the items Shopify refused.
   */
  stockAt?(locationId: string, inventoryItemIds: string[]): Promise<{ inventoryItemId: string; message: string }[]>;
  /** Every level of the shop at once (a bulk operation), for the nightly full reconciliation. */
  readAllLevels?(): Promise<ShopifyLevel[]>;
  /** Writes `available` at one location (every quantity has the same locationId). */
  setAvailable(input: {
    idempotencyKey: string;
    reason: string;
    referenceDocumentUri: string;
    quantities: AvailableQuantityWrite[];
  }): Promise<AvailableWriteResult>;
}
