// Asking for work on one fulfillment order: the job the routing, the warehouse order and the
// cancellations run in (app/orders/jobs.server.ts defines it). Kept apart from the job definitions
// so that the processes the job runs (requests.server.ts, which asks for a split's parts) can ask
// for it without importing the jobs module back.
import { jobQueue } from "../jobs/queue.server";
import { FULFILLMENT_ORDER_JOB } from "./job-types";

export function fulfillmentOrderJobKey(fulfillmentOrderId: string): string {
  return `fo:${fulfillmentOrderId}`;
}

/** Work on one fulfillment order (while one such job waits, asking again adds nothing). */
export function requestFulfillmentOrder(shop: string, fulfillmentOrderId: string, runAt?: Date) {
  return jobQueue.enqueue(shop, FULFILLMENT_ORDER_JOB, { fulfillmentOrderId }, { dedupeKey: fulfillmentOrderJobKey(fulfillmentOrderId), ...(runAt ? { runAt } : {}) });
}
