// What the Inventory page asks for: a view (tab), a warehouse, a search and a page. Shared by the
// route, its links and the CSV export, so a download is exactly the list on screen.
import type { StockStatus } from "../inventory/stock-status";
import { listSearchParams, oneOf, pageCursorEntries, pageCursorParams, searchParam, type PageCursors } from "./list-query";

export const INVENTORY_VIEWS = ["all", "drifted", "low", "unmapped"] as const;
export type InventoryView = (typeof INVENTORY_VIEWS)[number];

export const INVENTORY_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 100;

/** The cursors are those of a previous page. */
export interface InventoryQuery extends PageCursors {
  view: InventoryView;
  warehouseId: string | null;
  search: string;
}

export function parseInventoryQuery(params: URLSearchParams): InventoryQuery {
  return {
    view: oneOf(INVENTORY_VIEWS, params.get("view"), "all"),
    warehouseId: params.get("warehouse") || null,
    search: searchParam(params, MAX_SEARCH_LENGTH),
    ...pageCursorParams(params),
  };
}

/** The URL parameters of a query (empty ones left out). */
export function inventoryQueryParams(query: Partial<InventoryQuery>): URLSearchParams {
  return listSearchParams([["view", query.view, "all"], ["warehouse", query.warehouseId], ["q", query.search], ...pageCursorEntries(query)]);
}

export interface InventoryRow {
  id: string;
  sku: string;
  barcode: string | null;
  productTitle: string | null;
  variantTitle: string | null;
  warehouseId: string;
  warehouseName: string;
  warehouseSellable: number;
  /** Units taken out for orders the warehouse has not acknowledged. */
  reservedForOrders: number;
  safetyStock: number;
  safetyStockIsShopDefault: boolean;
  /** What Shopify showed when we last read or wrote it. */
  shopifyAvailable: number | null;
  /** availableToSell; null for an unmapped SKU (Shopify has nothing to show it on). */
  shouldBe: number | null;
  drift: number | null;
  /** ISO time the warehouse last confirmed this SKU's stock. */
  lastConfirmedAt: string | null;
  status: StockStatus;
}
