import type { LoaderFunctionArgs } from "@remix-run/node";
import { CountNotFoundError } from "../models/counts/errors";
import { countPostingProgress } from "../models/counts/posting.server";
import { authenticate } from "../shopify.server";

// A resource route (no component): where posting an approved count stands, for the page's
// progress bar, which asks every second while the count is being posted.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    const progress = await countPostingProgress(session.shop, params.taskId ?? "");
    return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof CountNotFoundError) return Response.json({ error: "count_not_found" }, { status: 404 });
    throw error;
  }
};
