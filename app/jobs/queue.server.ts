// The embedded job queue: jobs are rows of the Job table in the app's own database, so the
// default install needs no extra server and a job enqueued in the same transaction as the work
// that caused it is never lost.
import type { Prisma } from "@prisma/client";
import { isUniqueViolation } from "../db/errors";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import type { EnqueueOptions, EnqueuedJob, JobQueue } from "./types";

export const DEFAULT_MAX_ATTEMPTS = 8;

type JobCreateInput = Prisma.JobUncheckedCreateInput;

/** The row to insert for a job; exported so that callers can insert it inside their own transaction. */
export function jobRow(shop: string, type: string, payload: unknown, options: EnqueueOptions = {}): JobCreateInput {
  return {
    shop,
    type,
    payload: JSON.stringify(payload ?? null),
    dedupeKey: options.dedupeKey ?? null,
    runAt: options.runAt ?? new Date(),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

export { isUniqueViolation } from "../db/errors";

type Listener = () => void;
const listeners = new Set<Listener>();

/** In-process runners subscribe to be woken as soon as a job is enqueued. */
export function onJobEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyJobEnqueued(): void {
  for (const listener of listeners) listener();
}

export class DatabaseJobQueue implements JobQueue {
  constructor(private readonly db: Database = defaultDb) {}

  async enqueue(shop: string, type: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    try {
      const job = await this.db.job.create({ data: jobRow(shop, type, payload, options), select: { id: true } });
      notifyJobEnqueued();
      return { id: job.id, duplicate: false };
    } catch (error) {
      if (options.dedupeKey && isUniqueViolation(error)) {
        const existing = await this.db.job.findFirstOrThrow({
          where: { shop, type, dedupeKey: options.dedupeKey },
          select: { id: true },
        });
        return { id: existing.id, duplicate: true };
      }
      throw error;
    }
  }
}

export const jobQueue: JobQueue = new DatabaseJobQueue();
