// What happens to a warehouse's open fulfillment orders when its fulfillment service is removed
// (disconnecting the warehouse): the confirm dialog explains it before the merchant confirms.
// Codes with parameters for the UI to translate, and an English sentence for logs. Pure: no I/O.

export interface OpenFulfillmentOrder {
  id: string;
  orderName: string;
  /** Shopify's request status (UNSUBMITTED, SUBMITTED, ACCEPTED, CANCELLATION_REQUESTED, ...). */
  requestStatus: string;
  /** Our allocation's status, when we have one. */
  allocationStatus?: string | null;
}

export interface RemovalInput {
  warehouseName: string;
  /** The location Shopify moves stock and open orders to, if the merchant chose one. */
  destinationLocationName: string | null;
  openFulfillmentOrders: readonly OpenFulfillmentOrder[];
}

export type RemovalConsequence =
  /** Orders the warehouse never received: Shopify reassigns them (to the destination, when given). */
  | { code: "orders_return_to_merchant"; orders: string[]; destination: string | null }
  /** Orders the warehouse has and has not shipped: it may still ship them, but tracking will no longer reach Shopify. */
  | { code: "orders_still_at_warehouse"; orders: string[]; warehouse: string }
  /** Orders with a cancellation waiting for the warehouse's answer. */
  | { code: "cancellations_unanswered"; orders: string[]; warehouse: string }
  /** The location's stock: moved to the destination, or left with the removed location. */
  | { code: "stock_moved"; destination: string }
  | { code: "stock_left_at_location"; warehouse: string };

export interface RemovalSummary {
  openOrders: number;
  /** Removing now leaves orders half-way at the warehouse: the dialog should ask to wait or cancel them first. */
  needsAttention: boolean;
  consequences: RemovalConsequence[];
  /** For logs. */
  sentence: string;
}

const AT_WAREHOUSE = new Set(["ACCEPTED", "CANCELLATION_REJECTED"]);
const CANCELLING = new Set(["CANCELLATION_REQUESTED"]);

export function summarizeFulfillmentServiceRemoval(input: RemovalInput): RemovalSummary {
  const names = (rows: readonly OpenFulfillmentOrder[]) => [...new Set(rows.map((r) => r.orderName))].sort();
  const atWarehouse = input.openFulfillmentOrders.filter((fo) => AT_WAREHOUSE.has(fo.requestStatus));
  const cancelling = input.openFulfillmentOrders.filter((fo) => CANCELLING.has(fo.requestStatus));
  const notSent = input.openFulfillmentOrders.filter((fo) => !AT_WAREHOUSE.has(fo.requestStatus) && !CANCELLING.has(fo.requestStatus));

  const consequences: RemovalConsequence[] = [];
  if (notSent.length) consequences.push({ code: "orders_return_to_merchant", orders: names(notSent), destination: input.destinationLocationName });
  if (atWarehouse.length) consequences.push({ code: "orders_still_at_warehouse", orders: names(atWarehouse), warehouse: input.warehouseName });
  if (cancelling.length) consequences.push({ code: "cancellations_unanswered", orders: names(cancelling), warehouse: input.warehouseName });
  consequences.push(
    input.destinationLocationName ? { code: "stock_moved", destination: input.destinationLocationName } : { code: "stock_left_at_location", warehouse: input.warehouseName },
  );

  const sentence = consequences
    .map((c) => {
      switch (c.code) {
        case "orders_return_to_merchant":
          return `${c.orders.join(", ")} ${c.orders.length === 1 ? "has" : "have"} not reached the warehouse and will ${c.destination ? `move to ${c.destination}` : "need a new location in Shopify"}`;
        case "orders_still_at_warehouse":
          return `${c.warehouse} still has ${c.orders.join(", ")} and may ship ${c.orders.length === 1 ? "it" : "them"}, but tracking will no longer reach Shopify`;
        case "cancellations_unanswered":
          return `the cancellation of ${c.orders.join(", ")} will not reach ${c.warehouse}`;
        case "stock_moved":
          return `stock moves to ${c.destination}`;
        case "stock_left_at_location":
          return `Shopify keeps ${c.warehouse}'s last stock figures with the removed location`;
      }
    })
    .join("; ");

  return {
    openOrders: input.openFulfillmentOrders.length,
    needsAttention: atWarehouse.length > 0 || cancelling.length > 0,
    consequences,
    sentence: `Removing ${input.warehouseName}: ${sentence}.`,
  };
}
