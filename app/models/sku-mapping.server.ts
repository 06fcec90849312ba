// Which Shopify inventory item each warehouse SKU is: the catalog we keep of the shop's items,
// automatic mapping by SKU then barcode (app/inventory/sku-matching.ts decides), mapping by hand,
// and the two "unmapped" lists the merchant works through. A position only syncs to Shopify
// once its SKU is mapped, so every new mapping marks the SKU's positions dirty.
import { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { requestStockSync } from "../inventory/jobs.server";
import { mappingStillHolds, matchSkus, type MatchedBy, type UnmatchedReason } from "../inventory/sku-matching";
import { isUniqueViolation } from "../jobs/queue.server";
import { log } from "../observability/logger.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { PRODUCT_VARIANTS, type ProductVariantsData, type VariantNode } from "../shopify/operations";

/** Variants per page: at about 4 points each, 200 stays well under the 1000-point query limit. */
const CATALOG_PAGE_SIZE = 200;
export const MAPPING_PAGE_SIZE = 25;

export type SkuMappingErrorCode = "connection_unavailable" | "warehouse_sku_unknown" | "item_unknown" | "sku_already_mapped" | "item_already_mapped";

/** A mapping the merchant asked for cannot be made; the message says why, in their words. */
export class SkuMappingError extends Error {
  constructor(
    readonly code: SkuMappingErrorCode,
    message: string,
    /** Values for the translated message: sku, item. */
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = "SkuMappingError";
  }
}

// ---------------------------------------------------------------------------------------------
// The catalog
// ---------------------------------------------------------------------------------------------

export interface CatalogImport {
  /** Variants read from Shopify. */
  read: number;
  /** Items added or whose SKU, barcode, titles or cost changed. */
  written: number;
}

function catalogRow(variant: VariantNode) {
  const cost = variant.inventoryItem.unitCost;
  return {
    variantId: variant.id,
    productId: variant.product.id,
    productTitle: variant.product.title,
    variantTitle: variant.title,
    sku: variant.sku?.trim() || null,
    barcode: variant.barcode?.trim() || null,
    // Kept as Shopify's decimal string: money never passes through floating point.
    unitCost: cost ? cost.amount : null,
    costCurrency: cost ? cost.currencyCode : null,
    tracked: variant.inventoryItem.tracked,
  };
}

type CatalogRow = ReturnType<typeof catalogRow>;

type StoredCatalogRow = Record<Exclude<keyof CatalogRow, "unitCost">, unknown> & { unitCost: Prisma.Decimal | null };

function sameCatalogRow(stored: StoredCatalogRow, next: CatalogRow): boolean {
  return (Object.keys(next) as (keyof CatalogRow)[]).every((key) => {
    if (key !== "unitCost") return stored[key] === next[key];
    return stored.unitCost === null || next.unitCost === null ? stored.unitCost === next.unitCost : stored.unitCost.equals(next.unitCost);
  });
}

/** Reads every variant of the shop from Shopify into CatalogItem (changed rows only are written). */
export async function importShopifyCatalog(shop: string, client: AdminClient, db: Database = defaultDb): Promise<CatalogImport> {
  const scoped = forShop(shop, db);
  const stored = new Map<string, StoredCatalogRow>((await scoped.catalogItem.findMany()).map((row) => [row.inventoryItemId, row]));
  const outcome: CatalogImport = { read: 0, written: 0 };
  let after: string | null = null;
  do {
    const data: ProductVariantsData = await client.request<ProductVariantsData>(PRODUCT_VARIANTS, { first: CATALOG_PAGE_SIZE, after });
    for (const variant of data.productVariants.nodes) {
      outcome.read++;
      const inventoryItemId = variant.inventoryItem.id;
      const row = catalogRow(variant);
      const before = stored.get(inventoryItemId);
      if (before && sameCatalogRow(before, row)) continue;
      await scoped.catalogItem.upsert({
        where: { shop_inventoryItemId: { shop, inventoryItemId } },
        create: { shop, inventoryItemId, ...row },
        update: row,
      });
      outcome.written++;
    }
    after = data.productVariants.pageInfo.hasNextPage ? data.productVariants.pageInfo.endCursor : null;
  } while (after);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

async function usableConnection(scoped: ShopDatabase, connectionId: string) {
  const connection = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { id: true, name: true, status: true } });
  if (!connection || connection.status === "disconnected") {
    throw new SkuMappingError("connection_unavailable", "This warehouse connection was removed; SKUs of a removed connection cannot be mapped.");
  }
  const warehouses = await scoped.warehouse.findMany({ where: { connectionId }, select: { id: true } });
  return { ...connection, warehouseIds: warehouses.map((w) => w.id) };
}

/** Gives the SKU's positions their Shopify item and queues them for a write to Shopify. */
function attachPositions(scoped: ShopDatabase, warehouseIds: string[], warehouseSku: string, inventoryItemId: string, now: Date) {
  return scoped.inventoryPosition.updateMany({
    where: { warehouseId: { in: warehouseIds }, warehouseSku, inventoryItemId: null },
    data: { inventoryItemId, syncState: "dirty", dirtySince: now, needsShopifyRead: true, version: { increment: 1 } },
  });
}

/** Writes one mapping and attaches its positions, atomically; false if either side was mapped meanwhile. */
async function saveMapping(
  scoped: ShopDatabase,
  shop: string,
  connection: { id: string; warehouseIds: string[] },
  mapping: { warehouseSku: string; inventoryItemId: string; matchedBy: MatchedBy | "manual" },
  now: Date,
): Promise<boolean> {
  try {
    await scoped.$transaction([
      scoped.skuMapping.create({ data: { shop, connectionId: connection.id, ...mapping } }),
      attachPositions(scoped, connection.warehouseIds, mapping.warehouseSku, mapping.inventoryItemId, now),
    ]);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export interface AutoMapOutcome {
  bySku: number;
  byBarcode: number;
  /** Warehouse SKUs left unmapped, by reason. */
  unmatched: Partial<Record<UnmatchedReason, number>>;
}

async function connectionSkus(scoped: ShopDatabase, warehouseIds: string[]) {
  return scoped.inventoryPosition.findMany({
    where: { warehouseId: { in: warehouseIds } },
    select: { warehouseSku: true, warehouseBarcode: true, inventoryItemId: true },
    orderBy: [{ warehouseSku: "asc" }],
  });
}

async function matchConnection(scoped: ShopDatabase, connection: { id: string; warehouseIds: string[] }) {
  const [items, positions, existing] = await Promise.all([
    scoped.catalogItem.findMany({ select: { inventoryItemId: true, sku: true, barcode: true } }),
    connectionSkus(scoped, connection.warehouseIds),
    scoped.skuMapping.findMany({ where: { connectionId: connection.id }, select: { warehouseSku: true, inventoryItemId: true } }),
  ]);
  const result = matchSkus(items, positions.map((p) => ({ warehouseSku: p.warehouseSku, barcode: p.warehouseBarcode })), existing);
  return { result, positions, existing };
}

/** Maps the connection's unmapped warehouse SKUs to the catalog by SKU, then barcode. Idempotent. */
export async function autoMapConnection(shop: string, connectionId: string, db: Database = defaultDb, now: Date = new Date()): Promise<AutoMapOutcome> {
  const scoped = forShop(shop, db);
  const connection = await usableConnection(scoped, connectionId);
  const { result, positions, existing } = await matchConnection(scoped, connection);
  const outcome: AutoMapOutcome = { bySku: 0, byBarcode: 0, unmatched: {} };
  for (const match of result.matches) {
    if (!(await saveMapping(scoped, shop, connection, match, now))) continue;
    if (match.matchedBy === "sku") outcome.bySku++;
    else outcome.byBarcode++;
  }
  for (const { reason } of result.unmatched) outcome.unmatched[reason] = (outcome.unmatched[reason] ?? 0) + 1;

  // Positions that arrived after their SKU was mapped (a new warehouse, a SKU first stocked there).
  const mappedItem = new Map(existing.map((m) => [m.warehouseSku, m.inventoryItemId]));
  let attached = 0;
  for (const sku of new Set(positions.filter((p) => p.inventoryItemId === null && mappedItem.has(p.warehouseSku)).map((p) => p.warehouseSku))) {
    attached += (await attachPositions(scoped, connection.warehouseIds, sku, mappedItem.get(sku)!, now)).count;
  }

  if (outcome.bySku + outcome.byBarcode + attached > 0) await requestStockSync(shop);
  log.info("Automatic SKU mapping", { shop, connectionId, ...outcome, attached });
  return outcome;
}

/** The merchant says which Shopify item a warehouse SKU is. */
export async function mapManually(shop: string, connectionId: string, warehouseSku: string, inventoryItemId: string, db: Database = defaultDb, now: Date = new Date()) {
  const scoped = forShop(shop, db);
  const connection = await usableConnection(scoped, connectionId);
  const position = await scoped.inventoryPosition.findFirst({ where: { warehouseId: { in: connection.warehouseIds }, warehouseSku }, select: { id: true } });
  if (!position) {
    throw new SkuMappingError("warehouse_sku_unknown", `The warehouse has no SKU ${warehouseSku} in ${connection.name}.`, { sku: warehouseSku });
  }
  const item = await scoped.catalogItem.findUnique({ where: { shop_inventoryItemId: { shop, inventoryItemId } }, select: { sku: true, productTitle: true } });
  if (!item) throw new SkuMappingError("item_unknown", "That Shopify product is not in TallySync's catalog; run the automatic mapping again to refresh it.");
  const itemName = item.sku ?? item.productTitle ?? inventoryItemId;
  const [skuTaken, itemTaken] = await Promise.all([
    scoped.skuMapping.findUnique({ where: { shop_connectionId_warehouseSku: { shop, connectionId, warehouseSku } }, select: { id: true } }),
    scoped.skuMapping.findUnique({ where: { shop_connectionId_inventoryItemId: { shop, connectionId, inventoryItemId } }, select: { warehouseSku: true } }),
  ]);
  if (skuTaken) {
    throw new SkuMappingError("sku_already_mapped", `Warehouse SKU ${warehouseSku} is already mapped; unmap it first.`, { sku: warehouseSku });
  }
  if (itemTaken) {
    throw new SkuMappingError("item_already_mapped", `${itemName} is already mapped to warehouse SKU ${itemTaken.warehouseSku} of ${connection.name}.`, {
      item: itemName,
      sku: itemTaken.warehouseSku,
    });
  }
  if (!(await saveMapping(scoped, shop, connection, { warehouseSku, inventoryItemId, matchedBy: "manual" }, now))) {
    throw new SkuMappingError("sku_already_mapped", `Warehouse SKU ${warehouseSku} was mapped a moment ago; reload the page.`, { sku: warehouseSku });
  }
  await requestStockSync(shop);
}

/**
 * Removes a warehouse SKU's mapping: its positions stop syncing. Shopify's stock for the item is
 * left as it is (nothing is written to Shopify for an unmapped SKU).
 */
export async function unmap(shop: string, connectionId: string, warehouseSku: string, db: Database = defaultDb): Promise<boolean> {
  const scoped = forShop(shop, db);
  const warehouses = await scoped.warehouse.findMany({ where: { connectionId }, select: { id: true } });
  const [removed] = await scoped.$transaction([
    scoped.skuMapping.deleteMany({ where: { connectionId, warehouseSku } }),
    scoped.inventoryPosition.updateMany({
      where: { warehouseId: { in: warehouses.map((w) => w.id) }, warehouseSku },
      data: { inventoryItemId: null, syncState: "clean", dirtySince: null, needsShopifyRead: true, version: { increment: 1 } },
    }),
  ]);
  return removed.count > 0;
}

/**
 * Shopify items whose SKU or barcode changed (products/update): automatic mappings that no longer
 * rest on a matching SKU or barcode are undone, then each connection is mapped again.
 */
export async function remapCatalogItems(shop: string, inventoryItemIds: string[], db: Database = defaultDb): Promise<number> {
  if (inventoryItemIds.length === 0) return 0;
  const scoped = forShop(shop, db);
  const [items, mappings] = await Promise.all([
    scoped.catalogItem.findMany({ where: { inventoryItemId: { in: inventoryItemIds } }, select: { inventoryItemId: true, sku: true, barcode: true } }),
    scoped.skuMapping.findMany({ where: { inventoryItemId: { in: inventoryItemIds }, matchedBy: { not: "manual" } } }),
  ]);
  const itemById = new Map(items.map((i) => [i.inventoryItemId, i]));
  for (const mapping of mappings) {
    const item = itemById.get(mapping.inventoryItemId);
    const warehouseIds = (await scoped.warehouse.findMany({ where: { connectionId: mapping.connectionId }, select: { id: true } })).map((w) => w.id);
    const position = await scoped.inventoryPosition.findFirst({
      where: { warehouseId: { in: warehouseIds }, warehouseSku: mapping.warehouseSku, warehouseBarcode: { not: null } },
      select: { warehouseBarcode: true },
    });
    if (item && mappingStillHolds(mapping, item, position?.warehouseBarcode ?? null)) continue;
    await unmap(shop, mapping.connectionId, mapping.warehouseSku, db);
  }
  const connections = await scoped.warehouseConnection.findMany({ where: { status: { not: "disconnected" } }, select: { id: true } });
  let mapped = 0;
  for (const connection of connections) {
    const outcome = await autoMapConnection(shop, connection.id, db);
    mapped += outcome.bySku + outcome.byBarcode;
  }
  return mapped;
}

// ---------------------------------------------------------------------------------------------
// The unmapped lists
// ---------------------------------------------------------------------------------------------

export interface UnmappedQuery {
  /** One connection, or every connection still connected. */
  connectionId?: string | null;
  search?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageCount: number;
}

export interface UnmappedWarehouseSku {
  connectionId: string;
  connectionName: string;
  warehouseSku: string;
  barcode: string | null;
  /** Sellable units over the connection's warehouses. */
  sellable: number;
  warehouses: string[];
  /** Why automatic mapping left it, when it tried. */
  reason: UnmatchedReason | null;
}

export interface UnmappedShopifyItem {
  inventoryItemId: string;
  productTitle: string | null;
  variantTitle: string | null;
  sku: string | null;
  barcode: string | null;
}

/**
 * Case-insensitive "contains" on both databases: SQLite's LIKE ignores ASCII case, PostgreSQL's
 * does not and the SQLite-typed client has no `mode: "insensitive"`; SKUs are mostly upper case
 * and titles capitalised, so the usual spellings are tried.
 */
function containsAnyCase(field: string, search: string) {
  const spellings = [...new Set([search, search.toUpperCase(), search.toLowerCase(), search.charAt(0).toUpperCase() + search.slice(1).toLowerCase()])];
  return spellings.map((spelling) => ({ [field]: { contains: spelling } }));
}

function pageOf(query: UnmappedQuery, total: number) {
  const pageSize = query.pageSize ?? MAPPING_PAGE_SIZE;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pageCount);
  return { page, pageCount, skip: (page - 1) * pageSize, take: pageSize };
}

async function connectionsFor(scoped: ShopDatabase, connectionId: string | null | undefined) {
  return scoped.warehouseConnection.findMany({
    where: { status: { not: "disconnected" }, ...(connectionId ? { id: connectionId } : {}) },
    select: { id: true, name: true, warehouses: { select: { id: true, name: true } } },
    orderBy: [{ name: "asc" }],
  });
}

/** Warehouse SKUs no Shopify item is mapped to, one row per SKU and connection. */
export async function unmappedWarehouseSkus(shop: string, query: UnmappedQuery = {}, db: Database = defaultDb): Promise<Paged<UnmappedWarehouseSku>> {
  const scoped = forShop(shop, db);
  const connections = await connectionsFor(scoped, query.connectionId);
  const connectionOf = new Map(connections.flatMap((c) => c.warehouses.map((w) => [w.id, { ...c, warehouseName: w.name }] as const)));
  const search = query.search?.trim();
  const where = {
    warehouseId: { in: [...connectionOf.keys()] },
    inventoryItemId: null,
    ...(search ? { OR: [...containsAnyCase("warehouseSku", search), ...containsAnyCase("warehouseBarcode", search)] } : {}),
  };
  const positions = await scoped.inventoryPosition.findMany({
    where,
    select: { warehouseId: true, warehouseSku: true, warehouseBarcode: true, warehouseSellable: true },
    orderBy: [{ warehouseSku: "asc" }],
  });
  const grouped = new Map<string, UnmappedWarehouseSku>();
  for (const position of positions) {
    const connection = connectionOf.get(position.warehouseId)!;
    const key = `${connection.id}\n${position.warehouseSku}`;
    const row = grouped.get(key) ?? {
      connectionId: connection.id,
      connectionName: connection.name,
      warehouseSku: position.warehouseSku,
      barcode: null,
      sellable: 0,
      warehouses: [],
      reason: null,
    };
    row.barcode ??= position.warehouseBarcode;
    row.sellable += position.warehouseSellable;
    row.warehouses.push(connection.warehouseName);
    grouped.set(key, row);
  }
  const all = [...grouped.values()];
  const { page, pageCount, skip, take } = pageOf(query, all.length);
  const rows = all.slice(skip, skip + take);
  // Why each shown SKU is unmapped: the same decision automatic mapping makes, over the whole catalog.
  for (const connectionId of new Set(rows.map((r) => r.connectionId))) {
    const connection = connections.find((c) => c.id === connectionId)!;
    const { result } = await matchConnection(scoped, { id: connectionId, warehouseIds: connection.warehouses.map((w) => w.id) });
    const reasons = new Map(result.unmatched.map((u) => [u.warehouseSku, u.reason]));
    for (const row of rows) if (row.connectionId === connectionId) row.reason = reasons.get(row.warehouseSku) ?? null;
  }
  return { rows, total: all.length, page, pageCount };
}

/** Shopify items no warehouse SKU is mapped to (of the connection, or of any connection). */
export async function unmappedShopifyItems(shop: string, query: UnmappedQuery = {}, db: Database = defaultDb): Promise<Paged<UnmappedShopifyItem>> {
  const scoped = forShop(shop, db);
  const connections = await connectionsFor(scoped, query.connectionId);
  const mapped = await scoped.skuMapping.findMany({ where: { connectionId: { in: connections.map((c) => c.id) } }, select: { inventoryItemId: true } });
  const search = query.search?.trim();
  const where = {
    inventoryItemId: { notIn: [...new Set(mapped.map((m) => m.inventoryItemId))] },
    tracked: true,
    ...(search
      ? { OR: [...containsAnyCase("sku", search), ...containsAnyCase("barcode", search), ...containsAnyCase("productTitle", search), ...containsAnyCase("variantTitle", search)] }
      : {}),
  };
  const total = await scoped.catalogItem.count({ where });
  const { page, pageCount, skip, take } = pageOf(query, total);
  const rows = await scoped.catalogItem.findMany({
    where,
    select: { inventoryItemId: true, productTitle: true, variantTitle: true, sku: true, barcode: true },
    orderBy: [{ productTitle: "asc" }, { sku: "asc" }, { inventoryItemId: "asc" }],
    skip,
    take,
  });
  return { rows, total, page, pageCount };
}

export async function unmappedLists(shop: string, query: { connectionId?: string | null; warehouse?: UnmappedQuery; shopify?: UnmappedQuery } = {}, db: Database = defaultDb) {
  const [warehouseSkus, shopifyItems] = await Promise.all([
    unmappedWarehouseSkus(shop, { ...query.warehouse, connectionId: query.connectionId }, db),
    unmappedShopifyItems(shop, { ...query.shopify, connectionId: query.connectionId }, db),
  ]);
  return { warehouseSkus, shopifyItems };
}

/** Shopify items to pick from when mapping by hand: by SKU, barcode or title. */
export async function searchCatalog(shop: string, search: string, limit = 10, db: Database = defaultDb): Promise<UnmappedShopifyItem[]> {
  const term = search.trim();
  if (!term) return [];
  return forShop(shop, db).catalogItem.findMany({
    where: { OR: [...containsAnyCase("sku", term), ...containsAnyCase("barcode", term), ...containsAnyCase("productTitle", term), ...containsAnyCase("variantTitle", term)] },
    select: { inventoryItemId: true, productTitle: true, variantTitle: true, sku: true, barcode: true },
    orderBy: [{ productTitle: "asc" }, { sku: "asc" }],
    take: limit,
  });
}
