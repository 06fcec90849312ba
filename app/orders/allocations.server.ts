// Allocations: our record of each fulfillment order on its way through a warehouse, with its
// timeline. Every change of status is one transaction of the allocation and its timeline event.
import { withUniqueRetry } from "../db/errors";
import { clientOf, type ShopDatabase } from "../db/tenant.server";
import { claimAllocationLease, claimAllocationRow, insertAllocation, releaseAllocationLease, updateAllocation } from "./allocation-statements.server";
import { setOrderLineItem, storedOrder } from "./order-statements.server";
import type { AllocationEventKind, AllocationStatus } from "./allocation-status";
import type { FulfillmentOrderView } from "./gateway";

export type AllocationRow = NonNullable<Awaited<ReturnType<ShopDatabase["allocation"]["findFirst"]>>>;

/**
 * The fields of an allocation that the order side's processes read back from a write: a full
 * allocation row is wide (routing text, sent lines), and mapping every column of it on each
 * update costs more than the update itself.
 */
export const ALLOCATION_FIELDS = {
  id: true,
  orderId: true,
  status: true,
  warehouseId: true,
  routingReason: true,
  warehouseOrderRef: true,
  warehouseOrderStatus: true,
  lastError: true,
  cancelRequestedAt: true,
  attempts: true,
} as const;

/** An allocation as the order side's processes work with it (a full row is one too). */
export type AllocationState = Pick<AllocationRow, keyof typeof ALLOCATION_FIELDS>;

/** How long one process may work on an allocation before another may take over (a crashed worker). */
export const ALLOCATION_LEASE_MS = 2 * 60_000;

/** An order line as the run needs it: what the order holds of each line item. */
export interface OrderedLine {
  lineItemId: string;
  quantity: number;
}

export interface OrderRecord {
  /** Our Order row's id. */
  orderId: string;
  /** The order's lines as they stand after this call (those of every fulfillment order of it). */
  lines: OrderedLine[];
  /** The allocation of this fulfillment order, when one exists under this order. */
  allocationId: string | null;
}

/**
 * Our copy of the order and its lines, from the fulfillment order (the orders/create webhook may
 * not have come yet). The order, its lines and this fulfillment order's allocation are read in one
 * query; a line is written only when it is missing or its inventory item is new (what its upsert
 * would change), so an order the orders/create webhook recorded costs no write.
 */
export async function orderRecordFor(scoped: ShopDatabase, shop: string, fo: FulfillmentOrderView): Promise<OrderRecord> {
  const found = await withUniqueRetry(async () => {
    const existing = await storedOrder(clientOf(scoped), shop, fo.orderId, fo.id);
    if (existing) return existing;
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
    return { orderId: created.id, lines: [] as Array<{ lineItemId: string; inventoryItemId: string | null; quantity: number }>, allocationId: null };
  });
  const { orderId } = found;
  const lines = new Map(found.lines.map((l) => [l.lineItemId, l]));
  for (const line of fo.lines) {
    const known = lines.get(line.lineItemId);
    if (known) {
      // What the upsert below would do to a line that is there: take the item (the orders/create
      // webhook does not name it), if it is given and new; one statement, no read.
      if (line.inventoryItemId && known.inventoryItemId !== line.inventoryItemId) {
        await setOrderLineItem(clientOf(scoped), shop, line.lineItemId, line.inventoryItemId);
      }
      continue;
    }
    const written = await withUniqueRetry(() =>
      scoped.orderLine.upsert({
        where: { shop_lineItemId: { shop, lineItemId: line.lineItemId } },
        create: { shop, orderId, lineItemId: line.lineItemId, inventoryItemId: line.inventoryItemId, sku: line.sku, quantity: line.totalQuantity },
        update: line.inventoryItemId ? { inventoryItemId: line.inventoryItemId } : {},
        select: { orderId: true, lineItemId: true, inventoryItemId: true, quantity: true },
      }),
    );
    if (written.orderId === orderId) lines.set(written.lineItemId, written);
  }
  return { orderId, lines: [...lines.values()].map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity })), allocationId: found.allocationId };
}

export function findAllocation(scoped: ShopDatabase, shop: string, fulfillmentOrderId: string) {
  return scoped.allocation.findUnique({ where: { shop_fulfillmentOrderId: { shop, fulfillmentOrderId } } });
}

/**
 * The allocation of a fulfillment order, leased to this run: created with the lease the first
 * time the fulfillment order is seen (status requested), else claimed. Null when another run
 * holds it. `existingId` is what the caller knows already (orderRecordFor): the allocation's id,
 * or null when the order has none for this fulfillment order.
 */
export async function claimFulfillmentOrderAllocation(
  scoped: ShopDatabase,
  shop: string,
  fo: FulfillmentOrderView,
  orderRowId: string,
  existingId: string | null,
  now: Date,
  leaseMs = ALLOCATION_LEASE_MS,
): Promise<AllocationState | null> {
  const db = clientOf(scoped);
  const lockedUntil = new Date(now.getTime() + leaseMs);
  if (existingId) return claimAllocationLease(db, shop, { id: existingId }, now, lockedUntil);
  // New: created holding the lease, so no other run can take it between the insert and a claim.
  const created = await insertAllocation(
    db,
    shop,
    { orderId: orderRowId, fulfillmentOrderId: fo.id, assignedLocationId: fo.assignedLocationId, lockedUntil },
    { kind: "requested", status: "requested", note: `${fo.orderName} sent to TallySync for fulfillment`, at: now },
    now,
  );
  // Created meanwhile by another run (or under another order row): claimed like any other.
  return created ?? claimAllocationLease(db, shop, { fulfillmentOrderId: fo.id }, now, lockedUntil);
}

/** Takes the allocation's lease; returns the allocation as it is now, or null when another run holds it. */
export async function claimAllocation(scoped: ShopDatabase, shop: string, allocationId: string, now: Date, leaseMs = ALLOCATION_LEASE_MS): Promise<AllocationRow | null> {
  return claimAllocationRow(clientOf(scoped), shop, allocationId, now, new Date(now.getTime() + leaseMs));
}

export async function releaseAllocation(scoped: ShopDatabase, shop: string, allocationId: string): Promise<void> {
  await releaseAllocationLease(clientOf(scoped), shop, allocationId);
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

/** One change of an allocation, at the time it was decided. */
export interface AllocationStep {
  change: AllocationChange;
  at: Date;
}

/** Updates the allocation and appends its timeline event, together. */
export function recordAllocation(scoped: ShopDatabase, shop: string, allocation: Pick<AllocationRow, "id" | "status">, change: AllocationChange, now: Date): Promise<AllocationState> {
  return recordAllocationSteps(scoped, shop, allocation, [{ change, at: now }]);
}

/** What several changes of an allocation write, merged: see mergeAllocationSteps. */
export interface MergedSteps {
  /** The columns to set (a later step's value wins). */
  columns: AllocationData;
  /** The last status given; none when no step gives one (the stored status is then left alone). */
  status?: AllocationStatus;
  release: boolean;
  /** Each step's timeline event, with the status in effect at its step and its own time. */
  events: Array<{ kind: AllocationEventKind; status: AllocationStatus; note: string | null; at: Date }>;
}

/**
 * Several changes of the allocation as one write, in order: their data merged (a later value
 * wins), the last status given, and each one's timeline event with the status in effect at its
 * step (notes cut to 2,000 characters). With `release` the write gives up the run's lease.
 */
export function mergeAllocationSteps(allocation: Pick<AllocationRow, "status">, steps: readonly AllocationStep[], options: { release?: boolean } = {}): MergedSteps {
  // Without a new status the stored one is left alone (it may have moved on meanwhile).
  let status = allocation.status as AllocationStatus;
  let newStatus: AllocationStatus | undefined;
  let columns: AllocationData = {};
  const events: MergedSteps["events"] = [];
  for (const { change, at } of steps) {
    if (change.status) status = newStatus = change.status;
    columns = { ...columns, ...change.data };
    if (change.kind) events.push({ kind: change.kind, status, note: change.note?.slice(0, 2_000) ?? null, at });
  }
  return { columns, ...(newStatus ? { status: newStatus } : {}), release: Boolean(options.release), events };
}

/**
 * Several changes of the allocation in one write (mergeAllocationSteps), with their timeline
 * events in the same transaction (app/orders/allocation-statements.server.ts).
 */
export function recordAllocationSteps(
  scoped: ShopDatabase,
  shop: string,
  allocation: Pick<AllocationRow, "id" | "status">,
  steps: readonly AllocationStep[],
  options: { release?: boolean } = {},
): Promise<AllocationState> {
  return updateAllocation(clientOf(scoped), shop, allocation.id, mergeAllocationSteps(allocation, steps, options), new Date());
}
