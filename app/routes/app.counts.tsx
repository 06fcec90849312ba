import type { LoaderFunctionArgs } from "@remix-run/node";
import { UpcomingPage } from "../components/UpcomingPage";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Counts() {
  return <UpcomingPage title="counts.title" heading="counts.empty.heading" body="counts.empty.body" />;
}
