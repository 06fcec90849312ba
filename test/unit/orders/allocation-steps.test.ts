// mergeAllocationSteps: several changes of an allocation written as one update, as they would
// have been written one after the other (data merged in order, each event with its own time and
// the status in effect at its step), and the lease given up with the write when asked. The write
// itself is tested against both databases in test/integration/allocation-statements.test.ts.
import { describe, expect, it } from "vitest";
import { mergeAllocationSteps } from "~/orders/allocations.server";

describe("mergeAllocationSteps", () => {
  it("writes deferred changes and the next one together, each event with its own time and status", () => {
    const t1 = new Date("2025-01-01T00:00:00Z");
    const t2 = new Date("2025-01-01T00:00:01Z");
    const merged = mergeAllocationSteps({ status: "requested" }, [
      { change: { status: "requested", kind: "routed", note: "Newark", data: { warehouseId: "w1", routingReason: "{}", lastError: null } }, at: t1 },
      { change: { status: "accepted", kind: "accepted", note: "Accepted for Newark", data: { warehouseId: "w1" } }, at: t2 },
    ]);
    expect(merged).toEqual({
      columns: { warehouseId: "w1", routingReason: "{}", lastError: null },
      status: "accepted",
      release: false,
      events: [
        { kind: "routed", status: "requested", note: "Newark", at: t1 },
        { kind: "accepted", status: "accepted", note: "Accepted for Newark", at: t2 },
      ],
    });
  });

  it("a later value wins; an event without a new status carries the one in effect; the stored status is left alone when none is given", () => {
    const at = new Date("2025-01-01T00:00:00Z");
    const merged = mergeAllocationSteps({ status: "accepted" }, [
      { change: { kind: "sent", note: "x".repeat(3_000), data: { warehouseOrderStatus: "received", lastError: null } }, at },
      { change: { data: { warehouseOrderStatus: "acknowledged" } }, at },
    ]);
    expect(merged).not.toHaveProperty("status");
    expect(merged.columns).toEqual({ warehouseOrderStatus: "acknowledged", lastError: null });
    expect(merged.events).toEqual([{ kind: "sent", status: "accepted", note: "x".repeat(2_000), at }]);
    expect(merged.release).toBe(false);
  });

  it("gives the lease up with the write when it is the run's last", () => {
    expect(mergeAllocationSteps({ status: "sent" }, [], { release: true })).toEqual({ columns: {}, release: true, events: [] });
  });

  it("a step without a kind changes the record silently; a note left out is stored as none", () => {
    const at = new Date("2025-01-01T00:00:00Z");
    const merged = mergeAllocationSteps({ status: "sent" }, [
      { change: { status: "error", kind: "error", data: { lastError: "boom" } }, at },
      { change: { data: { nextAttemptAt: null } }, at },
    ]);
    expect(merged).toEqual({ columns: { lastError: "boom", nextAttemptAt: null }, status: "error", release: false, events: [{ kind: "error", status: "error", note: null, at }] });
  });
});
