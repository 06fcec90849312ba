import { describe, expect, it } from "vitest";
import { countTaskKey, dueTasksForToday, type CountPlanToRun, type SchedulerInput, type WarehouseCountInputs } from "~/counts/scheduler";

const now = new Date("2025-03-14T17:00:00Z"); // 2025-03-15 01:00 in Shanghai
const skus = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ inventoryItemId: `${prefix}-item-${i}`, warehouseSku: `${prefix}-${String(i).padStart(3, "0")}`, lastCountedAt: null }));
const east: WarehouseCountInputs = { warehouseId: "wh-east", skus: skus("E", 30) };
const west: WarehouseCountInputs = { warehouseId: "wh-west", skus: skus("W", 10) };
const rolling: CountPlanToRun = { id: "plan-roll", warehouseId: "wh-east", active: true, nextRunAt: null, settings: { kind: "rolling", everyDays: 10, dailyLines: 5 } };
const input = (overrides: Partial<SchedulerInput> = {}): SchedulerInput => ({
  now,
  timeZone: "UTC",
  plans: [rolling],
  warehouses: [east, west],
  existingTaskKeys: new Set(),
  ...overrides,
});

describe("the count scheduler", () => {
  it("creates today's task for a rolling plan, due by the end of the shop's day, and runs the plan again tomorrow", () => {
    const result = dueTasksForToday(input());
    expect(result.tasks).toHaveLength(1);
    expect(result.tasks[0]).toMatchObject({ key: "plan-roll:2025-03-14:wh-east", planId: "plan-roll", warehouseId: "wh-east", kind: "rolling", dueAt: new Date("2025-03-15T00:00:00Z") });
    expect(result.tasks[0]!.lines.map((l) => l.warehouseSku)).toEqual(["E-000", "E-001", "E-002"]);
    expect(result.planUpdates).toEqual([{ planId: "plan-roll", nextRunAt: new Date("2025-03-15T00:00:00Z"), active: true }]);
  });

  it("never creates a second task for the same plan, warehouse and day", () => {
    const first = dueTasksForToday(input());
    const again = dueTasksForToday(input({ existingTaskKeys: new Set(first.tasks.map((t) => t.key)) }));
    expect(again.tasks).toEqual([]);
    expect(again.skipped).toEqual([{ planId: "plan-roll", warehouseId: "wh-east", reason: "already_created", message: "Today's count for this plan already exists" }]);
  });

  it("a plan listed twice in one run still makes one task", () => {
    expect(dueTasksForToday(input({ plans: [rolling, rolling] })).tasks).toHaveLength(1);
  });

  it("the key is the plan, the shop's calendar day and the warehouse", () => {
    expect(countTaskKey("p1", "2025-03-15", "wh-east")).toBe("p1:2025-03-15:wh-east");
    const result = dueTasksForToday(input({ timeZone: "Asia/Shanghai" }));
    expect(result.tasks[0]).toMatchObject({ key: "plan-roll:2025-03-15:wh-east", dueAt: new Date("2025-03-15T16:00:00Z") });
  });

  it("gives the same tasks for the same inputs", () => {
    expect(dueTasksForToday(input())).toEqual(dueTasksForToday(input()));
  });

  it("does not run a plan before its next run or while it is paused", () => {
    expect(dueTasksForToday(input({ plans: [{ ...rolling, nextRunAt: new Date("2025-03-15T00:00:00Z") }] }))).toEqual({ tasks: [], skipped: [], planUpdates: [] });
    expect(dueTasksForToday(input({ plans: [{ ...rolling, active: false }] })).tasks).toEqual([]);
    expect(dueTasksForToday(input({ plans: [{ ...rolling, nextRunAt: now }] })).tasks).toHaveLength(1);
  });

  it("a plan without a warehouse makes one task per warehouse", () => {
    const result = dueTasksForToday(input({ plans: [{ ...rolling, warehouseId: null }] }));
    expect(result.tasks.map((t) => t.key)).toEqual(["plan-roll:2025-03-14:wh-east", "plan-roll:2025-03-14:wh-west"]);
  });

  it("a plan for a warehouse that is not connected is skipped and says so", () => {
    expect(dueTasksForToday(input({ plans: [{ ...rolling, warehouseId: "wh-gone" }] })).skipped).toEqual([
      { planId: "plan-roll", warehouseId: "wh-gone", reason: "unknown_warehouse", message: "Warehouse wh-gone is not connected" },
    ]);
  });

  it("a day with nothing to count makes no task", () => {
    const healthy = { ...east, positions: [{ inventoryItemId: "E-item-0", warehouseSku: "E-000", sellable: 4, reserved: 1 }] };
    const result = dueTasksForToday(input({ warehouses: [healthy], plans: [{ ...rolling, settings: { kind: "exception" } }] }));
    expect(result.tasks).toEqual([]);
    expect(result.skipped[0]).toMatchObject({ reason: "nothing_to_count" });
  });

  it("passes on the warning of a rolling plan whose cap is too small", () => {
    const result = dueTasksForToday(input({ plans: [{ ...rolling, settings: { kind: "rolling", everyDays: 10, dailyLines: 2 } }] }));
    expect(result.tasks[0]!.warnings).toEqual(["Counting all 30 SKUs every 10 days needs at least 3 lines a day; the plan allows 2, so some SKUs will wait longer"]);
  });

  it("does not plan SKUs already on an open count of the warehouse", () => {
    const busy = { ...east, beingCounted: new Set(["E-item-0", "E-item-1"]) };
    expect(dueTasksForToday(input({ warehouses: [busy] })).tasks[0]!.lines.map((l) => l.warehouseSku)).toEqual(["E-002", "E-003", "E-004"]);
  });

  it("tags each line of an ABC plan with its class", () => {
    const sales = new Map([["E-item-5", 100]]);
    const abc: CountPlanToRun = { id: "plan-abc", warehouseId: "wh-east", active: true, nextRunAt: null, settings: { kind: "abc" } };
    const lines = dueTasksForToday(input({ plans: [abc], warehouses: [{ ...east, unitsSold: sales }] })).tasks[0]!.lines;
    expect(lines[0]).toEqual({ inventoryItemId: "E-item-5", warehouseSku: "E-005", abcClass: "A" });
    expect(lines.slice(1).every((l) => l.abcClass === "C")).toBe(true);
  });

  it("uses the shop's ABC cadence unless the plan sets its own", () => {
    const abc: CountPlanToRun = { id: "plan-abc", warehouseId: "wh-west", active: true, nextRunAt: null, settings: { kind: "abc" } };
    const run = (plan: CountPlanToRun) => dueTasksForToday(input({ plans: [plan], defaults: { abcCadence: { A: 7, B: 30, C: 5 } } })).tasks[0]!.lines.length;
    expect(run(abc)).toBe(2); // 10 C SKUs every 5 days
    expect(run({ ...abc, settings: { kind: "abc", cadenceDays: { A: 1, B: 1, C: 1 } } })).toBe(10);
  });

  it("a full count waits for its day, then counts every SKU once and is done", () => {
    const full: CountPlanToRun = { id: "plan-full", warehouseId: "wh-west", active: true, nextRunAt: null, settings: { kind: "full", countOn: "2025-03-20" } };
    const early = dueTasksForToday(input({ plans: [full] }));
    expect(early.tasks).toEqual([]);
    expect(early.planUpdates).toEqual([{ planId: "plan-full", nextRunAt: new Date("2025-03-20T00:00:00Z"), active: true }]);

    const onTheDay = dueTasksForToday(input({ plans: [full], now: new Date("2025-03-20T06:00:00Z") }));
    expect(onTheDay.tasks[0]).toMatchObject({ kind: "full", key: "plan-full:2025-03-20:wh-west", lines: { length: 10 } });
    expect(onTheDay.planUpdates).toEqual([{ planId: "plan-full", nextRunAt: null, active: false }]);
  });

  it("a full count the scheduler missed runs on the next day it runs", () => {
    const full: CountPlanToRun = { id: "plan-full", warehouseId: "wh-west", active: true, nextRunAt: null, settings: { kind: "full", countOn: "2025-03-10" } };
    expect(dueTasksForToday(input({ plans: [full] })).tasks).toHaveLength(1);
  });

  it("a campaign count is created at once, due at the campaign's date, and only once", () => {
    const campaign: CountPlanToRun = {
      id: "plan-live",
      warehouseId: null,
      active: true,
      nextRunAt: null,
      settings: { kind: "campaign", scope: { by: "tag", tag: "live" }, dueAt: new Date("2025-03-20T10:00:00Z") },
    };
    const catalog = [
      { inventoryItemId: "W-item-1", productId: "p1", collectionIds: [], tags: ["live"] },
      { inventoryItemId: "E-item-9", productId: "p9", collectionIds: [], tags: ["Live"] },
    ];
    const result = dueTasksForToday(input({ plans: [campaign], catalog }));
    expect(result.tasks.map((t) => [t.warehouseId, t.dueAt.toISOString(), t.lines.map((l) => l.warehouseSku)])).toEqual([
      ["wh-east", "2025-03-20T10:00:00.000Z", ["E-009"]],
      ["wh-west", "2025-03-20T10:00:00.000Z", ["W-001"]],
    ]);
    expect(result.planUpdates).toEqual([{ planId: "plan-live", nextRunAt: null, active: false }]);
  });

  it("a campaign whose date has passed makes no count", () => {
    const late: CountPlanToRun = { id: "plan-late", warehouseId: "wh-east", active: true, nextRunAt: null, settings: { kind: "campaign", scope: { by: "tag", tag: "x" }, dueAt: now } };
    const result = dueTasksForToday(input({ plans: [late] }));
    expect(result.tasks).toEqual([]);
    expect(result.skipped[0]).toMatchObject({ reason: "campaign_past_due" });
    expect(result.planUpdates).toEqual([{ planId: "plan-late", nextRunAt: null, active: false }]);
  });

  it("an exception plan raises lines with their reasons, using the shop's drift threshold", () => {
    const positions = [
      { inventoryItemId: "E-item-1", warehouseSku: "E-001", sellable: -2, reserved: 0 },
      { inventoryItemId: "E-item-2", warehouseSku: "E-002", sellable: 5, reserved: 0, lastDrift: 3 },
    ];
    const plan: CountPlanToRun = { id: "plan-exc", warehouseId: "wh-east", active: true, nextRunAt: null, settings: { kind: "exception" } };
    const lines = (driftUnits: number) => dueTasksForToday(input({ plans: [plan], warehouses: [{ ...east, positions }], defaults: { driftUnits } })).tasks[0]!.lines;
    expect(lines(5)).toEqual([
      { inventoryItemId: "E-item-1", warehouseSku: "E-001", exceptionReasons: ["negative_stock"], exceptionDetails: ["The warehouse reports -2 units sellable of E-001"] },
    ]);
    expect(lines(2).map((l) => l.exceptionReasons)).toEqual([["negative_stock"], ["drift"]]);
  });
});
