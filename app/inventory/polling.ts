// Adaptive polling for warehouses without webhooks (or as a safety net for those with them):
// poll fast while stock moves, back off while it is quiet. Pure.

export interface PollingPolicy {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_POLLING: PollingPolicy = { minMs: 5_000, maxMs: 5 * 60_000 };

/** The delay before the next poll: the minimum after changes, doubling while quiet. */
export function nextPollDelayMs(previousMs: number | null, changesFound: number, policy: PollingPolicy = DEFAULT_POLLING): number {
  if (changesFound > 0 || previousMs == null) return policy.minMs;
  return Math.min(policy.maxMs, Math.max(policy.minMs, previousMs * 2));
}
