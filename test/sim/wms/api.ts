import { type Subscription, type WarehouseAccount, compareKeys, inventoryKey } from "./account";
import { decodeCursor, decodeSequenceCursor, encodeCursor, type CursorFeed } from "./cursor";
import { ApiError, invalid, notFound } from "./errors";
import type { Route } from "./http";
import type { OrderInput } from "./orders";
import {
  ADJUSTMENT_REASONS,
  ORDER_STATUSES,
  WEBHOOK_TOPICS,
  type Address,
  type AdjustmentLine,
  type Feed,
  type InventoryPage,
  type OrderStatus,
  type WebhookSubscription,
  type WebhookTopic,
} from "./protocol";
import {
  type JsonObject,
  arrayAt,
  integerAt,
  objectAt,
  oneOfAt,
  optionalStringAt,
  queryInteger,
  stringAt,
} from "./validate";

export interface ApiContext {
  account: WarehouseAccount;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** True when new orders are acknowledged (stock reserved) inside the create request. */
  acknowledgeOnCreate(): boolean;
  onOrderCreated(account: WarehouseAccount, orderId: string): void;
  newWebhookSecret(): string;
}

/** The protocol's /v1 endpoints; the path strings are the OpenAPI path templates. */
export const apiRoutes: readonly Route<ApiContext>[] = [
  { method: "GET", path: "/v1/warehouses", handler: ({ account }) => ({ status: 200, body: { data: [...account.warehouses.values()] } }) },
  { method: "GET", path: "/v1/inventory", handler: listInventory },
  { method: "GET", path: "/v1/inventory/changes", handler: listChanges },
  { method: "GET", path: "/v1/inventory/movements", handler: listMovements },
  { method: "POST", path: "/v1/inventory/adjustments", handler: createAdjustment },
  { method: "GET", path: "/v1/outbound-orders", handler: listOrders },
  { method: "POST", path: "/v1/outbound-orders", handler: createOrder },
  { method: "GET", path: "/v1/outbound-orders/{id}", handler: ({ account }, { id = "" }) => ({ status: 200, body: orderById(account, id) }) },
  { method: "POST", path: "/v1/outbound-orders/{id}/cancel", handler: cancelOrder },
  { method: "GET", path: "/v1/shipments", handler: listShipments },
  { method: "GET", path: "/v1/returns", handler: listReturns },
  { method: "GET", path: "/v1/webhooks", handler: ({ account }) => ({ status: 200, body: { data: [...account.subscriptions.values()].map(publicSubscription) } }) },
  { method: "POST", path: "/v1/webhooks", handler: createWebhook },
  { method: "DELETE", path: "/v1/webhooks/{id}", handler: deleteWebhook },
];

function listInventory({ account, query }: ApiContext): { status: number; body: InventoryPage } {
  const limit = queryInteger(query, "limit", 100, 1, 500);
  const warehouse = query.get("warehouse");
  if (warehouse !== null) account.requireWarehouse(warehouse);
  const skuFilter = query.get("sku") ? new Set((query.get("sku") ?? "").split(",").map((s) => s.trim())) : null;
  if (skuFilter && skuFilter.size > 100) throw invalid("sku", "accepts at most 100 SKUs");
  const cursor = query.get("cursor");
  // Keyset paging on (warehouse, sku): rows added while a client pages are seen at most once.
  const after = cursor === null ? null : decodeCursor(cursor, "inventory", account.id, () => invalid("cursor", "is not a cursor from this endpoint"));
  const changesCursor = encodeCursor("changes", account.id, account.currentSequence());
  const rows = account.levelsWhere(
    (l) => (warehouse === null || l.warehouse === warehouse) && (skuFilter === null || skuFilter.has(l.sku)) && (after === null || compareKeys(inventoryKey(l), after) > 0),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor("inventory", account.id, inventoryKey(last)) : null;
  return { status: 200, body: { data: page, next_cursor: nextCursor, changes_cursor: changesCursor } };
}

function cursorExpired(): ApiError {
  return new ApiError(
    410,
    "cursor_expired",
    "This cursor has expired or is unknown. Do a full read with GET /v1/inventory, then continue from the changes_cursor it returns.",
    { field: "since" },
  );
}

function sinceSequence(ctx: ApiContext, feed: CursorFeed): number {
  const since = ctx.query.get("since");
  if (since === null || since === "") return 0;
  const sequence = decodeSequenceCursor(since, feed, ctx.account.id, cursorExpired);
  if (sequence > ctx.account.currentSequence()) throw cursorExpired();
  return sequence;
}

function listChanges(ctx: ApiContext): { status: number; body: Feed<unknown> } {
  return movementFeed(ctx, (m) => m.change);
}

function listMovements(ctx: ApiContext): { status: number; body: Feed<unknown> } {
  return movementFeed(ctx, ({ change: _change, ...movement }) => movement);
}

function movementFeed<T>(
  ctx: ApiContext,
  view: (record: ReturnType<WarehouseAccount["movementsAfter"]>["items"][number]) => T,
): { status: number; body: Feed<T> } {
  const limit = queryInteger(ctx.query, "limit", 500, 1, 1000);
  const since = sinceSequence(ctx, "changes");
  if (!ctx.account.hasMovementsAfter(since)) throw cursorExpired();
  const { items, hasMore } = ctx.account.movementsAfter(since, limit);
  const last = items[items.length - 1];
  const position = hasMore && last ? last.sequence : Math.max(since, last?.sequence ?? 0, ctx.account.currentSequence());
  return { status: 200, body: { data: items.map(view), next_cursor: encodeCursor("changes", ctx.account.id, position), has_more: hasMore } };
}

function sequenceFeed<T extends { sequence: number }>(ctx: ApiContext, feed: CursorFeed, all: readonly T[]): { status: number; body: Feed<T> } {
  const limit = queryInteger(ctx.query, "limit", 100, 1, 500);
  const since = sinceSequence(ctx, feed);
  const newer = all.filter((item) => item.sequence > since).sort((a, b) => a.sequence - b.sequence);
  const page = newer.slice(0, limit);
  const hasMore = newer.length > limit;
  const last = page[page.length - 1];
  const position = hasMore && last ? last.sequence : Math.max(since, ctx.account.currentSequence());
  return { status: 200, body: { data: page, next_cursor: encodeCursor(feed, ctx.account.id, position), has_more: hasMore } };
}

function listShipments(ctx: ApiContext): { status: number; body: Feed<unknown> } {
  const orderId = ctx.query.get("order_id");
  const shipments = ctx.account.orders.shipments.filter((s) => orderId === null || s.order_id === orderId);
  return sequenceFeed(ctx, "shipments", shipments);
}

function listReturns(ctx: ApiContext): { status: number; body: Feed<unknown> } {
  return sequenceFeed(ctx, "returns", ctx.account.returns);
}

function createAdjustment({ account, body }: ApiContext): { status: number; body: unknown } {
  const input = objectAt(body, "body");
  const reference = stringAt(input, "reference", "reference");
  const reason = oneOfAt(input, "reason", "reason", ADJUSTMENT_REASONS);
  const note = optionalStringAt(input, "note", "note", 1000);
  const lines: AdjustmentLine[] = arrayAt(input, "lines", "lines", { min: 1, max: 250 }).map((raw, i) => {
    const line = objectAt(raw, `lines[${i}]`);
    const bucket = line.bucket === undefined ? "sellable" : oneOfAt(line, "bucket", `lines[${i}].bucket`, ["sellable", "damaged"] as const);
    return {
      sku: stringAt(line, "sku", `lines[${i}].sku`),
      warehouse: stringAt(line, "warehouse", `lines[${i}].warehouse`),
      delta: integerAt(line, "delta", `lines[${i}].delta`, { min: -1_000_000, max: 1_000_000 }),
      bucket,
    };
  });
  const { adjustment, created } = account.adjust({ reference, reason, note, lines });
  return { status: created ? 201 : 200, body: adjustment };
}

function listOrders({ account, query }: ApiContext): { status: number; body: unknown } {
  const limit = queryInteger(query, "limit", 50, 1, 250);
  const reference = query.get("external_reference");
  const status = query.get("status");
  if (status !== null && !(ORDER_STATUSES as readonly string[]).includes(status)) {
    throw invalid("status", `must be one of ${ORDER_STATUSES.join(", ")}`);
  }
  const cursor = query.get("cursor");
  const after = cursor === null ? null : decodeCursor(cursor, "orders", account.id, () => invalid("cursor", "is not a cursor from this endpoint"));
  const rows = account.orders
    .list()
    .filter((o) => (reference === null || o.external_reference === reference) && (status === null || o.status === (status as OrderStatus)))
    .filter((o) => after === null || compareKeys(o.id, after) > 0)
    .sort((a, b) => compareKeys(a.id, b.id));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { status: 200, body: { data: page, next_cursor: rows.length > limit && last ? encodeCursor("orders", account.id, last.id) : null } };
}

function createOrder(ctx: ApiContext): { status: number; body: unknown } {
  const key = headerValue(ctx.headers, "idempotency-key");
  if (!key) throw invalid("Idempotency-Key", "header is required");
  if (key.length > 255) throw invalid("Idempotency-Key", "header must be at most 255 characters");
  const input = parseOrder(objectAt(ctx.body, "body"));
  const { order, created } = ctx.account.orders.create(input, key, ctx.acknowledgeOnCreate());
  if (created) ctx.onOrderCreated(ctx.account, order.id);
  return { status: created ? 201 : 200, body: order };
}

function parseOrder(body: JsonObject): OrderInput {
  return {
    external_reference: stringAt(body, "external_reference", "external_reference"),
    order_number: optionalStringAt(body, "order_number", "order_number"),
    warehouse: stringAt(body, "warehouse", "warehouse"),
    shipping_method: optionalStringAt(body, "shipping_method", "shipping_method"),
    ship_to: parseAddress(objectAt(body.ship_to, "ship_to"), "ship_to"),
    lines: arrayAt(body, "lines", "lines", { min: 1, max: 250 }).map((raw, i) => {
      const line = objectAt(raw, `lines[${i}]`);
      return {
        sku: stringAt(line, "sku", `lines[${i}].sku`),
        quantity: integerAt(line, "quantity", `lines[${i}].quantity`, { min: 1, max: 100_000 }),
        external_line_reference: optionalStringAt(line, "external_line_reference", `lines[${i}].external_line_reference`),
      };
    }),
  };
}

function parseAddress(obj: JsonObject, path: string): Address {
  const country = stringAt(obj, "country_code", `${path}.country_code`);
  if (!/^[A-Z]{2}$/.test(country)) throw invalid(`${path}.country_code`, "must be an ISO 3166-1 alpha-2 code such as US");
  const email = optionalStringAt(obj, "email", `${path}.email`);
  if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalid(`${path}.email`, "must be an email address");
  return {
    name: stringAt(obj, "name", `${path}.name`),
    company: optionalStringAt(obj, "company", `${path}.company`),
    address1: stringAt(obj, "address1", `${path}.address1`),
    address2: optionalStringAt(obj, "address2", `${path}.address2`),
    city: stringAt(obj, "city", `${path}.city`),
    province_code: optionalStringAt(obj, "province_code", `${path}.province_code`),
    postal_code: optionalStringAt(obj, "postal_code", `${path}.postal_code`),
    country_code: country,
    phone: optionalStringAt(obj, "phone", `${path}.phone`),
    email,
  };
}

function orderById(account: WarehouseAccount, id: string): unknown {
  const order = account.orders.find(id);
  if (!order || order.id !== id) throw notFound(`Outbound order ${id}`);
  return order;
}

function cancelOrder({ account, body }: ApiContext, { id = "" }: Record<string, string>): { status: number; body: unknown } {
  orderById(account, id);
  const input = body === undefined ? {} : objectAt(body, "body");
  const reason = optionalStringAt(input, "reason", "reason", 1000);
  return { status: 200, body: account.orders.cancel(id, reason) };
}

function createWebhook(ctx: ApiContext): { status: number; body: WebhookSubscription } {
  const input = objectAt(ctx.body, "body");
  const url = stringAt(input, "url", "url", 2048);
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw invalid("url", "must be an http(s) URL");
  const topics = arrayAt(input, "topics", "topics", { min: 1, max: WEBHOOK_TOPICS.length }).map((topic, i) => {
    if (typeof topic !== "string" || !(WEBHOOK_TOPICS as readonly string[]).includes(topic)) {
      throw invalid(`topics[${i}]`, `must be one of ${WEBHOOK_TOPICS.join(", ")}`);
    }
    return topic as WebhookTopic;
  });
  const secret = optionalStringAt(input, "secret", "secret", 255) ?? ctx.newWebhookSecret();
  if (secret.length < 16) throw invalid("secret", "must be at least 16 characters");
  const subscription: Subscription = {
    id: ctx.account.ctx.nextId("whk"),
    url,
    topics: [...new Set(topics)],
    created_at: ctx.account.ctx.now().toISOString(),
    secret,
  };
  ctx.account.subscriptions.set(subscription.id, subscription);
  return { status: 201, body: { ...publicSubscription(subscription), secret } };
}

function deleteWebhook({ account }: ApiContext, { id = "" }: Record<string, string>): { status: number } {
  if (!account.subscriptions.delete(id)) throw notFound(`Webhook subscription ${id}`);
  return { status: 204 };
}

function publicSubscription({ secret: _secret, ...subscription }: Subscription): WebhookSubscription {
  return subscription;
}

export function headerValue(headers: ApiContext["headers"], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}
