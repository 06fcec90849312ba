import type { LoaderFunctionArgs } from "@remix-run/node";
import { webhookSecrets } from "../config.server";
import { answerFetchTrackingNumbers } from "../orders/tracking-callback.server";

// Shopify's fulfillment-service tracking callback, <callbackUrl>/fetch_tracking_numbers with the
// callback URL <app>/fulfillment-service/<warehouse id>. Signed with the app secret; answered from
// the shipments TallySync recorded (tracking is also pushed to Shopify as soon as it exists).
export const loader = ({ request, params }: LoaderFunctionArgs) => answerFetchTrackingNumbers(request, params.warehouseId ?? "", webhookSecrets());
