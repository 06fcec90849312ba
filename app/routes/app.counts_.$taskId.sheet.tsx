import type { LoaderFunctionArgs } from "@remix-run/node";
import { CountNotFoundError } from "../models/counts/errors";
import { blankCountSheet } from "../models/counts/sheets.server";
import { authenticate } from "../shopify.server";

// A resource route (no component): the count's blank sheet as a CSV file, in walking order, without
// the expected quantity when the count is blind.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const sheet = await blankCountSheet(session.shop, params.taskId ?? "");
    return new Response(sheet.csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${sheet.fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof CountNotFoundError) throw new Response("This count was not found.", { status: 404 });
    throw error;
  }
};
