// Our copy of Shopify orders, kept from the orders/* and refunds/create webhooks. Webhooks can
// arrive out of order, so an update older than what we hold is ignored (payload updated_at).
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
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

export async function upsertOrderFromWebhook(
  shop: string,
  payload: ShopifyOrderPayload,
  db: Database = defaultDb,
): Promise<OrderUpsertResult> {
  const scoped = forShop(shop, db);
  const shopifyOrderId = payload.admin_graphql_api_id ?? gid("Order", payload.id);
  const updatedAt = payload.updated_at ? new Date(payload.updated_at) : null;
  const existing = await scoped.order.findUnique({
    where: { shop_shopifyOrderId: { shop, shopifyOrderId } },
    select: { id: true, shopifyUpdatedAt: true },
  });
  if (existing?.shopifyUpdatedAt && updatedAt && updatedAt < existing.shopifyUpdatedAt) return "stale";

  const data = {
    ...storedOrderFields(payload),
    shopifyUpdatedAt: updatedAt,
  };
  const order = existing
    ? await scoped.order.update({ where: { id: existing.id }, data, select: { id: true } })
    : await scoped.order.create({ data: { shop, shopifyOrderId, ...data }, select: { id: true } });

  for (const line of payload.line_items ?? []) {
    const lineItemId = line.admin_graphql_api_id ?? gid("LineItem", line.id);
    await scoped.orderLine.upsert({
      where: { shop_lineItemId: { shop, lineItemId } },
      create: { shop, orderId: order.id, lineItemId, sku: line.sku ?? null, quantity: line.quantity },
      update: { sku: line.sku ?? null, quantity: line.quantity },
    });
  }
  return existing ? "updated" : "created";
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
