// Freshness: warehouse stock events at a fixed rate over many SKUs; time from the warehouse event
// to the new value being visible in (simulated) Shopify, through webhook -> inbox -> job ->
// position -> sync -> Shopify.
import os from "node:os";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { DEMO_SHOP, DEMO_WAREHOUSES, random } from "../sandbox/demo-data";
import { startStack } from "../sandbox/stack";
import { benchCatalog, percentile, round, sleep } from "./stats";

export interface FreshnessResult {
  skus: number;
  eventsPerSecond: number;
  seconds: number;
  events: number;
  measured: number;
  timedOut: number;
  initialSyncSeconds: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Where the time went: per job type, the wait from enqueue to claim and the run time (BENCH_DIAGNOSE=1). */
export async function printJobTimes(file: string, sinceMs: number) {
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(file, { readonly: true });
  const rows = sqlite
    .prepare(`SELECT "type", "createdAt", "lockedAt", "finishedAt" FROM "Job" WHERE "finishedAt" IS NOT NULL`)
    .all() as { type: string; createdAt: string; lockedAt: string | null; finishedAt: string }[];
  const inbox = sqlite
    .prepare(`SELECT "topic", "triggeredAt", "receivedAt", "processedAt" FROM "WebhookInbox" WHERE "processedAt" IS NOT NULL`)
    .all() as { topic: string; triggeredAt: string | null; receivedAt: string; processedAt: string }[];
  sqlite.close();
  const delivery: Record<string, { toUs: number[]; toProcessed: number[] }> = {};
  for (const row of inbox) {
    const received = Date.parse(row.receivedAt);
    if (received < sinceMs) continue;
    const entry = (delivery[row.topic] ??= { toUs: [], toProcessed: [] });
    if (row.triggeredAt) entry.toUs.push(received - Date.parse(row.triggeredAt));
    entry.toProcessed.push(Date.parse(row.processedAt) - received);
  }
  for (const [topic, { toUs, toProcessed }] of Object.entries(delivery)) {
    console.log(`${topic}: ${toProcessed.length} deliveries, event to received p50 ${round(percentile(toUs, 50))} ms p95 ${round(percentile(toUs, 95))} ms, received to processed p50 ${round(percentile(toProcessed, 50))} ms p95 ${round(percentile(toProcessed, 95))} ms`);
  }
  const byType = new Map<string, { wait: number[]; run: number[] }>();
  for (const row of rows) {
    const created = Date.parse(row.createdAt);
    if (created < sinceMs) continue;
    const claimed = row.lockedAt ? Date.parse(row.lockedAt) : created;
    const entry = byType.get(row.type) ?? { wait: [], run: [] };
    entry.wait.push(claimed - created);
    entry.run.push(Date.parse(row.finishedAt) - claimed);
    byType.set(row.type, entry);
  }
  for (const [type, { wait, run }] of byType) {
    console.log(`${type}: ${run.length} jobs, wait p50 ${round(percentile(wait, 50))} ms p95 ${round(percentile(wait, 95))} ms, run p50 ${round(percentile(run, 50))} ms p95 ${round(percentile(run, 95))} ms max ${round(Math.max(...run))} ms`);
  }
}

export async function benchFreshness(skuCount = 5_000, eventsPerSecond = 50, seconds = 60): Promise<FreshnessResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-fresh-"));
  const catalog = benchCatalog(skuCount);
  const warehouse = DEMO_WAREHOUSES[0]!;
  const stack = await startStack({
    catalog,
    warehouses: [warehouse],
    stockFor: (products) => products.map((p) => ({ sku: p.variants[0]!.sku, sellable: 100, damaged: 0 })),
    databaseFile: path.join(dir, "bench.sqlite"),
    history: false,
    defaultSafetyStock: 0,
    plan: "plus",
    wmsAuto: { acknowledgeAfterMs: null, pickAfterMs: null, shipAfterMs: null },
    appOutput: "ignore",
    build: process.env.BENCH_SKIP_BUILD !== "1",
    // As in production: the web process takes the webhooks, a worker process runs the jobs.
    separateWorker: process.env.BENCH_EMBEDDED_WORKER !== "1",
  });
  try {
    const { shopify } = stack;
    const locationId = stack.warehouses[0]!.shopifyLocationId;
    const itemOf = new Map(stack.items.map((i) => [i.sku, i.inventoryItemId]));
    const available = (sku: string) => shopify.level(DEMO_SHOP, itemOf.get(sku)!, locationId)?.available ?? -1;

    // The first full read and sync: every SKU reaches 100 in Shopify.
    const syncStarted = performance.now();
    const skus = [...itemOf.keys()];
    for (;;) {
      const done = skus.filter((sku) => available(sku) === 100).length;
      if (done === skus.length) break;
      if (performance.now() - syncStarted > 300_000) throw new Error(`Initial sync incomplete: ${done}/${skus.length}`);
      await sleep(250);
    }
    const initialSyncSeconds = (performance.now() - syncStarted) / 1000;

    const wms = stack.wms[0]!;
    const account = wms.accounts()[0]!;
    const rand = random(99);
    const sellable = new Map(skus.map((sku) => [sku, 100]));
    const pending = new Map<string, { expected: number; at: number }>();
    const latencies: number[] = [];
    let timedOut = 0;
    let events = 0;
    let watching = true;
    let deadlineAfter = Infinity;
    const watcher = (async () => {
      while (watching || pending.size) {
        const now = performance.now();
        for (const [sku, p] of pending) {
          if (available(sku) === p.expected) {
            latencies.push(now - p.at);
            pending.delete(sku);
          } else if (now - p.at > 30_000) {
            timedOut++;
            pending.delete(sku);
          }
        }
        if (!watching && performance.now() > deadlineAfter) break;
        await sleep(5);
      }
    })();
    const started = performance.now();
    const total = eventsPerSecond * seconds;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / eventsPerSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      let sku = skus[Math.floor(rand() * skus.length)]!;
      for (let tries = 0; pending.has(sku) && tries < 20; tries++) sku = skus[Math.floor(rand() * skus.length)]!;
      if (pending.has(sku)) continue;
      const receive = rand() < 0.7;
      const quantity = 1 + Math.floor(rand() * 5);
      const next = receive ? sellable.get(sku)! + quantity : Math.max(0, sellable.get(sku)! - quantity);
      if (receive) wms.act(account.id, { action: "receive", warehouse: warehouse.code, sku, quantity });
      else wms.act(account.id, { action: "adjust", warehouse: warehouse.code, sku, delta: next - sellable.get(sku)!, reason: "lost" });
      sellable.set(sku, next);
      pending.set(sku, { expected: next, at: performance.now() });
      events++;
    }
    watching = false;
    deadlineAfter = performance.now() + 31_000;
    await watcher;
    if (process.env.BENCH_DIAGNOSE === "1") await printJobTimes(path.join(dir, "bench.sqlite"), Date.now() - (performance.now() - started));
    return {
      skus: skuCount,
      eventsPerSecond,
      seconds,
      events,
      measured: latencies.length,
      timedOut,
      initialSyncSeconds: round(initialSyncSeconds, 1),
      p50Ms: round(percentile(latencies, 50)),
      p95Ms: round(percentile(latencies, 95)),
      maxMs: round(Math.max(...latencies)),
    };
  } finally {
    await stack.stop();
  }
}
