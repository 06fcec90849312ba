// "Why is this number what it is" for one position: the rule's steps with the data behind each
// (the warehouse's last report, the orders held, the safety stock), what Shopify shows, and the
// position's ledger, newest first.
import type { Prisma } from "@prisma/client";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { orderLabel, type LedgerRow } from "../inventory/ledger-story";
import { driftUnits, stockStatus, type StockStatus } from "../inventory/stock-status";
import { whyAvailable, type WhyAvailable } from "../inventory/why-available";

export const LEDGER_PAGE_SIZE = 25;

export interface HeldOrder {
  order: string;
  units: number;
  /** ISO time the order was reserved. */
  since: string;
}

export interface LedgerLine extends LedgerRow {
  id: number;
  occurredAt: string;
}

export interface StockExplanation {
  position: {
    id: string;
    sku: string;
    barcode: string | null;
    productTitle: string | null;
    variantTitle: string | null;
    warehouseName: string;
    warehouseFrozenReason: string | null;
    mapped: boolean;
    status: StockStatus;
  };
  why: WhyAvailable;
  /** The warehouse's latest sellable figure: when it happened and how it reached us. */
  sellableReported: { at: string | null; source: string | null; confirmedAt: string | null };
  heldOrders: HeldOrder[];
  shopify: {
    available: number | null;
    readAt: string | null;
    lastWritten: number | null;
    lastWrittenAt: string | null;
    drift: number | null;
    syncing: boolean;
  };
  ledger: {
    lines: LedgerLine[];
    /** Order names for the ledger's order references. */
    orderNames: Record<string, string>;
    olderCursor: string | null;
    newerCursor: string | null;
  };
  timeZone: string;
}

interface LedgerCursor {
  occurredAt: Date;
  id: number;
}

function encodeLedgerCursor(line: { occurredAt: Date; id: number }): string {
  return `${line.occurredAt.getTime()}.${line.id}`;
}

function decodeLedgerCursor(value: string | null): LedgerCursor | null {
  const match = value?.match(/^(\d+)\.(\d+)$/);
  return match ? { occurredAt: new Date(Number(match[1])), id: Number(match[2]) } : null;
}

async function orderNamesFor(scoped: ShopDatabase, references: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(references)];
  if (!unique.length) return new Map();
  const orders = await scoped.order.findMany({
    where: { OR: [{ shopifyOrderId: { in: unique } }, { id: { in: unique } }] },
    select: { id: true, shopifyOrderId: true, name: true },
  });
  const names = new Map<string, string>();
  for (const order of orders) {
    names.set(order.shopifyOrderId, order.name);
    names.set(order.id, order.name);
  }
  return names;
}

export interface LedgerPageRequest {
  older: string | null;
  newer: string | null;
}

async function ledgerPage(scoped: ShopDatabase, where: Prisma.InventoryLedgerEntryWhereInput, request: LedgerPageRequest, pageSize: number) {
  const older = decodeLedgerCursor(request.older);
  const newer = older ? null : decodeLedgerCursor(request.newer);
  const page: Prisma.InventoryLedgerEntryWhereInput | null = older
    ? { OR: [{ occurredAt: { lt: older.occurredAt } }, { occurredAt: older.occurredAt, id: { lt: older.id } }] }
    : newer
      ? { OR: [{ occurredAt: { gt: newer.occurredAt } }, { occurredAt: newer.occurredAt, id: { gt: newer.id } }] }
      : null;
  const found = await scoped.inventoryLedgerEntry.findMany({
    where: page ? { AND: [where, page] } : where,
    orderBy: newer ? [{ occurredAt: "asc" }, { id: "asc" }] : [{ occurredAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
  });
  const more = found.length > pageSize;
  const rows = found.slice(0, pageSize);
  if (newer) rows.reverse();
  const hasOlder = newer ? true : more;
  const hasNewer = newer ? more : older != null;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    olderCursor: hasOlder && last ? encodeLedgerCursor(last) : null,
    newerCursor: hasNewer && first ? encodeLedgerCursor(first) : null,
  };
}

/** null when the shop has no such position (another shop's id included). */
export async function explainPosition(
  shop: string,
  positionId: string,
  ledgerRequest: LedgerPageRequest = { older: null, newer: null },
  db: Database = defaultDb,
  ledgerPageSize: number = LEDGER_PAGE_SIZE,
): Promise<StockExplanation | null> {
  const scoped = forShop(shop, db);
  const position = await scoped.inventoryPosition.findFirst({ where: { id: positionId } });
  if (!position) return null;
  // Rows written before the SKU was mapped carry "sku:<warehouse SKU>" as their item.
  const itemIds = [...new Set([position.inventoryItemId, `sku:${position.warehouseSku}`].filter((id): id is string => id != null))];
  const ledgerWhere = { warehouseId: position.warehouseId, inventoryItemId: { in: itemIds } };
  const [settings, warehouse, item, lastReport, reservations, ledger] = await Promise.all([
    scoped.shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true, timeZone: true } }),
    scoped.warehouse.findFirst({ where: { id: position.warehouseId }, select: { name: true, syncFrozen: true, syncFrozenReason: true } }),
    position.inventoryItemId
      ? scoped.catalogItem.findFirst({ where: { inventoryItemId: position.inventoryItemId }, select: { productTitle: true, variantTitle: true, barcode: true } })
      : null,
    scoped.inventoryLedgerEntry.findFirst({
      where: { ...ledgerWhere, quantityName: "warehouse_sellable" },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      select: { occurredAt: true, source: true },
    }),
    position.inventoryItemId
      ? scoped.reservation.findMany({
          where: { warehouseId: position.warehouseId, inventoryItemId: position.inventoryItemId, status: "active" },
          orderBy: [{ createdAt: "asc" }],
          select: { orderId: true, quantity: true, createdAt: true },
        })
      : [],
    ledgerPage(scoped, ledgerWhere, ledgerRequest, ledgerPageSize),
  ]);
  const orderReferences = [
    ...reservations.map((r) => r.orderId),
    ...ledger.rows.filter((row) => row.quantityName === "reserved" && row.reference).map((row) => row.reference!),
  ];
  const names = await orderNamesFor(scoped, orderReferences);

  const why = whyAvailable({
    warehouseSellable: position.warehouseSellable,
    reservedUnacknowledged: position.reservedUnacknowledged,
    acknowledgedUnfulfilled: position.acknowledgedUnfulfilled,
    shopifyCommitted: position.shopifyCommitted,
    positionSafetyStock: position.safetyStock,
    shopDefaultSafetyStock: settings?.defaultSafetyStock ?? 0,
  });
  const mapped = position.inventoryItemId != null;
  // One line per order, though an order may hold the SKU on several lines.
  const held = new Map<string, HeldOrder>();
  for (const r of reservations) {
    const order = orderLabel(r.orderId, names);
    const existing = held.get(r.orderId);
    held.set(r.orderId, existing ? { ...existing, units: existing.units + r.quantity } : { order, units: r.quantity, since: r.createdAt.toISOString() });
  }
  return {
    position: {
      id: position.id,
      sku: position.warehouseSku,
      barcode: position.warehouseBarcode ?? item?.barcode ?? null,
      productTitle: item?.productTitle ?? null,
      variantTitle: item?.variantTitle ?? null,
      warehouseName: warehouse?.name ?? position.warehouseId,
      warehouseFrozenReason: warehouse?.syncFrozen ? (warehouse.syncFrozenReason ?? "") : null,
      mapped,
      status: stockStatus({
        mapped,
        warehouseFrozen: warehouse?.syncFrozen ?? false,
        dirty: position.syncState === "dirty",
        shopifyAvailable: position.shopifyAvailable,
        lastWrittenAvailable: position.lastWrittenAvailable,
        safetyStock: why.safetyStock,
      }),
    },
    why,
    sellableReported: {
      at: (lastReport?.occurredAt ?? position.warehouseUpdatedAt)?.toISOString() ?? null,
      source: lastReport?.source ?? null,
      confirmedAt: position.lastConfirmedAt?.toISOString() ?? null,
    },
    heldOrders: [...held.values()],
    shopify: {
      available: mapped ? position.shopifyAvailable : null,
      readAt: position.shopifyReadAt?.toISOString() ?? null,
      lastWritten: position.lastWrittenAvailable,
      lastWrittenAt: position.lastWrittenAt?.toISOString() ?? null,
      drift: mapped ? driftUnits(position.shopifyAvailable, why.shouldBe) : null,
      syncing: position.syncState === "dirty",
    },
    ledger: {
      lines: ledger.rows.map((row) => ({
        id: row.id,
        occurredAt: row.occurredAt.toISOString(),
        quantityName: row.quantityName,
        source: row.source,
        reason: row.reason,
        reference: row.reference,
        before: row.before,
        after: row.after,
        delta: row.delta,
      })),
      orderNames: Object.fromEntries(names),
      olderCursor: ledger.olderCursor,
      newerCursor: ledger.newerCursor,
    },
    timeZone: settings?.timeZone ?? "UTC",
  };
}
