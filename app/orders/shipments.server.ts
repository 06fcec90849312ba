// Warehouse shipments become Shopify fulfillments: one fulfillment per warehouse shipment, with
// its tracking, the customer notified, only the shipped lines (partial shipments included).
//
// Exactly once per warehouse shipment id: the Shipment row is unique on (shop, warehouse shipment
// id) and holds a lease while it is worked on; fulfillmentCreate takes no idempotency key, so
// before creating one we look for a fulfillment of the fulfillment order that already carries the
// shipment's tracking number (made before a crash) and take it instead. Later changes of tracking
// (the shipment comes again with a higher sequence) update the same fulfillment.
import { inBatches } from "../db/in-batches";
import { clientOf, forShop, type ShopDatabase } from "../db/tenant.server";
import { ShopifyApiError } from "../shopify/errors";
import { log } from "../observability/logger.server";
import type { WarehouseShipment } from "../warehouses/connector";
import { claimAllocation, recordAllocation, recordAllocationSteps, releaseAllocation, type AllocationRow } from "./allocations.server";
import { deliverFromWarehouse } from "./deliveries.server";
import type { OrderDeps } from "./deps";
import { allocationForEvent, markFirstShipmentAttempt } from "./order-statements.server";
import { insertLeasedShipment, leaseShipment, recordFulfilledShipment, releaseShipmentLease, shipmentByKey, type ShipmentState } from "./shipment-statements.server";
import { orderEventLookups, type OrderEventLookups } from "./event-lookups.server";
import { FulfillmentError, ShopifyRefusedError } from "./errors";
import type { FulfillmentOrderView, TrackingInfo } from "./gateway";
import { parseSentLines, type SentFulfillmentOrder } from "./sent-lines";
import { fullyShippedLineItems, matchShipmentLines, trackingKey, type FulfilledLine } from "./shipment-lines";
import { changeReservations } from "./stock-effects.server";

export type ShipmentOutcome = "fulfilled" | "tracking_updated" | "delivered" | "unchanged" | "not_ours" | "busy" | "error";

const SHIPMENT_LEASE_MS = 2 * 60_000;

/** What is read of a Shipment row to decide what a warehouse's copy of the shipment changes, and to act on it. */
const SHIPMENT_FIELDS = {
  id: true,
  warehouseShipmentId: true,
  status: true,
  shopifyFulfillmentId: true,
  trackingWritten: true,
  warehouseSequence: true,
  deliveredAt: true,
  deliveryWritten: true,
} as const;

/**
 * The leases one run holds, on the shipment and on its allocation: each is given up by the run's
 * last write of that row when it can be, else at the end of the run.
 */
interface Lease {
  shipmentHeld: boolean;
  allocationHeld: boolean;
  /** The shipment is to be delivered after it is fulfilled: both leases are kept until then. */
  keep: boolean;
}

function trackingOf(shipment: WarehouseShipment): TrackingInfo {
  return { company: shipment.carrier || null, number: shipment.trackingNumber || null, url: shipment.trackingUrl };
}

/**
 * The Shipment row's key for a warehouse's shipment: its id is unique only within that warehouse
 * system (two 3PLs both number their shipments from sh_000001), so it is kept with the connection.
 */
export function shipmentKey(connectionId: string, warehouseShipmentId: string): string {
  return `${connectionId}:${warehouseShipmentId}`;
}

/**
 * Already in Shopify with this tracking (the feed brings again what the webhook brought), and
 * nothing new to deliver: no lease, no writes.
 */
function alreadyRecorded(row: Omit<ShipmentState, "id" | "warehouseShipmentId" | "status">, shipment: WarehouseShipment): boolean {
  const deliveryPending = shipment.deliveredAt != null && (!row.deliveredAt || row.deliveryWritten !== "written");
  return Boolean(row.shopifyFulfillmentId) && row.trackingWritten === trackingKey(trackingOf(shipment)) && BigInt(shipment.sequence) <= row.warehouseSequence && !deliveryPending;
}

/**
 * The shipments of a page of a connection's shipment feed that are already recorded as they are
 * (see alreadyRecorded), in one query per page: the safety net reads the same shipments again and
 * again, and those need nothing more.
 */
export async function recordedShipments(scoped: ShopDatabase, connectionId: string, shipments: readonly WarehouseShipment[]): Promise<(shipment: WarehouseShipment) => boolean> {
  if (!shipments.length) return () => false;
  const rows = new Map<string, ShipmentState>();
  for (const keys of inBatches([...new Set(shipments.map((s) => shipmentKey(connectionId, s.id)))])) {
    for (const row of await scoped.shipment.findMany({ where: { warehouseShipmentId: { in: keys } }, select: SHIPMENT_FIELDS })) rows.set(row.warehouseShipmentId, row);
  }
  return (shipment) => {
    const row = rows.get(shipmentKey(connectionId, shipment.id));
    return row !== undefined && alreadyRecorded(row, shipment);
  };
}

/**
 * A shipment from the warehouse (webhook or feed); safe to call any number of times. `lookups`:
 * the warehouses of the run of events this one belongs to (app/orders/event-lookups.server.ts).
 */
export async function recordWarehouseShipment(
  shop: string,
  connectionId: string,
  shipment: WarehouseShipment,
  deps: OrderDeps,
  lookups?: OrderEventLookups,
): Promise<ShipmentOutcome> {
  const scoped = forShop(shop, deps.db);
  const warehouseShipmentId = shipmentKey(connectionId, shipment.id);
  // The row first: a shipment already recorded as it is (most copies the feed brings again) costs
  // this one narrow read. (A row exists only for an allocation of ours.)
  let row: ShipmentState | null = await shipmentByKey(deps.db, shop, warehouseShipmentId);
  if (row && alreadyRecorded(row, shipment)) return "unchanged";
  const allocation = await allocationForEvent(deps.db, shop, shipment.externalReference);
  if (!allocation) return "not_ours";
  const warehouse = await (lookups ?? orderEventLookups(scoped, connectionId)).warehouse(shipment.warehouseCode);
  if (!warehouse) return "not_ours";
  const now = deps.now();
  const lockedUntil = new Date(now.getTime() + SHIPMENT_LEASE_MS);
  let current: ShipmentState | null = null;
  if (!row) {
    // A new row is made leased: nobody else can have it yet.
    const made = {
      allocationId: allocation.id,
      connectionId,
      warehouseShipmentId,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
      shippedAt: shipment.shippedAt,
      lines: JSON.stringify(shipment.lines),
    };
    current = await insertLeasedShipment(deps.db, shop, made, now, lockedUntil);
    if (!current) {
      // Made meanwhile by another run: as if it had been found.
      row = (await shipmentByKey(deps.db, shop, warehouseShipmentId))!;
      if (alreadyRecorded(row, shipment)) return "unchanged";
    }
  }
  if (!current) {
    // A newer copy that changes nothing is settled under the lease as before.
    current = await leaseShipment(deps.db, shop, row!.id, now, lockedUntil);
    if (!current) return "busy";
  }
  const leased = current;
  // The allocation's status moves too: one process at a time. A failure here (the database busy,
  // say) gives the shipment back at once: held, its later events would wait out the whole lease.
  const fresh = await claimAllocation(scoped, shop, allocation.id, now).catch(async (error: unknown) => {
    await releaseShipmentLease(deps.db, shop, leased.id, deps.now());
    throw error;
  });
  if (!fresh) {
    await releaseShipmentLease(deps.db, shop, leased.id, deps.now());
    return "busy";
  }
  const lease: Lease = { shipmentHeld: true, allocationHeld: true, keep: shipment.deliveredAt != null };
  try {
    const outcome = leased.shopifyFulfillmentId
      ? await updateTracking(scoped, shop, fresh, leased, shipment, deps)
      : await fulfil(scoped, shop, fresh, leased, shipment, warehouse, connectionId, deps, lease);
    if (!shipment.deliveredAt || (outcome !== "fulfilled" && outcome !== "tracking_updated" && outcome !== "unchanged")) return outcome;
    // Delivered (reported with the shipment, or later with a higher sequence): after the
    // fulfillment exists, with the allocation as the steps above left it.
    const [after, allocationNow] = await Promise.all([
      scoped.shipment.findUniqueOrThrow({ where: { id: leased.id }, select: { id: true, shopifyFulfillmentId: true, deliveryWritten: true, carrier: true, trackingNumber: true } }),
      scoped.allocation.findUniqueOrThrow({ where: { id: allocation.id }, select: { id: true, status: true } }),
    ]);
    const delivered = await deliverFromWarehouse(scoped, shop, allocationNow, after, shipment.deliveredAt, deps);
    return delivered ? "delivered" : outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await scoped.shipment.updateMany({ where: { id: leased.id }, data: { lastError: message.slice(0, 2_000) } });
    const permanent = error instanceof ShopifyRefusedError || (error instanceof FulfillmentError && !error.retryable) || (error instanceof ShopifyApiError && !error.retryable);
    if (!permanent) throw error;
    log.warn("A warehouse shipment could not be written to Shopify", { shop, shipment: shipment.id, error: message });
    await scoped.shipment.updateMany({ where: { id: leased.id }, data: { status: "error" } });
    const fresh = (await scoped.allocation.findUnique({ where: { id: allocation.id }, select: { id: true, status: true } }))!;
    await recordAllocation(scoped, shop, fresh, { kind: "error", note: `Shipment ${shipment.trackingNumber}: ${message}`, data: { lastError: message.slice(0, 2_000) } }, deps.now());
    await scoped.alert.create({
      data: { shop, kind: "fulfillment_error", severity: "warning", message: `A shipment of ${warehouse.name} (tracking ${shipment.trackingNumber}) could not be marked fulfilled in Shopify: ${message}`, reference: `allocation:${allocation.id}` },
      select: { id: true },
    });
    return "error";
  } finally {
    if (lease.shipmentHeld) await releaseShipmentLease(deps.db, shop, leased.id, deps.now());
    if (lease.allocationHeld) await releaseAllocation(scoped, shop, allocation.id);
  }
}

async function fulfil(
  scoped: ShopDatabase,
  shop: string,
  allocation: AllocationRow,
  row: ShipmentState,
  shipment: WarehouseShipment,
  warehouse: { id: string; name: string },
  connectionId: string,
  deps: OrderDeps,
  lease: Lease,
): Promise<ShipmentOutcome> {
  // The first shipment of an order, never attempted before: the fulfillment order is as it was
  // sent to the warehouse. The attempt is marked first, so that a retry (after a crash, Shopify
  // may have made the fulfillment) reads Shopify and finds it. "The first": the allocation has no
  // other shipment, checked by the same statement that marks the attempt.
  const sent = row.status === "pending" ? parseSentLines(allocation.sentLines, allocation.fulfillmentOrderId) : null;
  const marked = sent
    ? await markFirstShipmentAttempt(deps.db, shop, row.id, allocation.id, deps.now())
    : false;
  if (sent && marked) {
    try {
      return await fulfilFrom(scoped, shop, allocation, row, shipment, warehouse, connectionId, deps, sent, null, lease);
    } catch (error) {
      // The fulfillment order changed since it was sent (an edit, a partial fulfilment by hand): read it.
      if (!(error instanceof ShopifyRefusedError)) throw error;
      log.info("Shopify refused a fulfillment made from the order as sent; reading the fulfillment order", { shop, shipment: shipment.id, error: error.message });
    }
  }
  const fo = await deps.shopify.fulfillmentOrder(allocation.fulfillmentOrderId);
  if (!fo) throw new FulfillmentError("not_found", "Shopify no longer shows this fulfillment order to TallySync, so the shipment could not be recorded there.", false);
  return fulfilFrom(scoped, shop, allocation, row, shipment, warehouse, connectionId, deps, { orderId: fo.orderId, fulfillmentOrderId: fo.id, lines: fo.lines }, fo.fulfillments, lease);
}

/**
 * Writes the shipment as a fulfillment of `fo` (its lines as Shopify has them, or as sent). With
 * Shopify's fulfillments at hand, one that already carries the tracking number is taken instead.
 */
async function fulfilFrom(
  scoped: ShopDatabase,
  shop: string,
  allocation: AllocationRow,
  row: ShipmentState,
  shipment: WarehouseShipment,
  warehouse: { id: string; name: string },
  connectionId: string,
  deps: OrderDeps,
  fo: SentFulfillmentOrder,
  fulfillments: FulfillmentOrderView["fulfillments"] | null,
  lease: Lease,
): Promise<ShipmentOutcome> {
  const tracking = trackingOf(shipment);
  const before = fo.lines;
  let lines: FulfilledLine[];
  let fulfillment: { id: string; name: string };
  const made = fulfillments?.find((f) => shipment.trackingNumber && f.trackingNumbers.includes(shipment.trackingNumber));
  if (made) {
    // Created before a crash: Shopify's remaining quantities already count it.
    fulfillment = made;
    lines = [];
  } else {
    // The warehouse names our lines back (external_line_reference) when it can: then the SKU
    // mapping is not needed, and not read. matchShipmentLines asks it only for units left over.
    let asked = false;
    const unread: ReadonlyMap<string, string> = new Map<string, string>();
    let match = matchShipmentLines(shipment.lines, fo.lines, { get: (sku: string) => ((asked = true), unread.get(sku)) } as ReadonlyMap<string, string>);
    if (asked) {
      const skus = [...new Set(shipment.lines.map((l) => l.sku))];
      const mappings = await scoped.skuMapping.findMany({ where: { connectionId, warehouseSku: { in: skus } }, select: { warehouseSku: true, inventoryItemId: true } });
      match = matchShipmentLines(shipment.lines, fo.lines, new Map(mappings.map((m) => [m.warehouseSku, m.inventoryItemId])));
    }
    if (match.unmatched.length) log.warn("Shipped units with no room on the fulfillment order", { shop, shipment: shipment.id, unmatched: match.unmatched });
    if (!match.lines.length) {
      const message = `Shopify already shows every item of shipment ${shipment.trackingNumber} fulfilled, so no fulfillment was added.`;
      await scoped.shipment.update({ where: { id: row.id }, data: { status: "error", lastError: message, warehouseSequence: BigInt(shipment.sequence) }, select: { id: true } });
      return "unchanged";
    }
    lines = match.lines;
    fulfillment = await deps.shopify.createFulfillment({ fulfillmentOrderId: fo.fulfillmentOrderId, lines, tracking, notifyCustomer: true });
  }
  // The row's last write of this run, unless a delivery follows: the lease ends with it. (The
  // allocation's lease, held until the run's last write, keeps other runs of the shipment waiting.)
  const release = !lease.keep;
  await recordFulfilledShipment(
    clientOf(scoped),
    shop,
    row.id,
    {
      shopifyFulfillmentId: fulfillment.id,
      shopifyFulfillmentName: fulfillment.name,
      trackingWritten: trackingKey(tracking),
      warehouseSequence: shipment.sequence,
      lines: lines.length ? JSON.stringify(lines) : null,
      release,
    },
    deps.now(),
  );
  if (release) lease.shipmentHeld = false;

  // Shipped lines leave the reservations; the rest stay held until they ship.
  const done = fullyShippedLineItems(before, lines);
  if (done.length) await changeReservations(shop, fo.orderId, "fulfilled", warehouse.id, deps, done);
  const shippedNow = new Map(lines.map((l) => [l.fulfillmentOrderLineItemId, l.quantity]));
  const complete = before.every((line) => line.remainingQuantity - (shippedNow.get(line.id) ?? 0) <= 0);
  const units = lines.reduce((sum, l) => sum + l.quantity, 0);
  // The run's last write, unless a delivery follows: the allocation's lease ends with it.
  await recordAllocationSteps(
    scoped,
    shop,
    allocation,
    [
      {
        change: {
          status: complete ? "shipped" : allocation.status === "accepted" ? "sent" : (allocation.status as "sent"),
          kind: "shipped",
          note: `${warehouse.name} shipped ${made ? "(already in Shopify)" : `${units} unit${units === 1 ? "" : "s"}`} with ${shipment.carrier} ${shipment.trackingNumber}${complete ? "" : " (partial shipment)"}`,
          data: { lastError: null, warehouseOrderStatus: complete ? "shipped" : "partially_shipped" },
        },
        at: deps.now(),
      },
    ],
    { release },
  );
  if (release) lease.allocationHeld = false;
  return "fulfilled";
}

async function updateTracking(scoped: ShopDatabase, shop: string, allocation: AllocationRow, row: ShipmentState, shipment: WarehouseShipment, deps: OrderDeps): Promise<ShipmentOutcome> {
  if (BigInt(shipment.sequence) < row.warehouseSequence) return "unchanged"; // an older copy
  const tracking = trackingOf(shipment);
  const key = trackingKey(tracking);
  if (row.trackingWritten === key) {
    if (BigInt(shipment.sequence) > row.warehouseSequence) await scoped.shipment.update({ where: { id: row.id }, data: { warehouseSequence: BigInt(shipment.sequence) }, select: { id: true } });
    return "unchanged";
  }
  await deps.shopify.updateTracking(row.shopifyFulfillmentId!, tracking, true);
  await scoped.shipment.update({
    where: { id: row.id },
    data: { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, trackingUrl: shipment.trackingUrl, trackingWritten: key, warehouseSequence: BigInt(shipment.sequence), lastError: null },
    select: { id: true },
  });
  await recordAllocation(scoped, shop, allocation, { kind: "tracking_updated", note: `Tracking now ${shipment.carrier} ${shipment.trackingNumber}` }, deps.now());
  return "tracking_updated";
}
