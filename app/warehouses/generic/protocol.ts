// The generic protocol's JSON, read defensively (docs/warehouse-protocol.openapi.yaml). Any WMS
// team can implement the protocol, so a reply is checked field by field and a wrong one is named
// precisely instead of turning into NaN stock further down.
import type {
  OutboundOrder,
  OutboundOrderStatus,
  StockChanges,
  StockPage,
  WarehouseEvent,
  WarehouseEventTopic,
  WarehouseInfo,
  WarehouseStockLevel,
} from "../connector";

export const WEBHOOK_TOPICS: readonly WarehouseEventTopic[] = [
  "inventory.changed",
  "shipment.created",
  "shipment.updated",
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

export function readOutboundOrder(body: unknown, path = "body"): Omit<OutboundOrder, "created"> {
  const order = object(body, path);
  return {
    id: string(order.id, `${path}.id`),
    externalReference: string(order.external_reference, `${path}.external_reference`),
    warehouseCode: string(order.warehouse, `${path}.warehouse`),
    status: oneOf(order.status, ORDER_STATUSES, `${path}.status`),
    lines: array(order.lines, `${path}.lines`).map((raw, i) => {
      const line = object(raw, `${path}.lines[${i}]`);
      return { sku: string(line.sku, `${path}.lines[${i}].sku`), quantity: integer(line.quantity, `${path}.lines[${i}].quantity`, 1) };
    }),
  };
}

export function readOutboundOrderList(body: unknown): Omit<OutboundOrder, "created">[] {
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
