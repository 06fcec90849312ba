// The Orders page's data: one row per allocation (a fulfillment order on its way through a
// warehouse), filtered, searched and paged by the database, one shop at a time; and one
// allocation's detail with its timeline, shipments and returns.
import type { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import type { AllocationStatus } from "../orders/allocation-status";
import { containsText, decodeKeyCursor, decodePageCursors, encodeKeyCursor, keysetPage } from "./list-query.server";
import { shopTimeZone } from "./settings.server";
import {
  ORDER_PROBLEMS,
  ORDERS_PAGE_SIZE,
  problemOf,
  type OrderDetail,
  type OrderProblem,
  type OrderRow,
  type OrdersQuery,
  type OrderView,
  type RoutingView,
} from "./orders-view";

type Where = Prisma.AllocationWhereInput;

interface PageCursor {
  createdAt: string;
  id: string;
}

export function encodeOrdersCursor(cursor: PageCursor): string {
  return encodeKeyCursor([cursor.createdAt, cursor.id]);
}

/** null for anything that is not a cursor we made: the list starts again at page one. */
export function decodeOrdersCursor(value: string | null): PageCursor | null {
  const key = decodeKeyCursor(value, 2);
  return key && !Number.isNaN(Date.parse(key[0]!)) ? { createdAt: key[0]!, id: key[1]! } : null;
}

/** Each problem as a where clause; the same rules as problemOf decides for one row. */
export function problemWhere(problem: OrderProblem): Where {
  switch (problem) {
    case "error":
      return { status: "error" };
    case "rejected":
      return { status: "rejected" };
    case "waiting":
      // The waiting queue: no warehouse has the stock yet, or the warehouse had less than we thought.
      return { OR: [{ status: "waiting" }, { status: "accepted", warehouseOrderRef: null, nextAttemptAt: { not: null } }] };
  }
}

function viewWhere(view: OrderView): Where | null {
  if (view === "all") return null;
  if (view === "attention") return { OR: ORDER_PROBLEMS.map(problemWhere) };
  return problemWhere(view);
}

function afterCursor(cursor: PageCursor): Where {
  const at = new Date(cursor.createdAt);
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] };
}

function beforeCursor(cursor: PageCursor): Where {
  const at = new Date(cursor.createdAt);
  return { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: cursor.id } }] };
}

/** The stored routing decision, or null when there is none or it cannot be read. */
export function parseRoutingRecord(raw: string | null): RoutingView | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<RoutingView>;
    if (parsed.kind !== "route" && parsed.kind !== "wait" && parsed.kind !== "reject") return null;
    return {
      kind: parsed.kind,
      reasons: Array.isArray(parsed.reasons) ? parsed.reasons.filter((r) => r && typeof r === "object" && typeof r.code === "string") : [],
      warehouseIds: Array.isArray(parsed.warehouseIds) ? parsed.warehouseIds.filter((id): id is string => typeof id === "string") : [],
      moveFrom: typeof parsed.moveFrom === "string" ? parsed.moveFrom : null,
      summary: typeof parsed.summary === "string" ? parsed.summary : "",
    };
  } catch {
    return null;
  }
}

function destinationOf(order: { shippingCountry: string | null; shippingProvince: string | null }): string | null {
  if (!order.shippingCountry) return null;
  return order.shippingProvince ? `${order.shippingCountry}-${order.shippingProvince}` : order.shippingCountry;
}

const ROW_SELECT = {
  id: true,
  status: true,
  warehouseId: true,
  routingReason: true,
  warehouseOrderRef: true,
  warehouseOrderStatus: true,
  lastError: true,
  nextAttemptAt: true,
  createdAt: true,
  updatedAt: true,
  order: { select: { name: true, shippingCountry: true, shippingProvince: true } },
  shipments: { select: { carrier: true, trackingNumber: true, trackingUrl: true }, orderBy: [{ createdAt: "asc" as const }] },
} satisfies Prisma.AllocationSelect;

type RowRecord = Prisma.AllocationGetPayload<{ select: typeof ROW_SELECT }>;

function toRow(row: RowRecord, names: ReadonlyMap<string, string>): OrderRow {
  return {
    id: row.id,
    orderName: row.order.name,
    warehouseId: row.warehouseId,
    warehouseName: row.warehouseId ? (names.get(row.warehouseId) ?? null) : null,
    status: row.status as AllocationStatus,
    problem: problemOf(row),
    destination: destinationOf(row.order),
    routing: parseRoutingRecord(row.routingReason),
    warehouseOrderStatus: row.warehouseOrderStatus,
    tracking: row.shipments.filter((s) => s.trackingNumber).map((s) => ({ carrier: s.carrier, number: s.trackingNumber, url: s.trackingUrl })),
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function warehouseNames(scoped: ShopDatabase): Promise<{ id: string; name: string; connected: boolean }[]> {
  const rows = await scoped.warehouse.findMany({ select: { id: true, name: true, connection: { select: { status: true } } }, orderBy: [{ name: "asc" }] });
  return rows.map((w) => ({ id: w.id, name: w.name, connected: w.connection.status !== "disconnected" }));
}

export interface OrdersPage {
  rows: OrderRow[];
  /** Allocations matching the filters, across all pages. */
  total: number;
  /** How many orders have each problem (the tabs show them), whatever the filters. */
  problems: Record<OrderProblem, number>;
  /** Whether the shop has any order sent to TallySync at all, and a connected warehouse. */
  shopHasOrders: boolean;
  shopHasWarehouses: boolean;
  nextCursor: string | null;
  previousCursor: string | null;
  /** Every warehouse, for names (also of removed ones) and the filter (connected ones). */
  warehouses: { id: string; name: string; connected: boolean }[];
}

/**
 * One page, newest first. Paging is by keyset on (created, id), which is unique, so pages neither
 * skip nor repeat rows when orders arrive between clicks.
 */
export async function loadOrdersPage(shop: string, query: OrdersQuery, db: Database = defaultDb, pageSize: number = ORDERS_PAGE_SIZE): Promise<OrdersPage> {
  const scoped = forShop(shop, db);
  const parts = [
    viewWhere(query.view),
    query.statuses.length ? { status: { in: query.statuses } } : null,
    query.warehouseId ? { warehouseId: query.warehouseId } : null,
    query.search ? { order: { name: containsText(query.search) } } : null,
  ].filter((part): part is Where => part != null);
  const filter: Where = parts.length ? { AND: parts } : {};
  const cursors = decodePageCursors(query, decodeOrdersCursor);
  const { after, before } = cursors;
  const pageWhere = after ? afterCursor(after) : before ? beforeCursor(before) : null;
  const [warehouses, found, total, anyOrder, waiting, error, rejected] = await Promise.all([
    warehouseNames(scoped),
    scoped.allocation.findMany({
      where: pageWhere ? { AND: [filter, pageWhere] } : filter,
      select: ROW_SELECT,
      orderBy: before ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
      take: pageSize + 1,
    }),
    scoped.allocation.count({ where: filter }),
    scoped.allocation.findFirst({ select: { id: true } }),
    scoped.allocation.count({ where: problemWhere("waiting") }),
    scoped.allocation.count({ where: problemWhere("error") }),
    scoped.allocation.count({ where: problemWhere("rejected") }),
  ]);
  const page = keysetPage(found, pageSize, cursors, (row) => encodeOrdersCursor({ createdAt: row.createdAt.toISOString(), id: row.id }));
  const names = new Map(warehouses.map((w) => [w.id, w.name]));
  return {
    rows: page.rows.map((row) => toRow(row, names)),
    total,
    problems: { waiting, error, rejected },
    shopHasOrders: anyOrder != null,
    shopHasWarehouses: warehouses.some((w) => w.connected),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    warehouses,
  };
}

export interface OrderDetailPage {
  order: OrderDetail;
  /** Warehouse names by id, for the routing reasons (which name every warehouse they weighed). */
  warehouseNames: Record<string, string>;
  timeZone: string;
}

/** One allocation with its timeline; null when this shop has no such allocation. */
export async function loadOrderDetail(shop: string, allocationId: string, db: Database = defaultDb): Promise<OrderDetailPage | null> {
  const scoped = forShop(shop, db);
  const allocation = await scoped.allocation.findUnique({
    where: { id: allocationId },
    select: {
      ...ROW_SELECT,
      fulfillmentOrderId: true,
      attempts: true,
      order: { select: { name: true, shopifyOrderId: true, shippingCountry: true, shippingProvince: true, lines: { select: { sku: true, quantity: true }, orderBy: [{ lineItemId: "asc" }] } } },
      events: { select: { id: true, kind: true, status: true, note: true, at: true }, orderBy: [{ at: "asc" }, { id: "asc" }] },
    },
  });
  if (!allocation) return null;
  const [warehouses, shipments, returns, timeZone] = await Promise.all([
    warehouseNames(scoped),
    scoped.shipment.findMany({ where: { allocationId }, orderBy: [{ createdAt: "asc" }] }),
    scoped.returnReceipt.findMany({ where: { allocationId }, orderBy: [{ receivedAt: "asc" }] }),
    shopTimeZone(shop, db),
  ]);
  const names = new Map(warehouses.map((w) => [w.id, w.name]));
  const units = (lines: string) => {
    try {
      const parsed = JSON.parse(lines) as Array<{ quantity?: unknown }>;
      return Array.isArray(parsed) ? parsed.reduce((sum, l) => sum + (typeof l.quantity === "number" ? l.quantity : 0), 0) : 0;
    } catch {
      return 0;
    }
  };
  return {
    order: {
      ...toRow(allocation, names),
      fulfillmentOrderId: allocation.fulfillmentOrderId,
      shopifyOrderId: allocation.order.shopifyOrderId,
      warehouseOrderRef: allocation.warehouseOrderRef,
      attempts: allocation.attempts,
      events: allocation.events.map((e) => ({ id: e.id, kind: e.kind, status: e.status, note: e.note, at: e.at.toISOString() })),
      shipments: shipments.map((s) => ({
        id: s.id,
        carrier: s.carrier,
        trackingNumber: s.trackingNumber,
        trackingUrl: s.trackingUrl,
        shippedAt: s.shippedAt?.toISOString() ?? null,
        deliveredAt: s.deliveredAt?.toISOString() ?? null,
        deliveredBy: s.deliveredBy,
        status: s.status,
        units: units(s.lines),
        lastError: s.lastError,
      })),
      returns: returns.map((r) => ({ id: r.id, rma: r.rma, sellableUnits: r.sellableUnits, damagedUnits: r.damagedUnits, receivedAt: r.receivedAt.toISOString() })),
      lines: allocation.order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    },
    warehouseNames: Object.fromEntries(names),
    timeZone,
  };
}
