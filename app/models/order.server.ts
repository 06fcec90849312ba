// Our copy of Shopify orders, kept from the orders/* and refunds/create webhooks. Webhooks can
// arrive out of order, so an update older than what we hold is ignored (payload updated_at).
import { randomUUID } from "node:crypto";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows, executeStatement } from "../db/raw.server";
import { forShop } from "../db/tenant.server";
import type { ShopifyOrderPayload, ShopifyRefundPayload } from "../webhooks/payloads";

export function gid(kind: string, id: number | string): string {
  return String(id).startsWith("gid://") ? String(id) : `gid://shopify/${kind}/${id}`;
}

function formatAddress(address: ShopifyOrderPayload["shipping_address"]): string | null {
  if (!address) return null;
  return [address.name, address.address1, address.address2, address.city, address.province, address.zip, address.country]
    .filter(Boolean)
    .join(", ");
}

/** What we keep of an order from its webhook payload (all but its lines and updated_at). */
export function storedOrderFields(payload: ShopifyOrderPayload) {
  return {
    name: payload.name ?? `#${payload.order_number ?? payload.id}`,
    customerId: payload.customer?.id != null ? gid("Customer", payload.customer.id) : null,
    customerEmail: payload.email ?? payload.customer?.email ?? null,
    customerName: [payload.customer?.first_name, payload.customer?.last_name].filter(Boolean).join(" ") || null,
    shippingAddress: formatAddress(payload.shipping_address),
    shippingCountry: payload.shipping_address?.country_code ?? null,
    shippingProvince: payload.shipping_address?.province_code ?? null,
    status: payload.cancelled_at ? "cancelled" : payload.closed_at ? "closed" : "open",
    cancelledAt: payload.cancelled_at ? new Date(payload.cancelled_at) : null,
  };
}

export type OrderUpsertResult = "created" | "updated" | "stale";

/** The order columns an update writes (all but id, shop, shopifyOrderId and createdAt). */
const ORDER_UPDATED_COLUMNS = [
  "name",
  "customerId",
  "customerEmail",
  "customerName",
  "shippingAddress",
  "shippingCountry",
  "shippingProvince",
  "status",
  "shopifyUpdatedAt",
  "cancelledAt",
  "updatedAt",
] as const;
const ORDER_COLUMNS = ["id", "shop", "shopifyOrderId", ...ORDER_UPDATED_COLUMNS, "createdAt"];
const LINE_COLUMNS = `"id", "shop", "orderId", "lineItemId", "sku", "quantity", "refundedQuantity"`;
// A new line: refundedQuantity 0 and inventoryItemId NULL (its defaults); a known one: only its
// sku and quantity change (not its order, its refunds or its inventory item).
const LINE_CONFLICT = `ON CONFLICT ("shop", "lineItemId") DO UPDATE SET "sku" = excluded."sku", "quantity" = excluded."quantity"`;

/**
 * orders/create and orders/updated: the order row and its lines, in raw SQL (this was a read, a
 * create or update, and one upsert per line, each a Prisma call; the worker is CPU-bound in them).
 *
 * The order is one INSERT ... ON CONFLICT DO UPDATE whose update only happens when the payload is
 * not older than what is stored (an older one is "stale" and changes nothing, lines included). It
 * returns the row's id when it inserted or updated: our new id means created, another id updated,
 * no row stale. Two deliveries of the same order at once meet in the unique key (shop,
 * shopifyOrderId) and the second updates the first's row. Lines are one multi-row upsert on
 * (shop, lineItemId).
 *
 * PostgreSQL: one statement, the lines being inserted from the order's RETURNING in a CTE, so
 * both are written or neither. SQLite has no writing CTE: the order, then the lines, one statement
 * each, not in a transaction (neither were the Prisma calls before; `db` may be a transaction
 * client, which has no $transaction). A crash between them is harmless: it leaves the order at the
 * payload's updated_at without its new lines, and the webhook job's retry is then neither stale
 * (same updated_at) nor an unchanged update (order-updates.server.ts needs every line stored as
 * listed), so it writes the order and the lines again (both writes are idempotent).
 */
export async function upsertOrderFromWebhook(
  shop: string,
  payload: ShopifyOrderPayload,
  db: Database = defaultDb,
): Promise<OrderUpsertResult> {
  const dialect = dialectOf(db);
  const shopifyOrderId = payload.admin_graphql_api_id ?? gid("Order", payload.id);
  const updatedAt = payload.updated_at ? new Date(payload.updated_at) : null;
  const fields = storedOrderFields(payload);
  // One row per line item (the last one listed wins, as it did with one upsert after another; a
  // single upsert may not touch a row twice on PostgreSQL).
  const lines = new Map<string, { sku: string | null; quantity: number }>();
  for (const line of payload.line_items ?? []) {
    lines.set(line.admin_graphql_api_id ?? gid("LineItem", line.id), { sku: line.sku ?? null, quantity: line.quantity });
  }
  const id = randomUUID();
  const now = new Date();

  const sql = new SqlParams(dialect);
  const row = [
    sql.add(id),
    sql.add(shop),
    sql.add(shopifyOrderId),
    sql.add(fields.name),
    sql.add(fields.customerId),
    sql.add(fields.customerEmail),
    sql.add(fields.customerName),
    sql.add(fields.shippingAddress),
    sql.add(fields.shippingCountry),
    sql.add(fields.shippingProvince),
    sql.add(fields.status),
    sql.time(updatedAt),
    sql.time(fields.cancelledAt),
    sql.time(now),
    sql.time(now),
  ];
  const upsertOrder =
    `INSERT INTO "Order" (${ORDER_COLUMNS.map((column) => `"${column}"`).join(", ")}) VALUES (${row.join(", ")}) ` +
    `ON CONFLICT ("shop", "shopifyOrderId") DO UPDATE SET ${ORDER_UPDATED_COLUMNS.map((column) => `"${column}" = excluded."${column}"`).join(", ")} ` +
    `WHERE "Order"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" IS NULL OR "Order"."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt" ` +
    `RETURNING "id"`;
  const lineValues = (params: SqlParams, orderId?: string) =>
    [...lines].map(
      ([lineItemId, line]) =>
        `(${params.add(randomUUID())}, ${params.add(shop)}, ${orderId === undefined ? "" : `${params.add(orderId)}, `}` +
        `${params.add(lineItemId)}, ${params.add(line.sku)}, ${params.int(line.quantity)}, 0)`,
    );

  let order: { id: string } | undefined;
  if (dialect === "postgresql" && lines.size > 0) {
    // The VALUES columns are column1 (id), column2 (shop), column3 (lineItemId), column4 (sku), column5 (quantity), column6 (0).
    [order] = await queryRows<{ id: string }[]>(
      db,
      `WITH "o" AS (${upsertOrder}), "l" AS (INSERT INTO "OrderLine" (${LINE_COLUMNS}) ` +
        `SELECT "v"."column1", "v"."column2", "o"."id", "v"."column3", "v"."column4", "v"."column5", "v"."column6" ` +
        `FROM (VALUES ${lineValues(sql).join(", ")}) AS "v" CROSS JOIN "o" ${LINE_CONFLICT}) ` +
        `SELECT "id" FROM "o"`,
      ...sql.values,
    );
  } else {
    [order] = await queryRows<{ id: string }[]>(db, upsertOrder, ...sql.values);
    if (order && lines.size > 0) {
      const lineSql = new SqlParams(dialect);
      const values = lineValues(lineSql, String(order.id));
      await executeStatement(db, `INSERT INTO "OrderLine" (${LINE_COLUMNS}) VALUES ${values.join(", ")} ${LINE_CONFLICT}`, ...lineSql.values);
    }
  }
  if (!order) return "stale";
  return String(order.id) === id ? "created" : "updated";
}

/** refunds/create: remember refunded units per line (restocking is decided by the stock engine). */
export async function applyRefund(shop: string, payload: ShopifyRefundPayload, db: Database = defaultDb) {
  const scoped = forShop(shop, db);
  let applied = 0;
  for (const refundLine of payload.refund_line_items ?? []) {
    const lineItemId = gid("LineItem", refundLine.line_item_id);
    const result = await scoped.orderLine.updateMany({
      where: { lineItemId },
      data: { refundedQuantity: { increment: refundLine.quantity } },
    });
    applied += result.count;
  }
  return applied;
}
