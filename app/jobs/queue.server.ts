// The embedded job queue: jobs are rows of the Job table in the app's own database, so the
// default install needs no extra server and a job enqueued in the same transaction as the work
// that caused it is never lost.
import type { Prisma } from "@prisma/client";
import { randomUUID } from "node:crypto";
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows } from "../db/raw.server";
import { jobPriority } from "./priorities";
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
    priority: options.priority ?? jobPriority(type),
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

  /**
   * One statement either way: a new job is inserted, or (same shop, type and dedupe key while one
   * waits) the waiting job's id comes back. The duplicate path used to be a refused insert, an
   * exception and a second read; in a flash sale most stock-sync requests are duplicates.
   */
  async enqueue(shop: string, type: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    const row = jobRow(shop, type, payload, options);
    const sql = new SqlParams(dialectOf(this.db));
    const id = randomUUID();
    const now = new Date();
    const values = [
      sql.add(id),
      sql.add(shop),
      sql.add(type),
      sql.add(row.payload),
      sql.add(row.dedupeKey ?? null),
      sql.int(row.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      sql.int(row.priority ?? 0),
      sql.time(new Date(row.runAt ?? now)),
      sql.time(now),
    ];
    // The no-op update makes the conflicting row come back through RETURNING.
    const [inserted] = await queryRows<{ id: string }[]>(
      this.db,
      `INSERT INTO "Job" ("id", "shop", "type", "payload", "dedupeKey", "status", "attempts", "maxAttempts", "priority", "runAt", "createdAt") ` +
        `VALUES (${values.slice(0, 5).join(", ")}, 'queued', 0, ${values.slice(5).join(", ")}) ` +
        `ON CONFLICT ("shop", "type", "dedupeKey") DO UPDATE SET "dedupeKey" = excluded."dedupeKey" RETURNING "id"`,
      ...sql.values,
    );
    if (!inserted) throw new Error(`The job ${type} could not be queued.`);
    const duplicate = inserted.id !== id;
    if (!duplicate) notifyJobEnqueued();
    return { id: inserted.id, duplicate };
  }
}

export const jobQueue: JobQueue = new DatabaseJobQueue();
