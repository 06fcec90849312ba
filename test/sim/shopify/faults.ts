/** A fault fires for the next `next` occurrences, then with `probability` (0..1). */
export interface FaultTrigger {
  next?: number;
  probability?: number;
}

export interface FaultConfig {
  /** Deliver a webhook twice (same X-Shopify-Webhook-Id / Event-Id), as Shopify may. */
  webhookDuplicate?: FaultTrigger;
  /** Hold this many upcoming webhook deliveries (of `topic`, if given), then release them newest first. */
  webhookOutOfOrder?: { hold: number; topic?: string };
  /** Extra delay (simulated ms) before the first delivery attempt of every webhook. */
  webhookDelayMs?: number;
  /** Answer Admin API calls with a 5xx status. */
  api5xx?: FaultTrigger & { status?: number };
  /** Accept Admin API calls and never answer (until `hangMs` passes, then close the socket). */
  apiTimeout?: FaultTrigger & { hangMs?: number };
  /** Answer THROTTLED whatever the bucket holds. */
  apiThrottle?: FaultTrigger;
  /** Answer token exchange with 5xx. */
  oauth5xx?: FaultTrigger;
}

export type FaultName = "webhookDuplicate" | "api5xx" | "apiTimeout" | "apiThrottle" | "oauth5xx";

/** Deterministic PRNG so a seeded run injects the same faults every time. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private config: FaultConfig = {};
  private readonly fired: Record<string, number> = {};

  constructor(private readonly random: () => number = Math.random) {}

  /** Merges into the current fault set; pass `null` for a key to switch that fault off. */
  set(partial: { [K in keyof FaultConfig]?: FaultConfig[K] | null }): void {
    for (const [key, value] of Object.entries(partial) as [keyof FaultConfig, unknown][]) {
      if (value === null || value === undefined) delete this.config[key];
      else (this.config as Record<string, unknown>)[key] = structuredClone(value);
    }
  }

  reset(): void {
    this.config = {};
  }

  get(): FaultConfig {
    return structuredClone(this.config);
  }

  /** How many times each fault has fired since start. */
  stats(): Record<string, number> {
    return { ...this.fired };
  }

  /** Decides whether fault `name` fires now, consuming one of its `next` occurrences. */
  take(name: FaultName): boolean {
    const trigger = this.config[name];
    if (!trigger) return false;
    let fire = false;
    if (trigger.next && trigger.next > 0) {
      trigger.next -= 1;
      fire = true;
    } else if (trigger.probability && this.random() < trigger.probability) {
      fire = true;
    }
    if (fire) this.fired[name] = (this.fired[name] ?? 0) + 1;
    return fire;
  }

  peek<K extends keyof FaultConfig>(name: K): FaultConfig[K] {
    return this.config[name];
  }

  /** Counts down the out-of-order hold window; true while deliveries should be held. */
  takeHold(topic: string): boolean {
    const ooo = this.config.webhookOutOfOrder;
    if (!ooo || ooo.hold <= 0 || (ooo.topic && ooo.topic !== topic)) return false;
    ooo.hold -= 1;
    this.fired.webhookOutOfOrder = (this.fired.webhookOutOfOrder ?? 0) + 1;
    return true;
  }

  holdRemaining(): number {
    return this.config.webhookOutOfOrder?.hold ?? 0;
  }
}
