// Typed errors of the order side, worded for the merchant who reads them on the Orders page.

export type FulfillmentProblem =
  /** Shopify refused a fulfillment-order mutation (its userErrors). */
  | "shopify_refused"
  /** A SKU of the order has no warehouse product mapped to it. */
  | "sku_not_mapped"
  /** The warehouse refused the order for good (conflict, unknown SKU, bad address). */
  | "warehouse_refused"
  /** The warehouse had too little stock when the order reached it. */
  | "warehouse_short"
  /** The routing rules saved in Settings cannot be read. */
  | "routing_rules_invalid"
  /** The fulfillment order or its warehouse is gone. */
  | "not_found"
  /** More lines than TallySync reads in one fulfillment order. */
  | "order_too_large";

/**
 * Something about one fulfillment order could not be done. `retryable` says whether trying again
 * later may work without the merchant doing anything.
 */
export class FulfillmentError extends Error {
  constructor(
    readonly problem: FulfillmentProblem,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "FulfillmentError";
  }
}

/** Shopify answered a fulfillment mutation with userErrors. */
export class ShopifyRefusedError extends FulfillmentError {
  constructor(
    readonly operation: string,
    readonly userErrors: Array<{ field: string[] | null; message: string }>,
    what: string,
  ) {
    super("shopify_refused", `Shopify refused to ${what}: ${userErrors.map((e) => e.message).join(" ")}`, false);
    this.name = "ShopifyRefusedError";
  }
}

/** fulfillmentServiceCreate: the name is taken (often by our own service, created before a crash). */
export class FulfillmentServiceNameTakenError extends Error {
  constructor(readonly serviceName: string) {
    super(`Shopify already has a fulfillment service named "${serviceName}".`);
    this.name = "FulfillmentServiceNameTakenError";
  }
}

/** A fulfillment-service step the merchant asked for cannot be done; the message says why. */
export class FulfillmentServiceError extends Error {
  constructor(
    readonly code: "warehouse_not_found" | "not_registered" | "shopify_refused",
    message: string,
  ) {
    super(message);
    this.name = "FulfillmentServiceError";
  }
}
