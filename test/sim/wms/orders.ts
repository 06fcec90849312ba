import type { WarehouseAccount } from "./account";
import { ApiError, notFound } from "./errors";
import type { Address, OrderStatus, OutboundOrder, Shipment } from "./protocol";

export interface OrderInput {
  external_reference: string;
  order_number: string | null;
  warehouse: string;
  shipping_method: string | null;
  ship_to: Address;
  lines: { sku: string; quantity: number; external_line_reference: string | null }[];
}

export interface ShipInput {
  /** Lines to ship now; all unshipped units when omitted. */
  lines?: { sku: string; quantity: number }[];
  carrier?: string;
  service?: string | null;
  tracking_number?: string;
  tracking_url?: string;
}

interface OrderRecord {
  order: OutboundOrder;
  /** Units held in `reserved` for each line, by line index. */
  reserved: number[];
  contentKey: string;
}

const CARRIERS = {
  UPS: { prefix: "1Z", url: "https://www.ups.com/track?tracknum=" },
  USPS: { prefix: "94", url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=" },
  FedEx: { prefix: "77", url: "https://www.fedex.com/fedextrack/?trknbr=" },
  DHL: { prefix: "JD", url: "https://www.dhl.com/global-en/home/tracking.html?tracking-id=" },
} as const;
type Carrier = keyof typeof CARRIERS;

const CANCELLABLE: ReadonlySet<OrderStatus> = new Set(["received", "acknowledged", "picking", "exception"]);
const SHIPPABLE: ReadonlySet<OrderStatus> = new Set(["received", "acknowledged", "picking", "partially_shipped"]);

/** Outbound orders and their shipments for one account; the order lifecycle lives here. */
export class OutboundOrders {
  private readonly byId = new Map<string, OrderRecord>();
  private readonly idByReference = new Map<string, string>();
  private readonly idempotencyKeys = new Map<string, { fingerprint: string; orderId: string }>();
  readonly shipments: Shipment[] = [];

  constructor(private readonly account: WarehouseAccount) {}

  list(): OutboundOrder[] {
    return [...this.byId.values()].map((r) => r.order);
  }

  /** Finds by order id or by external reference (scenarios know only the reference). */
  find(idOrReference: string): OutboundOrder | null {
    const id = this.byId.has(idOrReference) ? idOrReference : this.idByReference.get(idOrReference);
    return id ? (this.byId.get(id)?.order ?? null) : null;
  }

  get(idOrReference: string): OutboundOrder {
    const order = this.find(idOrReference);
    if (!order) throw notFound(`Outbound order ${idOrReference}`);
    return order;
  }

  /**
   * Creates the order once per external reference. Everything here is synchronous, so two concurrent
   * POSTs with the same reference cannot both pass the existence check.
   */
  create(input: OrderInput, idempotencyKey: string, acknowledgeNow: boolean): { order: OutboundOrder; created: boolean } {
    const fingerprint = JSON.stringify(input);
    const keyed = this.idempotencyKeys.get(idempotencyKey);
    if (keyed) {
      if (keyed.fingerprint !== fingerprint) {
        throw new ApiError(422, "idempotency_key_reused", `Idempotency-Key ${idempotencyKey} was already used with a different request body`, {
          field: "Idempotency-Key",
          details: { order_id: keyed.orderId },
        });
      }
      return { order: this.get(keyed.orderId), created: false };
    }
    const contentKey = orderContentKey(input);
    const existingId = this.idByReference.get(input.external_reference);
    if (existingId) {
      const existing = this.byId.get(existingId);
      if (!existing) throw new Error(`order index out of sync for ${input.external_reference}`);
      if (existing.contentKey !== contentKey) {
        throw new ApiError(409, "external_reference_conflict", `An order with external_reference ${input.external_reference} already exists with different warehouse or lines`, {
          field: "external_reference",
          details: { order_id: existingId },
        });
      }
      this.idempotencyKeys.set(idempotencyKey, { fingerprint, orderId: existingId });
      return { order: existing.order, created: false };
    }

    this.account.requireWarehouse(input.warehouse);
    input.lines.forEach((line, i) => this.account.requireSku(line.sku, `lines[${i}].sku`));
    this.account.requireStock(input.warehouse, input.lines, "sellable");

    const now = this.account.ctx.now().toISOString();
    const order: OutboundOrder = {
      id: this.account.ctx.nextId("ob"),
      external_reference: input.external_reference,
      order_number: input.order_number,
      warehouse: input.warehouse,
      status: "received",
      shipping_method: input.shipping_method,
      ship_to: input.ship_to,
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, shipped_quantity: 0, external_line_reference: l.external_line_reference })),
      exception: null,
      created_at: now,
      updated_at: now,
      acknowledged_at: null,
      shipped_at: null,
      cancelled_at: null,
    };
    this.byId.set(order.id, { order, reserved: order.lines.map(() => 0), contentKey });
    this.idByReference.set(order.external_reference, order.id);
    this.idempotencyKeys.set(idempotencyKey, { fingerprint, orderId: order.id });
    if (acknowledgeNow) this.acknowledge(order.id);
    return { order, created: true };
  }

  /** The warehouse accepts the order and reserves its stock; without stock the order goes to exception. */
  acknowledge(idOrReference: string): OutboundOrder {
    const record = this.record(idOrReference);
    const { order } = record;
    if (order.status !== "received") throw invalidState(order, "acknowledge", ["received"]);
    try {
      this.account.requireStock(order.warehouse, order.lines, "sellable");
    } catch (error) {
      if (error instanceof ApiError && error.code === "insufficient_stock") {
        return this.raiseException(order.id, "insufficient_stock", error.message);
      }
      throw error;
    }
    order.lines.forEach((line, i) => {
      this.account.move({ type: "reservation", sku: line.sku, warehouse: order.warehouse, quantity: line.quantity, from: "sellable", to: "reserved", reference: order.external_reference, orderId: order.id });
      record.reserved[i] = line.quantity;
    });
    order.status = "acknowledged";
    order.acknowledged_at = this.touch(order);
    this.account.emit("order.acknowledged", order);
    return order;
  }

  pick(idOrReference: string): OutboundOrder {
    const order = this.get(idOrReference);
    if (order.status === "received") this.acknowledge(order.id);
    if (order.status !== "acknowledged") throw invalidState(order, "start picking", ["received", "acknowledged"]);
    order.status = "picking";
    this.touch(order);
    return order;
  }

  ship(idOrReference: string, input: ShipInput = {}): Shipment {
    const record = this.record(idOrReference);
    const { order } = record;
    if (!SHIPPABLE.has(order.status)) throw invalidState(order, "ship", [...SHIPPABLE]);
    if (order.status === "received") {
      this.acknowledge(order.id);
      // acknowledge() may have moved the order to exception for lack of stock.
      if ((order.status as OrderStatus) !== "acknowledged") throw invalidState(order, "ship", [...SHIPPABLE]);
    }
    const allocation = this.allocate(order, input.lines);
    const ctx = this.account.ctx;
    const carrier: Carrier = isCarrier(input.carrier) ? input.carrier : "UPS";
    const trackingNumber = input.tracking_number ?? `${CARRIERS[carrier].prefix}${ctx.randomToken(16).toUpperCase()}`;
    const now = ctx.now().toISOString();
    const shipment: Shipment = {
      id: ctx.nextId("sh"),
      sequence: this.account.nextSequence(),
      order_id: order.id,
      external_reference: order.external_reference,
      warehouse: order.warehouse,
      carrier: input.carrier ?? carrier,
      service: input.service ?? "Ground",
      tracking_number: trackingNumber,
      tracking_url: input.tracking_url ?? `${CARRIERS[carrier].url}${trackingNumber}`,
      lines: [],
      shipped_at: now,
      updated_at: now,
      delivered_at: null,
    };
    for (const { index, quantity } of allocation) {
      const line = order.lines[index];
      if (!line) continue;
      this.account.move({ type: "shipment", sku: line.sku, warehouse: order.warehouse, quantity, from: "reserved", to: null, reference: order.external_reference, orderId: order.id, shipmentId: shipment.id });
      record.reserved[index] = (record.reserved[index] ?? 0) - quantity;
      line.shipped_quantity += quantity;
      shipment.lines.push({ sku: line.sku, quantity, external_line_reference: line.external_line_reference });
    }
    order.status = order.lines.every((l) => l.shipped_quantity === l.quantity) ? "shipped" : "partially_shipped";
    order.shipped_at = this.touch(order);
    this.shipments.push(shipment);
    this.account.emit("shipment.created", shipment);
    return shipment;
  }

  updateTracking(shipmentId: string, input: { carrier?: string; tracking_number?: string; tracking_url?: string }): Shipment {
    const shipment = this.shipments.find((s) => s.id === shipmentId);
    if (!shipment) throw notFound(`Shipment ${shipmentId}`);
    if (input.carrier) shipment.carrier = input.carrier;
    if (input.tracking_number) shipment.tracking_number = input.tracking_number;
    shipment.tracking_url = input.tracking_url ?? (isCarrier(shipment.carrier) ? `${CARRIERS[shipment.carrier].url}${shipment.tracking_number}` : shipment.tracking_url);
    shipment.sequence = this.account.nextSequence();
    shipment.updated_at = this.account.ctx.now().toISOString();
    this.account.emit("shipment.updated", shipment);
    return shipment;
  }

  /**
   * The carrier reported the parcel delivered: a new sequence, so the shipment shows up again in the
   * feed, and `shipment.delivered`. Delivering a delivered shipment changes nothing and sends nothing.
   */
  deliver(shipmentId: string, deliveredAt?: string): Shipment {
    const shipment = this.shipments.find((s) => s.id === shipmentId);
    if (!shipment) throw notFound(`Shipment ${shipmentId}`);
    const at = deliveredAt == null ? this.account.ctx.now() : dateTime(deliveredAt, "delivered_at");
    if (shipment.delivered_at !== null) return shipment;
    if (at.getTime() < Date.parse(shipment.shipped_at)) {
      throw new ApiError(400, "validation_error", `delivered_at ${at.toISOString()} is before shipment ${shipment.id} shipped (${shipment.shipped_at})`, { field: "delivered_at" });
    }
    shipment.delivered_at = at.toISOString();
    shipment.updated_at = shipment.delivered_at;
    shipment.sequence = this.account.nextSequence();
    this.account.emit("shipment.delivered", shipment);
    return shipment;
  }

  /** Cancelling twice is harmless; cancelling after any unit left the building is refused. */
  cancel(idOrReference: string, reason: string | null = null): OutboundOrder {
    const record = this.record(idOrReference);
    const { order } = record;
    if (order.status === "cancelled") return order;
    if (order.lines.some((l) => l.shipped_quantity > 0)) {
      throw new ApiError(409, "already_shipped", `Order ${order.id} has already shipped (status ${order.status}) and can no longer be cancelled`, {
        details: { order_id: order.id, status: order.status },
      });
    }
    if (!CANCELLABLE.has(order.status)) throw invalidState(order, "cancel", [...CANCELLABLE]);
    this.releaseReservations(record);
    order.status = "cancelled";
    order.exception = reason ? { code: "cancelled", message: reason } : order.exception;
    order.cancelled_at = this.touch(order);
    this.account.emit("order.cancelled", order);
    return order;
  }

  /** Stock stays reserved during an exception: the warehouse still holds the goods for this order. */
  raiseException(idOrReference: string, code: string, message: string): OutboundOrder {
    const order = this.get(idOrReference);
    if (order.status === "shipped" || order.status === "cancelled") throw invalidState(order, "raise an exception on", ["received", "acknowledged", "picking", "partially_shipped"]);
    order.status = "exception";
    order.exception = { code, message };
    this.touch(order);
    this.account.emit("order.exception", order);
    return order;
  }

  private allocate(order: OutboundOrder, requested: ShipInput["lines"]): { index: number; quantity: number }[] {
    const remaining = order.lines.map((l) => l.quantity - l.shipped_quantity);
    if (!requested) return remaining.map((quantity, index) => ({ index, quantity })).filter((a) => a.quantity > 0);
    const allocation: { index: number; quantity: number }[] = [];
    for (const want of requested) {
      let left = want.quantity;
      order.lines.forEach((line, index) => {
        const free = remaining[index] ?? 0;
        if (line.sku !== want.sku || left === 0 || free === 0) return;
        const take = Math.min(free, left);
        remaining[index] = free - take;
        left -= take;
        allocation.push({ index, quantity: take });
      });
      if (left > 0) throw new ApiError(422, "validation_error", `Cannot ship ${want.quantity} of ${want.sku}: only ${want.quantity - left} unshipped on order ${order.id}`, { field: "lines" });
    }
    if (allocation.length === 0) throw new ApiError(422, "validation_error", "A shipment needs at least one unit", { field: "lines" });
    return allocation;
  }

  private releaseReservations(record: OrderRecord): void {
    const { order } = record;
    record.reserved.forEach((quantity, index) => {
      const line = order.lines[index];
      if (!line || quantity <= 0) return;
      this.account.move({ type: "release", sku: line.sku, warehouse: order.warehouse, quantity, from: "reserved", to: "sellable", reference: order.external_reference, orderId: order.id });
      record.reserved[index] = 0;
    });
  }

  private record(idOrReference: string): OrderRecord {
    const order = this.get(idOrReference);
    const record = this.byId.get(order.id);
    if (!record) throw notFound(`Outbound order ${idOrReference}`);
    return record;
  }

  private touch(order: OutboundOrder): string {
    order.updated_at = this.account.ctx.now().toISOString();
    return order.updated_at;
  }
}

function orderContentKey(input: OrderInput): string {
  return JSON.stringify([input.warehouse, input.lines.map((l) => [l.sku, l.quantity])]);
}

function isCarrier(value: string | undefined): value is Carrier {
  return value !== undefined && Object.hasOwn(CARRIERS, value);
}

/** An RFC 3339 date-time from a scenario or control request (JSON, so not necessarily a string). */
function dateTime(value: unknown, field: string): Date {
  const date = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new ApiError(400, "validation_error", `${field} must be an ISO 8601 date-time such as 2026-11-02T09:16:00Z, got ${JSON.stringify(value)}`, { field });
  return date;
}

function invalidState(order: OutboundOrder, action: string, allowed: readonly OrderStatus[]): ApiError {
  return new ApiError(409, "invalid_state", `Cannot ${action} order ${order.id} in status ${order.status} (allowed: ${allowed.join(", ")})`, {
    details: { order_id: order.id, status: order.status },
  });
}
