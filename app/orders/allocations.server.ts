// Allocations: our record of each fulfillment order on its way through a warehouse, with its
// timeline. Every change of status is one transaction of the allocation and its timeline event.
import { withUniqueRetry } from "../db/errors";
import type { ShopDatabase } from "../db/tenant.server";
import type { AllocationEventKind, AllocationStatus } from "./allocation-status";
import type { FulfillmentOrderView } from "./gateway";

export type AllocationRow = NonNullable<Awaited<ReturnType<ShopDatabase["allocation"]["findFirst"]>>>;

/** How long one process may work on an allocation before another may take over (a crashed worker). */
export const ALLOCATION_LEASE_MS = 2 * 60_000;

/** Our copy of the order and its lines, from the fulfillment order (the orders/create webhook may not have come yet). */
export async function ensureOrderRecord(scoped: ShopDatabase, shop: string, fo: FulfillmentOrderView): Promise<string> {
  const orderId = await withUniqueRetry(async () => {
    const existing = await scoped.order.findUnique({ where: { shop_shopifyOrderId: { shop, shopifyOrderId: fo.orderId } }, select: { id: true } });
    if (existing) return existing.id;
    const created = await scoped.order.create({
      data: {
        shop,
        shopifyOrderId: fo.orderId,
        name: fo.orderName,
        shippingCountry: fo.destination?.countryCode ?? null,
        shippingProvince: fo.destination?.provinceCode ?? null,
      },
      select: { id: true },
    });
    return created.id;
  });
  for (const line of fo.lines) {
    await withUniqueRetry(() =>
      scoped.orderLine.upsert({
        where: { shop_lineItemId: { shop, lineItemId: line.lineItemId } },
        create: { shop, orderId, lineItemId: line.lineItemId, inventoryItemId: line.inventoryItemId, sku: line.sku, quantity: line.totalQuantity },
        update: line.inventoryItemId ? { inventoryItemId: line.inventoryItemId } : {},
      }),
    );
  }
  return orderId;
}

export function findAllocation(scoped: ShopDatabase, shop: string, fulfillmentOrderId: string) {
  return scoped.allocation.findUnique({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } } });
}

/** The allocation of a fulfillment order, created (status requested) the first time it is seen. */
export async function ensureAllocation(scoped: ShopDatabase, shop: string, fo: FulfillmentOrderView, orderRowId: string, now: Date): Promise<AllocationRow> {
  const existing = await findAllocation(scoped, shop, fo.id);
  if (existing) return existing;
  try {
    return await scoped.allocation.create({
      data: {
        shop,
        orderId: orderRowId,
        fulfillmentOrderId: fo.id,
        status: "requested",
        assignedLocationId: fo.assignedLocationId,
        events: { create: { shop, kind: "requested", status: "requested", note: `${fo.orderName} sent to TallySync for fulfillment`, at: now } },
      },
    });
  } catch (error) {
    const raced = await findAllocation(scoped, shop, fo.id);
    if (raced) return raced;
    throw error;
  }
}

/** Takes the allocation's lease; false when another process holds it. */
/** Takes the allocation's lease; returns the allocation as it is now, or null when another run holds it. */
export async function claimAllocation(scoped: ShopDatabase, allocationId: string, now: Date, leaseMs = ALLOCATION_LEASE_MS): Promise<AllocationRow | null> {
  const [claimed] = await scoped.allocation.updateManyAndReturn({
    where: { id: allocationId, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { lockedUntil: new Date(now.getTime() + leaseMs) },
  });
  return claimed ?? null;
}

export async function releaseAllocation(scoped: ShopDatabase, allocationId: string): Promise<void> {
  await scoped.allocation.updateMany({ where: { id: allocationId }, data: { lockedUntil: null } });
}

type AllocationData = Partial<
  Pick<
    AllocationRow,
    | "fulfillmentOrderId"
    | "warehouseId"
    | "routingReason"
    | "warehouseOrderRef"
    | "sentLines"
    | "warehouseOrderStatus"
    | "lastError"
    | "assignedLocationId"
    | "movedFromLocationId"
    | "cancelRequestedAt"
    | "nextAttemptAt"
    | "attempts"
  >
>;

export interface AllocationChange {
  /** The new status; unchanged when absent. */
  status?: AllocationStatus;
  /** The timeline event; none when absent (a silent update of the record). */
  kind?: AllocationEventKind;
  note?: string | null;
  data?: AllocationData;
}

/** Updates the allocation and appends its timeline event, together. */
export async function recordAllocation(scoped: ShopDatabase, shop: string, allocation: AllocationRow, change: AllocationChange, now: Date): Promise<AllocationRow> {
  const status = change.status ?? (allocation.status as AllocationStatus);
  // Without a new status the stored one is left alone (it may have moved on meanwhile). The event
  // is written by the same statement's nested create: one operation, atomic, no transaction round.
  return scoped.allocation.update({
    where: { id: allocation.id },
    data: {
      ...change.data,
      ...(change.status ? { status } : {}),
      ...(change.kind ? { events: { create: { shop, kind: change.kind, status, note: change.note?.slice(0, 2_000) ?? null, at: now } } } : {}),
    },
  });
}
