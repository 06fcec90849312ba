// A model of the GraphQL Admin API's leaky bucket, learnt from the responses themselves
// (extensions.cost.throttleStatus), so it follows whatever plan the shop is on.
// shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

function usable(status: ThrottleStatus | null | undefined): status is ThrottleStatus {
  return Boolean(
    status &&
      Number.isFinite(status.maximumAvailable) &&
      Number.isFinite(status.currentlyAvailable) &&
      Number.isFinite(status.restoreRate) &&
      status.maximumAvailable > 0 &&
      status.restoreRate > 0,
  );
}

export class ThrottleModel {
  private limits: { maximumAvailable: number; restoreRate: number } | null = null;
  /** Points in the bucket at `levelAt` (ms). */
  private level = 0;
  private levelAt = 0;

  /**
   * Learn from a response: its throttleStatus is the bucket after the call. A response without
   * one (rare) still spent `actualCost`, which comes off the estimate.
   */
  record(status: ThrottleStatus | null | undefined, actualCost: number | null, now: number): void {
    if (usable(status)) {
      if (this.limits && now < this.levelAt) return; // an older observation arriving late
      this.limits = { maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate };
      this.level = Math.min(status.currentlyAvailable, status.maximumAvailable);
      this.levelAt = now;
      return;
    }
    if (this.limits && actualCost && actualCost > 0) {
      this.level = this.refilled(now) - actualCost;
      this.levelAt = Math.max(now, this.levelAt);
    }
  }

  /** Points the bucket holds now, as far as we know; null before the first response. */
  available(now: number): number | null {
    return this.limits ? this.refilled(now) : null;
  }

  /** How long to wait before a call of `cost` points is affordable; 0 when it is (or nothing is known yet). */
  waitMsFor(cost: number, now: number): number {
    if (!this.limits || cost <= 0) return 0;
    // A cost above the bucket size can never be met; a full bucket is the best there is.
    const needed = Math.min(cost, this.limits.maximumAvailable);
    const deficit = needed - this.refilled(now);
    if (deficit <= 0) return 0;
    return Math.ceil((deficit * 1000) / this.limits.restoreRate);
  }

  /** The limits last reported by Shopify (bucket size and restore rate), or null. */
  reportedLimits(): { maximumAvailable: number; restoreRate: number } | null {
    return this.limits ? { ...this.limits } : null;
  }

  private refilled(now: number): number {
    const limits = this.limits!;
    const elapsedSec = Math.max(0, now - this.levelAt) / 1000;
    return Math.min(limits.maximumAvailable, this.level + elapsedSec * limits.restoreRate);
  }
}
