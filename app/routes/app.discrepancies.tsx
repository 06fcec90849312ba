import type { LoaderFunctionArgs } from "@remix-run/node";
import { UpcomingPage } from "../components/UpcomingPage";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Discrepancies() {
  return <UpcomingPage title="discrepancies.title" heading="discrepancies.empty.heading" body="discrepancies.empty.body" />;
}
