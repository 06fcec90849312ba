// The Inventory page's list: positions (SKU x warehouse) with what Shopify should show and what it
// does. Filters, search and paging are all in the database query, so a page costs the same at 50
// positions as at 50,000; only the rows on the page are computed in the app.
import type { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { availableToSell, effectiveSafetyStock } from "../inventory/available";
import { driftUnits, LOW_STOCK_UNITS, stockStatus } from "../inventory/stock-status";
import { INVENTORY_PAGE_SIZE, type InventoryQuery, type InventoryRow } from "./inventory-view";
import { containsText, decodeKeyCursor, decodePageCursors, encodeKeyCursor, keysetPage } from "./list-query.server";

// A search matching more catalog items than this narrows by SKU and barcode plus these items only;
// a longer search term narrows further.
const SEARCH_CATALOG_LIMIT = 1_000;
const EXPORT_BATCH = 500;

interface PageCursor {
  sku: string;
  warehouseId: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return encodeKeyCursor([cursor.sku, cursor.warehouseId]);
}

/** null for anything that is not a cursor we made: the list starts again at page one. */
export function decodeCursor(value: string | null): PageCursor | null {
  const key = decodeKeyCursor(value, 2);
  return key ? { sku: key[0]!, warehouseId: key[1]! } : null;
}

type Where = Prisma.InventoryPositionWhereInput;

async function searchWhere(scoped: ShopDatabase, search: string): Promise<Where | null> {
  if (!search) return null;
  const text = containsText(search);
  const items = await scoped.catalogItem.findMany({
    where: { OR: [{ sku: text }, { barcode: text }, { productTitle: text }, { variantTitle: text }] },
    select: { inventoryItemId: true },
    take: SEARCH_CATALOG_LIMIT,
  });
  return {
    OR: [
      { warehouseSku: text },
      { warehouseBarcode: text },
      ...(items.length ? [{ inventoryItemId: { in: items.map((item) => item.inventoryItemId) } }] : []),
    ],
  };
}

/**
 * The views as where clauses. They compare stored columns (Prisma field references), the same
 * properties isDrifted and isLow decide for a single row:
 * - drifted: not waiting for a write, and Shopify's last known available differs from what we last
 *   published there (a dirty position is about to be corrected, so it is "syncing", not drift);
 * - low: Shopify's available is at most the safety stock (own, else the shop default) or at most
 *   LOW_STOCK_UNITS.
 */
function viewWhere(view: InventoryQuery["view"], db: Database, shopDefaultSafetyStock: number): Where | null {
  const fields = db.inventoryPosition.fields;
  switch (view) {
    case "unmapped":
      return { inventoryItemId: null };
    case "drifted":
      return {
        inventoryItemId: { not: null },
        syncState: "clean",
        OR: [{ shopifyAvailable: { lt: fields.lastWrittenAvailable } }, { shopifyAvailable: { gt: fields.lastWrittenAvailable } }],
      };
    case "low":
      return {
        inventoryItemId: { not: null },
        OR: [
          { shopifyAvailable: { lte: Math.max(LOW_STOCK_UNITS, shopDefaultSafetyStock) }, safetyStock: null },
          { shopifyAvailable: { lte: LOW_STOCK_UNITS } },
          { shopifyAvailable: { lte: fields.safetyStock } },
        ],
      };
    case "all":
      return null;
  }
}

function afterCursor(cursor: PageCursor): Where {
  return { OR: [{ warehouseSku: { gt: cursor.sku } }, { warehouseSku: cursor.sku, warehouseId: { gt: cursor.warehouseId } }] };
}

function beforeCursor(cursor: PageCursor): Where {
  return { OR: [{ warehouseSku: { lt: cursor.sku } }, { warehouseSku: cursor.sku, warehouseId: { lt: cursor.warehouseId } }] };
}

interface Context {
  scoped: ShopDatabase;
  shopDefaultSafetyStock: number;
  warehouses: Map<string, { name: string; syncFrozen: boolean }>;
  filter: Where;
}

async function contextFor(shop: string, query: InventoryQuery, db: Database): Promise<Context> {
  const scoped = forShop(shop, db);
  const [settings, warehouses] = await Promise.all([
    scoped.shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true } }),
    scoped.warehouse.findMany({ select: { id: true, name: true, syncFrozen: true }, orderBy: [{ name: "asc" }] }),
  ]);
  const shopDefaultSafetyStock = settings?.defaultSafetyStock ?? 0;
  const parts = [
    viewWhere(query.view, db, shopDefaultSafetyStock),
    query.warehouseId ? { warehouseId: query.warehouseId } : null,
    await searchWhere(scoped, query.search),
  ].filter((part): part is Where => part != null);
  return {
    scoped,
    shopDefaultSafetyStock,
    warehouses: new Map(warehouses.map((w) => [w.id, { name: w.name, syncFrozen: w.syncFrozen }])),
    filter: parts.length ? { AND: parts } : {},
  };
}

type PositionRow = Awaited<ReturnType<ShopDatabase["inventoryPosition"]["findMany"]>>[number];

async function toRows(context: Context, positions: PositionRow[]): Promise<InventoryRow[]> {
  const itemIds = [...new Set(positions.map((p) => p.inventoryItemId).filter((id): id is string => id != null))];
  const catalog = itemIds.length
    ? await context.scoped.catalogItem.findMany({
        where: { inventoryItemId: { in: itemIds } },
        select: { inventoryItemId: true, productTitle: true, variantTitle: true, barcode: true },
      })
    : [];
  const itemById = new Map(catalog.map((item) => [item.inventoryItemId, item]));
  return positions.map((p) => {
    const item = p.inventoryItemId ? itemById.get(p.inventoryItemId) : undefined;
    const warehouse = context.warehouses.get(p.warehouseId);
    const safetyStock = effectiveSafetyStock(p.safetyStock, context.shopDefaultSafetyStock);
    const available = availableToSell({
      warehouseSellable: p.warehouseSellable,
      unacknowledgedReserved: p.reservedUnacknowledged,
      safetyStock,
      shopifyCommitted: p.shopifyCommitted,
      acknowledgedUnfulfilled: p.acknowledgedUnfulfilled,
    });
    const mapped = p.inventoryItemId != null;
    const shouldBe = mapped ? available.available : null;
    return {
      id: p.id,
      sku: p.warehouseSku,
      barcode: p.warehouseBarcode ?? item?.barcode ?? null,
      productTitle: item?.productTitle ?? null,
      variantTitle: item?.variantTitle ?? null,
      warehouseId: p.warehouseId,
      warehouseName: warehouse?.name ?? p.warehouseId,
      warehouseSellable: p.warehouseSellable,
      reservedForOrders: available.unacknowledged,
      safetyStock,
      safetyStockIsShopDefault: p.safetyStock == null,
      shopifyAvailable: mapped ? p.shopifyAvailable : null,
      shouldBe,
      drift: mapped ? driftUnits(p.shopifyAvailable, shouldBe) : null,
      lastConfirmedAt: p.lastConfirmedAt?.toISOString() ?? null,
      status: stockStatus({
        mapped,
        warehouseFrozen: warehouse?.syncFrozen ?? false,
        dirty: p.syncState === "dirty",
        shopifyAvailable: p.shopifyAvailable,
        lastWrittenAvailable: p.lastWrittenAvailable,
        safetyStock,
      }),
    };
  });
}

export interface InventoryPage {
  rows: InventoryRow[];
  /** Positions matching the filters, across all pages. */
  total: number;
  /** Whether the shop has any position at all (else the page explains what will appear). */
  shopHasPositions: boolean;
  nextCursor: string | null;
  previousCursor: string | null;
  warehouses: { id: string; name: string }[];
}

const ORDER_ASC = [{ warehouseSku: "asc" }, { warehouseId: "asc" }] as const;
const ORDER_DESC = [{ warehouseSku: "desc" }, { warehouseId: "desc" }] as const;

/**
 * One page, in SKU order then warehouse (a SKU's warehouses side by side). Paging is by keyset on
 * (SKU, warehouse), which is unique per shop, so pages neither skip nor repeat rows when rows are
 * added or removed between clicks.
 */
export async function loadInventoryPage(
  shop: string,
  query: InventoryQuery,
  db: Database = defaultDb,
  pageSize: number = INVENTORY_PAGE_SIZE,
): Promise<InventoryPage> {
  const context = await contextFor(shop, query, db);
  const cursors = decodePageCursors(query, decodeCursor);
  const { after, before } = cursors;
  const pageWhere = after ? afterCursor(after) : before ? beforeCursor(before) : null;
  const [found, total, anyPosition] = await Promise.all([
    context.scoped.inventoryPosition.findMany({
      where: pageWhere ? { AND: [context.filter, pageWhere] } : context.filter,
      orderBy: before ? [...ORDER_DESC] : [...ORDER_ASC],
      take: pageSize + 1,
    }),
    context.scoped.inventoryPosition.count({ where: context.filter }),
    context.scoped.inventoryPosition.findFirst({ select: { id: true } }),
  ]);
  const page = keysetPage(found, pageSize, cursors, (p) => encodeCursor({ sku: p.warehouseSku, warehouseId: p.warehouseId }));
  return {
    rows: await toRows(context, page.rows),
    total,
    shopHasPositions: anyPosition != null,
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    warehouses: [...context.warehouses].map(([id, w]) => ({ id, name: w.name })),
  };
}

/** Every row matching the query's filters (its page cursors are ignored), in page order, in batches. */
export async function* inventoryRowsForExport(shop: string, query: InventoryQuery, db: Database = defaultDb): AsyncGenerator<InventoryRow[]> {
  const context = await contextFor(shop, query, db);
  let cursor: PageCursor | null = null;
  for (;;) {
    const batch: PositionRow[] = await context.scoped.inventoryPosition.findMany({
      where: cursor ? { AND: [context.filter, afterCursor(cursor)] } : context.filter,
      orderBy: [...ORDER_ASC],
      take: EXPORT_BATCH,
    });
    if (!batch.length) return;
    yield await toRows(context, batch);
    if (batch.length < EXPORT_BATCH) return;
    const last = batch[batch.length - 1]!;
    cursor = { sku: last.warehouseSku, warehouseId: last.warehouseId };
  }
}
