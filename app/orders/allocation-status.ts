// The statuses of an allocation (a fulfillment order on its way to, and through, a warehouse) and
// the events of its timeline. Pure: no I/O.
//
//   requested -> accepted -> sent -> shipped (-> delivered)
//   requested -> waiting (no warehouse has the stock yet; retried as stock arrives) -> ...
//   requested -> rejected (no warehouse may ship there)
//   accepted | sent -> cancelled (Shopify asked, the warehouse had not shipped)
//   any -> error (something needs the merchant: the reason is in lastError)

export const ALLOCATION_STATUSES = ["requested", "accepted", "sent", "shipped", "delivered", "cancelled", "rejected", "waiting", "error"] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

export const ALLOCATION_EVENT_KINDS = [
  "requested",
  "routed",
  "moved",
  "accepted",
  "sent",
  "acknowledged",
  "shipped",
  "tracking_updated",
  "delivered",
  "cancellation_requested",
  "cancelled",
  "cancellation_rejected",
  "rejected",
  "waiting",
  "error",
  "returned",
  "warehouse_exception",
  "warehouse_cancelled",
  // The merchant pressed Retry on the Orders page
  "retried",
] as const;
export type AllocationEventKind = (typeof ALLOCATION_EVENT_KINDS)[number];

/** The warehouse holds an order for it (so a cancellation must go through the warehouse). */
export function atWarehouse(status: string): boolean {
  return status === "accepted" || status === "sent";
}

/** Nothing more will happen on its own: only a new request from Shopify (or the merchant) moves it. */
export function isSettled(status: string): boolean {
  return status === "shipped" || status === "delivered" || status === "cancelled" || status === "rejected";
}

/** How long a waiting order waits before it is routed again when no stock change wakes it: 1, 2, 4 ... 15 minutes. */
export function waitingRetryDelayMs(attempts: number): number {
  const minutes = Math.min(15, 2 ** Math.max(0, attempts - 1));
  return minutes * 60_000;
}
