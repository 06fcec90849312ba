// The job interface, kept small on purpose: the embedded runner (runner.server.ts) carries it on
// the app's own database, and a distributed engine (BullMQ, pg-boss) can carry the same handlers
// by implementing JobQueue and calling runJob() for each job it receives.

export interface EnqueueOptions {
  /** While a job with the same shop, type and dedupe key is waiting to run, enqueueing again adds nothing. */
  dedupeKey?: string;
  /** Earliest time to run; defaults to now. */
  runAt?: Date;
  /** Attempts before the job is dead-lettered; defaults to 8. */
  maxAttempts?: number;
  /** Higher runs first among due jobs; defaults to the type's (app/jobs/priorities.ts). */
  priority?: number;
}

export interface EnqueuedJob {
  id: string;
  /** True when a job with the same dedupe key already existed and nothing new was enqueued. */
  duplicate: boolean;
}

export interface JobQueue {
  enqueue(shop: string, type: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueuedJob>;
}

export interface JobContext {
  shop: string;
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/**
 * A handler must be idempotent: the runner delivers at least once (a crash after the work but
 * before the job is marked done runs it again).
 */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

/** Throw this for failures that no retry can fix (bad payload, deleted record): dead-letter at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export type JobStatus = "queued" | "running" | "succeeded" | "dead";
