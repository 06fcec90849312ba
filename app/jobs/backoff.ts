// Exponential backoff with full jitter, capped, for job retries.
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 60 * 60_000 };

/**
 * Delay before attempt `nextAttempt` (2 = the first retry). The ceiling doubles each attempt
 * (base, 2x base, 4x base, ...) up to maxMs; the delay is drawn between half the ceiling and the
 * ceiling, so that a burst of failures does not retry in lockstep yet always backs off.
 */
export function retryDelayMs(nextAttempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, nextAttempt - 2);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
