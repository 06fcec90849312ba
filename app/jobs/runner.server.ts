// Runs due jobs from the Job table: claims each with a compare-and-set on its status (safe with
// several processes on PostgreSQL), runs its handler, and records the outcome. Failures are
// retried with exponential backoff; after maxAttempts, or on a PermanentJobError, the job is
// dead-lettered and the merchant is alerted (Dashboard: failed jobs, with retry).
import { randomUUID } from "node:crypto";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows, executeStatement } from "../db/raw.server";
import { log } from "../observability/logger.server";
import { withQueryLabel } from "../observability/query-stats.server";
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from "./backoff";
import { onJobEnqueued } from "./queue.server";
import { jobHandler, oneRunPerShopTypes } from "./registry.server";
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

/** What the runner needs of a job it claimed. */
interface ClaimedJob {
  id: string;
  shop: string;
  type: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

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

  /**
   * Keeps up to `concurrency` jobs running: a slot that frees is filled at once (a slow job, e.g.
   * one waiting on a warehouse's API, does not hold up the others), and when nothing is due the
   * loop sleeps until a job is enqueued in this process, a job ends, or the poll interval passes.
   */
  private async run(): Promise<void> {
    const inFlight = new Set<Promise<unknown>>();
    let lastRecovery = 0;
    while (this.running) {
      let claimed = 0;
      try {
        // A stale lock is minutes old by definition: looking for one a few times per lock
        // timeout is enough (it was every poll interval: a query per worker per half second).
        if (Date.now() - lastRecovery >= this.recoveryIntervalMs()) {
          lastRecovery = Date.now();
          await this.recoverStaleJobs();
        }
        const free = this.concurrency - inFlight.size;
        if (free > 0) {
          const jobs = await this.claimDue(free);
          claimed = jobs.length;
          for (const job of jobs) {
            const running: Promise<unknown> = this.execute(job)
              .catch((error: unknown) => log.error("Job bookkeeping failed", { jobId: job.id, error }))
              .finally(() => {
                inFlight.delete(running);
                this.wake();
              });
            inFlight.add(running);
          }
        }
      } catch (error) {
        log.error("Job runner loop failed; retrying", { error });
      }
      const full = inFlight.size >= this.concurrency;
      if ((claimed === 0 || full) && this.running) {
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
    await Promise.all(inFlight);
  }

  /** Claim and run one batch of due jobs; returns how many ran. */
  async runDueJobs(): Promise<number> {
    const jobs = await this.claimDue(this.concurrency);
    await Promise.all(jobs.map((job) => this.execute(job)));
    return jobs.length;
  }

  /** Run due jobs until none is left (jobs scheduled for later are left alone). */
  async drain(maxRounds = 1_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      if ((await this.runDueJobs()) === 0) return;
    }
    throw new Error(`Jobs were still due after ${maxRounds} rounds`);
  }

  /**
   * Takes up to `limit` due jobs, most urgent and then oldest first (app/jobs/priorities.ts), in one statement: each is marked running by this
   * worker, its attempt counted and its dedupe key released (once a job starts, the same work can
   * be queued again, so that what arrives while it runs is not lost). Several workers never take
   * the same job: SQLite runs one writer at a time, PostgreSQL skips rows another worker locked.
   */
  private async claimDue(limit: number, id?: string): Promise<ClaimedJob[]> {
    const dialect = dialectOf(this.db);
    const sql = new SqlParams(dialect);
    const set = `"status" = 'running', "lockedAt" = ${sql.time(this.now())}, "lockedBy" = ${sql.add(this.workerId)}, "attempts" = "attempts" + 1, "dedupeKey" = NULL`;
    // "?" binds in textual order on SQLite: each value is added where it appears.
    const notOverlapping = () => {
      // A type whose runs of one shop never overlap (app/jobs/registry.server.ts) waits while one runs.
      const serial = oneRunPerShopTypes();
      if (!serial.length) return "";
      return (
        ` AND NOT ("due"."type" IN (${serial.map((type) => sql.add(type)).join(", ")}) AND EXISTS (SELECT 1 FROM "Job" AS "running" ` +
        `WHERE "running"."shop" = "due"."shop" AND "running"."type" = "due"."type" AND "running"."status" = 'running'))`
      );
    };
    const due = id
      ? `"due"."id" = ${sql.add(id)}`
      : `"due"."runAt" <= ${sql.time(this.now())}${notOverlapping()} ORDER BY "due"."priority" DESC, "due"."runAt" LIMIT ${sql.int(limit)}${dialect === "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""}`;
    const rows = await queryRows<Record<string, unknown>[]>(
      this.db,
      `UPDATE "Job" SET ${set} WHERE "status" = 'queued' AND "id" IN (SELECT "due"."id" FROM "Job" AS "due" WHERE "due"."status" = 'queued' AND ${due}) ` +
        `RETURNING "id", "shop", "type", "payload", "attempts", "maxAttempts"`,
      ...sql.values,
    );
    return rows.map((row) => ({
      id: String(row.id),
      shop: String(row.shop),
      type: String(row.type),
      payload: String(row.payload),
      attempts: Number(row.attempts),
      maxAttempts: Number(row.maxAttempts),
    }));
  }

  private recoveryIntervalMs(): number {
    return Math.max(this.pollIntervalMs, Math.min(this.lockTimeoutMs / 10, 30_000));
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
    const [job] = await this.claimDue(1, id);
    return job ? this.execute(job) : "skipped";
  }

  private async execute(job: ClaimedJob): Promise<JobOutcome> {
    const handler = jobHandler(job.type);
    const context: JobContext = { shop: job.shop, jobId: job.id, attempt: job.attempts, maxAttempts: job.maxAttempts };
    try {
      if (!handler) throw new PermanentJobError(`No handler is registered for job type "${job.type}".`);
      await withQueryLabel(job.type, () => handler(JSON.parse(job.payload), context));
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

  // The job may have been deleted meanwhile (a shop purge), which is not an error.
  private async finish(job: ClaimedJob, data: { status: string; finishedAt?: Date; runAt?: Date; lastError: string | null }) {
    const sql = new SqlParams(dialectOf(this.db));
    const set = [
      `"status" = ${sql.add(data.status)}`,
      `"lastError" = ${sql.add(data.lastError)}`,
      ...(data.finishedAt ? [`"finishedAt" = ${sql.time(data.finishedAt)}`] : []),
      ...(data.runAt ? [`"runAt" = ${sql.time(data.runAt)}`] : []),
      // A finished job keeps lockedAt: when it started, for the health figures (queue wait, run time).
      ...(data.status === "queued" ? [`"lockedAt" = NULL`] : []),
      `"lockedBy" = NULL`,
    ];
    await executeStatement(this.db, `UPDATE "Job" SET ${set.join(", ")} WHERE "id" = ${sql.add(job.id)} AND "lockedBy" = ${sql.add(this.workerId)}`, ...sql.values);
  }

  private async alertDeadLetter(job: ClaimedJob, message: string): Promise<void> {
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
