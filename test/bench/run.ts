// npm run bench [-- ack fresh write flash report orders]: runs the benchmarks, prints their figures and writes
// them to test/bench/results/latest.json. Durations can be shortened for a quick look with
// BENCH_SECONDS (the documented figures use the defaults).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchWebhookAck } from "./webhook-ack";
import { benchFreshness } from "./freshness";
import { benchWriteEfficiency } from "./write-efficiency";
import { benchFlashSale } from "./flash-sale";
import { benchIntakeCost } from "./intake-cost";
import { benchCountReport } from "./count-report";
import { benchOrderFlow } from "./order-flow";

const seconds = process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : undefined;
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ["intake", "ack", "fresh", "write", "flash", "report", "orders"]);
const results: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  startedAt: new Date().toISOString(),
};

async function step<T>(name: string, run: () => Promise<T>) {
  if (!wanted.has(name)) return;
  process.stdout.write(`\n== ${name}\n`);
  const started = Date.now();
  const result = await run();
  results[name] = { ...result, wallSeconds: Math.round((Date.now() - started) / 1000) };
  process.stdout.write(`${JSON.stringify(results[name], null, 2)}\n`);
}

await step("intake", () => benchIntakeCost());
await step("ack", () => benchWebhookAck(200, seconds ?? 60));
await step("fresh", () => benchFreshness(5_000, 50, seconds ?? 60));
await step("write", () => benchWriteEfficiency(Number(process.env.BENCH_WRITE_CHANGES ?? 20_000)));
await step("flash", () => benchFlashSale(2_000, seconds ?? 60, 50));
await step("report", () => benchCountReport(100_000));
// 5,000 orders in 5 minutes; BENCH_SECONDS keeps the rate (about 17 orders/s) over a shorter sale,
// BENCH_ORDERS sets the number of orders (another rate).
await step("orders", () => benchOrderFlow(Number(process.env.BENCH_ORDERS ?? (seconds ? Math.round((5_000 * seconds) / 300) : 5_000)), seconds ?? 300));

const dir = path.join(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "latest.json"), JSON.stringify(results, null, 2));
process.stdout.write(`\nWritten to test/bench/results/latest.json\n`);
process.exit(0);
