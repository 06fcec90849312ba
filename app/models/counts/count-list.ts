// What the Counts page's task list asks for: a view (tab), statuses, a warehouse, a plan, a due
// filter, a search and a page. Shared by the route and its links, so a URL always says what the
// list shows. Pure.
import { COUNT_TASK_STATUSES, isCountTaskStatus, type CountTaskStatus } from "../../counts/task-status";
import { listParam, listSearchParams, oneOf, pageNumberParam, searchParam } from "../list-query";

/** Tabs of the list, each a set of statuses (null: any). */
export const COUNT_LIST_VIEWS = ["open", "counting", "review", "posted", "all"] as const;
export type CountListView = (typeof COUNT_LIST_VIEWS)[number];

const VIEW_STATUSES: Record<CountListView, readonly CountTaskStatus[] | null> = {
  open: ["draft", "assigned", "in_progress", "submitted", "review", "recount", "approved"],
  counting: ["draft", "assigned", "in_progress", "recount"],
  review: ["submitted", "review"],
  posted: ["posted"],
  all: null,
};

export const DUE_FILTERS = ["overdue", "today", "upcoming", "none"] as const;
export type CountDueFilter = (typeof DUE_FILTERS)[number];

const MAX_SEARCH_LENGTH = 100;

export interface CountListQuery {
  view: CountListView;
  /** Exact statuses chosen in the Status filter (within the view). */
  statuses: CountTaskStatus[];
  warehouseId: string | null;
  planId: string | null;
  due: CountDueFilter | null;
  search: string;
  page: number;
}

export function parseCountListQuery(params: URLSearchParams): CountListQuery {
  return {
    view: oneOf(COUNT_LIST_VIEWS, params.get("view"), "open"),
    statuses: listParam(params.get("status"), isCountTaskStatus),
    warehouseId: params.get("warehouse") || null,
    planId: params.get("plan") || null,
    due: oneOf(DUE_FILTERS, params.get("due"), null),
    search: searchParam(params, MAX_SEARCH_LENGTH),
    page: pageNumberParam(params.get("page")),
  };
}

/** The URL parameters of a query (defaults left out). */
export function countListParams(query: Partial<CountListQuery>): URLSearchParams {
  return listSearchParams([
    ["view", query.view, "open"],
    ["status", query.statuses],
    ["warehouse", query.warehouseId],
    ["plan", query.planId],
    ["due", query.due],
    ["q", query.search],
    ["page", query.page, 1],
  ]);
}

/**
 * The statuses to list: the view's, narrowed to those chosen in the Status filter. An empty list
 * means nothing matches (a filter outside the view); undefined means any status.
 */
export function statusesToList(query: Pick<CountListQuery, "view" | "statuses">): CountTaskStatus[] | undefined {
  const view = VIEW_STATUSES[query.view];
  if (!query.statuses.length) return view ? [...view] : undefined;
  return view ? query.statuses.filter((status) => view.includes(status)) : [...query.statuses];
}

export { COUNT_TASK_STATUSES };
