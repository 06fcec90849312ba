// GDPR/CCPA compliance topics. What we hold about a buyer is on Order rows only (name, email,
// shipping address); counts, stock and metrics hold no personal data.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";

export interface CustomerReference {
  customerId?: string | null;
  email?: string | null;
  orderIds: string[];
}

function customerOrdersWhere(ref: CustomerReference) {
  const or: Record<string, unknown>[] = [];
  if (ref.customerId) or.push({ customerId: ref.customerId });
  if (ref.email) or.push({ customerEmail: ref.email });
  if (ref.orderIds.length) or.push({ shopifyOrderId: { in: ref.orderIds } });
  return or.length ? { OR: or } : null;
}

/** customers/redact: erase the buyer's personal data from our order copies. */
export async function redactCustomer(shop: string, ref: CustomerReference, db: Database = defaultDb) {
  const where = customerOrdersWhere(ref);
  if (!where) return 0;
  const result = await forShop(shop, db).order.updateMany({
    where,
    data: { customerId: null, customerEmail: null, customerName: null, shippingAddress: null },
  });
  return result.count;
}

/** customers/data_request: record what we hold so the merchant can hand it to the buyer. */
export async function recordCustomerDataRequest(shop: string, ref: CustomerReference, db: Database = defaultDb) {
  const scoped = forShop(shop, db);
  const where = customerOrdersWhere(ref);
  const orders = where
    ? await scoped.order.findMany({
        where,
        select: { shopifyOrderId: true, name: true, customerEmail: true, customerName: true, shippingAddress: true, createdAt: true },
      })
    : [];
  return scoped.complianceRequest.create({
    data: {
      shop,
      topic: "customers/data_request",
      customerId: ref.customerId ?? null,
      customerEmail: ref.email ?? null,
      report: JSON.stringify({ orders }),
    },
  });
}
