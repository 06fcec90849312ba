// One Shopify fulfillment service per warehouse: Shopify sends the orders assigned to its location
// to our callback URL (fulfillment and cancellation requests), asks it for stock (fetch_stock) and
// tracking (fetch_tracking_numbers). Registering it creates that location; the merchant may make
// it the warehouse's location (app/models/warehouse-setup.server.ts), or keep a location of their
// own. Removing it (disconnecting the warehouse) is explained first: ./fulfillment-service-removal.ts.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { log } from "../observability/logger.server";
import { inBatches } from "../db/in-batches";
import { FulfillmentServiceError, FulfillmentServiceNameTakenError } from "./errors";
import { summarizeFulfillmentServiceRemoval, type RemovalSummary } from "./fulfillment-service-removal";
import type { FulfillmentServiceGateway, OrderFulfillmentGateway, RegisteredFulfillmentService } from "./gateway";

/** Where Shopify calls a warehouse's fulfillment service; fetch_stock and fulfillment_order_notification hang under it. */
export function fulfillmentServiceCallbackUrl(appUrl: string, warehouseId: string): string {
  return `${appUrl.replace(/\/+$/, "")}/fulfillment-service/${encodeURIComponent(warehouseId)}`;
}

/** The service's (and its location's) name in Shopify: the connection and the warehouse, as the merchant named them. */
export function fulfillmentServiceName(connectionName: string, warehouseName: string): string {
  return connectionName === warehouseName ? warehouseName : `${connectionName} - ${warehouseName}`;
}

export interface RegisteredService {
  fulfillmentServiceId: string;
  locationId: string;
  /** False when the warehouse already had one (or ours was found again after a crash). */
  created: boolean;
}

export interface FulfillmentServiceOptions {
  appUrl: string;
  db?: Database;
}

/**
 * Registers the warehouse's fulfillment service (inventory management and tracking on), once: a
 * warehouse that has one keeps it, and a service with our callback URL that Shopify already has
 * (created just before a crash) is taken rather than created again.
 */
export async function ensureFulfillmentService(shop: string, warehouseId: string, shopify: FulfillmentServiceGateway, options: FulfillmentServiceOptions): Promise<RegisteredService> {
  const scoped = forShop(shop, options.db ?? defaultDb);
  const warehouse = await scoped.warehouse.findUnique({
    where: { id: warehouseId },
    select: { name: true, externalCode: true, fulfillmentServiceId: true, fulfillmentServiceLocationId: true, connection: { select: { name: true, status: true } } },
  });
  if (!warehouse || warehouse.connection.status === "disconnected") {
    throw new FulfillmentServiceError("warehouse_not_found", "This warehouse belongs to a connection that was removed.");
  }
  if (warehouse.fulfillmentServiceId && warehouse.fulfillmentServiceLocationId) {
    return { fulfillmentServiceId: warehouse.fulfillmentServiceId, locationId: warehouse.fulfillmentServiceLocationId, created: false };
  }
  const callbackUrl = fulfillmentServiceCallbackUrl(options.appUrl, warehouseId);
  const name = fulfillmentServiceName(warehouse.connection.name, warehouse.name);
  let service: RegisteredFulfillmentService;
  let created = true;
  try {
    service = await shopify.createFulfillmentService({ name, callbackUrl, inventoryManagement: true, trackingSupport: true });
  } catch (error) {
    if (!(error instanceof FulfillmentServiceNameTakenError)) throw error;
    const ours = (await shopify.fulfillmentServices()).find((s) => s.callbackUrl === callbackUrl);
    if (ours) {
      service = ours;
      created = false;
    } else {
      // Another service (not this warehouse's) has the name: tell them apart by the warehouse's code.
      service = await shopify.createFulfillmentService({ name: `${name} (${warehouse.externalCode})`, callbackUrl, inventoryManagement: true, trackingSupport: true });
    }
  }
  if (!service.locationId) {
    throw new FulfillmentServiceError("shopify_refused", `Shopify registered the fulfillment service for ${warehouse.name} without a location. Try again, or contact TallySync support.`);
  }
  await scoped.warehouse.update({ where: { id: warehouseId }, data: { fulfillmentServiceId: service.id, fulfillmentServiceLocationId: service.locationId } });
  log.info("Fulfillment service registered for a warehouse", { shop, warehouseId, fulfillmentServiceId: service.id, created });
  return { fulfillmentServiceId: service.id, locationId: service.locationId, created };
}

/** The open fulfillment orders at the warehouse's service location, summarised for the confirm dialog. */
export async function fulfillmentServiceRemovalPreview(
  shop: string,
  warehouseId: string,
  shopify: OrderFulfillmentGateway,
  options: { db?: Database; destinationLocationName?: string | null } = {},
): Promise<RemovalSummary> {
  const scoped = forShop(shop, options.db ?? defaultDb);
  const warehouse = await scoped.warehouse.findUnique({ where: { id: warehouseId }, select: { name: true, fulfillmentServiceLocationId: true, shopifyLocationId: true } });
  if (!warehouse) throw new FulfillmentServiceError("warehouse_not_found", "This warehouse no longer exists.");
  const location = warehouse.fulfillmentServiceLocationId ?? warehouse.shopifyLocationId;
  const open = location ? await shopify.assignedFulfillmentOrders({ locationIds: [location] }) : [];
  const allocations = [];
  for (const batch of inBatches(open.map((fo) => fo.id))) {
    allocations.push(...(await scoped.allocation.findMany({ where: { fulfillmentOrderId: { in: batch } }, select: { fulfillmentOrderId: true, status: true } })));
  }
  const statusOf = new Map(allocations.map((a) => [a.fulfillmentOrderId, a.status]));
  return summarizeFulfillmentServiceRemoval({
    warehouseName: warehouse.name,
    destinationLocationName: options.destinationLocationName ?? null,
    openFulfillmentOrders: open
      .filter((fo) => fo.status !== "CLOSED" && fo.status !== "CANCELLED")
      .map((fo) => ({ id: fo.id, orderName: fo.orderName, requestStatus: fo.requestStatus, allocationStatus: statusOf.get(fo.id) ?? null })),
  });
}

/**
 * Deletes the warehouse's fulfillment service in Shopify and forgets it (and its location, when the
 * warehouse used it). One that Shopify no longer has counts as removed.
 */
export async function removeFulfillmentService(
  shop: string,
  warehouseId: string,
  shopify: FulfillmentServiceGateway,
  options: { db?: Database; destinationLocationId?: string | null } = {},
): Promise<{ removed: boolean }> {
  const scoped = forShop(shop, options.db ?? defaultDb);
  const warehouse = await scoped.warehouse.findUnique({ where: { id: warehouseId }, select: { fulfillmentServiceId: true, fulfillmentServiceLocationId: true, shopifyLocationId: true } });
  if (!warehouse?.fulfillmentServiceId) return { removed: false };
  const existed = await shopify.deleteFulfillmentService(warehouse.fulfillmentServiceId, { destinationLocationId: options.destinationLocationId ?? null });
  const usedItsLocation = warehouse.shopifyLocationId !== null && warehouse.shopifyLocationId === warehouse.fulfillmentServiceLocationId;
  await scoped.warehouse.update({
    where: { id: warehouseId },
    data: { fulfillmentServiceId: null, fulfillmentServiceLocationId: null, ...(usedItsLocation ? { shopifyLocationId: null } : {}) },
  });
  log.info("Fulfillment service removed for a warehouse", { shop, warehouseId, existed });
  return { removed: existed };
}
