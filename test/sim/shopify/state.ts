import { LeakyBucket, type PlanName } from "./bucket";
import type { SimClock } from "./clock";

/** Quantity names of an inventory level (shopify.dev inventory states). */
export const QUANTITY_NAMES = [
  "available",
  "on_hand",
  "committed",
  "reserved",
  "incoming",
  "damaged",
  "safety_stock",
  "quality_control",
] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
export type StoredQuantityName = Exclude<QuantityName, "on_hand">;
/** on_hand = available + committed + reserved + damaged + safety_stock + quality_control (incoming is not on hand). */
export const ON_HAND_COMPONENTS: StoredQuantityName[] = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control"];

export const ADJUSTMENT_REASONS = [
  "correction",
  "cycle_count_available",
  "damaged",
  "movement_canceled",
  "movement_created",
  "movement_received",
  "movement_updated",
  "other",
  "promotion",
  "quality_control",
  "received",
  "reservation_created",
  "reservation_deleted",
  "reservation_updated",
  "restock",
  "safety_stock",
  "shrinkage",
] as const;

export interface Address {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  country?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface LocationRec {
  id: number;
  name: string;
  address: Address;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  /** Lower ships first: Shopify's default order routing walks the merchant's location priority list. */
  priority: number;
  fulfillmentServiceId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProductRec {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags: string[];
  variantIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface VariantRec {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  inventoryItemId: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  position: number;
  grams: number;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryItemRec {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  unitCost: { amount: string; currencyCode: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface LevelRec {
  id: number;
  inventoryItemId: number;
  locationId: number;
  q: Record<StoredQuantityName, number>;
  updatedAtByName: Partial<Record<QuantityName, string>>;
  createdAt: string;
  updatedAt: string;
}

export interface LineItemRec {
  id: number;
  variantId: number;
  productId: number;
  inventoryItemId: number;
  sku: string | null;
  title: string;
  variantTitle: string;
  vendor: string;
  quantity: number;
  price: string;
  grams: number;
  requiresShipping: boolean;
  fulfillableQuantity: number;
}

export interface CustomerRec {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
}

export interface OrderRec {
  id: number;
  number: number;
  name: string;
  email: string;
  currency: string;
  lineItems: LineItemRec[];
  shippingAddress: Address;
  customer: CustomerRec;
  financialStatus: "paid" | "pending" | "refunded" | "voided";
  fulfillmentStatus: null | "partial" | "fulfilled";
  tags: string[];
  note: string | null;
  test: boolean;
  fulfillmentOrderIds: number[];
  fulfillmentIds: number[];
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
}

export type FulfillmentOrderStatus = "CANCELLED" | "CLOSED" | "INCOMPLETE" | "IN_PROGRESS" | "ON_HOLD" | "OPEN" | "SCHEDULED";
export type FulfillmentOrderRequestStatus =
  | "ACCEPTED"
  | "CANCELLATION_ACCEPTED"
  | "CANCELLATION_REJECTED"
  | "CANCELLATION_REQUESTED"
  | "CLOSED"
  | "REJECTED"
  | "SUBMITTED"
  | "UNSUBMITTED";

export interface FulfillmentOrderLineItemRec {
  id: number;
  lineItemId: number;
  inventoryItemId: number;
  variantId: number;
  sku: string | null;
  productTitle: string;
  variantTitle: string;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface MerchantRequestRec {
  id: number;
  kind: "FULFILLMENT_REQUEST" | "CANCELLATION_REQUEST";
  message: string | null;
  requestOptions: Record<string, unknown>;
  responseData: Record<string, unknown> | null;
  sentAt: string;
}

export interface FulfillmentOrderRec {
  id: number;
  orderId: number;
  assignedLocationId: number;
  status: FulfillmentOrderStatus;
  requestStatus: FulfillmentOrderRequestStatus;
  lineItems: FulfillmentOrderLineItemRec[];
  merchantRequests: MerchantRequestRec[];
  fulfillmentIds: number[];
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

/** FulfillmentEventStatus (Admin GraphQL enum); the REST resource and webhooks use the lowercase form. */
export const FULFILLMENT_EVENT_STATUSES = [
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "OUT_FOR_DELIVERY",
  "PICKED_UP",
  "READY_FOR_PICKUP",
] as const;
export type FulfillmentEventStatus = (typeof FULFILLMENT_EVENT_STATUSES)[number];

/** A tracking event of a fulfillment (FulfillmentEvent), added by the app or by the carrier. */
export interface FulfillmentEventRec {
  id: number;
  fulfillmentId: number;
  orderId: number;
  status: FulfillmentEventStatus;
  happenedAt: string;
  estimatedDeliveryAt: string | null;
  message: string | null;
  address1: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FulfillmentRec {
  id: number;
  orderId: number;
  name: string;
  locationId: number;
  status: "SUCCESS" | "CANCELLED";
  trackingInfo: TrackingInfo[];
  notifyCustomer: boolean;
  lineItems: { id: number; lineItemId: number; fulfillmentOrderLineItemId: number; quantity: number }[];
  fulfillmentOrderIds: number[];
  /** Tracking events in creation order (also indexed by id in ShopState.fulfillmentEvents). */
  events: FulfillmentEventRec[];
  createdAt: string;
  updatedAt: string;
}

export interface TrackingSummary {
  /** The event with the latest happenedAt (the later-created one on a tie). */
  latest: FulfillmentEventRec | null;
  deliveredAt: string | null;
  inTransitAt: string | null;
  estimatedDeliveryAt: string | null;
}

/** Orders events by happenedAt, then by id (creation order). */
export function byHappenedAt(a: FulfillmentEventRec, b: FulfillmentEventRec): number {
  return Date.parse(a.happenedAt) - Date.parse(b.happenedAt) || a.id - b.id;
}

/**
 * What a fulfillment's events say about the shipment: the latest event gives the shipment status,
 * deliveredAt is when the (latest) DELIVERED event happened, inTransitAt when the first IN_TRANSIT
 * event happened, estimatedDeliveryAt the estimate of the latest event that carries one.
 */
export function trackingSummary(f: FulfillmentRec): TrackingSummary {
  const sorted = [...f.events].sort(byHappenedAt);
  const delivered = sorted.filter((e) => e.status === "DELIVERED");
  const withEstimate = sorted.filter((e) => e.estimatedDeliveryAt !== null);
  return {
    latest: sorted[sorted.length - 1] ?? null,
    deliveredAt: delivered[delivered.length - 1]?.happenedAt ?? null,
    inTransitAt: sorted.find((e) => e.status === "IN_TRANSIT")?.happenedAt ?? null,
    estimatedDeliveryAt: withEstimate[withEstimate.length - 1]?.estimatedDeliveryAt ?? null,
  };
}

/** REST `shipment_status` of a fulfillment: the latest event's status in lowercase, or null. */
export function shipmentStatus(f: FulfillmentRec): string | null {
  return trackingSummary(f).latest?.status.toLowerCase() ?? null;
}

export interface FulfillmentServiceRec {
  id: number;
  name: string;
  handle: string;
  callbackUrl: string | null;
  inventoryManagement: boolean;
  trackingSupport: boolean;
  permitsSkuSharing: boolean;
  requiresShippingMethod: boolean;
  fulfillmentOrdersOptIn: boolean;
  locationId: number;
}

export interface WebhookSubscriptionRec {
  id: number;
  topic: string;
  uri: string;
  format: "JSON" | "XML";
  includeFields: string[];
  filter: string | null;
  apiVersion: string;
  createdAt: string;
  updatedAt: string;
}

export interface MetafieldRec {
  id: number;
  ownerGid: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface BulkOperationRec {
  id: number;
  query: string;
  type: "QUERY" | "MUTATION";
  status: "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  jsonl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface InventoryChangeRec {
  inventoryItemId: number;
  locationId: number;
  name: QuantityName;
  delta: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
}

export interface AdjustmentGroupRec {
  id: number;
  reason: string;
  referenceDocumentUri: string | null;
  changes: InventoryChangeRec[];
  createdAt: string;
}

export interface IdempotencyRec {
  key: string;
  mutation: string;
  fingerprint: string;
  payload: unknown;
  failed: boolean;
  createdAt: number;
}

export interface OversellEvent {
  at: string;
  inventoryItemId: number;
  locationId: number;
  sku: string | null;
  available: number;
  committed: number;
  onHand: number;
  cause: string;
}

export interface ShopCounters {
  ordersPlaced: number;
  checkoutsRejected: number;
  ordersCancelled: number;
  oversells: OversellEvent[];
}

export interface ShopState {
  id: number;
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  plan: PlanName;
  /** Send fulfillment requests to fulfillment-service locations as soon as an order is routed there. */
  autoRequestFulfillment: boolean;
  createdAt: string;
  bucket: LeakyBucket;
  locations: Map<number, LocationRec>;
  products: Map<number, ProductRec>;
  variants: Map<number, VariantRec>;
  inventoryItems: Map<number, InventoryItemRec>;
  levels: Map<string, LevelRec>;
  orders: Map<number, OrderRec>;
  fulfillmentOrders: Map<number, FulfillmentOrderRec>;
  fulfillments: Map<number, FulfillmentRec>;
  fulfillmentEvents: Map<number, FulfillmentEventRec>;
  fulfillmentServices: Map<number, FulfillmentServiceRec>;
  webhookSubscriptions: Map<number, WebhookSubscriptionRec>;
  metafields: Map<number, MetafieldRec>;
  bulkOperations: Map<number, BulkOperationRec>;
  adjustmentGroups: Map<number, AdjustmentGroupRec>;
  idempotency: Map<string, IdempotencyRec>;
  nextOrderNumber: number;
  counters: ShopCounters;
}

export function levelKey(inventoryItemId: number, locationId: number): string {
  return `${inventoryItemId}:${locationId}`;
}

export function onHand(level: LevelRec): number {
  return ON_HAND_COMPONENTS.reduce((sum, name) => sum + level.q[name], 0);
}

export function quantityOf(level: LevelRec, name: QuantityName): number {
  return name === "on_hand" ? onHand(level) : level.q[name];
}

export function emptyQuantities(): Record<StoredQuantityName, number> {
  return { available: 0, committed: 0, reserved: 0, incoming: 0, damaged: 0, safety_stock: 0, quality_control: 0 };
}

/** One id sequence for every resource, like Shopify's globally unique numeric ids. */
export class IdSequence {
  constructor(private next = 1_000_001) {}
  take(): number {
    return this.next++;
  }
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function createShopState(ids: IdSequence, clock: SimClock, domain: string, opts: { name?: string; plan?: PlanName; email?: string; currencyCode?: string; autoRequestFulfillment?: boolean }): ShopState {
  const now = clock.iso();
  return {
    id: ids.take(),
    domain,
    name: opts.name ?? domain.replace(/\.myshopify\.com$/, ""),
    email: opts.email ?? `owner@${domain}`,
    currencyCode: opts.currencyCode ?? "USD",
    plan: opts.plan ?? "standard",
    autoRequestFulfillment: opts.autoRequestFulfillment ?? true,
    createdAt: now,
    bucket: LeakyBucket.forPlan(opts.plan ?? "standard", () => clock.now()),
    locations: new Map(),
    products: new Map(),
    variants: new Map(),
    inventoryItems: new Map(),
    levels: new Map(),
    orders: new Map(),
    fulfillmentOrders: new Map(),
    fulfillments: new Map(),
    fulfillmentEvents: new Map(),
    fulfillmentServices: new Map(),
    webhookSubscriptions: new Map(),
    metafields: new Map(),
    bulkOperations: new Map(),
    adjustmentGroups: new Map(),
    idempotency: new Map(),
    nextOrderNumber: 1001,
    counters: { ordersPlaced: 0, checkoutsRejected: 0, ordersCancelled: 0, oversells: [] },
  };
}
