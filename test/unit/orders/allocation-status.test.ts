import { describe, expect, it } from "vitest";
import { atWarehouse, isSettled, waitingRetryDelayMs } from "~/orders/allocation-status";
import { formatRegions, parseRegions } from "~/orders/regions";

describe("allocation statuses", () => {
  it("an order the warehouse holds is accepted or sent; shipped, delivered, cancelled and rejected ones are settled", () => {
    expect(["accepted", "sent"].every(atWarehouse)).toBe(true);
    expect(["requested", "waiting", "shipped", "error"].some(atWarehouse)).toBe(false);
    expect(["shipped", "delivered", "cancelled", "rejected"].every(isSettled)).toBe(true);
    expect(["requested", "accepted", "sent", "waiting", "error"].some(isSettled)).toBe(false);
  });

  it("a waiting order is tried again after 1, 2, 4 and 8 minutes, then every 15", () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => waitingRetryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 15, 15]);
  });
});

describe("a warehouse's regions", () => {
  it("are read as normalised market codes, invalid ones dropped", () => {
    expect(parseRegions('["us", "US-ca", "nope!", "*"]')).toEqual({ regions: ["US", "US-CA", "*"], readable: true });
    expect(parseRegions("[]")).toEqual({ regions: [], readable: true });
  });

  it("an unreadable value means the default, everywhere, and says so", () => {
    expect(parseRegions("US,CA")).toEqual({ regions: ["*"], readable: false });
    expect(parseRegions(null)).toEqual({ regions: ["*"], readable: true });
  });

  it("are written back normalised", () => {
    expect(formatRegions([" us-ny", "US-NY", "x"])).toBe('["US-NY"]');
  });
});
