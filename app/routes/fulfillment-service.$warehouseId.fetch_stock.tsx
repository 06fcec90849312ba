import type { LoaderFunctionArgs } from "@remix-run/node";
import { webhookSecrets } from "../config.server";
import { answerFetchStock } from "../inventory/fetch-stock.server";

// Shopify's fulfillment-service stock callback, <callbackUrl>/fetch_stock with the callback URL
// <app>/fulfillment-service/<warehouse id>. Signed with the app secret; answered from our positions.
export const loader = ({ request, params }: LoaderFunctionArgs) => answerFetchStock(request, params.warehouseId ?? "", webhookSecrets());
