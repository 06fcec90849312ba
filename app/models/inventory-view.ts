// What the Inventory page asks for: a view (tab), a warehouse, a search and a page. Shared by the
// route, its links and the CSV export, so a download is exactly the list on screen.
import type { StockStatus } from "../inventory/stock-status";

export const INVENTORY_VIEWS = ["all", "drifted", "low", "unmapped"] as const;
export type InventoryView = (typeof INVENTORY_VIEWS)[number];

export const INVENTORY_PAGE_SIZE = 50;
const MAX_SEARCH_LENGTH = 100;

export interface InventoryQuery {
  view: InventoryView;
  warehouseId: string | null;
  search: string;
  /** Opaque page cursors from a previous page. */
  after: string | null;
  before: string | null;
}

export function parseInventoryQuery(params: URLSearchParams): InventoryQuery {
  const view = params.get("view");
  return {
    view: INVENTORY_VIEWS.includes(view as InventoryView) ? (view as InventoryView) : "all",
    warehouseId: params.get("warehouse") || null,
    search: (params.get("q") ?? "").trim().slice(0, MAX_SEARCH_LENGTH),
    after: params.get("after") || null,
    before: params.get("before") || null,
  };
}

/** The URL parameters of a query (empty ones left out); a new filter starts again at page one. */
export function inventoryQueryParams(query: Partial<InventoryQuery>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.view && query.view !== "all") params.set("view", query.view);
  if (query.warehouseId) params.set("warehouse", query.warehouseId);
  if (query.search) params.set("q", query.search);
  if (query.after) params.set("after", query.after);
  else if (query.before) params.set("before", query.before);
  return params;
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
