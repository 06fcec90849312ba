import { simPost } from "../http-post";
import type { Subscription } from "./account";
import type { FaultInjector } from "./faults";
import type { WebhookEvent, WebhookTopic } from "./protocol";
import { signWmsPayload } from "./signature";

/** Documented production schedule: 8 retries over about 7 hours after the first attempt. */
export const DEFAULT_RETRY_SCHEDULE_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000];
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookDeliveryOptions {
  /** Delay before each retry; its length is the number of retries. Tests shrink it to milliseconds. */
  retryScheduleMs?: number[];
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface DeliveryRecord {
  eventId: string;
  topic: WebhookTopic;
  accountId: string;
  subscriptionId: string;
  url: string;
  state: "pending" | "delivered" | "failed" | "dropped";
  /** True for the extra copy sent by the duplicate fault. */
  duplicate: boolean;
  attempts: DeliveryAttempt[];
}

interface Queued {
  subscription: Subscription;
  event: WebhookEvent;
  rawBody: string;
  record: DeliveryRecord;
}

/** Sends signed events to subscribers with retries, and applies the webhook faults. */
export class WebhookDispatcher {
  private readonly records: DeliveryRecord[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly held = new Map<string, Queued[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly retrySchedule: number[];
  private readonly timeoutMs: number;

  constructor(
    private readonly faults: FaultInjector,
    private readonly now: () => Date,
    options: WebhookDeliveryOptions = {},
  ) {
    this.retrySchedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  }

  publish(subscriptions: Iterable<Subscription>, event: WebhookEvent, accountId: string): void {
    const rawBody = JSON.stringify(event);
    for (const subscription of subscriptions) {
      if (!subscription.topics.includes(event.topic)) continue;
      const decision = this.faults.forWebhook();
      if (decision.drop) {
        this.newRecord(subscription, event, accountId, false, "dropped");
        continue;
      }
      this.enqueue({ subscription, event, rawBody, record: this.newRecord(subscription, event, accountId, false, "pending") });
      if (decision.duplicate) {
        this.enqueue({ subscription, event, rawBody, record: this.newRecord(subscription, event, accountId, true, "pending") });
      }
    }
  }

  deliveries(): DeliveryRecord[] {
    return structuredClone(this.records);
  }

  /** Resolves once nothing is in flight, held or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held.clear();
    this.pending = 0;
    this.settle();
  }

  private newRecord(
    subscription: Subscription,
    event: WebhookEvent,
    accountId: string,
    duplicate: boolean,
    state: DeliveryRecord["state"],
  ): DeliveryRecord {
    const record: DeliveryRecord = {
      eventId: event.id,
      topic: event.topic,
      accountId,
      subscriptionId: subscription.id,
      url: subscription.url,
      state,
      duplicate,
      attempts: [],
    };
    this.records.push(record);
    return record;
  }

  private enqueue(item: Queued): void {
    this.pending++;
    const windowMs = this.faults.outOfOrderWindowMs();
    if (windowMs === null) {
      this.chain(item);
      return;
    }
    const key = item.subscription.id;
    const held = this.held.get(key);
    if (held) {
      held.push(item);
      return;
    }
    this.held.set(key, [item]);
    this.later(windowMs, () => {
      const batch = this.held.get(key) ?? [];
      this.held.delete(key);
      for (const queued of batch.reverse()) this.chain(queued);
    });
  }

  /** First attempts to one subscriber go out one at a time, in order; retries run on their own timers. */
  private chain(item: Queued): void {
    const key = item.subscription.id;
    const previous = this.chains.get(key) ?? Promise.resolve();
    this.chains.set(key, previous.then(() => this.attempt(item, 0)));
  }

  private async attempt(item: Queued, retry: number): Promise<void> {
    const { record } = item;
    if (this.abort.signal.aborted) return;
    const at = this.now();
    const timestamp = Math.floor(at.getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // fetch(url, { method: "POST", headers, body, signal: AbortSignal.any([abort, AbortSignal.timeout(timeoutMs)]) })
      // (redirects followed), its body read and dropped: the same request and outcome for a fraction
      // of fetch's CPU (../http-post.ts).
      status = await simPost({
        url: item.subscription.url,
        headers: {
          "content-type": "application/json",
          "user-agent": "TallySync-WMS-Simulator/1.0",
          "x-tallysync-event-id": item.event.id,
          "x-tallysync-topic": item.event.topic,
          "x-tallysync-signature": signWmsPayload(item.subscription.secret, item.rawBody, timestamp),
        },
        body: item.rawBody,
        timeoutMs: this.timeoutMs,
        redirect: "follow",
        signal: this.abort.signal,
      });
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    if (this.abort.signal.aborted) return;
    record.attempts.push({ at: at.toISOString(), status, error });
    if (status !== null && status >= 200 && status < 300) {
      record.state = "delivered";
      this.done();
      return;
    }
    const delay = this.retrySchedule[retry];
    if (delay === undefined) {
      record.state = "failed";
      this.done();
      return;
    }
    this.later(delay, () => void this.attempt(item, retry + 1));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private done(): void {
    this.pending--;
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
