import { describe, expect, it } from "vitest";
import { ThrottleModel, type ThrottleStatus } from "~/shopify/throttle";

const standard = (currentlyAvailable: number): ThrottleStatus => ({ maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 });
const T0 = 1_000_000;

function modelWith(status: ThrottleStatus, at = T0): ThrottleModel {
  const model = new ThrottleModel();
  model.record(status, null, at);
  return model;
}

describe("Shopify leaky-bucket model", () => {
  it("does not hold back the first call: nothing is known before Shopify has answered once", () => {
    const model = new ThrottleModel();
    expect(model.waitMsFor(1000, T0)).toBe(0);
    expect(model.available(T0)).toBeNull();
    expect(model.reportedLimits()).toBeNull();
  });

  it("lets an affordable call go at once", () => {
    const model = modelWith(standard(500));
    expect(model.waitMsFor(10, T0)).toBe(0);
    expect(model.waitMsFor(499, T0)).toBe(0);
  });

  it("a cost exactly equal to what the bucket holds is affordable", () => {
    expect(modelWith(standard(250)).waitMsFor(250, T0)).toBe(0);
  });

  it("waits for the missing points at the restore rate Shopify reported", () => {
    // 10 points missing at 100 points/s: 100 ms
    expect(modelWith(standard(0)).waitMsFor(10, T0)).toBe(100);
    expect(modelWith(standard(40)).waitMsFor(100, T0)).toBe(600);
  });

  it("never assumes a plan: the same deficit waits less on a faster-restoring shop", () => {
    const plus = modelWith({ maximumAvailable: 20000, currentlyAvailable: 0, restoreRate: 1000 });
    const advanced = modelWith({ maximumAvailable: 4000, currentlyAvailable: 0, restoreRate: 200 });
    expect(plus.waitMsFor(100, T0)).toBe(100);
    expect(advanced.waitMsFor(100, T0)).toBe(500);
    expect(plus.reportedLimits()).toEqual({ maximumAvailable: 20000, restoreRate: 1000 });
  });

  it("counts the points restored since the status was seen", () => {
    const model = modelWith(standard(0));
    expect(model.available(T0 + 250)).toBe(25);
    expect(model.waitMsFor(50, T0 + 250)).toBe(250);
    expect(model.waitMsFor(50, T0 + 500)).toBe(0);
  });

  it("waiting the time it says makes the call affordable", () => {
    const model = modelWith(standard(7));
    const wait = model.waitMsFor(333, T0);
    expect(wait).toBeGreaterThan(0);
    expect(model.waitMsFor(333, T0 + wait)).toBe(0);
  });

  it("rounds a fractional wait up, never down", () => {
    // 1 point at 3 points/s is 333.33 ms
    const model = modelWith({ maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 3 });
    expect(model.waitMsFor(1, T0)).toBe(334);
  });

  it("a bucket never refills past its maximum", () => {
    const model = modelWith(standard(1990));
    expect(model.available(T0 + 60_000)).toBe(2000);
  });

  it("a cost above the bucket size waits only for a full bucket", () => {
    const model = modelWith(standard(1000));
    expect(model.waitMsFor(5000, T0)).toBe(10_000);
    expect(model.waitMsFor(5000, T0 + 10_000)).toBe(0);
  });

  it("a free call never waits", () => {
    expect(modelWith(standard(0)).waitMsFor(0, T0)).toBe(0);
  });

  it("a newer status replaces the estimate, including a changed plan", () => {
    const model = modelWith(standard(0));
    model.record({ maximumAvailable: 4000, currentlyAvailable: 3000, restoreRate: 200 }, 10, T0 + 10);
    expect(model.available(T0 + 10)).toBe(3000);
    expect(model.reportedLimits()).toEqual({ maximumAvailable: 4000, restoreRate: 200 });
  });

  it("an older status arriving late (a slower concurrent call) does not overwrite a newer one", () => {
    const model = modelWith(standard(1500), T0 + 100);
    model.record(standard(10), 10, T0);
    expect(model.available(T0 + 100)).toBe(1500);
  });

  it("a THROTTLED answer says how long to wait before the refused call", () => {
    // Shopify refused a 120-point call with 35 points left at 50/s: 1.7 s
    const model = modelWith({ maximumAvailable: 1000, currentlyAvailable: 35, restoreRate: 50 });
    expect(model.waitMsFor(120, T0)).toBe(1700);
  });

  it("a response without a throttle status still spends its actual cost", () => {
    const model = modelWith(standard(100));
    model.record(undefined, 60, T0);
    expect(model.available(T0)).toBe(40);
    expect(model.waitMsFor(100, T0)).toBe(600);
  });

  it("a cost without any known status teaches nothing", () => {
    const model = new ThrottleModel();
    model.record(null, 500, T0);
    expect(model.available(T0)).toBeNull();
    expect(model.waitMsFor(100, T0)).toBe(0);
  });

  it("ignores a status it cannot model (no restore rate)", () => {
    const model = new ThrottleModel();
    model.record({ maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 0 }, null, T0);
    expect(model.waitMsFor(100, T0)).toBe(0);
    model.record({ maximumAvailable: Number.NaN, currentlyAvailable: 0, restoreRate: 50 }, null, T0);
    expect(model.available(T0)).toBeNull();
  });

  it("a clock that goes backwards does not invent points", () => {
    const model = modelWith(standard(100));
    expect(model.available(T0 - 5_000)).toBe(100);
  });
});
