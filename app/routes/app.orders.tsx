import type { LoaderFunctionArgs } from "@remix-run/node";
import { UpcomingPage } from "../components/UpcomingPage";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Orders() {
  return <UpcomingPage title="orders.title" heading="orders.empty.heading" body="orders.empty.body" />;
}
