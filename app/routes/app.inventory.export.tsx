import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale, translator } from "../i18n";
import { parseInventoryQuery } from "../models/inventory-view";
import { inventoryCsvStream } from "../models/inventory-export.server";
import { authenticate } from "../shopify.server";

// A resource route (no component): the Inventory list, with the page's filters, as a CSV file.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const query = parseInventoryQuery(url.searchParams);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(inventoryCsvStream(session.shop, query, translator(resolveLocale(request))), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="inventory-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
