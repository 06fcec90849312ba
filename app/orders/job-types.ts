// Names of the order side's background jobs and inbox sources (no imports: safe from anywhere).

/** One fulfillment order: a fulfillment request or cancellation request, through to the warehouse. */
export const FULFILLMENT_ORDER_JOB = "orders.fulfillment-order";
/** A fulfillment_order_notification callback for one warehouse: find the requests it announces. */
export const FULFILLMENT_NOTIFICATION_JOB = "orders.fulfillment-notification";
/** The safety net, per shop: poll Shopify's assigned fulfillment orders and the warehouses' feeds, retry waiting orders. */
export const ORDERS_POLL_JOB = "orders.poll";
/** A warehouse's order events (shipments, acknowledgements, cancellations, exceptions, returns). */
export const WAREHOUSE_ORDER_EVENTS_JOB = "orders.warehouse-events";

/** Inbox source of a connection's order events (stock events keep "warehouse:<id>"). */
export function warehouseOrderEventsSource(connectionId: string): string {
  return `warehouse-orders:${connectionId}`;
}

/** Inbox source of the fulfillment-service callbacks of one warehouse. */
export function fulfillmentServiceSource(warehouseId: string): string {
  return `fulfillment-service:${warehouseId}`;
}

/** Warehouse webhook topics that concern orders rather than stock. */
export const WAREHOUSE_ORDER_TOPICS: readonly string[] = [
  "shipment.created",
  "shipment.updated",
  "shipment.delivered",
  "order.acknowledged",
  "order.cancelled",
  "order.exception",
  "return.received",
];
