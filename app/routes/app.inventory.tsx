import type { LoaderFunctionArgs } from "@remix-run/node";
import { UpcomingPage } from "../components/UpcomingPage";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Inventory() {
  return <UpcomingPage title="inventory.title" heading="inventory.empty.heading" body="inventory.empty.body" />;
}
