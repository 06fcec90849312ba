/** Leaky-bucket limits of the GraphQL Admin API per app and shop (shopify.dev/docs/api/usage/rate-limits). */
export type PlanName = "standard" | "advanced" | "plus" | "enterprise";

export const PLAN_LIMITS: Record<PlanName, { restoreRate: number; maximumAvailable: number }> = {
  standard: { restoreRate: 100, maximumAvailable: 2000 },
  advanced: { restoreRate: 200, maximumAvailable: 4000 },
  plus: { restoreRate: 1000, maximumAvailable: 20000 },
  enterprise: { restoreRate: 2000, maximumAvailable: 40000 },
};

/** A single query may not cost more than this, whatever the bucket holds. */
export const SINGLE_QUERY_MAX_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
    private readonly now: () => number,
  ) {
    this.available = maximumAvailable;
    this.updatedAt = now();
  }

  static forPlan(plan: PlanName, now: () => number): LeakyBucket {
    const limits = PLAN_LIMITS[plan];
    return new LeakyBucket(limits.maximumAvailable, limits.restoreRate, now);
  }

  setPlan(plan: PlanName): void {
    this.refill();
    this.maximumAvailable = PLAN_LIMITS[plan].maximumAvailable;
    this.restoreRate = PLAN_LIMITS[plan].restoreRate;
    this.available = Math.min(this.available, this.maximumAvailable);
  }

  private refill(): void {
    const t = this.now();
    const elapsedSec = Math.max(0, t - this.updatedAt) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsedSec * this.restoreRate);
    this.updatedAt = t;
  }

  /** Takes `cost` points if the bucket holds them; the request is refused otherwise. */
  tryTake(cost: number): boolean {
    this.refill();
    if (this.available < cost) return false;
    this.available -= cost;
    return true;
  }

  /** Returns points that were reserved for the requested cost but not used by the actual cost. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  drain(to = 0): void {
    this.refill();
    this.available = Math.max(0, Math.min(to, this.maximumAvailable));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
