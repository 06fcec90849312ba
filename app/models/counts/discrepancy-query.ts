// What the Discrepancies page asks for: a period (the last N weeks) or one count, and the filters
// (warehouse, ABC class, reason). Shared by the page and its CSV export, so the file is exactly the
// report on screen. Pure: `now` is passed in.
import { ABC_CLASSES, type AbcClass } from "../../counts/abc-count";
import { isVarianceReason, type VarianceReason } from "../../counts/variance";
import type { DiscrepancyQuery } from "./report.server";

export const REPORT_PERIODS = [4, 12, 26, 52] as const;
export type ReportWeeks = (typeof REPORT_PERIODS)[number];
export const DEFAULT_REPORT_WEEKS: ReportWeeks = 12;

export interface DiscrepancyPageQuery {
  weeks: ReportWeeks;
  /** One count instead of a period. */
  taskId: string | null;
  warehouseId: string | null;
  abcClass: AbcClass | null;
  reason: VarianceReason | null;
}

export function parseDiscrepancyQuery(params: URLSearchParams): DiscrepancyPageQuery {
  const weeks = Number(params.get("weeks"));
  const abcClass = params.get("class");
  const reason = params.get("reason") ?? "";
  return {
    weeks: (REPORT_PERIODS as readonly number[]).includes(weeks) ? (weeks as ReportWeeks) : DEFAULT_REPORT_WEEKS,
    taskId: params.get("count") || null,
    warehouseId: params.get("warehouse") || null,
    abcClass: (ABC_CLASSES as readonly string[]).includes(abcClass ?? "") ? (abcClass as AbcClass) : null,
    reason: isVarianceReason(reason) ? reason : null,
  };
}

export function discrepancyParams(query: Partial<DiscrepancyPageQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.weeks && query.weeks !== DEFAULT_REPORT_WEEKS) params.set("weeks", String(query.weeks));
  if (query.taskId) params.set("count", query.taskId);
  if (query.warehouseId) params.set("warehouse", query.warehouseId);
  if (query.abcClass) params.set("class", query.abcClass);
  if (query.reason) params.set("reason", query.reason);
  return params;
}

const WEEK_MS = 7 * 86_400_000;

/** The report's query: one count, or the lines counted in the last N weeks up to now. */
export function reportQuery(query: DiscrepancyPageQuery, now: Date): DiscrepancyQuery {
  const filters = {
    ...(query.warehouseId ? { warehouseId: query.warehouseId } : {}),
    ...(query.abcClass ? { abcClass: query.abcClass } : {}),
    ...(query.reason ? { reason: query.reason } : {}),
    now,
  };
  if (query.taskId) return { taskId: query.taskId, ...filters };
  return { from: new Date(now.getTime() - query.weeks * WEEK_MS), to: new Date(now.getTime() + 1), ...filters };
}
