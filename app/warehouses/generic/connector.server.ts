// The generic TallySync warehouse protocol (docs/warehouse-protocol.openapi.yaml) behind the
// WarehouseConnector interface.
import { log, registerSecret } from "../../observability/logger.server";
import {
  type ApiCallRecorder,
  type ConnectionTestResult,
  CursorExpiredError,
  type FeedPage,
  type OutboundOrder,
  type OutboundOrderRequest,
  type OutboundOrderState,
  type StockAdjustment,
  type StockPage,
  WarehouseApiError,
  type WarehouseConnector,
  type WarehouseEventTopic,
  type WarehouseStockLevel,
  type WebhookVerification,
} from "../connector";
import type { WebhookRegistration } from "../webhook-registration";
import { type RetryPolicy, type WarehouseHttpClient, createWarehouseHttpClient } from "./http.server";
import {
  WEBHOOK_TOPICS,
  readEventStockLevel,
  readInventoryChanges,
  readInventoryPage,
  readOrderEvent,
  readOutboundOrder,
  readOutboundOrderList,
  readReturnFeed,
  readShipmentFeed,
  readWarehouses,
  readWebhookEvent,
  readWebhookSubscription,
  readWebhookSubscriptions,
} from "./protocol";
import { verifyWarehouseSignature } from "./webhook-signature.server";

export interface GenericConnectorOptions {
  baseUrl: string;
  apiKey: string;
  /** The secret returned when our webhook was registered; without it every delivery is refused. */
  webhookSecret?: string | null;
  recorder?: ApiCallRecorder;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Rows per page of the full stock read; the protocol allows up to 500. */
  stockPageSize?: number;
}

export type GenericWarehouseConnector = WarehouseConnector & WebhookRegistration;

/** The protocol's limit on lines per adjustment request. */
const MAX_ADJUSTMENT_LINES = 250;

const ignore = (): void => undefined;

/** Topics added to the protocol after 1.0 (docs/warehouse-protocol.openapi.yaml): a 1.0 server refuses them. */
const TOPICS_ADDED_LATER: readonly WarehouseEventTopic[] = ["shipment.delivered"];

export function createGenericConnector(options: GenericConnectorOptions): GenericWarehouseConnector {
  registerSecret(options.apiKey);
  registerSecret(options.webhookSecret);
  const http: WarehouseHttpClient = createWarehouseHttpClient(options);
  const stockPageSize = options.stockPageSize ?? 500;

  const listWarehouses = async () => (await http.send({ method: "GET", path: "/v1/warehouses" }, readWarehouses)).value;

  async function testConnection(): Promise<ConnectionTestResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // One attempt: the merchant is waiting on the Test button, and the answer is what we want to know.
      const { value } = await http.send({ method: "GET", path: "/v1/warehouses", maxAttempts: 1 }, readWarehouses);
      return { ok: true, latencyMs: elapsed(), warehouses: value };
    } catch (error) {
      const message = error instanceof WarehouseApiError ? error.message : `Testing the warehouse at ${http.host} failed unexpectedly.`;
      return { ok: false, latencyMs: elapsed(), warehouses: [], error: message };
    }
  }

  async function readStock(cursor?: string | null) {
    const request = { method: "GET", path: "/v1/inventory", query: { cursor, limit: stockPageSize } } as const;
    return (await http.send(request, (body) => readInventoryPage(body, !cursor))).value;
  }

  async function readStockChanges(since: string) {
    try {
      return (await http.send({ method: "GET", path: "/v1/inventory/changes", query: { since } }, readInventoryChanges)).value;
    } catch (error) {
      if (error instanceof WarehouseApiError && error.status === 410) throw new CursorExpiredError();
      throw error;
    }
  }

  function verifyWebhook(headers: Headers, rawBody: string, now: Date = new Date()): WebhookVerification {
    if (!options.webhookSecret) {
      return { ok: false, reason: "No webhook secret is stored for this warehouse connection; register the webhook again in Settings > Warehouses." };
    }
    const check = verifyWarehouseSignature(options.webhookSecret, headers.get("x-tallysync-signature"), rawBody, now);
    if (!check.ok) return check;
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { ok: false, reason: "The webhook body is not JSON.", malformed: true };
    }
    try {
      return { ok: true, event: readWebhookEvent(body) };
    } catch (error) {
      return { ok: false, reason: `The webhook body is not a TallySync protocol event: ${error instanceof Error ? error.message : String(error)}.`, malformed: true };
    }
  }

  async function createOutboundOrder(request: OutboundOrderRequest): Promise<OutboundOrder> {
    const { shipTo } = request;
    try {
      const { status, value } = await http.send(
        {
          method: "POST",
          path: "/v1/outbound-orders",
          headers: { "idempotency-key": request.externalReference },
          body: {
            external_reference: request.externalReference,
            ...(request.orderNumber ? { order_number: request.orderNumber } : {}),
            warehouse: request.warehouseCode,
            ship_to: {
              name: shipTo.name,
              address1: shipTo.address1,
              address2: shipTo.address2 ?? null,
              city: shipTo.city,
              province_code: shipTo.provinceCode ?? null,
              postal_code: shipTo.postalCode ?? null,
              country_code: shipTo.countryCode,
              phone: shipTo.phone ?? null,
              email: shipTo.email ?? null,
            },
            lines: request.lines.map((line) => ({
              sku: line.sku,
              quantity: line.quantity,
              ...(line.externalLineReference ? { external_line_reference: line.externalLineReference } : {}),
            })),
          },
        },
        readOutboundOrder,
      );
      return { ...value, created: status === 201 };
    } catch (error) {
      // The Idempotency-Key is the reference, so a changed order can come back as either code.
      if (error instanceof WarehouseApiError && (error.code === "external_reference_conflict" || error.code === "idempotency_key_reused")) {
        throw new WarehouseApiError(
          `The warehouse already has an order for ${request.externalReference} with a different warehouse or lines, so it was not changed. ${error.message}`,
          error.status,
          error.code,
          false,
        );
      }
      throw error;
    }
  }

  async function findOutboundOrder(externalReference: string): Promise<OutboundOrderState | null> {
    const { value: orders } = await http.send(
      { method: "GET", path: "/v1/outbound-orders", query: { external_reference: externalReference } },
      readOutboundOrderList,
    );
    return orders.find((candidate) => candidate.externalReference === externalReference) ?? null;
  }

  async function cancelOutboundOrder(externalReference: string): Promise<{ cancelled: boolean; reason?: "already_shipped" | "not_found" }> {
    const order = await findOutboundOrder(externalReference);
    if (!order) return { cancelled: false, reason: "not_found" };
    try {
      await http.send(
        { method: "POST", path: `/v1/outbound-orders/${encodeURIComponent(order.id)}/cancel`, pathTemplate: "/v1/outbound-orders/{id}/cancel" },
        readOutboundOrder,
      );
      return { cancelled: true };
    } catch (error) {
      if (error instanceof WarehouseApiError && error.code === "already_shipped") return { cancelled: false, reason: "already_shipped" };
      if (error instanceof WarehouseApiError && error.status === 404) return { cancelled: false, reason: "not_found" };
      throw error;
    }
  }

  async function readStockLevels(warehouseCode: string, skus: string[]): Promise<WarehouseStockLevel[]> {
    const levels: WarehouseStockLevel[] = [];
    // The protocol filters at most 100 SKUs per request.
    for (const part of chunk([...new Set(skus)], 100)) {
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number | null> = { warehouse: warehouseCode, sku: part.join(","), cursor, limit: 500 };
        const reply: { value: StockPage } = await http.send({ method: "GET", path: "/v1/inventory", query }, (body) => readInventoryPage(body, false));
        levels.push(...reply.value.levels);
        cursor = reply.value.nextCursor;
      } while (cursor);
    }
    return levels;
  }

  async function readFeed<T>(path: "/v1/shipments" | "/v1/returns", since: string | null, read: (body: unknown) => FeedPage<T>): Promise<FeedPage<T>> {
    try {
      return (await http.send({ method: "GET", path, query: { since, limit: 100 } }, read)).value;
    } catch (error) {
      if (error instanceof WarehouseApiError && error.status === 410) throw new CursorExpiredError("The warehouse no longer has records that old; reading the feed again from its oldest record.");
      throw error;
    }
  }

  async function adjustStock(reference: string, adjustments: StockAdjustment[]): Promise<void> {
    if (adjustments.length === 0) return;
    const reasons = [...new Set(adjustments.map((adjustment) => adjustment.reason))];
    if (reasons.length > 1) {
      throw new Error(`Adjustment ${reference} mixes reasons (${reasons.join(", ")}); the warehouse takes one reason per adjustment, so post one per reason.`);
    }
    const parts = chunk(adjustments, MAX_ADJUSTMENT_LINES);
    for (const [index, lines] of parts.entries()) {
      // Deterministic part references keep a retried large posting idempotent part by part.
      const partReference = parts.length === 1 ? reference : `${reference}#${index + 1}/${parts.length}`;
      await http.send(
        {
          method: "POST",
          path: "/v1/inventory/adjustments",
          body: {
            reference: partReference,
            reason: reasons[0],
            lines: lines.map((line) => ({ sku: line.sku, warehouse: line.warehouseCode, delta: line.delta })),
          },
        },
        ignore,
      );
    }
  }

  async function listWebhooks() {
    const { value } = await http.send({ method: "GET", path: "/v1/webhooks" }, readWebhookSubscriptions);
    return value.map(({ id, url, topics }) => ({ id, url, topics }));
  }

  async function deleteWebhook(id: string): Promise<void> {
    try {
      await http.send({ method: "DELETE", path: `/v1/webhooks/${encodeURIComponent(id)}`, pathTemplate: "/v1/webhooks/{id}" }, ignore);
    } catch (error) {
      if (error instanceof WarehouseApiError && error.status === 404) return;
      throw error;
    }
  }

  async function subscribe(url: string, topics: WarehouseEventTopic[]) {
    try {
      return (await http.send({ method: "POST", path: "/v1/webhooks", body: { url, topics } }, readWebhookSubscription)).value;
    } catch (error) {
      // A server of protocol 1.0 does not know the topics added since (shipment.delivered) and
      // refuses the whole subscription: subscribe to what it knows; deliveries then come with the
      // shipment feed, if at all.
      const later = topics.filter((topic) => TOPICS_ADDED_LATER.includes(topic));
      if (!later.length || !(error instanceof WarehouseApiError) || error.status !== 400) throw error;
      log.info("The warehouse does not know some webhook topics; subscribing without them", { host: http.host, topics: later });
      return (await http.send({ method: "POST", path: "/v1/webhooks", body: { url, topics: topics.filter((topic) => !later.includes(topic)) } }, readWebhookSubscription)).value;
    }
  }

  async function registerWebhook(url: string, topics: WarehouseEventTopic[] = [...WEBHOOK_TOPICS]) {
    const created = await subscribe(url, topics);
    if (!created.secret) {
      throw new WarehouseApiError(
        `The warehouse at ${http.host} subscribed the webhook but did not return its signing secret, so deliveries could not be verified.`,
        null,
        "invalid_response",
        false,
      );
    }
    registerSecret(created.secret);
    // Older subscriptions to this URL sign with secrets we can no longer read back (and a retried
    // POST may have left a twin): keep only the new one.
    for (const existing of await listWebhooks()) {
      if (existing.url === url && existing.id !== created.id) await deleteWebhook(existing.id);
    }
    return { id: created.id, url: created.url, topics: created.topics, secret: created.secret };
  }

  return {
    provider: "generic",
    capabilities: { webhooks: true, stockAdjustments: true },
    testConnection,
    listWarehouses,
    readStock,
    readStockChanges,
    verifyWebhook,
    eventStockLevels: (event) => (event.topic === "inventory.changed" ? [readEventStockLevel(event.data)] : []),
    createOutboundOrder,
    cancelOutboundOrder,
    findOutboundOrder,
    readStockLevels,
    readShipments: (since) => readFeed("/v1/shipments", since, readShipmentFeed),
    readReturns: (since) => readFeed("/v1/returns", since, readReturnFeed),
    orderEvent: readOrderEvent,
    adjustStock,
    registerWebhook,
    listWebhooks,
    deleteWebhook,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let start = 0; start < items.length; start += size) parts.push(items.slice(start, start + size));
  return parts;
}
