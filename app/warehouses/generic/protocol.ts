// The generic protocol's JSON, read defensively (docs/warehouse-protocol.openapi.yaml). Any WMS
// team can implement the protocol, so a reply is checked field by field and a wrong one is named
// precisely instead of turning into NaN stock further down.
import type {
  FeedPage,
  OutboundOrderState,
  OutboundOrderStatus,
  StockChanges,
  StockPage,
  WarehouseEvent,
  WarehouseEventTopic,
  WarehouseInfo,
  WarehouseOrderEvent,
  WarehouseReturn,
  WarehouseShipment,
  WarehouseStockLevel,
} from "../connector";

export const WEBHOOK_TOPICS: readonly WarehouseEventTopic[] = [
  "inventory.changed",
  "shipment.created",
  "shipment.updated",
  "shipment.delivered",
  "order.acknowledged",
  "order.cancelled",
  "order.exception",
  "return.received",
];

const ORDER_STATUSES: readonly OutboundOrderStatus[] = [
  "received",
  "acknowledged",
  "picking",
  "partially_shipped",
  "shipped",
  "cancelled",
  "exception",
];

/** A reply that does not match the protocol; `path` names the offending field ("data[3].sellable"). */
export class ProtocolShapeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path} should be ${expected}`);
    this.name = "ProtocolShapeError";
  }
}

type JsonObject = Record<string, unknown>;

function object(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ProtocolShapeError(path, "an object");
  return value as JsonObject;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolShapeError(path, "an array");
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string") throw new ProtocolShapeError(path, "a string");
  return value;
}

function nullableString(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : string(value, path);
}

function integer(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ProtocolShapeError(path, min === 0 ? "a whole number, 0 or more" : "a whole number");
  }
  return value;
}

function nullableNumber(value: unknown, path: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ProtocolShapeError(path, "a number");
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new ProtocolShapeError(path, "true or false");
  return value;
}

function timestamp(value: unknown, path: string): Date {
  const date = new Date(string(value, path));
  if (Number.isNaN(date.getTime())) throw new ProtocolShapeError(path, "an RFC 3339 timestamp");
  return date;
}

/** Absent or null reads as null (a field added to the protocol later, e.g. shipments' delivered_at). */
function optionalTimestamp(value: unknown, path: string): Date | null {
  return value == null ? null : timestamp(value, path);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new ProtocolShapeError(path, `one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function readWarehouses(body: unknown): WarehouseInfo[] {
  return array(object(body, "body").data, "data").map((raw, i) => {
    const path = `data[${i}]`;
    const warehouse = object(raw, path);
    return {
      code: string(warehouse.code, `${path}.code`),
      name: string(warehouse.name, `${path}.name`),
      countryCode: nullableString(warehouse.country_code, `${path}.country_code`),
      latitude: nullableNumber(warehouse.latitude, `${path}.latitude`),
      longitude: nullableNumber(warehouse.longitude, `${path}.longitude`),
    };
  });
}

/**
 * One stock row: an InventoryLevel (full read, webhook) or an InventoryChange (feed). Both carry
 * absolute quantities; a change dates them with `occurred_at` instead of `updated_at`.
 */
function readLevel(raw: unknown, path: string, dateField: "updated_at" | "occurred_at"): WarehouseStockLevel {
  const row = object(raw, path);
  return {
    sku: string(row.sku, `${path}.sku`),
    warehouseCode: string(row.warehouse, `${path}.warehouse`),
    sellable: integer(row.sellable, `${path}.sellable`, 0),
    reserved: integer(row.reserved, `${path}.reserved`, 0),
    damaged: integer(row.damaged, `${path}.damaged`, 0),
    sequence: integer(row.sequence, `${path}.sequence`, 0),
    updatedAt: timestamp(row[dateField], `${path}.${dateField}`),
  };
}

/** The stock row inside an `inventory.changed` event's `data`. */
export function readEventStockLevel(data: unknown): WarehouseStockLevel {
  return readLevel(data, "data", "updated_at");
}

export function readInventoryPage(body: unknown, isFirstPage: boolean): StockPage {
  const page = object(body, "body");
  const changesCursor = nullableString(page.changes_cursor, "changes_cursor");
  return {
    levels: array(page.data, "data").map((raw, i) => readLevel(raw, `data[${i}]`, "updated_at")),
    nextCursor: nullableString(page.next_cursor, "next_cursor"),
    // Only the first page's cursor covers every change made during the read (see the protocol).
    changesCursor: isFirstPage ? changesCursor : null,
  };
}

export function readInventoryChanges(body: unknown): StockChanges {
  const feed = object(body, "body");
  return {
    levels: array(feed.data, "data").map((raw, i) => readLevel(raw, `data[${i}]`, "occurred_at")),
    nextCursor: string(feed.next_cursor, "next_cursor"),
    hasMore: boolean(feed.has_more, "has_more"),
  };
}

function readException(value: unknown, path: string): { code: string; message: string } | null {
  if (value === null || value === undefined) return null;
  const exception = object(value, path);
  return { code: string(exception.code, `${path}.code`), message: string(exception.message, `${path}.message`) };
}

export function readOutboundOrder(body: unknown, path = "body"): OutboundOrderState {
  const order = object(body, path);
  return {
    id: string(order.id, `${path}.id`),
    externalReference: string(order.external_reference, `${path}.external_reference`),
    warehouseCode: string(order.warehouse, `${path}.warehouse`),
    status: oneOf(order.status, ORDER_STATUSES, `${path}.status`),
    lines: array(order.lines, `${path}.lines`).map((raw, i) => {
      const line = object(raw, `${path}.lines[${i}]`);
      return {
        sku: string(line.sku, `${path}.lines[${i}].sku`),
        quantity: integer(line.quantity, `${path}.lines[${i}].quantity`, 1),
        shippedQuantity: line.shipped_quantity === undefined ? 0 : integer(line.shipped_quantity, `${path}.lines[${i}].shipped_quantity`, 0),
        externalLineReference: nullableString(line.external_line_reference, `${path}.lines[${i}].external_line_reference`),
      };
    }),
    exception: readException(order.exception, `${path}.exception`),
  };
}

export function readShipment(body: unknown, path = "body"): WarehouseShipment {
  const shipment = object(body, path);
  return {
    id: string(shipment.id, `${path}.id`),
    sequence: integer(shipment.sequence, `${path}.sequence`, 0),
    orderId: string(shipment.order_id, `${path}.order_id`),
    externalReference: string(shipment.external_reference, `${path}.external_reference`),
    warehouseCode: string(shipment.warehouse, `${path}.warehouse`),
    carrier: string(shipment.carrier, `${path}.carrier`),
    service: nullableString(shipment.service, `${path}.service`),
    trackingNumber: string(shipment.tracking_number, `${path}.tracking_number`),
    trackingUrl: nullableString(shipment.tracking_url, `${path}.tracking_url`),
    lines: array(shipment.lines, `${path}.lines`).map((raw, i) => {
      const line = object(raw, `${path}.lines[${i}]`);
      return {
        sku: string(line.sku, `${path}.lines[${i}].sku`),
        quantity: integer(line.quantity, `${path}.lines[${i}].quantity`, 1),
        externalLineReference: nullableString(line.external_line_reference, `${path}.lines[${i}].external_line_reference`),
      };
    }),
    shippedAt: timestamp(shipment.shipped_at, `${path}.shipped_at`),
    updatedAt: timestamp(shipment.updated_at, `${path}.updated_at`),
    deliveredAt: optionalTimestamp(shipment.delivered_at, `${path}.delivered_at`),
  };
}

export function readReturn(body: unknown, path = "body"): WarehouseReturn {
  const received = object(body, path);
  return {
    id: string(received.id, `${path}.id`),
    sequence: integer(received.sequence, `${path}.sequence`, 0),
    rma: nullableString(received.rma, `${path}.rma`),
    orderId: nullableString(received.order_id, `${path}.order_id`),
    externalReference: nullableString(received.external_reference, `${path}.external_reference`),
    warehouseCode: string(received.warehouse, `${path}.warehouse`),
    lines: array(received.lines, `${path}.lines`).map((raw, i) => {
      const line = object(raw, `${path}.lines[${i}]`);
      return {
        sku: string(line.sku, `${path}.lines[${i}].sku`),
        quantity: integer(line.quantity, `${path}.lines[${i}].quantity`, 0),
        sellable: integer(line.sellable_quantity, `${path}.lines[${i}].sellable_quantity`, 0),
        damaged: integer(line.damaged_quantity, `${path}.lines[${i}].damaged_quantity`, 0),
      };
    }),
    receivedAt: timestamp(received.received_at, `${path}.received_at`),
  };
}

function readFeed<T>(body: unknown, item: (raw: unknown, path: string) => T): FeedPage<T> {
  const feed = object(body, "body");
  return {
    items: array(feed.data, "data").map((raw, i) => item(raw, `data[${i}]`)),
    nextCursor: string(feed.next_cursor, "next_cursor"),
    hasMore: boolean(feed.has_more, "has_more"),
  };
}

export function readShipmentFeed(body: unknown): FeedPage<WarehouseShipment> {
  return readFeed(body, readShipment);
}

export function readReturnFeed(body: unknown): FeedPage<WarehouseReturn> {
  return readFeed(body, readReturn);
}

/** The order, shipment or return inside a verified event (null for inventory events). */
export function readOrderEvent(event: WarehouseEvent): WarehouseOrderEvent | null {
  switch (event.topic) {
    case "shipment.created":
    case "shipment.updated":
    case "shipment.delivered":
      return { kind: "shipment", topic: event.topic, shipment: readShipment(event.data, "data") };
    case "order.acknowledged":
    case "order.cancelled":
    case "order.exception":
      return { kind: "order", topic: event.topic, order: readOutboundOrder(event.data, "data") };
    case "return.received":
      return { kind: "return", topic: event.topic, received: readReturn(event.data, "data") };
    default:
      return null;
  }
}

export function readOutboundOrderList(body: unknown): OutboundOrderState[] {
  return array(object(body, "body").data, "data").map((raw, i) => readOutboundOrder(raw, `data[${i}]`));
}

export interface WebhookSubscription {
  id: string;
  url: string;
  topics: WarehouseEventTopic[];
  /** Only in the answer that created the subscription. */
  secret: string | null;
}

function readSubscription(raw: unknown, path: string): WebhookSubscription {
  const subscription = object(raw, path);
  return {
    id: string(subscription.id, `${path}.id`),
    url: string(subscription.url, `${path}.url`),
    topics: array(subscription.topics, `${path}.topics`).map((topic, i) => oneOf(topic, WEBHOOK_TOPICS, `${path}.topics[${i}]`)),
    secret: nullableString(subscription.secret, `${path}.secret`),
  };
}

export function readWebhookSubscription(body: unknown): WebhookSubscription {
  return readSubscription(body, "body");
}

export function readWebhookSubscriptions(body: unknown): WebhookSubscription[] {
  return array(object(body, "body").data, "data").map((raw, i) => readSubscription(raw, `data[${i}]`));
}

export function readWebhookEvent(body: unknown): WarehouseEvent {
  const event = object(body, "body");
  return {
    id: string(event.id, "id"),
    topic: oneOf(event.topic, WEBHOOK_TOPICS, "topic"),
    occurredAt: timestamp(event.occurred_at, "occurred_at"),
    data: object(event.data, "data"),
  };
}

/** The protocol's error body, when the reply has one. */
export interface ProtocolError {
  code: string;
  message: string;
  field: string | null;
}

export function readProtocolError(body: unknown): ProtocolError | null {
  if (typeof body !== "object" || body === null) return null;
  const error = (body as JsonObject).error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, field } = error as JsonObject;
  if (typeof code !== "string" || typeof message !== "string") return null;
  return { code, message, field: typeof field === "string" ? field : null };
}
