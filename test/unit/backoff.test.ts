import { describe, expect, it } from "vitest";
import { retryDelayMs } from "~/jobs/backoff";

describe("job retry backoff", () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it("doubles the ceiling with each attempt", () => {
    const high = () => 1;
    expect([2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, policy, high))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it("never waits less than half the ceiling (jitter without collapse)", () => {
    const low = () => 0;
    expect([2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, low))).toEqual([500, 1_000, 2_000]);
  });

  it("is capped", () => {
    expect(retryDelayMs(30, policy, () => 1)).toBe(60_000);
  });
});
