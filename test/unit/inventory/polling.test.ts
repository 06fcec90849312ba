import { describe, expect, it } from "vitest";
import { nextPollDelayMs } from "~/inventory/polling";

const policy = { minMs: 5_000, maxMs: 60_000 };

describe("adaptive warehouse polling", () => {
  it("polls at the fastest rate while stock moves", () => {
    expect(nextPollDelayMs(40_000, 3, policy)).toBe(5_000);
  });
  it("backs off while quiet, up to the maximum", () => {
    const delays = [5_000];
    for (let i = 0; i < 6; i++) delays.push(nextPollDelayMs(delays.at(-1)!, 0, policy));
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });
  it("starts fast", () => {
    expect(nextPollDelayMs(null, 0, policy)).toBe(5_000);
  });
});
