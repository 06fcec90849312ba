// Discrepancy report load: 100,000 count lines (12 months, 3 warehouses, posted counts) in a fresh
// SQLite database, and the Discrepancies page's loader (loadDiscrepancyReport) run over the whole
// year again and again. Prints p50/p95 load time and the process's peak memory (RSS high-water).
// Goal (issue 5): p95 <= 300 ms.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { applySqliteMigrations } from "../helpers/database";
import { percentile, round } from "./stats";

export interface CountReportResult {
  lines: number;
  tasks: number;
  warehouses: number;
  seedSeconds: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** One warehouse, class A only: the filtered page. */
  filteredP50Ms: number;
  filteredP95Ms: number;
  financeCsvMs: number;
  financeCsvBytes: number;
  /** RSS high-water while the report loader ran (sampled every 2 ms and after each run). */
  peakRssMiB: number;
  /** The same, once the finance CSV export (built as one string here) had run too. */
  financeCsvPeakRssMiB: number;
  /** The process's own high-water mark (getrusage); seeding ran in a child process. */
  processMaxRssMiB: number;
  rssBeforeMiB: number;
  linesCounted: number;
  lineAccuracyPercent: string | null;
}

const SHOP = "bench-counts.myshopify.com";
const REASONS = ["damaged", "lost", "mis_keyed", "found", "other"];

/** Deterministic pseudo-random numbers, so every run seeds the same year. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Seeds a year of posted counts into a migrated SQLite file (run in a child process: see below). */
export async function seedCountReportDatabase(file: string, totalLines: number): Promise<{ lines: number; tasks: number; warehouses: number }> {
  process.env.DATABASE_URL = `file:${file}`;
  const { createDatabaseClient } = await import("../../app/db/client.server");
  const db = createDatabaseClient(`file:${file}`);
  const { forShop } = await import("../../app/db/tenant.server");
  const scoped = forShop(SHOP, db);
  await scoped.shop.create({ data: { shop: SHOP } });
  await scoped.shopSettings.create({ data: { shop: SHOP } });
  const connection = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "Bench 3PL", provider: "generic", encryptedCredentials: "-" } });
  const warehouses: Array<{ id: string; externalCode: string }> = [];
  for (const code of ["LAX1", "NJ01", "SZX1"]) {
    warehouses.push(await scoped.warehouse.create({ data: { shop: SHOP, connectionId: connection.id, externalCode: code, name: code } }));
  }
  const now = new Date();
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  const days = 365;
  const tasksTotal = days * warehouses.length;
  const linesPerTask = Math.ceil(totalLines / tasksTotal);
  const next = random(42);
  const skus = Array.from({ length: 3_000 }, (_, i) => `SKU-${String(i + 1).padStart(5, "0")}`);
  let number = 1000;
  let lines = 0;
  const taskRows = [];
  for (let day = 0; day < days; day++) {
    for (const warehouse of warehouses) {
      const countedAt = new Date(yearAgo.getTime() + day * 86_400_000 + 10 * 3_600_000);
      taskRows.push({ id: `task-${day}-${warehouse.externalCode}`, shop: SHOP, warehouseId: warehouse.id, number: ++number, status: "posted", kind: "rolling", createdBy: "bench", dueAt: countedAt, startedAt: countedAt, submittedAt: countedAt, approvedAt: countedAt, postedAt: countedAt });
    }
  }
  for (let i = 0; i < taskRows.length; i += 1_000) await scoped.countTask.createMany({ data: taskRows.slice(i, i + 1_000) });
  await scoped.countTaskEvent.createMany({ data: taskRows.map((task) => ({ shop: SHOP, taskId: task.id, actor: "finance@example.com", fromStatus: "review", toStatus: "approved", at: task.approvedAt })) });

  let batch: Array<Record<string, unknown>> = [];
  const flush = async () => {
    if (batch.length) await scoped.countLine.createMany({ data: batch as never });
    batch = [];
  };
  for (const [taskIndex, task] of taskRows.entries()) {
    for (let i = 0; i < linesPerTask && lines < totalLines; i++, lines++) {
      // A rolling count: each day's lines are the next SKUs in turn, none twice on one count.
      const sku = skus[(taskIndex * linesPerTask + i) % skus.length]!;
      const book = Math.floor(next() * 200);
      const movement = next() < 0.2 ? -Math.floor(next() * 5) : 0;
      const roll = next();
      const variance = roll < 0.94 ? 0 : roll < 0.98 ? -Math.ceil(next() * 4) : Math.ceil(next() * 3);
      const cost = (1 + Math.floor(next() * 4_000) / 100).toFixed(2);
      batch.push({
        shop: SHOP,
        taskId: task.id,
        inventoryItemId: `gid://shopify/InventoryItem/${sku}`,
        warehouseSku: sku,
        bin: `${String.fromCharCode(65 + Math.floor(next() * 8))}-${String(Math.floor(next() * 40)).padStart(2, "0")}`,
        abcClass: next() < 0.2 ? "A" : next() < 0.4 ? "B" : "C",
        bookQuantity: book,
        snapshotAt: task.startedAt,
        countedQuantity: Math.max(0, book + movement + variance),
        countedAt: new Date(task.startedAt.getTime() + i * 1_000),
        countedBy: "counter@example.com",
        movementSinceSnapshot: movement,
        varianceUnits: variance,
        unitCost: cost,
        varianceValue: (variance * Number(cost)).toFixed(2),
        reason: variance === 0 ? null : REASONS[Math.floor(next() * REASONS.length)],
      });
      if (batch.length >= 5_000) await flush();
    }
  }
  await flush();
  await db.$disconnect();
  return { lines, tasks: taskRows.length, warehouses: warehouses.length };
}

export async function benchCountReport(totalLines = 100_000, runs = Number(process.env.BENCH_REPORT_RUNS ?? 30)): Promise<CountReportResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-report-"));
  const file = path.join(dir, "report.sqlite");
  applySqliteMigrations(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();

  // Seeded by a child process, so that the memory measured here is the loader's, not the seed's.
  const seedStarted = performance.now();
  const child = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "--seed", file, String(totalLines)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (child.status !== 0) throw new Error(`Seeding the count lines failed (exit ${child.status})`);
  const seeded = JSON.parse(child.stdout.trim().split("\n").pop()!) as { lines: number; tasks: number; warehouses: number };
  const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);

  process.env.DATABASE_URL = `file:${file}`;
  const { createDatabaseClient } = await import("../../app/db/client.server");
  const db = createDatabaseClient(`file:${file}`);
  const { loadDiscrepancyReport, financeCsv } = await import("../../app/models/counts/report.server");
  const warehouses = await db.warehouse.findMany({ where: { shop: SHOP }, select: { id: true }, orderBy: { externalCode: "asc" } });
  const now = new Date();
  const yearAgo = new Date(now.getTime() - 366 * 86_400_000);

  // --- measure ----------------------------------------------------------------------------------
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 2);
  const period = { from: yearAgo, to: new Date(now.getTime() + 86_400_000), now };
  const timeIt = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return ms;
  };
  for (let i = 0; i < 3; i++) await loadDiscrepancyReport(SHOP, period, { db }); // warm-up
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof loadDiscrepancyReport>> | null = null;
  for (let i = 0; i < runs; i++) {
    times.push(
      await timeIt(async () => {
        last = await loadDiscrepancyReport(SHOP, period, { db });
      }),
    );
  }
  const filtered: number[] = [];
  for (let i = 0; i < Math.max(5, Math.floor(runs / 3)); i++) filtered.push(await timeIt(() => loadDiscrepancyReport(SHOP, { ...period, warehouseId: warehouses[0]!.id, abcClass: "A" }, { db })));
  const reportPeakRss = peakRss;
  let csvBytes = 0;
  const financeCsvMs = await timeIt(async () => {
    csvBytes = (await financeCsv(SHOP, period, { db })).length;
  });
  clearInterval(sampler);
  const processMaxRss = process.resourceUsage().maxRSS * 1024;
  await db.$disconnect();

  const report = (last as Awaited<ReturnType<typeof loadDiscrepancyReport>> | null)?.report;
  return {
    lines: seeded.lines,
    tasks: seeded.tasks,
    warehouses: seeded.warehouses,
    seedSeconds,
    runs,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    maxMs: round(Math.max(...times)),
    filteredP50Ms: round(percentile(filtered, 50)),
    filteredP95Ms: round(percentile(filtered, 95)),
    financeCsvMs: round(financeCsvMs),
    financeCsvBytes: csvBytes,
    peakRssMiB: round(reportPeakRss / 2 ** 20),
    financeCsvPeakRssMiB: round(peakRss / 2 ** 20),
    processMaxRssMiB: round(processMaxRss / 2 ** 20),
    rssBeforeMiB: round(rssBefore / 2 ** 20),
    linesCounted: report?.totals.linesCounted ?? 0,
    lineAccuracyPercent: report?.totals.lineAccuracy?.percent ?? null,
  };
}

// Run on its own: npx tsx test/bench/count-report.ts (the parent runs itself with --seed).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const seedAt = process.argv.indexOf("--seed");
  const result = seedAt > 0 ? await seedCountReportDatabase(process.argv[seedAt + 1]!, Number(process.argv[seedAt + 2])) : await benchCountReport();
  process.stdout.write(`${JSON.stringify(result, null, seedAt > 0 ? 0 : 2)}\n`);
  process.exit(0);
}
