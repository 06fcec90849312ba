import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale, translator, type MessageKey } from "../i18n";
import { FINANCE_CSV_COLUMNS } from "../counts/finance-csv";
import { parseDiscrepancyQuery, reportQuery } from "../models/counts/discrepancy-query";
import { financeCsvFileName, financeCsvStream } from "../models/counts/report.server";
import { getCountTaskSummary } from "../models/counts/tasks.server";
import { CountNotFoundError } from "../models/counts/errors";
import { authenticate } from "../shopify.server";

// The finance export's columns (FINANCE_CSV_COLUMNS, in that order), by their message keys.
const FINANCE_HEADER = [
  "count",
  "sku",
  "product",
  "warehouse",
  "bin",
  "expected",
  "counted",
  "varianceUnits",
  "unitCost",
  "varianceValue",
  "reason",
  "note",
  "countedAt",
  "approvedBy",
  "postedAt",
  "warehouseAdjusted",
] as const satisfies { length: (typeof FINANCE_CSV_COLUMNS)["length"] };

// A resource route (no component): the Discrepancies report on screen (same period or count, same
// filters) as the finance CSV, one row per counted line, headed in the admin's language.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseDiscrepancyQuery(new URL(request.url).searchParams);
  const t = translator(resolveLocale(request));
  let taskNumber: number | undefined;
  if (query.taskId) {
    try {
      taskNumber = (await getCountTaskSummary(session.shop, query.taskId)).number;
    } catch (error) {
      if (error instanceof CountNotFoundError) throw new Response("This count was not found.", { status: 404 });
      throw error;
    }
  }
  const report = reportQuery(query, new Date());
  const header = FINANCE_HEADER.map((key) => t(`discrepancies.csv.${key}` as MessageKey));
  return new Response(financeCsvStream(session.shop, report, { header }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${financeCsvFileName(report, taskNumber)}"`,
      "Cache-Control": "no-store",
    },
  });
};
