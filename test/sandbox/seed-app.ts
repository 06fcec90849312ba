// Seeds the app's database with the demo merchant's setup and some history, as if TallySync had
// been installed and running for a few weeks: connections, warehouse <-> location mapping, SKU
// mappings, positions, a ledger, past orders and past counts. Only the sandbox does this; a
// real install builds the same rows through the app's own flows.
import { forShop } from "../../app/db/tenant.server";
import type { Database } from "../../app/db/client.server";
import { POLL_JOB } from "../../app/inventory/job-types";
import { jobRow } from "../../app/jobs/queue.server";
import { ensureFulfillmentService } from "../../app/orders/fulfillment-service.server";
import type { FulfillmentServiceGateway } from "../../app/orders/gateway";
import { ORDERS_POLL_JOB } from "../../app/orders/job-types";
import { formatRegions } from "../../app/orders/regions";
import { encryptCredentials } from "../../app/security/credentials.server";
import { createGenericConnector } from "../../app/warehouses/generic/connector.server";
import { DEMO_SHOP, random, type DemoProduct, type DemoWarehouse } from "./demo-data";
import { seedCountHistory } from "./seed-counts";

export interface SeededWarehouse {
  warehouse: DemoWarehouse;
  wmsUrl: string;
  /** With fulfillment services, the service's location (known once seeded). */
  shopifyLocationId: string;
  stock: Array<{ sku: string; sellable: number; damaged: number }>;
}

export interface SandboxAccess {
  appUrl: string;
  /** An offline Admin API token the simulator issued, as token exchange would have stored it. */
  offlineAccessToken: string;
  scopes: string;
  defaultSafetyStock: number;
  /** Seed past orders and counts. */
  history: boolean;
  /**
   * Shopify, to register each warehouse as a fulfillment service whose location becomes the
   * warehouse's, as Settings does (the app's own function); without it, the warehouse keeps the
   * plain location it was given and Shopify sends it no fulfillment requests.
   */
  fulfillmentServices?: FulfillmentServiceGateway;
}

export interface SeededItem {
  sku: string;
  barcode: string;
  inventoryItemId: string;
  variantId: string;
  productId: string;
  productTitle: string;
  variantTitle: string;
  unitCost: string;
}

const DAY = 24 * 60 * 60 * 1000;

export async function seedAppDatabase(db: Database, items: SeededItem[], warehouses: SeededWarehouse[], access: SandboxAccess, now = new Date()) {
  const shop = DEMO_SHOP;
  const scoped = forShop(shop, db);
  const rand = random(3);
  await scoped.shop.create({ data: { shop, sandbox: true, scopes: access.scopes, installedAt: new Date(now.getTime() - 42 * DAY) } });
  // The offline session token exchange would have stored at install, so that background jobs
  // reach the (simulated) shop before anyone opens the app.
  await scoped.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: access.scopes, accessToken: access.offlineAccessToken } });
  await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: access.defaultSafetyStock, timeZone: "America/Los_Angeles" } });

  for (const item of items) {
    await scoped.catalogItem.create({
      data: {
        shop,
        inventoryItemId: item.inventoryItemId,
        variantId: item.variantId,
        productId: item.productId,
        productTitle: item.productTitle,
        variantTitle: item.variantTitle,
        sku: item.sku,
        barcode: item.barcode,
        unitCost: item.unitCost,
        costCurrency: "USD",
      },
    });
  }
  const bySku = new Map(items.map((item) => [item.sku, item]));

  // Connections are made as the Settings page makes them: credentials encrypted, the app's webhook
  // URL registered with the warehouse (its secret stored with the credentials), warehouses mapped
  // to their Shopify locations, SKUs mapped, and a first full read queued. The engine then builds
  // the positions and writes Shopify's stock: nothing here writes stock directly.
  const warehouseIds: string[] = [];
  for (const seeded of warehouses) {
    const { warehouse } = seeded;
    const connection = await scoped.warehouseConnection.create({
      data: { shop, name: warehouse.connectionName, provider: warehouse.provider, encryptedCredentials: "pending", lastTestedAt: now, lastTestLatencyMs: 12 },
    });
    const connector = createGenericConnector({ baseUrl: seeded.wmsUrl, apiKey: warehouse.apiKey });
    const subscription = await connector.registerWebhook(`${access.appUrl}/webhooks/warehouse/${connection.id}`);
    await scoped.warehouseConnection.update({
      where: { id: connection.id },
      data: {
        encryptedCredentials: encryptCredentials(
          { baseUrl: seeded.wmsUrl, apiKey: warehouse.apiKey, webhookSecret: subscription.secret },
          { shop, connectionName: warehouse.connectionName },
        ),
      },
    });
    const row = await scoped.warehouse.create({
      data: {
        shop,
        connectionId: connection.id,
        externalCode: warehouse.code,
        name: warehouse.name,
        shopifyLocationId: access.fulfillmentServices ? null : seeded.shopifyLocationId,
        countryCode: warehouse.countryCode,
        latitude: String(warehouse.latitude),
        longitude: String(warehouse.longitude),
        priority: warehouse.priority,
        regions: formatRegions(warehouse.regions),
      },
    });
    warehouseIds.push(row.id);
    if (access.fulfillmentServices) {
      const service = await ensureFulfillmentService(shop, row.id, access.fulfillmentServices, { appUrl: access.appUrl, db });
      await scoped.warehouse.update({ where: { id: row.id }, data: { shopifyLocationId: service.locationId } });
      seeded.shopifyLocationId = service.locationId;
    }
    for (const stock of seeded.stock) {
      const item = bySku.get(stock.sku);
      if (!item) continue;
      await scoped.skuMapping.create({
        data: { shop, connectionId: connection.id, inventoryItemId: item.inventoryItemId, warehouseSku: stock.sku, matchedBy: "sku" },
      });
    }
    await scoped.job.create({ data: jobRow(shop, POLL_JOB, { connectionId: connection.id, delayMs: null }, { dedupeKey: `poll:${connection.id}` }) });
  }
  // The order side's safety net (Shopify's assigned fulfillment orders, the warehouses' feeds), as mapping a warehouse starts it.
  if (access.fulfillmentServices) await scoped.job.create({ data: jobRow(shop, ORDERS_POLL_JOB, {}, { dedupeKey: "orders-poll" }) });

  if (!access.history) return { warehouseIds };

  // Past orders, with their lines (personal data is made up).
  const firstNames = ["Mia", "Noah", "Lina", "Kai", "Sofia", "Leo", "Yuki", "Omar", "Ava", "Wei"];
  for (let i = 0; i < 60; i++) {
    const item = items[Math.floor(rand() * items.length)]!;
    const createdAt = new Date(now.getTime() - Math.floor(rand() * 30) * DAY - Math.floor(rand() * DAY));
    const name = firstNames[i % firstNames.length]!;
    await scoped.order.create({
      data: {
        shop,
        shopifyOrderId: `gid://shopify/Order/${900000 + i}`,
        name: `#${1001 + i}`,
        customerName: `${name} Demo`,
        customerEmail: `${name.toLowerCase()}@example.com`,
        shippingCountry: i % 3 === 0 ? "NL" : "US",
        status: i % 17 === 0 ? "cancelled" : "closed",
        createdAt,
        shopifyUpdatedAt: createdAt,
        lines: { create: [{ shop, lineItemId: `gid://shopify/LineItem/${800000 + i}`, inventoryItemId: item.inventoryItemId, sku: item.sku, quantity: 1 + Math.floor(rand() * 3) }] },
      },
    });
  }

  // Counts: plans, twelve weeks of posted counts and today's counts in every state (seed-counts.ts).
  await seedCountHistory(db, shop, { items, warehouses, warehouseIds, timeZone: "America/Los_Angeles", now });
  return { warehouseIds };
}
