// Which due jobs run first. In a flash sale the worker has more to do than it can do at once; what
// a customer or an oversell depends on goes ahead of safety nets, echoes and housekeeping, which
// wait until the burst has passed (they are idempotent and lose nothing by waiting).
//
//   URGENT (1): a fulfillment request on its way to a warehouse, a warehouse's shipment on its way to
//   Shopify, a warehouse's stock change, the stock sync that writes it, a new or cancelled order's
//   reservation.
//   NORMAL (0): everything else: order updates (their reservations are also kept by the order's
//   own jobs), echoes of our own Shopify writes, polls, catalog, reconciliation, counts.
export const JOB_PRIORITY = { normal: 0, urgent: 1 } as const;

const URGENT_TYPES = new Set([
  "orders.fulfillment-order",
  "orders.fulfillment-notification",
  "orders.warehouse-events",
  "orders.retry-waiting",
  "warehouse.event",
  "inventory.sync",
]);

/** Shopify webhook topics whose job is urgent (the rest of shopify.webhook is normal). */
const URGENT_TOPICS = new Set(["orders/create", "orders/cancelled", "app/uninstalled"]);

export function jobPriority(type: string, topic?: string): number {
  if (URGENT_TYPES.has(type)) return JOB_PRIORITY.urgent;
  if (topic && URGENT_TOPICS.has(topic)) return JOB_PRIORITY.urgent;
  return JOB_PRIORITY.normal;
}
