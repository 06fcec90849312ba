import type { SeededRandom } from "./random";

/** When a fault fires: on every Nth matching request, with a probability, or both; at most `times` times. */
export interface FaultRule {
  everyNth?: number;
  probability?: number;
  times?: number;
  /** Only requests whose path starts with this (e.g. "/v1/inventory"). */
  pathPrefix?: string;
  method?: string;
}

export interface FaultConfig {
  /** Added before every /v1 response (a fixed delay, or uniform in [min, max] from the seeded RNG). */
  latencyMs?: number | { min: number; max: number };
  /** Injected 429s, on top of the real per-account rate limit. */
  tooManyRequests?: FaultRule & { retryAfterSeconds?: number };
  serverError?: FaultRule & { status?: 500 | 502 | 503 | 504 };
  /** The request is accepted and never answered, until the client gives up or the simulator stops. */
  hang?: FaultRule;
  webhooks?: {
    drop?: FaultRule;
    duplicate?: FaultRule;
    /** Deliveries are held for this window, then sent newest first. */
    outOfOrder?: { windowMs: number };
  };
}

export type RequestFault =
  | { kind: "none" }
  | { kind: "too_many_requests"; retryAfterSeconds: number }
  | { kind: "server_error"; status: number }
  | { kind: "hang" };

export interface FaultStats {
  tooManyRequests: number;
  serverError: number;
  hang: number;
  droppedWebhooks: number;
  duplicatedWebhooks: number;
}

type RuleName = "tooManyRequests" | "serverError" | "hang" | "drop" | "duplicate";

/** Decides, per request and per webhook delivery, which fault (if any) applies. */
export class FaultInjector {
  private config: FaultConfig = {};
  private counters = new Map<RuleName, { seen: number; fired: number }>();
  private dropNext = 0;
  readonly stats: FaultStats = { tooManyRequests: 0, serverError: 0, hang: 0, droppedWebhooks: 0, duplicatedWebhooks: 0 };

  constructor(private readonly random: SeededRandom) {}

  /** Replaces the whole fault configuration and restarts every counter. */
  set(config: FaultConfig): void {
    this.config = structuredClone(config);
    this.counters.clear();
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  clear(): void {
    this.set({});
    this.dropNext = 0;
  }

  /** "Lose a webhook": the next `count` deliveries vanish without a retry. */
  dropNextWebhooks(count = 1): void {
    this.dropNext += count;
  }

  latencyMs(): number {
    const latency = this.config.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === "number") return latency;
    return latency.min + this.random.next() * (latency.max - latency.min);
  }

  forRequest(method: string, path: string): RequestFault {
    const { hang, tooManyRequests, serverError } = this.config;
    if (this.fires("hang", hang, method, path)) {
      this.stats.hang++;
      return { kind: "hang" };
    }
    if (this.fires("tooManyRequests", tooManyRequests, method, path)) {
      this.stats.tooManyRequests++;
      return { kind: "too_many_requests", retryAfterSeconds: tooManyRequests?.retryAfterSeconds ?? 1 };
    }
    if (this.fires("serverError", serverError, method, path)) {
      this.stats.serverError++;
      return { kind: "server_error", status: serverError?.status ?? 503 };
    }
    return { kind: "none" };
  }

  forWebhook(): { drop: boolean; duplicate: boolean } {
    if (this.dropNext > 0) {
      this.dropNext--;
      this.stats.droppedWebhooks++;
      return { drop: true, duplicate: false };
    }
    const drop = this.fires("drop", this.config.webhooks?.drop, "POST", "");
    const duplicate = !drop && this.fires("duplicate", this.config.webhooks?.duplicate, "POST", "");
    if (drop) this.stats.droppedWebhooks++;
    if (duplicate) this.stats.duplicatedWebhooks++;
    return { drop, duplicate };
  }

  outOfOrderWindowMs(): number | null {
    return this.config.webhooks?.outOfOrder?.windowMs ?? null;
  }

  private fires(name: RuleName, rule: FaultRule | undefined, method: string, path: string): boolean {
    if (!rule) return false;
    if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
    if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) return false;
    const counter = this.counters.get(name) ?? { seen: 0, fired: 0 };
    this.counters.set(name, counter);
    counter.seen++;
    if (rule.times !== undefined && counter.fired >= rule.times) return false;
    const nth = rule.everyNth === undefined || counter.seen % rule.everyNth === 0;
    // Draw from the RNG only when a probability is set, so adding a rule does not shift other draws.
    const chance = rule.probability === undefined || this.random.next() < rule.probability;
    if (!nth || !chance) return false;
    counter.fired++;
    return true;
  }
}
