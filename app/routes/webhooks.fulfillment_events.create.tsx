import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "../webhooks/intake.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request, "fulfillment_events/create");
