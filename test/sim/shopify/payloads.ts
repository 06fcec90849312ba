import { gid } from "./gid";
import { shipmentStatus, type Address, type FulfillmentEventRec, type FulfillmentOrderRec, type FulfillmentRec, type LevelRec, type OrderRec, type ShopState } from "./state";

/** Webhook bodies follow the REST resource shapes of Shopify's documented examples (snake_case). */

function restAddress(a: Address): Record<string, unknown> {
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ");
  return {
    first_name: a.firstName ?? null,
    last_name: a.lastName ?? null,
    name: name || null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    province_code: a.provinceCode ?? null,
    country: a.country ?? null,
    country_code: a.countryCode ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
  };
}

function money(amount: string, currency: string) {
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

export function orderTotals(order: OrderRec): { subtotal: string; quantity: number } {
  const subtotal = order.lineItems.reduce((s, li) => s + Number(li.price) * li.quantity, 0);
  return { subtotal: subtotal.toFixed(2), quantity: order.lineItems.reduce((s, li) => s + li.quantity, 0) };
}

export function fulfillmentPayload(shop: ShopState, f: FulfillmentRec): Record<string, unknown> {
  const order = shop.orders.get(f.orderId);
  const first = f.trackingInfo[0];
  return {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    order_id: f.orderId,
    name: f.name,
    status: f.status.toLowerCase(),
    location_id: f.locationId,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    service: "manual",
    shipment_status: shipmentStatus(f),
    tracking_company: first?.company ?? null,
    tracking_number: first?.number ?? null,
    tracking_numbers: f.trackingInfo.map((t) => t.number).filter(Boolean),
    tracking_url: first?.url ?? null,
    tracking_urls: f.trackingInfo.map((t) => t.url).filter(Boolean),
    notify_customer: f.notifyCustomer,
    line_items: f.lineItems.map((fl) => {
      const li = order?.lineItems.find((l) => l.id === fl.lineItemId);
      return {
        id: fl.lineItemId,
        admin_graphql_api_id: gid("LineItem", fl.lineItemId),
        variant_id: li?.variantId ?? null,
        product_id: li?.productId ?? null,
        sku: li?.sku ?? null,
        title: li?.title ?? null,
        quantity: fl.quantity,
      };
    }),
  };
}

/** The REST FulfillmentEvent resource (fulfillment_events/create). */
export function fulfillmentEventPayload(shop: ShopState, e: FulfillmentEventRec): Record<string, unknown> {
  return {
    id: e.id,
    fulfillment_id: e.fulfillmentId,
    order_id: e.orderId,
    shop_id: shop.id,
    status: e.status.toLowerCase(),
    message: e.message,
    happened_at: e.happenedAt,
    estimated_delivery_at: e.estimatedDeliveryAt,
    city: e.city,
    province: e.province,
    country: e.country,
    zip: e.zip,
    address1: e.address1,
    latitude: e.latitude,
    longitude: e.longitude,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    admin_graphql_api_id: gid("FulfillmentEvent", e.id),
  };
}

export function orderPayload(shop: ShopState, order: OrderRec): Record<string, unknown> {
  const { subtotal } = orderTotals(order);
  const currency = order.currency;
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    number: order.number - 1000,
    order_number: order.number,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason,
    closed_at: order.closedAt,
    confirmed: true,
    currency,
    presentment_currency: currency,
    financial_status: order.financialStatus,
    fulfillment_status: order.fulfillmentStatus,
    test: order.test,
    tags: order.tags.join(", "),
    note: order.note,
    source_name: "web",
    subtotal_price: subtotal,
    total_price: subtotal,
    total_tax: "0.00",
    total_discounts: "0.00",
    total_weight: order.lineItems.reduce((s, li) => s + li.grams * li.quantity, 0),
    subtotal_price_set: money(subtotal, currency),
    total_price_set: money(subtotal, currency),
    line_items: order.lineItems.map((li) => ({
      id: li.id,
      admin_graphql_api_id: gid("LineItem", li.id),
      variant_id: li.variantId,
      product_id: li.productId,
      sku: li.sku,
      title: li.title,
      variant_title: li.variantTitle,
      name: li.variantTitle && li.variantTitle !== "Default Title" ? `${li.title} - ${li.variantTitle}` : li.title,
      vendor: li.vendor,
      quantity: li.quantity,
      current_quantity: order.cancelledAt ? 0 : li.quantity,
      fulfillable_quantity: li.fulfillableQuantity,
      fulfillment_service: "manual",
      fulfillment_status: li.fulfillableQuantity === 0 && !order.cancelledAt ? "fulfilled" : null,
      requires_shipping: li.requiresShipping,
      grams: li.grams,
      price: li.price,
      price_set: money(li.price, currency),
      total_discount: "0.00",
      taxable: true,
      gift_card: false,
      product_exists: true,
      properties: [],
      tax_lines: [],
      discount_allocations: [],
    })),
    shipping_address: restAddress(order.shippingAddress),
    billing_address: restAddress(order.shippingAddress),
    customer: {
      id: order.customer.id,
      admin_graphql_api_id: gid("Customer", order.customer.id),
      email: order.customer.email,
      first_name: order.customer.firstName,
      last_name: order.customer.lastName,
      created_at: order.createdAt,
      updated_at: order.updatedAt,
      state: "enabled",
      currency,
      default_address: { ...restAddress(order.shippingAddress), default: true, customer_id: order.customer.id },
    },
    fulfillments: order.fulfillmentIds.map((id) => shop.fulfillments.get(id)).filter((f): f is FulfillmentRec => Boolean(f)).map((f) => fulfillmentPayload(shop, f)),
    refunds: [],
    shipping_lines: [],
    discount_codes: [],
    note_attributes: [],
    payment_gateway_names: ["bogus"],
    order_status_url: `https://${shop.domain}/${shop.id}/orders/${order.id}/authenticate`,
  };
}

export function inventoryLevelPayload(level: LevelRec): Record<string, unknown> {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.q.available,
    updated_at: level.updatedAt,
    admin_graphql_api_id: gid("InventoryLevel", level.locationId, { inventory_item_id: level.inventoryItemId }),
  };
}

/** fulfillment_orders/order_routing_complete carries only the id and status. */
export function fulfillmentOrderRoutingPayload(fo: FulfillmentOrderRec): Record<string, unknown> {
  return { fulfillment_order: { id: gid("FulfillmentOrder", fo.id), status: fo.status.toLowerCase() } };
}
