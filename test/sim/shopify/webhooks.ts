import crypto from "node:crypto";
import type { SimClock } from "./clock";
import type { Faults } from "./faults";
import { simPost } from "../http-post";
import { webhookHmac } from "./hmac";

/**
 * Shopify retries a failed delivery 8 times over about 4 hours with exponential backoff
 * (shopify.dev, webhooks best practices). 56.5 s x 2^n for n = 0..7 sums to 4 h.
 */
export const DEFAULT_RETRY_DELAYS_MS: number[] = Array.from({ length: 8 }, (_, n) => Math.round(56_470 * 2 ** n));
/** The endpoint must answer within 5 s or the attempt counts as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;

const TOPIC_ACTIONS = ["order_routing_complete", "partially_fulfilled", "cancellation_request_submitted", "fulfillment_request_submitted", "data_request"];

/** WebhookSubscriptionTopic enum value -> header topic, e.g. INVENTORY_LEVELS_UPDATE -> inventory_levels/update. */
export function topicFromEnum(value: string): string {
  const lower = value.toLowerCase();
  for (const action of TOPIC_ACTIONS) {
    if (lower.endsWith(`_${action}`)) return `${lower.slice(0, -action.length - 1)}/${action}`;
  }
  const i = lower.lastIndexOf("_");
  return i < 0 ? lower : `${lower.slice(0, i)}/${lower.slice(i + 1)}`;
}

/** Header topic -> enum value, e.g. orders/create -> ORDERS_CREATE. */
export function topicToEnum(topic: string): string {
  return topic.replace("/", "_").toUpperCase();
}

export interface AttemptLog {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

export interface DeliveryLog {
  seq: number;
  kind: "webhook" | "fulfillment_service";
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  payload: unknown;
  headers: Record<string, string>;
  triggeredAt: string;
  status: "pending" | "held" | "delivered" | "failed";
  duplicate: boolean;
  attempts: AttemptLog[];
  nextAttemptAt: string | null;
}

export interface WebhookSenderOptions {
  apiVersion: string;
  timeoutMs: number;
  timeScale: number;
  retryDelaysMs: number[];
  secret: () => string;
}

export interface EnqueueParams {
  kind: DeliveryLog["kind"];
  shop: string;
  topic: string;
  url: string;
  payload: unknown;
}

export class WebhookSender {
  readonly log: DeliveryLog[] = [];
  private held: DeliveryLog[] = [];
  private inflight = 0;
  private readonly scheduled = new Set<number>();
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly clock: SimClock,
    private readonly faults: Faults,
    private readonly opts: WebhookSenderOptions,
  ) {}

  enqueue(params: EnqueueParams): DeliveryLog {
    const body = JSON.stringify(params.payload);
    const webhookId = crypto.randomUUID();
    const eventId = crypto.randomUUID();
    const triggeredAt = this.clock.iso();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Hmac-Sha256": webhookHmac(this.opts.secret(), body),
      "X-Shopify-Shop-Domain": params.shop,
    };
    if (params.kind === "webhook") {
      Object.assign(headers, {
        "X-Shopify-Topic": params.topic,
        "X-Shopify-API-Version": this.opts.apiVersion,
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": eventId,
        "X-Shopify-Triggered-At": triggeredAt,
      });
    }
    const entry = this.newEntry({ ...params, body, webhookId, eventId, triggeredAt, headers, duplicate: false });
    if (this.faults.takeHold(params.topic)) {
      entry.status = "held";
      this.held.push(entry);
      if (this.faults.holdRemaining() === 0) this.releaseHeld();
    } else {
      this.scheduleAttempt(entry, this.faults.peek("webhookDelayMs") ?? 0);
    }
    if (this.faults.take("webhookDuplicate")) {
      const dup = this.newEntry({ ...params, body, webhookId, eventId, triggeredAt, headers, duplicate: true });
      this.scheduleAttempt(dup, (this.faults.peek("webhookDelayMs") ?? 0) + 1);
    }
    return entry;
  }

  /** Sends every held delivery now, newest first, so they arrive out of order. */
  releaseHeld(): void {
    const held = this.held.reverse();
    this.held = [];
    // Spaced out so they also arrive in this order.
    held.forEach((entry, i) => {
      entry.status = "pending";
      this.scheduleAttempt(entry, i * 25);
    });
  }

  isIdle(): boolean {
    return this.inflight === 0 && this.scheduled.size === 0;
  }

  /** Resolves once nothing is in flight or scheduled (held deliveries excepted). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isIdle()) {
      if (Date.now() > deadline) throw new Error(`webhooks not idle after ${timeoutMs} ms (${this.inflight} in flight, ${this.scheduled.size} scheduled)`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const id of this.scheduled) this.clock.cancel(id);
    this.scheduled.clear();
  }

  private newEntry(p: EnqueueParams & Pick<DeliveryLog, "body" | "webhookId" | "eventId" | "triggeredAt" | "headers" | "duplicate">): DeliveryLog {
    const entry: DeliveryLog = {
      seq: ++this.seq,
      kind: p.kind,
      webhookId: p.webhookId,
      eventId: p.eventId,
      topic: p.topic,
      shop: p.shop,
      url: p.url,
      body: p.body,
      payload: p.payload,
      headers: { ...p.headers },
      triggeredAt: p.triggeredAt,
      status: "pending",
      duplicate: p.duplicate,
      attempts: [],
      nextAttemptAt: null,
    };
    this.log.push(entry);
    return entry;
  }

  private scheduleAttempt(entry: DeliveryLog, delayMs: number): void {
    if (this.stopped) return;
    entry.nextAttemptAt = new Date(this.clock.now() + delayMs).toISOString();
    const id = this.clock.schedule(delayMs, () => {
      this.scheduled.delete(id);
      void this.attempt(entry);
    });
    this.scheduled.add(id);
  }

  private async attempt(entry: DeliveryLog): Promise<void> {
    if (this.stopped) return;
    this.inflight += 1;
    entry.nextAttemptAt = null;
    const started = performance.now();
    const log: AttemptLog = { attempt: entry.attempts.length + 1, at: this.clock.iso(), statusCode: null, error: null, latencyMs: 0 };
    try {
      // fetch(entry.url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" }),
      // its body read and dropped: the same request and outcome for a fraction of fetch's CPU (../http-post.ts).
      log.statusCode = await simPost({ url: entry.url, headers: entry.headers, body: entry.body, timeoutMs: this.opts.timeoutMs, redirect: "manual" });
    } catch (err) {
      const e = err as Error;
      log.error = e.name === "TimeoutError" ? `timeout after ${this.opts.timeoutMs} ms` : e.message;
    } finally {
      log.latencyMs = Math.round(performance.now() - started);
      entry.attempts.push(log);
      this.inflight -= 1;
    }
    const ok = log.statusCode !== null && log.statusCode >= 200 && log.statusCode < 300;
    if (ok) {
      entry.status = "delivered";
      return;
    }
    const retryIndex = entry.attempts.length - 1;
    const delay = this.opts.retryDelaysMs[retryIndex];
    if (delay === undefined || this.stopped) {
      entry.status = "failed";
      return;
    }
    this.scheduleAttempt(entry, delay * this.opts.timeScale);
  }
}
