import { describe, expect, it } from "vitest";
import { percentile, percentileIndex, successRate } from "../../../app/observability/percentiles";

describe("latency percentiles (nearest rank)", () => {
  it("p50 and p95 of 1..100 ms are 50 and 95 ms", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
  });

  it("a percentile is always an observed value, never an interpolation", () => {
    expect(percentile([10, 1000], 0.5)).toBe(10);
    expect(percentile([10, 1000], 0.95)).toBe(1000);
    expect(percentile([7], 0.95)).toBe(7);
  });

  it("no values, no percentile", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentileIndex(0, 0.95)).toBeNull();
  });

  it("the database's OFFSET and the in-app pick choose the same rank", () => {
    for (const n of [1, 2, 3, 19, 20, 21, 100, 101]) {
      const values = Array.from({ length: n }, (_, i) => i);
      expect(percentile(values, 0.95)).toBe(percentileIndex(n, 0.95));
    }
  });

  it("refuses a percentile outside (0, 1]", () => {
    expect(() => percentileIndex(10, 95)).toThrow(RangeError);
    expect(() => percentileIndex(10, 0)).toThrow(RangeError);
  });

  it("success rate is the share of calls that succeeded, unknown without calls", () => {
    expect(successRate(97, 100)).toBe(0.97);
    expect(successRate(0, 0)).toBeNull();
  });
});
