// recordAllocationSteps: several changes of an allocation written as one update, as they would
// have been written one after the other (data merged in order, each event with its own time and
// the status in effect at its step), and the lease given up with the write when asked.
import { describe, expect, it } from "vitest";
import type { ShopDatabase } from "~/db/tenant.server";
import { ALLOCATION_FIELDS, recordAllocation, recordAllocationSteps } from "~/orders/allocations.server";

const shop = "steps.myshopify.com";

function fakeDatabase() {
  const calls: Array<Record<string, unknown>> = [];
  const scoped = {
    allocation: {
      update: async (args: Record<string, unknown>) => {
        calls.push(args);
        return { id: "a1" };
      },
    },
  } as unknown as ShopDatabase;
  return { scoped, calls };
}

describe("recordAllocationSteps", () => {
  it("writes deferred changes and the next one together, each event with its own time and status", async () => {
    const { scoped, calls } = fakeDatabase();
    const t1 = new Date("2025-01-01T00:00:00Z");
    const t2 = new Date("2025-01-01T00:00:01Z");
    await recordAllocationSteps(scoped, shop, { id: "a1", status: "requested" }, [
      { change: { status: "requested", kind: "routed", note: "Newark", data: { warehouseId: "w1", routingReason: "{}", lastError: null } }, at: t1 },
      { change: { status: "accepted", kind: "accepted", note: "Accepted for Newark", data: { warehouseId: "w1" } }, at: t2 },
    ]);
    expect(calls).toEqual([
      {
        where: { id: "a1" },
        data: {
          warehouseId: "w1",
          routingReason: "{}",
          lastError: null,
          status: "accepted",
          events: {
            create: [
              { shop, kind: "routed", status: "requested", note: "Newark", at: t1 },
              { shop, kind: "accepted", status: "accepted", note: "Accepted for Newark", at: t2 },
            ],
          },
        },
        select: ALLOCATION_FIELDS,
      },
    ]);
  });

  it("a later value wins; an event without a new status carries the one in effect; the stored status is left alone when none is given", async () => {
    const { scoped, calls } = fakeDatabase();
    const at = new Date("2025-01-01T00:00:00Z");
    await recordAllocationSteps(scoped, shop, { id: "a1", status: "accepted" }, [
      { change: { kind: "sent", note: "x".repeat(3_000), data: { warehouseOrderStatus: "received", lastError: null } }, at },
      { change: { data: { warehouseOrderStatus: "acknowledged" } }, at },
    ]);
    const data = calls[0]!.data as Record<string, unknown>;
    expect(data.status).toBeUndefined();
    expect(data.warehouseOrderStatus).toBe("acknowledged");
    expect(data.lastError).toBeNull();
    expect(data.events).toEqual({ create: { shop, kind: "sent", status: "accepted", note: "x".repeat(2_000), at } });
    expect(data).not.toHaveProperty("lockedUntil");
  });

  it("gives the lease up with the write when it is the run's last", async () => {
    const { scoped, calls } = fakeDatabase();
    await recordAllocationSteps(scoped, shop, { id: "a1", status: "sent" }, [], { release: true });
    expect(calls).toEqual([{ where: { id: "a1" }, data: { lockedUntil: null }, select: ALLOCATION_FIELDS }]);
  });

  it("recordAllocation is the one-step case", async () => {
    const { scoped, calls } = fakeDatabase();
    const at = new Date("2025-01-01T00:00:00Z");
    await recordAllocation(scoped, shop, { id: "a1", status: "sent" }, { status: "error", kind: "error", note: "boom", data: { lastError: "boom" } }, at);
    expect(calls).toEqual([
      { where: { id: "a1" }, data: { lastError: "boom", status: "error", events: { create: { shop, kind: "error", status: "error", note: "boom", at } } }, select: ALLOCATION_FIELDS },
    ]);
  });
});
