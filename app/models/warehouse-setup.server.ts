// Connecting a warehouse, as the merchant does it in Settings: add a connection and test it, take
// its warehouses, subscribe to its webhooks, start reading its stock; map each warehouse to a
// Shopify location; remove a connection. Credentials stay encrypted (warehouse-connection.server).
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { requestStockSync, schedulePoll } from "../inventory/jobs.server";
import { isUniqueViolation } from "../jobs/queue.server";
import { log } from "../observability/logger.server";
import { FulfillmentServiceError, ShopifyRefusedError } from "../orders/errors";
import { ensureFulfillmentService, removeFulfillmentService } from "../orders/fulfillment-service.server";
import type { FulfillmentServiceGateway } from "../orders/gateway";
import { scheduleOrdersPoll } from "../orders/jobs.server";
import { parseRegions } from "../orders/regions";
import type { AdminClient } from "../shopify/admin-client.server";
import { ShopifyApiError } from "../shopify/errors";
import { LOCATIONS, type LocationsData } from "../shopify/operations";
import { connectorFor, forgetConnector } from "../warehouses/connections.server";
import { WarehouseApiError, type ConnectionTestResult, type WarehouseConnector, type WarehouseInfo, type WarehouseProvider } from "../warehouses/connector";
import { WarehouseConnectionError } from "../warehouses/registry.server";
import { canRegisterWebhooks } from "../warehouses/webhook-registration";
import type { NewConnectionValues } from "./warehouse-connection";
import { CONNECTION_PUBLIC_FIELDS, createWarehouseConnection, updateWarehouseCredentials, warehouseCredentials } from "./warehouse-connection.server";

export type WarehouseSetupErrorCode =
  | "connection_not_found"
  | "warehouse_not_found"
  | "location_taken"
  | "location_just_taken"
  | "location_unknown"
  | "fulfillment_service_failed";

/** A setup step the merchant asked for cannot be done; the message says why, in their words. */
export class WarehouseSetupError extends Error {
  constructor(
    readonly code: WarehouseSetupErrorCode,
    message: string,
    /** Values for the translated message. */
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = "WarehouseSetupError";
  }
}

/** Where a connection's warehouse delivers its signed webhooks (app/routes/webhooks.warehouse.$connectionId.tsx). */
export function warehouseWebhookUrl(appUrl: string, connectionId: string): string {
  return `${appUrl.replace(/\/+$/, "")}/webhooks/warehouse/${encodeURIComponent(connectionId)}`;
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  countryCode: string | null;
  shopifyLocationId: string | null;
  /** Its Shopify fulfillment service's location, once registered (app/orders/fulfillment-service.server.ts). */
  fulfillmentServiceLocationId: string | null;
  /** Routing: lower goes first; the markets it can reach ("*" for everywhere). */
  priority: number;
  regions: string[];
}

export interface ConnectionView {
  id: string;
  name: string;
  provider: WarehouseProvider;
  status: string;
  lastTestedAt: string | null;
  lastTestLatencyMs: number | null;
  lastError: string | null;
  lastPolledAt: string | null;
  warehouses: WarehouseView[];
  mappedSkus: number;
  unmappedSkus: number;
}

/** The shop's connections as Settings lists them (removed ones are not shown). */
export async function listWarehouseConnections(shop: string, db: Database = defaultDb): Promise<ConnectionView[]> {
  const scoped = forShop(shop, db);
  const connections = await scoped.warehouseConnection.findMany({
    where: { status: { not: "disconnected" } },
    select: {
      ...CONNECTION_PUBLIC_FIELDS,
      lastPolledAt: true,
      warehouses: {
        select: { id: true, externalCode: true, name: true, countryCode: true, shopifyLocationId: true, fulfillmentServiceLocationId: true, priority: true, regions: true },
        orderBy: [{ name: "asc" }],
      },
    },
    orderBy: [{ createdAt: "asc" }],
  });
  const views: ConnectionView[] = [];
  for (const connection of connections) {
    const warehouseIds = connection.warehouses.map((w) => w.id);
    const [mappedSkus, unmapped] = await Promise.all([
      scoped.skuMapping.count({ where: { connectionId: connection.id } }),
      scoped.inventoryPosition.findMany({ where: { warehouseId: { in: warehouseIds }, inventoryItemId: null }, select: { warehouseSku: true }, distinct: ["warehouseSku"] }),
    ]);
    views.push({
      id: connection.id,
      name: connection.name,
      provider: connection.provider as WarehouseProvider,
      status: connection.status,
      lastTestedAt: connection.lastTestedAt?.toISOString() ?? null,
      lastTestLatencyMs: connection.lastTestLatencyMs,
      lastError: connection.lastError,
      lastPolledAt: connection.lastPolledAt?.toISOString() ?? null,
      warehouses: connection.warehouses.map((w) => ({
        id: w.id,
        code: w.externalCode,
        name: w.name,
        countryCode: w.countryCode,
        shopifyLocationId: w.shopifyLocationId,
        fulfillmentServiceLocationId: w.fulfillmentServiceLocationId,
        priority: w.priority,
        regions: parseRegions(w.regions).regions,
      })),
      mappedSkus,
      unmappedSkus: unmapped.length,
    });
  }
  return views;
}

/** Names the add form must refuse: connections that are connected and set up. */
export async function connectionNamesInUse(shop: string, db: Database = defaultDb): Promise<string[]> {
  const rows = await forShop(shop, db).warehouseConnection.findMany({
    where: { status: { not: "disconnected" }, warehouses: { some: {} } },
    select: { name: true },
  });
  return rows.map((row) => row.name);
}

// ---------------------------------------------------------------------------------------------
// Adding and testing
// ---------------------------------------------------------------------------------------------

export type WebhookSetup = "registered" | "already_registered" | "not_supported" | "failed";

export interface ConnectionCheck {
  connectionId: string;
  ok: boolean;
  latencyMs: number;
  /** Why the test failed, in the merchant's words (the warehouse adapter's message). */
  error: string | null;
  warehouses: number;
  webhooks: WebhookSetup | null;
  /** Why the webhook could not be registered (stock is polled meanwhile). */
  webhookError: string | null;
  /** Warehouses with a Shopify fulfillment service registered (null when Shopify was not reachable from here). */
  fulfillmentServices?: number | null;
  /** Why a fulfillment service could not be registered (the next test tries again). */
  fulfillmentServiceError?: string | null;
}

export interface SetupOptions {
  /** The app's public URL (SHOPIFY_APP_URL), for the webhook address and fulfillment-service callbacks. */
  appUrl: string;
  /**
   * Shopify, for the warehouses' fulfillment services (app/orders/fulfillment-service.server.ts):
   * when given, connecting registers one per warehouse and removing deletes them.
   */
  fulfillmentServices?: FulfillmentServiceGateway;
  db?: Database;
  now?: () => Date;
}

/**
 * Adds a connection and tests it. The connection is kept even when the test fails (with the error,
 * for the merchant to see); adding again under the same name replaces the credentials of a
 * connection that was removed or never got through its first test.
 */
export async function addWarehouseConnection(shop: string, values: NewConnectionValues, options: SetupOptions): Promise<ConnectionCheck> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const credentials = { baseUrl: values.baseUrl, apiKey: values.apiKey };
  const previous = await scoped.warehouseConnection.findUnique({
    where: { shop_name: { shop, name: values.name } },
    select: { id: true, status: true, _count: { select: { warehouses: true } } },
  });
  let connectionId: string;
  if (previous && (previous.status === "disconnected" || previous._count.warehouses === 0)) {
    connectionId = previous.id;
    await updateWarehouseCredentials(shop, connectionId, credentials, db);
    await scoped.warehouseConnection.update({
      where: { id: connectionId },
      data: { provider: values.provider, status: "active", lastError: null, pollCursor: null, lastPolledAt: null },
    });
    forgetConnector(connectionId);
  } else {
    connectionId = (await createWarehouseConnection(shop, { name: values.name, provider: values.provider, credentials }, db)).id;
  }
  return checkWarehouseConnection(shop, connectionId, options);
}

async function runTest(shop: string, connectionId: string, db: Database): Promise<{ connector: WarehouseConnector | null; result: ConnectionTestResult }> {
  try {
    const connector = await connectorFor(shop, connectionId, db);
    return { connector, result: await connector.testConnection() };
  } catch (error) {
    if (error instanceof WarehouseConnectionError || error instanceof WarehouseApiError) {
      return { connector: null, result: { ok: false, latencyMs: 0, warehouses: [], error: error.message } };
    }
    throw error;
  }
}

/**
 * The Test button, and the end of adding: tests the connection and records the result; when it
 * answers, takes its warehouses, makes sure its webhook is registered and starts reading stock.
 * Safe to repeat.
 */
export async function checkWarehouseConnection(shop: string, connectionId: string, options: SetupOptions): Promise<ConnectionCheck> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? (() => new Date());
  const scoped = forShop(shop, db);
  const connection = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { status: true } });
  if (!connection || connection.status === "disconnected") {
    throw new WarehouseSetupError("connection_not_found", "This warehouse connection was removed.");
  }
  const { connector, result } = await runTest(shop, connectionId, db);
  await scoped.warehouseConnection.update({
    where: { id: connectionId },
    data: {
      lastTestedAt: now(),
      lastTestLatencyMs: result.latencyMs,
      lastError: result.ok ? null : (result.error ?? "The warehouse did not answer the test."),
      // A paused connection stays paused: testing it is not resuming it.
      ...(connection.status === "paused" ? {} : { status: result.ok ? "active" : "error" }),
    },
  });
  const check: ConnectionCheck = { connectionId, ok: result.ok, latencyMs: result.latencyMs, error: result.ok ? null : (result.error ?? null), warehouses: 0, webhooks: null, webhookError: null };
  if (!result.ok || !connector) return check;

  check.warehouses = await takeWarehouses(shop, connectionId, result.warehouses, db);
  const webhook = await ensureWebhook(shop, connectionId, connector, options.appUrl, db);
  check.webhooks = webhook.setup;
  check.webhookError = webhook.error;
  if (options.fulfillmentServices) Object.assign(check, await ensureFulfillmentServices(shop, connectionId, options.fulfillmentServices, options));
  // The first full stock read (or polling again after it had stopped); a poll already waiting absorbs it.
  await schedulePoll(shop, connectionId, 0);
  return check;
}

/** A fulfillment service for each warehouse of the connection; a failure is reported, not fatal (the next test tries again). */
async function ensureFulfillmentServices(
  shop: string,
  connectionId: string,
  shopify: FulfillmentServiceGateway,
  options: SetupOptions,
): Promise<{ fulfillmentServices: number; fulfillmentServiceError: string | null }> {
  const warehouses = await forShop(shop, options.db ?? defaultDb).warehouse.findMany({ where: { connectionId }, select: { id: true } });
  let registered = 0;
  for (const warehouse of warehouses) {
    try {
      await ensureFulfillmentService(shop, warehouse.id, shopify, { appUrl: options.appUrl, db: options.db });
      registered++;
    } catch (error) {
      if (!(error instanceof ShopifyApiError || error instanceof ShopifyRefusedError || error instanceof FulfillmentServiceError)) throw error;
      log.warn("Fulfillment service registration failed", { shop, connectionId, warehouseId: warehouse.id, error: error.message });
      return { fulfillmentServices: registered, fulfillmentServiceError: error.message };
    }
  }
  return { fulfillmentServices: registered, fulfillmentServiceError: null };
}

/** Creates a Warehouse row for each warehouse the WMS lists, and keeps the names current. */
async function takeWarehouses(shop: string, connectionId: string, listed: WarehouseInfo[], db: Database): Promise<number> {
  const scoped = forShop(shop, db);
  const stored = await scoped.warehouse.findMany({ where: { connectionId }, select: { externalCode: true, countryCode: true } });
  const knownCountry = (code: string) => stored.find((w) => w.externalCode === code)?.countryCode ?? null;
  for (const warehouse of listed) {
    const data = {
      name: warehouse.name || warehouse.code,
      countryCode: warehouse.countryCode,
      latitude: warehouse.latitude === null ? null : String(warehouse.latitude),
      longitude: warehouse.longitude === null ? null : String(warehouse.longitude),
    };
    const { countryCode, ...rest } = data;
    await scoped.warehouse.upsert({
      where: { shop_connectionId_externalCode: { shop, connectionId, externalCode: warehouse.code } },
      create: { shop, connectionId, externalCode: warehouse.code, ...data },
      // The country is the merchant's to correct (routing's proximity): the WMS only fills it in when unknown.
      update: { ...rest, ...(countryCode ? { countryCode: knownCountry(warehouse.code) ?? countryCode } : {}) },
    });
  }
  return listed.length;
}

async function ensureWebhook(shop: string, connectionId: string, connector: WarehouseConnector, appUrl: string, db: Database): Promise<{ setup: WebhookSetup; error: string | null }> {
  if (!connector.capabilities.webhooks || !canRegisterWebhooks(connector)) return { setup: "not_supported", error: null };
  const credentials = await warehouseCredentials(shop, connectionId, db);
  if (credentials.webhookSecret) return { setup: "already_registered", error: null };
  try {
    const subscription = await connector.registerWebhook(warehouseWebhookUrl(appUrl, connectionId));
    await updateWarehouseCredentials(shop, connectionId, { ...credentials, webhookSecret: subscription.secret, webhookId: subscription.id }, db);
    // The cached connector was built without the secret and would refuse every delivery.
    forgetConnector(connectionId);
    return { setup: "registered", error: null };
  } catch (error) {
    if (!(error instanceof WarehouseApiError)) throw error;
    // Not fatal: stock is polled until the next test registers the webhook.
    log.warn("Warehouse webhook registration failed", { shop, connectionId, error: error.message });
    return { setup: "failed", error: error.message };
  }
}

// ---------------------------------------------------------------------------------------------
// Removing
// ---------------------------------------------------------------------------------------------

export interface RemovalOutcome {
  warehouses: number;
  positionsRemoved: number;
  mappingsRemoved: number;
}

/**
 * Removes a connection: sync stops for its warehouses, their positions and SKU mappings are
 * deleted, their Shopify locations are freed. Shopify's stock at those locations is left as it is.
 * The row stays (history refers to its warehouses), marked disconnected, with its secrets deleted.
 */
export async function removeWarehouseConnection(shop: string, connectionId: string, options: SetupOptions): Promise<RemovalOutcome> {
  const db = options.db ?? defaultDb;
  const scoped = forShop(shop, db);
  const connection = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { status: true, warehouses: { select: { id: true } } } });
  if (!connection || connection.status === "disconnected") {
    throw new WarehouseSetupError("connection_not_found", "This warehouse connection was already removed.");
  }
  await unsubscribeWebhook(shop, connectionId, options.appUrl, db);
  const credentials = await warehouseCredentials(shop, connectionId, db).catch((error: unknown) => {
    // Unreadable credentials (a lost encryption key) must not keep a connection from being removed.
    log.warn("Could not read the credentials of a connection being removed", { shop, connectionId, error });
    return {} as Record<string, string>;
  });
  const warehouseIds = connection.warehouses.map((w) => w.id);
  // Shopify stops sending orders to the warehouses before we stop listening for them.
  let servicesRemoved = false;
  if (options.fulfillmentServices) {
    for (const warehouseId of warehouseIds) {
      try {
        await removeFulfillmentService(shop, warehouseId, options.fulfillmentServices, { db });
      } catch (error) {
        if (!(error instanceof ShopifyApiError || error instanceof ShopifyRefusedError)) throw error;
        throw new WarehouseSetupError("fulfillment_service_failed", `Shopify did not remove the warehouse's fulfillment service, so the connection was kept: ${error.message}`, { error: error.message });
      }
    }
    servicesRemoved = true;
  }
  const [positions, mappings] = await scoped.$transaction([
    scoped.inventoryPosition.deleteMany({ where: { warehouseId: { in: warehouseIds } } }),
    scoped.skuMapping.deleteMany({ where: { connectionId } }),
    scoped.warehouse.updateMany({
      where: { connectionId },
      // Fulfillment services not removed in Shopify stay recorded, so that they can still be found and removed.
      data: { shopifyLocationId: null, ...(servicesRemoved ? { fulfillmentServiceId: null, fulfillmentServiceLocationId: null } : {}) },
    }),
    scoped.warehouseConnection.update({ where: { id: connectionId }, data: { status: "disconnected", pollCursor: null, lastError: null } }),
  ]);
  // Only what is not a secret stays: where the warehouse was.
  await updateWarehouseCredentials(shop, connectionId, credentials.baseUrl ? { baseUrl: credentials.baseUrl } : {}, db);
  forgetConnector(connectionId);
  log.info("Warehouse connection removed", { shop, connectionId, positions: positions.count, mappings: mappings.count });
  return { warehouses: warehouseIds.length, positionsRemoved: positions.count, mappingsRemoved: mappings.count };
}

/** Asks the warehouse to stop sending webhooks; deliveries after removal are refused anyway (404). */
async function unsubscribeWebhook(shop: string, connectionId: string, appUrl: string, db: Database): Promise<void> {
  try {
    const connector = await connectorFor(shop, connectionId, db);
    if (!canRegisterWebhooks(connector)) return;
    const url = warehouseWebhookUrl(appUrl, connectionId);
    for (const subscription of await connector.listWebhooks()) {
      if (subscription.url === url) await connector.deleteWebhook(subscription.id);
    }
  } catch (error) {
    if (!(error instanceof WarehouseApiError || error instanceof WarehouseConnectionError)) throw error;
    log.warn("Could not unsubscribe the warehouse webhook while removing the connection", { shop, connectionId, error: error.message });
  }
}

// ---------------------------------------------------------------------------------------------
// Warehouse -> Shopify location
// ---------------------------------------------------------------------------------------------

export interface ShopifyLocation {
  id: string;
  name: string;
  isActive: boolean;
  /** The fulfillment service's handle when the location is a 3PL's. */
  fulfillmentService: string | null;
}

export async function shopifyLocations(client: AdminClient): Promise<ShopifyLocation[]> {
  const locations: ShopifyLocation[] = [];
  let after: string | null = null;
  do {
    const data: LocationsData = await client.request<LocationsData>(LOCATIONS, { first: 250, after });
    for (const node of data.locations.nodes) {
      locations.push({ id: node.id, name: node.name, isActive: node.isActive, fulfillmentService: node.fulfillmentService?.handle ?? null });
    }
    after = data.locations.pageInfo.hasNextPage ? data.locations.pageInfo.endCursor : null;
  } while (after);
  return locations;
}

/**
 * Sets (or clears, with null) the Shopify location whose stock a warehouse drives. A location is
 * driven by one warehouse only. The warehouse's mapped SKUs are read from Shopify and written again.
 */
export async function mapWarehouseLocation(
  shop: string,
  warehouseId: string,
  locationId: string | null,
  locations: readonly ShopifyLocation[],
  db: Database = defaultDb,
  now: Date = new Date(),
): Promise<void> {
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findUnique({ where: { id: warehouseId }, select: { name: true, connection: { select: { status: true } } } });
  if (!warehouse || warehouse.connection.status === "disconnected") {
    throw new WarehouseSetupError("warehouse_not_found", "This warehouse belongs to a connection that was removed.");
  }
  if (locationId) {
    const location = locations.find((l) => l.id === locationId);
    if (!location) throw new WarehouseSetupError("location_unknown", "That Shopify location no longer exists; reload the page.");
    const holder = await scoped.warehouse.findFirst({ where: { shopifyLocationId: locationId, id: { not: warehouseId } }, select: { name: true } });
    if (holder) {
      throw new WarehouseSetupError("location_taken", `${location.name} already shows the stock of warehouse ${holder.name}; a location takes its stock from one warehouse.`, {
        location: location.name,
        warehouse: holder.name,
      });
    }
  }
  const positions = locationId
    ? { needsShopifyRead: true, syncState: "dirty", dirtySince: now }
    : // Without a location nothing is written, so nothing waits to be.
      { needsShopifyRead: true, syncState: "clean", dirtySince: null };
  try {
    await scoped.$transaction([
      scoped.warehouse.update({ where: { id: warehouseId }, data: { shopifyLocationId: locationId } }),
      scoped.inventoryPosition.updateMany({ where: { warehouseId, inventoryItemId: { not: null } }, data: { ...positions, version: { increment: 1 } } }),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new WarehouseSetupError("location_just_taken", "That Shopify location was just given to another warehouse; reload the page.");
  }
  if (locationId) await requestStockSync(shop);
}

export { FULFILLMENT_SERVICE_LOCATION } from "./warehouse-connection";

/**
 * Makes the warehouse's own fulfillment-service location its Shopify location (registering the
 * service first if need be), so that Shopify sends the orders assigned there to TallySync. The
 * option of a location of the merchant's own stays: mapWarehouseLocation.
 */
export async function mapWarehouseToFulfillmentService(
  shop: string,
  warehouseId: string,
  shopify: FulfillmentServiceGateway,
  options: SetupOptions,
): Promise<{ locationId: string; created: boolean }> {
  const db = options.db ?? defaultDb;
  let service;
  try {
    service = await ensureFulfillmentService(shop, warehouseId, shopify, { appUrl: options.appUrl, db });
  } catch (error) {
    if (error instanceof FulfillmentServiceError && error.code === "warehouse_not_found") throw new WarehouseSetupError("warehouse_not_found", error.message);
    if (error instanceof ShopifyApiError || error instanceof ShopifyRefusedError || error instanceof FulfillmentServiceError) {
      throw new WarehouseSetupError("fulfillment_service_failed", `The warehouse could not be registered with Shopify as a fulfillment service: ${error.message}`, { error: error.message });
    }
    throw error;
  }
  const warehouse = await forShop(shop, db).warehouse.findUniqueOrThrow({ where: { id: warehouseId }, select: { name: true } });
  await mapWarehouseLocation(shop, warehouseId, service.locationId, [{ id: service.locationId, name: warehouse.name, isActive: true, fulfillmentService: service.fulfillmentServiceId }], db, options.now?.() ?? new Date());
  await scheduleOrdersPoll(shop);
  return { locationId: service.locationId, created: service.created };
}
