// One connector interface, many warehouse adapters (the generic TallySync protocol first; ShipBob,
// ShipHero, Extensiv, Goodcang and 4PX later). Kept small: stock reads for the sync engine, signed
// webhooks, outbound orders for routing, adjustments for counts. Quantities follow the generic
// protocol's buckets; each adapter maps its vendor's semantics onto them.

export type WarehouseProvider = "generic" | "shipbob" | "shiphero" | "extensiv" | "goodcang" | "fourpx";

export interface WarehouseInfo {
  code: string;
  name: string;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Stock of one SKU in one warehouse, as absolute quantities. */
export interface WarehouseStockLevel {
  sku: string;
  warehouseCode: string;
  /** Good units that can be allocated to a new order now. */
  sellable: number;
  /** Units allocated to orders the warehouse has acknowledged and not shipped. */
  reserved: number;
  damaged: number;
  /** Orders levels of one SKU and warehouse: a level with a lower sequence than one applied is stale. */
  sequence: number;
  updatedAt: Date;
  barcode?: string | null;
}

export interface StockPage {
  levels: WarehouseStockLevel[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** Where to start reading changes after a full read (given on the first page). */
  changesCursor: string | null;
}

export interface StockChanges {
  levels: WarehouseStockLevel[];
  nextCursor: string;
  hasMore: boolean;
}

export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  warehouses: WarehouseInfo[];
  /** In words a merchant can act on ("The API key was refused: check it in ..."). */
  error?: string;
}

export type WarehouseEventTopic =
  | "inventory.changed"
  | "shipment.created"
  | "shipment.updated"
  | "shipment.delivered"
  | "order.acknowledged"
  | "order.cancelled"
  | "order.exception"
  | "return.received";

export interface WarehouseEvent {
  /** Unique per event: duplicates carry the same id. */
  id: string;
  topic: WarehouseEventTopic;
  occurredAt: Date;
  data: unknown;
}

/** A refused webhook: `malformed` when the signature was good but the body is not an event (400, not 401). */
export type WebhookVerification = { ok: true; event: WarehouseEvent } | { ok: false; reason: string; malformed?: boolean };

export interface OutboundOrderLine {
  sku: string;
  quantity: number;
  /** Our id for the line (the Shopify fulfillment order line item): shipments name it back. */
  externalLineReference?: string | null;
  /** Units of the line shipped so far (in the warehouse's answers). */
  shippedQuantity?: number;
}

export interface OutboundOrderRequest {
  /** The Shopify fulfillment order id: creating twice with one reference returns the first order. */
  externalReference: string;
  warehouseCode: string;
  /** The Shopify order name, for the packing slip ("#1042"). */
  orderNumber?: string | null;
  lines: OutboundOrderLine[];
  shipTo: {
    name: string;
    address1: string;
    address2?: string | null;
    city: string;
    provinceCode?: string | null;
    postalCode?: string | null;
    countryCode: string;
    phone?: string | null;
    email?: string | null;
  };
}

export type OutboundOrderStatus = "received" | "acknowledged" | "picking" | "partially_shipped" | "shipped" | "cancelled" | "exception";

export interface OutboundOrder {
  id: string;
  externalReference: string;
  warehouseCode: string;
  status: OutboundOrderStatus;
  lines: OutboundOrderLine[];
  /** Why the order is in exception, or why the warehouse cancelled it. */
  exception?: { code: string; message: string } | null;
  /** True when this call created it, false when it already existed. */
  created: boolean;
}

/** An outbound order as the warehouse holds it now. */
export type OutboundOrderState = Omit<OutboundOrder, "created">;

export interface WarehouseShipmentLine {
  sku: string;
  quantity: number;
  externalLineReference: string | null;
}

/** Units of an outbound order that left the warehouse, with their tracking. */
export interface WarehouseShipment {
  id: string;
  /** A shipment whose tracking changes comes again with a higher sequence. */
  sequence: number;
  orderId: string;
  externalReference: string;
  warehouseCode: string;
  carrier: string;
  service: string | null;
  trackingNumber: string;
  trackingUrl: string | null;
  lines: WarehouseShipmentLine[];
  shippedAt: Date;
  updatedAt: Date;
  /** When the carrier delivered it; null until the warehouse hears of it. */
  deliveredAt: Date | null;
}

export interface WarehouseReturnLine {
  sku: string;
  quantity: number;
  /** Units put back into sellable stock. */
  sellable: number;
  /** Units put into damaged stock. */
  damaged: number;
}

/** A return the warehouse received. */
export interface WarehouseReturn {
  id: string;
  sequence: number;
  rma: string | null;
  orderId: string | null;
  externalReference: string | null;
  warehouseCode: string;
  lines: WarehouseReturnLine[];
  receivedAt: Date;
}

/** One page of a warehouse feed (shipments, returns), oldest first. */
export interface FeedPage<T> {
  items: T[];
  nextCursor: string;
  hasMore: boolean;
}

/** What a verified event says about orders (none for stock events). */
export type WarehouseOrderEvent =
  | { kind: "shipment"; topic: "shipment.created" | "shipment.updated" | "shipment.delivered"; shipment: WarehouseShipment }
  | { kind: "order"; topic: "order.acknowledged" | "order.cancelled" | "order.exception"; order: OutboundOrderState }
  | { kind: "return"; topic: "return.received"; received: WarehouseReturn };

export interface StockAdjustment {
  warehouseCode: string;
  sku: string;
  delta: number;
  reason: "cycle_count" | "found" | "lost" | "correction" | "other";
}

export interface WarehouseCapabilities {
  /** The warehouse pushes signed webhooks; otherwise stock is polled. */
  webhooks: boolean;
  /** Stock can be adjusted through the API (count postings). */
  stockAdjustments: boolean;
}

export interface WarehouseConnector {
  readonly provider: WarehouseProvider;
  readonly capabilities: WarehouseCapabilities;
  testConnection(): Promise<ConnectionTestResult>;
  listWarehouses(): Promise<WarehouseInfo[]>;
  /** One page of the full stock read; start without a cursor. */
  readStock(cursor?: string | null): Promise<StockPage>;
  /** Changes since a cursor; throws CursorExpiredError when a full read is needed. */
  readStockChanges(since: string): Promise<StockChanges>;
  /** Checks a webhook's signature (and replay window) before anything is stored. */
  verifyWebhook(headers: Headers, rawBody: string, now?: Date): WebhookVerification;
  /** The stock levels a verified event carries (none for events that are not about stock). */
  eventStockLevels(event: WarehouseEvent): WarehouseStockLevel[];
  createOutboundOrder(request: OutboundOrderRequest): Promise<OutboundOrder>;
  cancelOutboundOrder(externalReference: string): Promise<{ cancelled: boolean; reason?: "already_shipped" | "not_found" }>;
  /** The order created for this reference, or null when the warehouse has none. */
  findOutboundOrder(externalReference: string): Promise<OutboundOrderState | null>;
  /** Current levels of some SKUs in one warehouse (read after an order changes them). */
  readStockLevels(warehouseCode: string, skus: string[]): Promise<WarehouseStockLevel[]>;
  /** Shipments created or updated after a cursor (from the oldest kept without one); a stale cursor throws CursorExpiredError. */
  readShipments(since: string | null): Promise<FeedPage<WarehouseShipment>>;
  /** Returns received after a cursor (from the oldest kept without one); a stale cursor throws CursorExpiredError. */
  readReturns(since: string | null): Promise<FeedPage<WarehouseReturn>>;
  /** The order, shipment or return a verified event carries (null for stock events). */
  orderEvent(event: WarehouseEvent): WarehouseOrderEvent | null;
  /** Idempotent by reference: posting the same reference twice adjusts once. */
  adjustStock(reference: string, adjustments: StockAdjustment[]): Promise<void>;
}

/** A full read is needed: the change cursor is too old or unknown. */
export class CursorExpiredError extends Error {
  constructor(message = "The warehouse no longer has changes that old; a full stock read is needed.") {
    super(message);
    this.name = "CursorExpiredError";
  }
}

/** A warehouse call failed in a way a merchant should hear about, in their words. */
export class WarehouseApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "WarehouseApiError";
  }
}

/** Where the connector reports each call, for the health dashboard (latency, outcome, waits). */
export interface ApiCallRecorder {
  record(call: { operation: string; outcome: "ok" | "error" | "throttled"; latencyMs: number; throttleWaitMs?: number }): void;
}
