// Deliveries: the last step of an order's timeline. A carrier's delivery reaches TallySync two ways:
// - the warehouse reports it (its shipment.delivered webhook, or the shipment feed with
//   delivered_at): Shopify is told with a DELIVERED fulfillment event, so the admin and the
//   customer's order status page show it;
// - Shopify reports it (carriers Shopify tracks itself): the fulfillment_events/create webhook.
// Either way the shipment keeps when, and the allocation becomes delivered once it has shipped in
// full and every one of its shipments is delivered.
//
// fulfillmentEventCreate takes no idempotency key: the attempt is marked ("writing") before the
// call, and a retry that finds the mark asks Shopify whether the fulfillment already shows
// delivered before writing again.
import { forShop, type ShopDatabase } from "../db/tenant.server";
import { claimAllocation, recordAllocation, releaseAllocation, type AllocationRow } from "./allocations.server";
import type { OrderDeps } from "./deps";

export type DeliverySource = "warehouse" | "shopify";

type ShipmentRow = NonNullable<Awaited<ReturnType<ShopDatabase["shipment"]["findFirst"]>>>;

/** What a delivery reads of its shipment. */
type DeliveredShipment = Pick<ShipmentRow, "id" | "shopifyFulfillmentId" | "deliveryWritten" | "carrier" | "trackingNumber">;

/** The allocation's status once this shipment is delivered: delivered when nothing else is on its way. */
export function statusAfterDelivery(allocationStatus: string, shipmentsStillOnTheWay: number): "delivered" | null {
  return allocationStatus === "shipped" && shipmentsStillOnTheWay === 0 ? "delivered" : null;
}

/** Records the delivery once (the first report wins); true when this call recorded it. */
async function recordDelivered(scoped: ShopDatabase, shop: string, allocation: Pick<AllocationRow, "id" | "status">, row: Pick<ShipmentRow, "id" | "carrier" | "trackingNumber">, deliveredAt: Date, source: DeliverySource, now: Date): Promise<boolean> {
  const { count } = await scoped.shipment.updateMany({ where: { id: row.id, deliveredAt: null }, data: { deliveredAt, deliveredBy: source } });
  if (!count) return false;
  const onTheWay = await scoped.shipment.count({ where: { allocationId: allocation.id, deliveredAt: null, status: { not: "error" } } });
  const status = statusAfterDelivery(allocation.status, onTheWay);
  const parcel = [row.carrier, row.trackingNumber].filter(Boolean).join(" ");
  await recordAllocation(
    scoped,
    shop,
    allocation,
    {
      ...(status ? { status } : {}),
      kind: "delivered",
      note: `${parcel ? `${parcel} delivered` : "Delivered"}${onTheWay ? ` (${onTheWay} more shipment${onTheWay === 1 ? "" : "s"} on the way)` : ""}; reported by ${source === "warehouse" ? "the warehouse" : "Shopify"}`,
    },
    now,
  );
  return true;
}

/**
 * The warehouse says the shipment was delivered. Called while the shipment and its allocation are
 * leased (app/orders/shipments.server.ts) and after the shipment is a Shopify fulfillment.
 */
export async function deliverFromWarehouse(scoped: ShopDatabase, shop: string, allocation: Pick<AllocationRow, "id" | "status">, row: DeliveredShipment, deliveredAt: Date, deps: OrderDeps): Promise<boolean> {
  if (!row.shopifyFulfillmentId) return false;
  if (row.deliveryWritten !== "written") {
    const known = row.deliveryWritten === "writing" ? await deps.shopify.fulfillmentDeliveredAt(row.shopifyFulfillmentId) : null;
    if (!known) {
      await scoped.shipment.update({ where: { id: row.id }, data: { deliveryWritten: "writing" }, select: { id: true } });
      await deps.shopify.reportDelivered(row.shopifyFulfillmentId, deliveredAt);
    }
    await scoped.shipment.update({ where: { id: row.id }, data: { deliveryWritten: "written" }, select: { id: true } });
  }
  return recordDelivered(scoped, shop, allocation, row, deliveredAt, "warehouse", deps.now());
}

export type ShopifyDeliveryOutcome = "recorded" | "already" | "not_ours" | "busy";

/** Shopify says a fulfillment was delivered (fulfillment_events/create with status delivered). */
export async function deliverFromShopify(shop: string, fulfillmentId: string, deliveredAt: Date, deps: Pick<OrderDeps, "db" | "now">): Promise<ShopifyDeliveryOutcome> {
  const scoped = forShop(shop, deps.db);
  const row = await scoped.shipment.findFirst({
    where: { shopifyFulfillmentId: fulfillmentId },
    select: { id: true, allocationId: true, deliveredAt: true, deliveryWritten: true, carrier: true, trackingNumber: true },
  });
  if (!row) return "not_ours";
  if (row.deliveredAt) {
    if (row.deliveryWritten !== "written") await scoped.shipment.updateMany({ where: { id: row.id }, data: { deliveryWritten: "written" } });
    return "already";
  }
  const now = deps.now();
  const allocation = await claimAllocation(scoped, shop, row.allocationId, now);
  if (!allocation) return "busy";
  try {
    // Shopify already shows it: nothing to write back, whatever the warehouse says later.
    await scoped.shipment.update({ where: { id: row.id }, data: { deliveryWritten: "written" }, select: { id: true } });
    return (await recordDelivered(scoped, shop, allocation, row, deliveredAt, "shopify", now)) ? "recorded" : "already";
  } finally {
    await releaseAllocation(scoped, shop, allocation.id);
  }
}
