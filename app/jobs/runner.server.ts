// Runs due jobs from the Job table: claims each with a compare-and-set on its status (safe with
// several processes on PostgreSQL), runs its handler, and records the outcome. Failures are
// retried with exponential backoff; after maxAttempts, or on a PermanentJobError, the job is
// dead-lettered and the merchant is alerted (Dashboard: failed jobs, with retry).
import { randomUUID } from "node:crypto";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { log } from "../observability/logger.server";
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from "./backoff";
import { onJobEnqueued } from "./queue.server";
import { jobHandler } from "./registry.server";
import { PermanentJobError, type JobContext } from "./types";

export interface RunnerOptions {
  db?: Database;
  concurrency?: number;
  pollIntervalMs?: number;
  /** A job still "running" after this long is taken to belong to a crashed worker and re-queued. */
  lockTimeoutMs?: number;
  backoff?: BackoffPolicy;
  workerId?: string;
  now?: () => Date;
}

type JobRow = Awaited<ReturnType<Database["job"]["findFirstOrThrow"]>>;

export type JobOutcome = "succeeded" | "retry" | "dead" | "skipped";

export class DatabaseJobRunner {
  private readonly db: Database;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly lockTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  readonly workerId: string;
  private readonly now: () => Date;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: RunnerOptions = {}) {
    this.db = options.db ?? defaultDb;
    this.concurrency = options.concurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5 * 60_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.workerId = options.workerId ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onJobEnqueued(() => this.wake());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let ran = 0;
      try {
        await this.recoverStaleJobs();
        ran = await this.runDueJobs();
      } catch (error) {
        log.error("Job runner loop failed; retrying", { error });
      }
      if (ran === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  /** Claim and run one batch of due jobs; returns how many ran. */
  async runDueJobs(): Promise<number> {
    const due = await this.db.job.findMany({
      where: { status: "queued", runAt: { lte: this.now() } },
      orderBy: [{ runAt: "asc" }],
      take: this.concurrency,
      select: { id: true },
    });
    const outcomes = await Promise.all(due.map((job) => this.claimAndRun(job.id)));
    return outcomes.filter((outcome) => outcome !== "skipped").length;
  }

  /** Run due jobs until none is left (jobs scheduled for later are left alone). */
  async drain(maxRounds = 1_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      if ((await this.runDueJobs()) === 0) return;
    }
    throw new Error(`Jobs were still due after ${maxRounds} rounds`);
  }

  async recoverStaleJobs(): Promise<number> {
    const staleBefore = new Date(this.now().getTime() - this.lockTimeoutMs);
    const result = await this.db.job.updateMany({
      where: { status: "running", lockedAt: { lt: staleBefore } },
      data: { status: "queued", lockedAt: null, lockedBy: null, lastError: "The worker running this job stopped; retried." },
    });
    return result.count;
  }

  async claimAndRun(id: string): Promise<JobOutcome> {
    const claimed = await this.db.job.updateMany({
      where: { id, status: "queued" },
      // The dedupe key only holds while a job waits: once it starts, the same work can be queued
      // again, so that what arrives while it runs is not lost.
      data: { status: "running", lockedAt: this.now(), lockedBy: this.workerId, attempts: { increment: 1 }, dedupeKey: null },
    });
    if (claimed.count !== 1) return "skipped";
    const job = await this.db.job.findUnique({ where: { id } });
    if (!job) return "skipped";
    return this.execute(job);
  }

  private async execute(job: JobRow): Promise<JobOutcome> {
    const handler = jobHandler(job.type);
    const context: JobContext = { shop: job.shop, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts };
    try {
      if (!handler) throw new PermanentJobError(`No handler is registered for job type "${job.type}".`);
      await handler(JSON.parse(job.payload), context);
      await this.finish(job, { status: "succeeded", finishedAt: this.now(), lastError: null });
      return "succeeded";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentJobError;
      if (permanent || job.attempts >= job.maxAttempts) {
        await this.finish(job, { status: "dead", finishedAt: this.now(), lastError: message });
        await this.alertDeadLetter(job, message);
        log.warn("Job dead-lettered", { jobId: job.id, type: job.type, shop: job.shop, attempts: job.attempts, error: message });
        return "dead";
      }
      const runAt = new Date(this.now().getTime() + retryDelayMs(job.attempts + 1, this.backoff));
      await this.finish(job, { status: "queued", runAt, lastError: message });
      log.info("Job failed; will retry", { jobId: job.id, type: job.type, attempt: job.attempts, runAt, error: message });
      return "retry";
    }
  }

  // updateMany: the job may have been deleted meanwhile (a shop purge), which is not an error.
  private async finish(job: JobRow, data: { status: string; finishedAt?: Date; runAt?: Date; lastError: string | null }) {
    await this.db.job.updateMany({
      where: { id: job.id, lockedBy: this.workerId },
      // A finished job keeps lockedAt: when it started, for the health figures (queue wait, run time).
      data: { ...data, ...(data.status === "queued" ? { lockedAt: null } : {}), lockedBy: null },
    });
  }

  private async alertDeadLetter(job: JobRow, message: string): Promise<void> {
    const shopStillInstalled = await this.db.shop.count({ where: { shop: job.shop, uninstalledAt: null } });
    if (!shopStillInstalled) return;
    await this.db.alert.create({
      data: {
        shop: job.shop,
        kind: "job_failed",
        severity: "warning",
        message: `Background task "${job.type}" failed ${job.attempts} time(s) and stopped retrying: ${message}`,
        reference: `job:${job.id}`,
      },
    });
  }
}

/** Put a dead-lettered job back in the queue (the merchant's "Retry" button). */
export async function retryDeadJob(db: Database, shop: string, id: string, now: Date = new Date()): Promise<boolean> {
  const result = await db.job.updateMany({
    where: { id, shop, status: "dead" },
    data: { status: "queued", attempts: 0, runAt: now, lastError: null, finishedAt: null },
  });
  return result.count === 1;
}
