import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { receiveFulfillmentOrderNotification } from "../orders/notifications.server";

// Shopify's fulfillment-service callback, <callbackUrl>/fulfillment_order_notification with the
// callback URL <app>/fulfillment-service/<warehouse id>: fulfillment and cancellation requests.
export const action = ({ request, params }: ActionFunctionArgs) => receiveFulfillmentOrderNotification(request, params.warehouseId ?? "");

export const loader = (_args: LoaderFunctionArgs) => new Response("Fulfillment order notifications are delivered with POST.", { status: 405, headers: { Allow: "POST" } });
