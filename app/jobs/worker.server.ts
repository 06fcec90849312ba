// Starts the embedded job runner once per process. Set TALLYSYNC_EMBEDDED_WORKER=false where a
// separate worker process (or a distributed queue engine) runs the jobs instead.
import { log } from "../observability/logger.server";
import { DatabaseJobRunner } from "./runner.server";
import "./handlers.server";

declare global {
  // eslint-disable-next-line no-var
  var tallysyncRunner: DatabaseJobRunner | undefined;
}

export function startEmbeddedWorker(): DatabaseJobRunner | undefined {
  if (process.env.TALLYSYNC_EMBEDDED_WORKER === "false" || process.env.VITEST) return undefined;
  if (!globalThis.tallysyncRunner) {
    globalThis.tallysyncRunner = new DatabaseJobRunner({
      concurrency: Number(process.env.TALLYSYNC_WORKER_CONCURRENCY || 4),
    });
    globalThis.tallysyncRunner.start();
    log.info("Embedded job runner started", { workerId: globalThis.tallysyncRunner.workerId });
  }
  return globalThis.tallysyncRunner;
}
