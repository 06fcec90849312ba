// What the Orders page asks for (a problem tab, statuses, a warehouse, a search by order name and a
// page) and what each row and the detail page carry. Pure: shared by the routes and the loaders.
import { ALLOCATION_STATUSES, type AllocationEventKind, type AllocationStatus } from "../orders/allocation-status";
import type { RoutingReason } from "../orders/routing";
import { listParam, listSearchParams, oneOf, pageCursorEntries, pageCursorParams, searchParam, type PageCursors } from "./list-query";

/** What needs the merchant: waiting for stock (the queue), an error, a rejection. */
export const ORDER_PROBLEMS = ["waiting", "error", "rejected"] as const;
export type OrderProblem = (typeof ORDER_PROBLEMS)[number];

/** The page's tabs: everything, everything that needs the merchant, or one problem. */
export const ORDER_VIEWS = ["all", "attention", ...ORDER_PROBLEMS] as const;
export type OrderView = (typeof ORDER_VIEWS)[number];

export const ORDERS_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 60;

/** The cursors are those of a previous page. */
export interface OrdersQuery extends PageCursors {
  view: OrderView;
  statuses: AllocationStatus[];
  warehouseId: string | null;
  /** Part of the order's name ("#1042", "1042"). */
  search: string;
}

function isStatus(value: string): value is AllocationStatus {
  return (ALLOCATION_STATUSES as readonly string[]).includes(value);
}

export function parseOrdersQuery(params: URLSearchParams): OrdersQuery {
  return {
    view: oneOf(ORDER_VIEWS, params.get("view") ?? params.get("problem"), "all"),
    statuses: listParam(params.get("status"), isStatus),
    warehouseId: params.get("warehouse") || null,
    search: searchParam(params, MAX_SEARCH_LENGTH),
    ...pageCursorParams(params),
  };
}

/** The URL parameters of a query (empty ones left out). */
export function ordersQueryParams(query: Partial<OrdersQuery>): URLSearchParams {
  return listSearchParams([
    ["view", query.view, "all"],
    ["status", query.statuses],
    ["warehouse", query.warehouseId],
    ["q", query.search],
    ...pageCursorEntries(query),
  ]);
}

/**
 * The problem an allocation has, if any. An order the warehouse refused for lack of stock stays
 * accepted in Shopify but waits like any other (it is in the retry queue: nextAttemptAt is set).
 */
export function problemOf(allocation: { status: string; warehouseOrderRef: string | null; nextAttemptAt: Date | string | null }): OrderProblem | null {
  if (allocation.status === "error") return "error";
  if (allocation.status === "rejected") return "rejected";
  if (allocation.status === "waiting") return "waiting";
  if (allocation.status === "accepted" && allocation.warehouseOrderRef === null && allocation.nextAttemptAt !== null) return "waiting";
  return null;
}

/** The Retry button makes sense where TallySync can do the work again on its own. */
export function canRetry(problem: OrderProblem | null): boolean {
  return problem === "error" || problem === "waiting";
}

/** The routing decision as stored on the allocation (app/orders/fulfillment-request.ts routingRecord). */
export interface RoutingView {
  kind: "route" | "wait" | "reject";
  reasons: RoutingReason[];
  warehouseIds: string[];
  moveFrom: string | null;
  /** English, for when a reason code is unknown to this version of the page. */
  summary: string;
}

export interface TrackingView {
  carrier: string | null;
  number: string | null;
  url: string | null;
}

export interface OrderRow {
  /** The allocation's id: one fulfillment order on its way through a warehouse. */
  id: string;
  orderName: string;
  warehouseId: string | null;
  warehouseName: string | null;
  status: AllocationStatus;
  problem: OrderProblem | null;
  /** Where it ships to: "US-CA", "NL". */
  destination: string | null;
  routing: RoutingView | null;
  warehouseOrderStatus: string | null;
  tracking: TrackingView[];
  lastError: string | null;
  /** When a waiting order is tried again (ISO). */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEvent {
  id: string;
  kind: AllocationEventKind | string;
  status: string;
  note: string | null;
  at: string;
}

/** The milestones of the status timeline, in order; each is reached at the first event that says so. */
export const MILESTONES = ["requested", "accepted", "sent", "shipped", "delivered", "cancelled"] as const;
export type Milestone = (typeof MILESTONES)[number];

/** When each milestone was first reached (ISO), from the timeline's events. */
export function milestonesOf(events: readonly Pick<TimelineEvent, "kind" | "status" | "at">[]): Partial<Record<Milestone, string>> {
  const reached: Partial<Record<Milestone, string>> = {};
  const sorted = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  for (const event of sorted) {
    const milestone: Milestone | null =
      event.kind === "requested"
        ? "requested"
        : event.kind === "accepted"
          ? "accepted"
          : event.kind === "sent"
            ? "sent"
            : event.kind === "shipped" && event.status === "shipped"
              ? "shipped"
              : event.kind === "delivered" && event.status === "delivered"
                ? "delivered"
                : event.kind === "cancelled"
                  ? "cancelled"
                  : null;
    if (milestone && !reached[milestone]) reached[milestone] = event.at;
  }
  // A sent order was accepted first, even when both were recorded in one step.
  if (reached.sent && !reached.accepted) reached.accepted = reached.sent;
  return reached;
}

export interface ShipmentView {
  id: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: string | null;
  /** When the carrier delivered it, and who said so (warehouse | shopify). */
  deliveredAt: string | null;
  deliveredBy: string | null;
  /** pending | fulfilled | error */
  status: string;
  units: number;
  lastError: string | null;
}

export interface OrderDetail extends OrderRow {
  fulfillmentOrderId: string;
  shopifyOrderId: string;
  warehouseOrderRef: string | null;
  attempts: number;
  events: TimelineEvent[];
  shipments: ShipmentView[];
  returns: Array<{ id: string; rma: string | null; sellableUnits: number; damagedUnits: number; receivedAt: string }>;
  lines: Array<{ sku: string | null; quantity: number }>;
}
