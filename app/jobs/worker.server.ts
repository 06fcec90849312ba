// Starts the embedded job runner once per process. Set TALLYSYNC_EMBEDDED_WORKER=false where a
// separate worker process (or a distributed queue engine) runs the jobs instead.
import os from "node:os";
import { db } from "../db.server";
import { log } from "../observability/logger.server";
import { DatabaseJobRunner } from "./runner.server";
import "./handlers.server";

declare global {
  // eslint-disable-next-line no-var
  var tallysyncRunner: DatabaseJobRunner | undefined;
}

const SHUTDOWN_GRACE_MS = 10_000;

// remix-serve answers SIGTERM by closing its HTTP server, but the runner's loop would keep the
// process alive: let the running jobs finish (they are idempotent, so a job cut short by the
// grace period simply runs again elsewhere), close the database, and exit.
function stopOnSignals(runner: DatabaseJobRunner) {
  const stop = (signal: NodeJS.Signals) => {
    log.info("Stopping the embedded job runner", { signal });
    const forced = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    forced.unref();
    void runner
      .stop()
      .then(() => db.$disconnect())
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

// On a machine shared with the web process, a worker process may yield the CPU to it, so that
// webhook acknowledgements stay fast while a burst of jobs runs (e.g. TALLYSYNC_WORKER_NICE=10).
function lowerPriority(nice: string | undefined) {
  if (!nice) return;
  try {
    os.setPriority(0, Math.max(0, Math.min(19, Number(nice))));
  } catch (error) {
    log.warn("Could not lower the worker's CPU priority", { error });
  }
}

export function startEmbeddedWorker(): DatabaseJobRunner | undefined {
  if (process.env.TALLYSYNC_EMBEDDED_WORKER === "false" || process.env.VITEST) return undefined;
  if (!globalThis.tallysyncRunner) {
    const runner = new DatabaseJobRunner({
      // Most of a job's time is spent waiting on Shopify or a warehouse, not on this process's CPU:
      // with 4 slots per worker a flash sale's jobs queued for seconds behind each other while the
      // CPU was a third idle (docs/benchmarks.md, fifth round).
      concurrency: Number(process.env.TALLYSYNC_WORKER_CONCURRENCY || 12),
      // A worker in its own process is not woken by the web process's enqueues: it looks for due
      // jobs this often (an indexed query returning nothing costs well under a millisecond).
      pollIntervalMs: Number(process.env.TALLYSYNC_WORKER_POLL_MS || 200),
    });
    globalThis.tallysyncRunner = runner;
    lowerPriority(process.env.TALLYSYNC_WORKER_NICE);
    runner.start();
    stopOnSignals(runner);
    log.info("Embedded job runner started", { workerId: runner.workerId });
  }
  return globalThis.tallysyncRunner;
}
