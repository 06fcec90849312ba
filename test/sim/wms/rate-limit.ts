export interface RateLimitConfig {
  /** Sustained requests per second per account. */
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { requestsPerSecond: 10, burst: 20 };

export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

/** A token bucket per account, as documented in the protocol ("10 requests/s, burst 20"). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private config: RateLimitConfig | null,
    private readonly clockMs: () => number = () => performance.now(),
  ) {}

  configure(config: RateLimitConfig | null): void {
    this.config = config;
    this.buckets.clear();
  }

  current(): RateLimitConfig | null {
    return this.config;
  }

  take(accountId: string): RateDecision {
    const config = this.config;
    if (!config) return { allowed: true, remaining: Number.MAX_SAFE_INTEGER };
    const now = this.clockMs();
    const bucket = this.buckets.get(accountId) ?? { tokens: config.burst, at: now };
    bucket.tokens = Math.min(config.burst, bucket.tokens + ((now - bucket.at) / 1000) * config.requestsPerSecond);
    bucket.at = now;
    this.buckets.set(accountId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    // Whole seconds, rounded up, as HTTP's Retry-After requires; never 0 so clients always back off.
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / config.requestsPerSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds };
  }
}
