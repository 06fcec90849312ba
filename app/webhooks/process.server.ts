// The job that processes one stored webhook: load it from the inbox, act on its topic, mark it.
// Idempotent: a webhook already processed is skipped, and each topic's action can run twice safely.
import { db } from "../db.server";
import { inBatches } from "../db/in-batches";
import { dialectOf, SqlParams, queryRows, executeStatement } from "../db/raw.server";
import { forShop } from "../db/tenant.server";
import { defineJob } from "../jobs/registry.server";
import { PermanentJobError } from "../jobs/types";
import { log } from "../observability/logger.server";
import { onShopifyLevelsChanged, type InventoryLevelPayload } from "../inventory/shopify-events.server";
import { requestStockSync } from "../inventory/jobs.server";
import { syncOrderReservations } from "../inventory/orders.server";
import { recordUnchangedOrderUpdate } from "../inventory/order-updates.server";
import type { KnownReservation } from "../inventory/positions.server";
import { shopifyInventoryGateway } from "../shopify/gateway.server";
import { upsertCatalogFromProduct } from "../models/catalog.server";
import { recordCustomerDataRequest, redactCustomer } from "../models/compliance.server";
import { applyRefund, upsertOrderFromWebhook } from "../models/order.server";
import { deliverFromShopify } from "../orders/deliveries.server";
import { remapCatalogItems } from "../models/sku-mapping.server";
import { isShopInstalled, purgeShopData, uninstallShop, updateShopScopes } from "../models/shop.server";
import type {
  ShopifyCustomerRedactPayload,
  ShopifyDataRequestPayload,
  ShopifyFulfillmentEventPayload,
  ShopifyOrderPayload,
  ShopifyProductPayload,
  ShopifyRefundPayload,
  ShopifyScopesUpdatePayload,
} from "./payloads";
import { PROCESS_LEVELS_JOB, PROCESS_WEBHOOK_JOB, type WebhookTopic } from "./topics";

type TopicAction = (shop: string, payload: unknown) => Promise<string>;

function customerReference(payload: ShopifyCustomerRedactPayload, orderIds: Array<number | string> = []) {
  return {
    customerId: payload.customer?.id != null ? `gid://shopify/Customer/${payload.customer.id}` : null,
    email: payload.customer?.email ?? null,
    orderIds: orderIds.map((id) => `gid://shopify/Order/${id}`),
  };
}

// What each topic does today. Stock reservations, re-mapping and routing are added to these
// actions by the stock sync and order issues; until then the webhook is stored and recorded.
const ACTIONS: Record<WebhookTopic, TopicAction> = {
  "app/uninstalled": async (shop) => {
    await uninstallShop(shop);
    return "shop data removed; tombstone kept until shop/redact";
  },
  "app/scopes_update": async (shop, payload) => {
    const current = (payload as ShopifyScopesUpdatePayload).current ?? [];
    await updateShopScopes(shop, current.join(","));
    return `scopes now ${current.join(",")}`;
  },
  "shop/redact": async (shop) => {
    await purgeShopData(shop);
    return "all shop data erased";
  },
  "customers/redact": async (shop, payload) => {
    const p = payload as ShopifyCustomerRedactPayload;
    const count = await redactCustomer(shop, customerReference(p, p.orders_to_redact));
    return `personal data removed from ${count} order(s)`;
  },
  "customers/data_request": async (shop, payload) => {
    const p = payload as ShopifyDataRequestPayload;
    const request = await recordCustomerDataRequest(shop, customerReference(p, p.orders_requested));
    return `data request recorded (${request.id})`;
  },
  "orders/create": (shop, payload) => recordOrderAndReserve(shop, payload as ShopifyOrderPayload),
  "orders/updated": (shop, payload) => recordOrderUpdate(shop, payload as ShopifyOrderPayload),
  "orders/cancelled": (shop, payload) => recordOrderAndReserve(shop, payload as ShopifyOrderPayload),
  "refunds/create": async (shop, payload) => {
    const refund = payload as ShopifyRefundPayload;
    const lines = await applyRefund(shop, refund);
    await reserveFromShopify(shop, orderGid(refund.order_id));
    return `refund applied to ${lines} line(s)`;
  },
  "fulfillment_events/create": async (shop, payload) => {
    const event = payload as ShopifyFulfillmentEventPayload;
    if (event.status !== "delivered") return `fulfillment event ${event.status ?? "without a status"}: nothing to record`;
    if (event.fulfillment_id == null) return "delivered event without a fulfillment id: ignored";
    const happened = new Date(event.happened_at ?? event.created_at ?? Date.now());
    const outcome = await deliverFromShopify(shop, gid("Fulfillment", event.fulfillment_id), Number.isNaN(happened.getTime()) ? new Date() : happened, { db, now: () => new Date() });
    // The allocation is being worked on (its shipment, perhaps this very delivery): try again shortly.
    if (outcome === "busy") throw new Error("The order is being updated by another job; the delivery is recorded on the next try.");
    return outcome === "not_ours" ? "delivered: not a fulfillment TallySync made" : `delivered: ${outcome}`;
  },
  "products/update": async (shop, payload) => {
    const changes = await upsertCatalogFromProduct(shop, payload as ShopifyProductPayload);
    const remapped = await remapCatalogItems(shop, changes.map((change) => change.inventoryItemId));
    return `catalog updated; ${changes.length} SKU/barcode change(s), ${remapped} SKU(s) mapped again`;
  },
  "inventory_levels/update": async (shop, payload) => {
    // Deliveries stored before levels were batched (PROCESS_LEVELS_JOB) still come this way.
    const reread = await onShopifyLevelsChanged(shop, [payload as InventoryLevelPayload]);
    if (reread) await requestStockSync(shop);
    return reread ? "re-read" : "matches";
  },
};

const gid = (type: string, id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/${type}/${id}`);
const orderGid = (id: number | string) => gid("Order", id);

/** Reservations follow what Shopify has committed now (so webhook order does not matter). */
async function reserveFromShopify(shop: string, orderId: string, known?: KnownReservation[]): Promise<string> {
  const gateway = await shopifyInventoryGateway(shop);
  const { reserved, released } = await syncOrderReservations(shop, orderId, gateway, db, new Date(), known);
  if (reserved || released) await requestStockSync(shop);
  return `${reserved} line(s) reserved, ${released} released`;
}

const STALE_ORDER = "order stale (a newer update was already applied)";

async function recordOrderAndReserve(shop: string, payload: ShopifyOrderPayload): Promise<string> {
  const recorded = await upsertOrderFromWebhook(shop, payload);
  if (recorded === "stale") return STALE_ORDER;
  return `order ${recorded}; ${await reserveFromShopify(shop, payload.admin_graphql_api_id ?? orderGid(payload.id))}`;
}

/**
 * orders/updated: most change nothing we keep (Shopify sends one when the order is fulfilled, paid,
 * tagged...). Those only move the order's updated_at on, in a write that matches nothing when
 * something did change, and ask Shopify nothing when the order's reservations already match what
 * is left to fulfil. Anything else is recorded and synced as orders/create is.
 */
async function recordOrderUpdate(shop: string, payload: ShopifyOrderPayload): Promise<string> {
  const unchanged = await recordUnchangedOrderUpdate(shop, payload, db);
  if (!unchanged) return recordOrderAndReserve(shop, payload);
  if (unchanged.reservationsSettled) return "order unchanged; reservations unchanged";
  return `order unchanged; ${await reserveFromShopify(shop, unchanged.shopifyOrderId, unchanged.reservations)}`;
}

const COMPLIANCE_TOPICS = new Set<WebhookTopic>(["shop/redact", "customers/redact", "customers/data_request", "app/uninstalled"]);

/**
 * The stored delivery and whether its shop is installed, in one statement: every order in a flash
 * sale brings two or three webhooks, and this bookkeeping was two Prisma reads each. Raw SQL names
 * the shop itself (forShop does not see raw queries).
 */
async function storedDelivery(shop: string, webhookId: string): Promise<{ id: string; topic: string; status: string; payload: string; installed: boolean } | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT i."id", i."topic", i."status", i."payload", s."shop" AS "shopRow", s."uninstalledAt" FROM "WebhookInbox" i ` +
      `LEFT JOIN "Shop" s ON s."shop" = i."shop" WHERE i."shop" = ${sql.add(shop)} AND i."webhookId" = ${sql.add(webhookId)}`,
    ...sql.values,
  );
  const row = rows[0];
  if (!row) return null;
  return { id: String(row.id), topic: String(row.topic), status: String(row.status), payload: String(row.payload), installed: row.shopRow != null && row.uninstalledAt == null };
}

export async function processStoredWebhook(shop: string, webhookId: string): Promise<void> {
  const scoped = forShop(shop, db);
  const inbox = await storedDelivery(shop, webhookId);
  if (!inbox) return; // purged with the shop's data: nothing left to do
  if (inbox.status === "processed" || inbox.status === "ignored") return;
  const topic = inbox.topic as WebhookTopic;
  const action = ACTIONS[topic];
  if (!action) throw new PermanentJobError(`No action for webhook topic ${inbox.topic}.`);

  if (!COMPLIANCE_TOPICS.has(topic) && !inbox.installed) {
    await scoped.webhookInbox.updateMany({
      where: { id: inbox.id },
      data: { status: "ignored", processedAt: new Date(), error: "The shop has uninstalled TallySync." },
    });
    return;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(inbox.payload);
  } catch {
    throw new PermanentJobError("The stored webhook body is not JSON.");
  }
  let outcome: string;
  try {
    outcome = await action(shop, payload);
  } catch (error) {
    // Visible on the inbox row while the job retries; cleared when a retry succeeds.
    await scoped.webhookInbox.updateMany({
      where: { id: inbox.id },
      data: { status: "failed", error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
  // An UPDATE, not a write that expects the row: shop/redact and app/uninstalled may have deleted
  // this very row. Raw SQL, as every webhook of a sale ends here.
  const sql = new SqlParams(dialectOf(db));
  await executeStatement(
    db,
    `UPDATE "WebhookInbox" SET "status" = 'processed', "processedAt" = ${sql.time(new Date())}, "error" = NULL WHERE "id" = ${sql.add(inbox.id)} AND "shop" = ${sql.add(shop)}`,
    ...sql.values,
  );
  log.debug("Webhook processed", { shop, topic, webhookId, outcome });
}

defineJob(PROCESS_WEBHOOK_JOB, async (payload, context) => {
  const { webhookId } = payload as { webhookId?: string };
  if (!webhookId) throw new PermanentJobError("Job payload has no webhookId.");
  await processStoredWebhook(context.shop, webhookId);
});

/** Levels read per round of the batch job. */
const LEVELS_PER_ROUND = 1_000;

// Every waiting inventory_levels/update delivery of the shop, in rounds, oldest first. The rows
// of a round are marked processed together with nothing else to undo: comparing a level twice
// is harmless (it only decides whether the position re-reads Shopify before its next write).
defineJob(PROCESS_LEVELS_JOB, async (_payload, { shop }) => {
  const scoped = forShop(shop, db);
  if (!(await isShopInstalled(shop))) {
    await scoped.webhookInbox.updateMany({
      where: { topic: "inventory_levels/update", status: "received" },
      data: { status: "ignored", processedAt: new Date(), error: "The shop has uninstalled TallySync." },
    });
    return;
  }
  let reread = 0;
  for (;;) {
    const rows = await scoped.webhookInbox.findMany({
      where: { topic: "inventory_levels/update", source: "shopify", status: "received" },
      orderBy: [{ receivedAt: "asc" }],
      take: LEVELS_PER_ROUND,
      select: { id: true, payload: true },
    });
    if (!rows.length) break;
    const payloads: InventoryLevelPayload[] = [];
    const unreadable: string[] = [];
    for (const row of rows) {
      try {
        payloads.push(JSON.parse(row.payload) as InventoryLevelPayload);
      } catch {
        unreadable.push(row.id);
      }
    }
    reread += await onShopifyLevelsChanged(shop, payloads);
    // In slices: a round of 1,000 ids is near SQLite's limit of bound parameters.
    for (const ids of inBatches(rows.map((r) => r.id).filter((id) => !unreadable.includes(id)))) {
      await scoped.webhookInbox.updateMany({ where: { id: { in: ids }, status: "received" }, data: { status: "processed", processedAt: new Date(), error: null } });
    }
    if (unreadable.length) {
      await scoped.webhookInbox.updateMany({ where: { id: { in: unreadable } }, data: { status: "failed", error: "The stored webhook body is not JSON." } });
    }
    if (rows.length < LEVELS_PER_ROUND) break;
  }
  if (reread) await requestStockSync(shop);
});
