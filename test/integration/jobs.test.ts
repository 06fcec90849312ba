import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DatabaseJobQueue } from "~/jobs/queue.server";
import { defineJob } from "~/jobs/registry.server";
import { DatabaseJobRunner, retryDeadJob } from "~/jobs/runner.server";
import { PermanentJobError } from "~/jobs/types";

const SHOP = "alpha.myshopify.com";
let clock = new Date("2026-11-23T00:00:00Z");
const now = () => clock;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

const calls: Array<{ type: string; attempt: number; payload: unknown }> = [];
let failuresLeft = 0;
defineJob("test.flaky", async (payload, ctx) => {
  calls.push({ type: "test.flaky", attempt: ctx.attempt, payload });
  if (failuresLeft > 0) {
    failuresLeft--;
    throw new Error("warehouse timed out");
  }
});
defineJob("test.bad-payload", async () => {
  throw new PermanentJobError("SKU ABC-1 is not mapped to a warehouse product");
});

// A run that holds until the test lets it finish, one run per shop at a time.
const oneAtATime: Array<{ shop: string; label: unknown }> = [];
let letFinish: () => void = () => {};
let finishing = Promise.resolve();
defineJob(
  "test.one-per-shop",
  async (payload, ctx) => {
    oneAtATime.push({ shop: ctx.shop, label: (payload as { label: unknown }).label });
    await finishing;
  },
  { oneRunPerShop: true },
);

function runner() {
  return new DatabaseJobRunner({ now, backoff: { baseMs: 1_000, maxMs: 8_000 }, lockTimeoutMs: 60_000 });
}

describe("durable job runner", () => {
  beforeEach(async () => {
    await db.job.deleteMany({});
    await db.alert.deleteMany({});
    await db.shop.deleteMany({});
    await db.shop.create({ data: { shop: SHOP } });
    calls.length = 0;
    failuresLeft = 0;
    clock = new Date("2026-11-23T00:00:00Z");
  });

  it("runs a queued job once and marks it succeeded", async () => {
    const queue = new DatabaseJobQueue();
    const job = await queue.enqueue(SHOP, "test.flaky", { sku: "MUG-1" }, { runAt: clock });
    await runner().drain();
    expect(calls).toEqual([{ type: "test.flaky", attempt: 1, payload: { sku: "MUG-1" } }]);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    await runner().drain();
    expect(calls).toHaveLength(1);
  });

  it("a job with the same dedupe key is enqueued once", async () => {
    const queue = new DatabaseJobQueue();
    const first = await queue.enqueue(SHOP, "test.flaky", {}, { dedupeKey: "order-1", runAt: clock });
    const second = await queue.enqueue(SHOP, "test.flaky", {}, { dedupeKey: "order-1", runAt: clock });
    expect(second).toEqual({ id: first.id, duplicate: true });
    expect(await db.job.count({})).toBe(1);
  });

  it("once a job has started, the same dedupe key queues a new run (work arriving meanwhile is not lost)", async () => {
    const queue = new DatabaseJobQueue();
    const first = await queue.enqueue(SHOP, "test.flaky", {}, { dedupeKey: "sync", runAt: clock });
    await runner().drain();
    const second = await queue.enqueue(SHOP, "test.flaky", {}, { dedupeKey: "sync", runAt: clock });
    expect(second.duplicate).toBe(false);
    expect(second.id).not.toBe(first.id);
    expect(await queue.enqueue(SHOP, "test.flaky", {}, { dedupeKey: "sync", runAt: clock })).toEqual({ id: second.id, duplicate: true });
  });

  it("urgent jobs run before older normal ones; among equals the oldest runs first", async () => {
    const queue = new DatabaseJobQueue();
    await queue.enqueue(SHOP, "test.flaky", { n: "old normal" }, { runAt: new Date(clock.getTime() - 3_000) });
    await queue.enqueue(SHOP, "test.flaky", { n: "newer normal" }, { runAt: new Date(clock.getTime() - 2_000) });
    await queue.enqueue(SHOP, "test.flaky", { n: "urgent" }, { runAt: new Date(clock.getTime() - 1_000), priority: 1 });
    // A future urgent job waits for its time whatever its priority.
    await queue.enqueue(SHOP, "test.flaky", { n: "urgent later" }, { runAt: new Date(clock.getTime() + 60_000), priority: 1 });
    const one = new DatabaseJobRunner({ now, concurrency: 1 });
    await one.drain();
    expect(calls.map((c) => (c.payload as { n: string }).n)).toEqual(["urgent", "old normal", "newer normal"]);
  });

  it("job types take their priority from app/jobs/priorities.ts unless told otherwise", async () => {
    const queue = new DatabaseJobQueue();
    const request = await queue.enqueue(SHOP, "orders.fulfillment-order", {}, { runAt: new Date(clock.getTime() + 60_000) });
    const echo = await queue.enqueue(SHOP, "shopify.inventory-levels", {}, { runAt: new Date(clock.getTime() + 60_000) });
    expect((await db.job.findUniqueOrThrow({ where: { id: request.id } })).priority).toBe(1);
    expect((await db.job.findUniqueOrThrow({ where: { id: echo.id } })).priority).toBe(0);
  });

  it("a failing job is retried with growing backoff and succeeds later", async () => {
    failuresLeft = 2;
    const queue = new DatabaseJobQueue();
    const { id } = await queue.enqueue(SHOP, "test.flaky", {}, { runAt: clock });
    const r = runner();
    await r.drain();
    let row = await db.job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "warehouse timed out" });
    const firstDelay = row.runAt.getTime() - clock.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(500);
    expect(firstDelay).toBeLessThanOrEqual(1_000);

    await r.drain(); // not due yet: nothing runs
    expect(calls).toHaveLength(1);

    advance(firstDelay);
    await r.drain();
    row = await db.job.findUniqueOrThrow({ where: { id } });
    const secondDelay = row.runAt.getTime() - clock.getTime();
    expect(secondDelay).toBeGreaterThanOrEqual(1_000);
    expect(secondDelay).toBeLessThanOrEqual(2_000);

    advance(secondDelay);
    await r.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it("after its last attempt a job is dead-lettered and the merchant is alerted; retry puts it back", async () => {
    failuresLeft = 100;
    const queue = new DatabaseJobQueue();
    const { id } = await queue.enqueue(SHOP, "test.flaky", {}, { runAt: clock, maxAttempts: 3 });
    const r = runner();
    for (let i = 0; i < 5; i++) {
      await r.drain();
      advance(10_000);
    }
    expect(calls).toHaveLength(3);
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "dead", attempts: 3 });
    const alerts = await db.alert.findMany({ where: { shop: SHOP } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: "job_failed", reference: `job:${id}` });
    expect(alerts[0]!.message).toContain("warehouse timed out");

    expect(await retryDeadJob(db, "beta.myshopify.com", id)).toBe(false);
    failuresLeft = 0;
    expect(await retryDeadJob(db, SHOP, id, clock)).toBe(true);
    await r.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded" });
  });

  it("a permanent error dead-letters at once with the handler's message", async () => {
    const { id } = await new DatabaseJobQueue().enqueue(SHOP, "test.bad-payload", {}, { runAt: clock });
    await runner().drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError: "SKU ABC-1 is not mapped to a warehouse product",
    });
  });

  it("a type whose runs of one shop never overlap waits while one runs; another shop's and other types run meanwhile", async () => {
    const OTHER = "beta.myshopify.com";
    await db.shop.create({ data: { shop: OTHER } });
    finishing = new Promise((resolve) => (letFinish = resolve));
    oneAtATime.length = 0;
    const queue = new DatabaseJobQueue();
    const first = await queue.enqueue(SHOP, "test.one-per-shop", { label: "first" }, { dedupeKey: "sync", runAt: clock });
    const worker1 = runner();
    const running = worker1.runDueJobs();
    for (let i = 0; i < 100 && oneAtATime.length === 0; i++) await new Promise((res) => setTimeout(res, 5));
    expect(oneAtATime).toEqual([{ shop: SHOP, label: "first" }]);

    // Work arriving while it runs is queued (its dedupe key was released)...
    const second = await queue.enqueue(SHOP, "test.one-per-shop", { label: "second" }, { dedupeKey: "sync", runAt: clock });
    await queue.enqueue(OTHER, "test.one-per-shop", { label: "other shop" }, { dedupeKey: "sync", runAt: clock });
    await queue.enqueue(SHOP, "test.flaky", { label: "other type" }, { runAt: clock });
    // ...but a second worker leaves it until the first run is over, and runs the rest.
    const worker2 = runner();
    const secondRound = worker2.runDueJobs();
    for (let i = 0; i < 100 && oneAtATime.length < 2; i++) await new Promise((res) => setTimeout(res, 5));
    expect(oneAtATime).toEqual([
      { shop: SHOP, label: "first" },
      { shop: OTHER, label: "other shop" },
    ]);
    expect(calls.map((c) => c.payload)).toEqual([{ label: "other type" }]);
    expect(await db.job.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "queued", attempts: 0 });

    letFinish();
    await Promise.all([running, secondRound]);
    expect(await db.job.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "succeeded" });
    await worker2.drain();
    expect(oneAtATime.map((run) => run.label)).toEqual(["first", "other shop", "second"]);
    expect(await db.job.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("a job of an unknown type is dead-lettered, not retried forever", async () => {
    const { id } = await new DatabaseJobQueue().enqueue(SHOP, "test.nobody-handles-this", {}, { runAt: clock });
    await runner().drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "dead" });
  });

  it("two runners never run the same job twice", async () => {
    const queue = new DatabaseJobQueue();
    for (let i = 0; i < 20; i++) await queue.enqueue(SHOP, "test.flaky", { i }, { runAt: clock });
    const a = runner();
    const b = runner();
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    expect(calls).toHaveLength(20);
    expect(new Set(calls.map((c) => (c.payload as { i: number }).i)).size).toBe(20);
  });

  it("a job left running by a crashed worker is picked up again after the lock timeout", async () => {
    const { id } = await new DatabaseJobQueue().enqueue(SHOP, "test.flaky", {}, { runAt: clock });
    await db.job.update({ where: { id }, data: { status: "running", lockedAt: clock, lockedBy: "crashed", attempts: 1 } });
    const r = runner();
    expect(await r.recoverStaleJobs()).toBe(0);
    advance(61_000);
    expect(await r.recoverStaleJobs()).toBe(1);
    await r.drain();
    expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a started runner picks up a job as soon as it is enqueued", async () => {
    const r = new DatabaseJobRunner({ pollIntervalMs: 60_000 });
    r.start();
    try {
      const { id } = await new DatabaseJobQueue().enqueue(SHOP, "test.flaky", { live: true });
      for (let i = 0; i < 100 && calls.length === 0; i++) await new Promise((res) => setTimeout(res, 20));
      expect(calls).toHaveLength(1);
      for (let i = 0; i < 50; i++) {
        if ((await db.job.findUniqueOrThrow({ where: { id } })).status === "succeeded") break;
        await new Promise((res) => setTimeout(res, 20));
      }
      expect((await db.job.findUniqueOrThrow({ where: { id } })).status).toBe("succeeded");
    } finally {
      await r.stop();
    }
  });
});
