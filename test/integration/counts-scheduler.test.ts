// Count plans and the scheduler: plans validated into an error map, tasks made once per plan,
// warehouse and shop day however many runs race, rolling plans that reach every SKU in time, and
// exception counts raised from the stock positions.
import { beforeEach, describe, expect, it } from "vitest";
import { shopDay } from "~/counts/calendar";
import { readCountNote } from "~/counts/count-note";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { recordCount } from "~/models/counts/counting.server";
import { createCountPlan, deactivateCountPlan, listCountPlans, updateCountPlan } from "~/models/counts/plans.server";
import { postCountTask } from "~/models/counts/posting.server";
import { COUNT_SCHEDULER_JOB, nextDailyRun, requestCountScheduling, runCountScheduler } from "~/models/counts/scheduler.server";
import { approveCountTask, assignCountTask, createCountTask, listCountTasks, startCountReview, startCountTask, submitCountTask } from "~/models/counts/tasks.server";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import "~/models/counts/jobs.server";
import { resetCountData, seedShop, seedWarehouse, warehouseReports, type SeededWarehouse } from "../helpers/counts";

const SHOP = "counts-scheduler.myshopify.com";
const TIME_ZONE = "Asia/Shanghai";
const SKUS = Array.from({ length: 10 }, (_, i) => `SKU-${String(i + 1).padStart(2, "0")}`);

let lax: SeededWarehouse;

beforeEach(async () => {
  await resetCountData();
  await seedShop(SHOP, { timeZone: TIME_ZONE });
  lax = await seedWarehouse(SHOP, { code: "LAX1", name: "Los Angeles", skus: SKUS.map((sku) => ({ sku, sellable: 10 })), at: new Date("2025-05-01T00:00:00Z") });
});

/** 09:00 in Shanghai on the given day of June 2025. */
function june(day: number, hour = 9): Date {
  return new Date(Date.UTC(2025, 5, day, hour - 8));
}

/** A counter counts the task exactly as the books say, and it is approved and posted. */
async function countAndPost(taskId: string, now: Date) {
  const at = (minutes: number) => ({ actor: "lee@example.com", now: new Date(now.getTime() + minutes * 60_000) });
  await assignCountTask(SHOP, taskId, "lee@example.com", at(1));
  await startCountTask(SHOP, taskId, at(2));
  const lines = await forShop(SHOP).countLine.findMany({ where: { taskId }, select: { warehouseSku: true, bookQuantity: true } });
  for (const line of lines) await recordCount(SHOP, taskId, { code: line.warehouseSku, quantity: line.bookQuantity! }, at(3));
  await submitCountTask(SHOP, taskId, at(4));
  await startCountReview(SHOP, taskId, at(5));
  await approveCountTask(SHOP, taskId, {}, at(6));
  // Nothing to adjust: posting needs neither Shopify nor the warehouse.
  await postCountTask(SHOP, taskId, { now: () => new Date(now.getTime() + 7 * 60_000) });
}

describe("count plans", () => {
  it("a plan is validated into an error map by field, and saved when it reads", async () => {
    const refused = await createCountPlan(SHOP, { name: " ", kind: "rolling", settings: { everyDays: 0, dailyLines: 10 } }, { schedule: false });
    expect(refused.errors).toEqual({ name: "Give the plan a name", settings: "Count every SKU every 1 to 365 days" });
    expect(await createCountPlan(SHOP, { name: "X", kind: "weekly", settings: {} }, { schedule: false })).toMatchObject({ errors: { kind: expect.stringContaining("Choose a kind of count") } });
    expect(await createCountPlan(SHOP, { name: "X", kind: "full", warehouseId: "nope", settings: { countOn: "2025-06-01" } }, { schedule: false })).toMatchObject({ errors: { warehouseId: expect.any(String) } });

    const created = await createCountPlan(SHOP, { name: "Daily cycle count", kind: "rolling", warehouseId: lax.warehouseId, settings: { everyDays: 30, dailyLines: 40 } }, { schedule: false });
    expect(created.plan).toMatchObject({ name: "Daily cycle count", kind: "rolling", warehouseName: "Los Angeles", active: true, settings: { kind: "rolling", everyDays: 30, dailyLines: 40 } });
    const updated = await updateCountPlan(SHOP, created.plan!.id, { name: "Daily cycle count", kind: "rolling", warehouseId: lax.warehouseId, settings: JSON.stringify({ everyDays: 10, dailyLines: 5 }) }, { schedule: false });
    expect(updated.plan?.settings).toEqual({ kind: "rolling", everyDays: 10, dailyLines: 5 });
    await deactivateCountPlan(SHOP, created.plan!.id, { schedule: false });
    expect((await listCountPlans(SHOP)).map((plan) => [plan.name, plan.active])).toEqual([["Daily cycle count", false]]);
    expect((await runCountScheduler(SHOP, { now: june(2), kinds: ["rolling"] })).created).toEqual([]);
  });

  it("creating a plan asks the scheduler to run now and keeps one daily run queued, at midnight shop time", async () => {
    await createCountPlan(SHOP, { name: "Cycle", kind: "rolling", settings: { everyDays: 5, dailyLines: 5 } });
    await requestCountScheduling(SHOP);
    const jobs = await db.job.findMany({ where: { shop: SHOP, type: COUNT_SCHEDULER_JOB }, orderBy: { runAt: "asc" } });
    expect(jobs.map((job) => JSON.parse(job.payload).run)).toEqual(["now", "daily"]);
    expect(nextDailyRun(june(2, 23), TIME_ZONE).toISOString()).toBe("2025-06-02T16:05:00.000Z"); // 00:05 on June 3rd in Shanghai
    // the "now" run makes today's task; the daily one waits for midnight
    await new DatabaseJobRunner().drain();
    expect(await forShop(SHOP).countTask.count()).toBe(1);
    expect(await db.job.count({ where: { shop: SHOP, type: COUNT_SCHEDULER_JOB, status: "queued" } })).toBe(1);
  });
});

describe("the scheduler", () => {
  it("the rolling plan covers every SKU within N days (scheduler over simulated days)", async () => {
    const everyDays = 4;
    await createCountPlan(SHOP, { name: "Cycle", kind: "rolling", warehouseId: lax.warehouseId, settings: { everyDays, dailyLines: 5 } }, { schedule: false });
    const countedOn = new Map<string, number[]>(SKUS.map((sku) => [sku, []]));
    for (let day = 1; day <= 14; day++) {
      const run = await runCountScheduler(SHOP, { now: june(day), kinds: ["rolling"] });
      expect(run.day).toBe(`2025-06-${String(day).padStart(2, "0")}`);
      for (const task of run.created) {
        const lines = await forShop(SHOP).countLine.findMany({ where: { taskId: task.taskId }, select: { warehouseSku: true } });
        for (const line of lines) countedOn.get(line.warehouseSku)!.push(day);
        await countAndPost(task.taskId, june(day));
      }
    }
    for (const [sku, days] of countedOn) {
      expect(days[0], `${sku} first counted`).toBeLessThanOrEqual(everyDays);
      for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!, `${sku} between counts`).toBeLessThanOrEqual(everyDays);
      expect(14 - days.at(-1)!, `${sku} since its last count`).toBeLessThan(everyDays);
    }
  });

  it("the scheduler creates each plan's task once per day even when run twice concurrently", async () => {
    const plan = (await createCountPlan(SHOP, { name: "Cycle", kind: "rolling", settings: { everyDays: 5, dailyLines: 3 } }, { schedule: false })).plan!;
    const nyc = await seedWarehouse(SHOP, { code: "NYC1", connectionId: lax.connectionId, skus: [{ sku: "SKU-01", sellable: 4 }], at: new Date("2025-05-01T00:00:00Z") });
    const runs = await Promise.all([runCountScheduler(SHOP, { now: june(3) }), runCountScheduler(SHOP, { now: june(3, 10) }), runCountScheduler(SHOP, { now: june(3, 11) })]);
    const tasks = await forShop(SHOP).countTask.findMany({ where: { planId: plan.id }, orderBy: { number: "asc" } });
    expect(tasks.map((task) => task.warehouseId).sort()).toEqual([lax.warehouseId, nyc.warehouseId].sort());
    expect(runs.flatMap((run) => run.created)).toHaveLength(2);
    expect(new Set(tasks.map((task) => task.number)).size).toBe(2);
    expect(tasks.map((task) => task.scheduleKey)).toEqual(expect.arrayContaining([`${plan.id}:2025-06-03:${lax.warehouseId}`]));
    // later the same day: nothing new; the next day: the next tasks
    expect((await runCountScheduler(SHOP, { now: june(3, 23) })).created).toHaveLength(0);
    // (NYC1's one SKU is still on yesterday's open count, so only LAX1 has something to count)
    const nextDay = await runCountScheduler(SHOP, { now: june(4) });
    expect(nextDay.created.map((task) => task.warehouseId)).toEqual([lax.warehouseId]);
    expect(nextDay.skipped).toContainEqual(expect.objectContaining({ warehouseId: nyc.warehouseId, reason: "nothing_to_count" }));
  });

  it("task numbers stay unique per shop when counts are created at the same moment", async () => {
    const made = await Promise.all(Array.from({ length: 8 }, () => createCountTask(SHOP, { warehouseId: lax.warehouseId, kind: "full" }, { actor: "sam@example.com" })));
    expect(new Set(made.map((task) => task.label)).size).toBe(8);
    expect(made.map((task) => task.number).sort((a, b) => a - b)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]);
    const page = await listCountTasks(SHOP, { search: "CC-1004" });
    expect(page.tasks.map((task) => task.label)).toEqual(["CC-1004"]);
    expect((await listCountTasks(SHOP, { pageSize: 3, page: 2 })).tasks.map((task) => task.number)).toEqual([1005, 1004, 1003]);
  });

  it("exception counts are raised by the system from positions: negative stock, drift, fresh damage", async () => {
    await warehouseReports(SHOP, lax, "SKU-02", -2, new Date("2025-05-20T00:00:00Z"));
    await warehouseReports(SHOP, lax, "SKU-05", 8, new Date("2025-05-20T00:00:00Z"), { damaged: 2 });
    await forShop(SHOP).inventoryPosition.updateMany({ where: { warehouseSku: "SKU-07" }, data: { lastDrift: 9, lastDriftAt: new Date("2025-05-30T00:00:00Z") } });
    const run = await runCountScheduler(SHOP, { now: june(1) });
    expect(run.created).toHaveLength(1);
    const task = run.created[0]!;
    expect(task).toMatchObject({ kind: "exception", planId: null });
    const lines = await forShop(SHOP).countLine.findMany({ where: { taskId: task.taskId }, select: { warehouseSku: true }, orderBy: { warehouseSku: "asc" } });
    expect(lines.map((line) => line.warehouseSku)).toEqual(["SKU-02", "SKU-05", "SKU-07"]);
    const [created] = await forShop(SHOP).countTaskEvent.findMany({ where: { taskId: task.taskId } });
    expect(readCountNote(created!.note)).toMatchObject({ key: "raised", lines: 3 });
    expect(created!.note).toContain("The warehouse reports -2 units sellable of SKU-02");
    expect(created!.note).toContain("Shopify showed 9 units more than it should for SKU-07");
    // the same day again: once; a merchant's exception plan with a higher drift threshold replaces the built-in one
    expect((await runCountScheduler(SHOP, { now: june(1, 15) })).created).toHaveLength(0);
    await forShop(SHOP).countTask.deleteMany({});
    await createCountPlan(SHOP, { name: "Exceptions", kind: "exception", settings: { driftUnits: 10 } }, { schedule: false });
    const own = await runCountScheduler(SHOP, { now: june(2) });
    const ownLines = await forShop(SHOP).countLine.findMany({ where: { taskId: own.created[0]!.taskId }, select: { warehouseSku: true }, orderBy: { warehouseSku: "asc" } });
    expect(ownLines.map((line) => line.warehouseSku)).toEqual(["SKU-02", "SKU-05"]);
  });

  it("a campaign count covers the tagged products' SKUs and is due when the campaign starts", async () => {
    const dueAt = "2025-06-12T12:00:00.000Z";
    await createCountPlan(SHOP, { name: "Live stream 06-12", kind: "campaign", warehouseId: lax.warehouseId, settings: { scope: { by: "tag", tag: "live-0612" }, dueAt } }, { schedule: false });
    const lookups: unknown[] = [];
    const run = await runCountScheduler(SHOP, {
      now: june(10),
      campaignProducts: async (_shop, scope) => {
        lookups.push(scope);
        return ["gid://shopify/Product/SKU-03", "gid://shopify/Product/SKU-04"];
      },
    });
    expect(lookups).toEqual([{ by: "tag", tag: "live-0612" }]);
    const campaign = run.created.find((task) => task.kind === "campaign")!;
    expect(campaign).toMatchObject({ lines: 2, dueAt: new Date(dueAt) });
    // a campaign runs once
    expect((await runCountScheduler(SHOP, { now: june(11), campaignProducts: async () => ["gid://shopify/Product/SKU-03"] })).created.filter((t) => t.kind === "campaign")).toHaveLength(0);
  });

  it("lines carry the SKU's ABC class, and an ABC plan counts class A weekly", async () => {
    const scoped = forShop(SHOP);
    const order = await scoped.order.create({ data: { shop: SHOP, shopifyOrderId: "gid://shopify/Order/1", name: "#1001", createdAt: new Date("2025-05-25T00:00:00Z") } });
    await scoped.orderLine.create({ data: { shop: SHOP, orderId: order.id, lineItemId: "gid://shopify/LineItem/1", inventoryItemId: lax.itemOf.get("SKU-09")!, quantity: 50 } });
    await createCountPlan(SHOP, { name: "ABC", kind: "abc", warehouseId: lax.warehouseId, settings: {} }, { schedule: false });
    const first = await runCountScheduler(SHOP, { now: june(1), kinds: ["abc"] });
    const lines = await scoped.countLine.findMany({ where: { taskId: first.created[0]!.taskId }, select: { warehouseSku: true, abcClass: true } });
    expect(lines.find((line) => line.warehouseSku === "SKU-09")?.abcClass).toBe("A");
    // C sells nothing: a 90-day cadence spreads its 9 SKUs over the quarter, one a day
    expect(lines.map((line) => line.abcClass).sort()).toEqual(["A", "C"]);
    await countAndPost(first.created[0]!.taskId, june(1));
    const weekLater = await runCountScheduler(SHOP, { now: june(8), kinds: ["abc"] });
    const again = await scoped.countLine.findMany({ where: { taskId: weekLater.created[0]!.taskId }, select: { warehouseSku: true } });
    expect(again.map((line) => line.warehouseSku)).toContain("SKU-09");
    expect(again).toHaveLength(2);
    expect(shopDay(june(8), TIME_ZONE)).toBe("2025-06-08");
  });
});
