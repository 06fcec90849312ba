// Wire types of the generic TallySync warehouse protocol (docs/warehouse-protocol.openapi.yaml).
// Field names are snake_case because they are what travels on the wire.

export const ERROR_CODES = [
  "unauthorized",
  "not_found",
  "method_not_allowed",
  "invalid_json",
  "validation_error",
  "payload_too_large",
  "unknown_warehouse",
  "unknown_sku",
  "insufficient_stock",
  "external_reference_conflict",
  "idempotency_key_reused",
  "adjustment_reference_conflict",
  "already_shipped",
  "invalid_state",
  "cursor_expired",
  "rate_limited",
  "internal_error",
  "service_unavailable",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string;
    details?: unknown;
    request_id: string;
  };
}

export const WEBHOOK_TOPICS = [
  "inventory.changed",
  "shipment.created",
  "shipment.updated",
  "shipment.delivered",
  "order.acknowledged",
  "order.cancelled",
  "order.exception",
  "return.received",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const ORDER_STATUSES = [
  "received",
  "acknowledged",
  "picking",
  "partially_shipped",
  "shipped",
  "cancelled",
  "exception",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const MOVEMENT_TYPES = [
  "receipt",
  "reservation",
  "release",
  "shipment",
  "adjustment",
  "damage",
  "return",
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** A stock bucket; `null` in a movement means "outside the warehouse". */
export type StockBucket = "sellable" | "reserved" | "damaged";

export const ADJUSTMENT_REASONS = ["cycle_count", "damaged", "found", "lost", "correction", "other"] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export interface Address {
  name: string;
  company?: string | null;
  address1: string;
  address2?: string | null;
  city: string;
  province_code?: string | null;
  postal_code?: string | null;
  country_code: string;
  phone?: string | null;
  email?: string | null;
}

export interface Warehouse {
  code: string;
  name: string;
  country_code: string;
  address: Omit<Address, "name" | "company" | "phone" | "email">;
  latitude: number;
  longitude: number;
  timezone: string;
}

export interface InventoryLevel {
  sku: string;
  warehouse: string;
  sellable: number;
  reserved: number;
  damaged: number;
  on_hand: number;
  sequence: number;
  updated_at: string;
}

export interface InventoryPage {
  data: InventoryLevel[];
  next_cursor: string | null;
  changes_cursor: string;
}

export interface InventoryChange {
  sequence: number;
  sku: string;
  warehouse: string;
  movement_type: MovementType;
  delta: { sellable: number; reserved: number; damaged: number; on_hand: number };
  sellable: number;
  reserved: number;
  damaged: number;
  on_hand: number;
  occurred_at: string;
}

export interface Movement {
  id: string;
  sequence: number;
  type: MovementType;
  sku: string;
  warehouse: string;
  quantity: number;
  from: StockBucket | null;
  to: StockBucket | null;
  reason: string | null;
  reference: string | null;
  order_id: string | null;
  shipment_id: string | null;
  return_id: string | null;
  adjustment_id: string | null;
  occurred_at: string;
}

export interface Feed<T> {
  data: T[];
  next_cursor: string;
  has_more: boolean;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  shipped_quantity: number;
  external_line_reference: string | null;
}

export interface OutboundOrder {
  id: string;
  external_reference: string;
  order_number: string | null;
  warehouse: string;
  status: OrderStatus;
  shipping_method: string | null;
  ship_to: Address;
  lines: OrderLine[];
  exception: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  shipped_at: string | null;
  cancelled_at: string | null;
}

export interface Shipment {
  id: string;
  sequence: number;
  order_id: string;
  external_reference: string;
  warehouse: string;
  carrier: string;
  service: string | null;
  tracking_number: string;
  tracking_url: string;
  lines: { sku: string; quantity: number; external_line_reference: string | null }[];
  shipped_at: string;
  updated_at: string;
  /** When the carrier reported the parcel delivered; null until then. */
  delivered_at: string | null;
}

export interface ReturnLine {
  sku: string;
  quantity: number;
  sellable_quantity: number;
  damaged_quantity: number;
}

export interface WarehouseReturn {
  id: string;
  sequence: number;
  rma: string | null;
  order_id: string | null;
  external_reference: string | null;
  warehouse: string;
  lines: ReturnLine[];
  received_at: string;
}

export interface AdjustmentLine {
  sku: string;
  warehouse: string;
  delta: number;
  bucket: "sellable" | "damaged";
}

export interface Adjustment {
  id: string;
  reference: string;
  reason: AdjustmentReason;
  note: string | null;
  lines: AdjustmentLine[];
  created_at: string;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  topics: WebhookTopic[];
  created_at: string;
  /** Only present in the response that created the subscription. */
  secret?: string;
}

export interface WebhookEvent<T = unknown> {
  id: string;
  topic: WebhookTopic;
  occurred_at: string;
  data: T;
}
