// The parts of Shopify's webhook payloads (REST resource shapes) that TallySync reads.
export interface ShopifyAddress {
  name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country?: string | null;
  country_code?: string | null;
}

export interface ShopifyOrderPayload {
  id: number | string;
  admin_graphql_api_id?: string;
  name?: string;
  order_number?: number;
  email?: string | null;
  updated_at?: string;
  cancelled_at?: string | null;
  closed_at?: string | null;
  customer?: { id?: number | string; email?: string | null; first_name?: string | null; last_name?: string | null } | null;
  shipping_address?: ShopifyAddress | null;
  line_items?: Array<{
    id: number | string;
    admin_graphql_api_id?: string;
    variant_id?: number | string | null;
    sku?: string | null;
    quantity: number;
  }>;
}

export interface ShopifyRefundPayload {
  id: number | string;
  order_id: number | string;
  refund_line_items?: Array<{ line_item_id: number | string; quantity: number; restock_type?: string }>;
}

export interface ShopifyProductPayload {
  id: number | string;
  admin_graphql_api_id?: string;
  title?: string;
  variants?: Array<{
    id: number | string;
    admin_graphql_api_id?: string;
    title?: string;
    sku?: string | null;
    barcode?: string | null;
    inventory_item_id?: number | string | null;
  }>;
}

export interface ShopifyCustomerRedactPayload {
  shop_domain?: string;
  customer?: { id?: number | string; email?: string | null; phone?: string | null };
  orders_to_redact?: Array<number | string>;
}

export interface ShopifyDataRequestPayload extends ShopifyCustomerRedactPayload {
  orders_requested?: Array<number | string>;
  data_request?: { id?: number | string };
}

export interface ShopifyScopesUpdatePayload {
  previous?: string[];
  current?: string[];
}

/** fulfillment_events/create: Shopify's REST FulfillmentEvent (a carrier scan, or an app's event). */
export interface ShopifyFulfillmentEventPayload {
  id?: number;
  fulfillment_id?: number | string;
  order_id?: number | string;
  /** Lower case: confirmed, in_transit, out_for_delivery, attempted_delivery, delivered, failure, ... */
  status?: string;
  happened_at?: string | null;
  created_at?: string | null;
}
