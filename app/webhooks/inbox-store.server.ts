// Storing a verified webhook: its inbox row and the job that processes it, together or not at all,
// once per (shop, webhook id).
//
// This is the only database work on the acknowledgement path, so it skips Prisma: through the query
// compiler and driver adapter a two-row transaction costs about 2 ms of CPU, as much as everything
// else a webhook costs. Here it is two prepared statements in one SQLite transaction, or one
// statement on PostgreSQL. Rows are written the way Prisma writes them, so Prisma reads them back.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { Database } from "../db/client.server";
import { databaseUrl, kindOf } from "../db/client.server";
import { isUniqueViolation } from "../db/errors";
import { sqliteFilePath } from "../../prisma/database-url.mjs";
import { jobPriority } from "../jobs/priorities";
import { DEFAULT_MAX_ATTEMPTS } from "../jobs/queue.server";
import { whenUnlocked } from "../db/sqlite-lock";

export interface InboxRecord {
  shop: string;
  /** "shopify" or "warehouse:<connection id>" */
  source: string;
  webhookId: string;
  topic: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  payload: string;
  job: {
    type: string;
    payload: unknown;
    /**
     * While a job with this key waits, the delivery joins it instead of adding one (a job that
     * drains every waiting delivery of a warehouse). Without it the job is keyed by the delivery.
     */
    dedupeKey: string;
    /**
     * Run the job this long after the delivery, so that deliveries arriving meanwhile join it (a
     * burst becomes one run instead of one run per delivery). Default 0.
     */
    delayMs?: number;
    /** Defaults to the job type's (app/jobs/priorities.ts). */
    priority?: number;
  };
}

/** "stored": new delivery; "duplicate": this (shop, webhook id) was stored before. */
export type InboxOutcome = "stored" | "duplicate";

export interface WebhookInboxStore {
  save(record: InboxRecord, now?: Date): Promise<InboxOutcome>;
  close(): Promise<void>;
}

/** Through a Prisma client: tests that hand in their own client, and any database Prisma knows. */
export function prismaInboxStore(db: Database): WebhookInboxStore {
  return {
    async save(record, now = new Date()) {
      try {
        await db.webhookInbox.create({ data: inboxData(record, now) });
      } catch (error) {
        if (isUniqueViolation(error)) return "duplicate";
        throw error;
      }
      try {
        await db.job.create({ data: jobData(record, now) });
      } catch (error) {
        // The waiting job with the same key will process this delivery too.
        if (!isUniqueViolation(error)) {
          await db.webhookInbox.deleteMany({ where: { shop: record.shop, webhookId: record.webhookId } });
          throw error;
        }
      }
      return "stored";
    },
    async close() {},
  };
}

function inboxData(record: InboxRecord, now: Date) {
  return {
    shop: record.shop,
    source: record.source,
    webhookId: record.webhookId,
    topic: record.topic,
    apiVersion: record.apiVersion,
    eventId: record.eventId,
    triggeredAt: record.triggeredAt,
    payload: record.payload,
    receivedAt: now,
  };
}

function jobData(record: InboxRecord, now: Date) {
  return {
    shop: record.shop,
    type: record.job.type,
    payload: JSON.stringify(record.job.payload ?? null),
    dedupeKey: record.job.dedupeKey,
    runAt: new Date(now.getTime() + (record.job.delayMs ?? 0)),
    createdAt: now,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    priority: record.job.priority ?? jobPriority(record.job.type),
  };
}

// --- SQLite ------------------------------------------------------------------------------------

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
}
interface SqliteConnection {
  pragma(text: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): ((...args: A) => T) & { immediate(...args: A): T };
  close(): void;
}

/** Prisma's text form of a DateTime in SQLite (ISO 8601 with an explicit offset). */
function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

interface Waiting {
  record: InboxRecord;
  now: Date;
  resolve(outcome: InboxOutcome): void;
  reject(error: unknown): void;
}

export function sqliteInboxStore(file: string): WebhookInboxStore & { synchronous(): number } {
  const require = createRequire(import.meta.url);
  const BetterSqlite = require("better-sqlite3") as new (file: string) => SqliteConnection;
  const connection = new BetterSqlite(file);
  connection.pragma("journal_mode = WAL");
  // What is acknowledged to Shopify or a warehouse must survive a power cut too: every commit here
  // waits for the disk (a connection to a WAL database starts at NORMAL, which does not; the app's
  // other connections need not, app/db/client.server.ts). It costs about 0.2 ms per commit, which
  // the group commit below shares among the deliveries that arrive together.
  connection.pragma("synchronous = FULL");
  // The workers write to the same file. Waiting for their transaction inside SQLite (its busy
  // handler) would stop this process and every acknowledgement with it; a locked database fails at
  // once instead, and the batch is tried again after a timer (app/db/sqlite-lock.ts).
  connection.pragma("busy_timeout = 0");
  const insertInbox = connection.prepare(
    `INSERT INTO "WebhookInbox" ("id","shop","source","webhookId","topic","apiVersion","eventId","triggeredAt","payload","status","receivedAt") ` +
      `VALUES (?,?,?,?,?,?,?,?,?,'received',?) ON CONFLICT ("shop","webhookId") DO NOTHING`,
  );
  const insertJob = connection.prepare(
    `INSERT INTO "Job" ("id","shop","type","payload","dedupeKey","status","attempts","maxAttempts","priority","runAt","createdAt") ` +
      `VALUES (?,?,?,?,?,'queued',0,?,?,?,?) ON CONFLICT ("shop","type","dedupeKey") DO NOTHING`,
  );
  const saveOne = (record: InboxRecord, now: Date): InboxOutcome => {
    const time = sqliteTime(now);
    const inbox = insertInbox.run(
      randomUUID(),
      record.shop,
      record.source,
      record.webhookId,
      record.topic,
      record.apiVersion,
      record.eventId,
      record.triggeredAt ? sqliteTime(record.triggeredAt) : null,
      record.payload,
      time,
    );
    if (inbox.changes === 0) return "duplicate";
    const job = jobData(record, now);
    insertJob.run(randomUUID(), job.shop, job.type, job.payload, job.dedupeKey, job.maxAttempts, job.priority, sqliteTime(job.runAt), time);
    return "stored";
  };
  // Group commit: the deliveries that arrive while one is written are written together, in one
  // transaction and one wait for the disk, at the next turn of the event loop. In a burst the
  // other processes hold SQLite's write lock much of the time; taking it once for many deliveries
  // instead of once for each keeps acknowledgements fast. A failed transaction fails each of its
  // deliveries (each is answered 500 and delivered again); none is stored in part. While the
  // database is locked the batch waits, and deliveries arriving meanwhile join it.
  const saveAll = connection.transaction((batch: readonly Waiting[]) => batch.map((w) => saveOne(w.record, w.now)));
  let waiting: Waiting[] = [];
  let scheduled: Promise<void> | undefined;
  const flush = async () => {
    let batch: Waiting[] = [];
    try {
      await whenUnlocked(() => {
        batch = waiting;
        const outcomes = saveAll.immediate(batch);
        waiting = [];
        batch.forEach((w, i) => w.resolve(outcomes[i]!));
      });
    } catch (error) {
      const failed = new Set(batch);
      waiting = waiting.filter((w) => !failed.has(w));
      for (const w of batch) w.reject(error);
    }
    scheduled = undefined;
    if (waiting.length) schedule();
  };
  const schedule = () => {
    scheduled = new Promise((done) => setImmediate(() => void flush().then(done)));
  };
  return {
    save(record, now = new Date()) {
      return new Promise<InboxOutcome>((resolve, reject) => {
        waiting.push({ record, now, resolve, reject });
        if (!scheduled) schedule();
      });
    },
    async close() {
      while (scheduled) await scheduled;
      connection.close();
    },
    /** SQLite's synchronous level of this connection (2 = FULL). */
    synchronous() {
      return Number(connection.pragma("synchronous", { simple: true }));
    },
  };
}

// --- PostgreSQL --------------------------------------------------------------------------------

interface PgPool {
  query(sql: string, params: unknown[]): Promise<{ rows: { stored: boolean }[] }>;
  end(): Promise<void>;
}

/** Prisma's form of a DateTime in PostgreSQL: timestamp(3) without time zone, in UTC. */
function pgTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

// One statement, so one round trip and atomic: the job is inserted only when the inbox row was.
const PG_SAVE =
  `WITH inbox AS (` +
  `INSERT INTO "WebhookInbox" ("id","shop","source","webhookId","topic","apiVersion","eventId","triggeredAt","payload","status","receivedAt") ` +
  `VALUES ($1,$2,$3,$4,$5,$6,$7,CAST($8 AS TIMESTAMP(3)),$9,'received',CAST($10 AS TIMESTAMP(3))) ` +
  `ON CONFLICT ("shop","webhookId") DO NOTHING RETURNING "id"), ` +
  `job AS (` +
  `INSERT INTO "Job" ("id","shop","type","payload","dedupeKey","status","attempts","maxAttempts","priority","runAt","createdAt") ` +
  `SELECT $11,$2,$12,$13,$14,'queued',0,CAST($15 AS INTEGER),CAST($17 AS INTEGER),CAST($16 AS TIMESTAMP(3)),CAST($10 AS TIMESTAMP(3)) FROM inbox ` +
  `ON CONFLICT ("shop","type","dedupeKey") DO NOTHING RETURNING "id") ` +
  `SELECT EXISTS (SELECT 1 FROM inbox) AS stored`;

export function postgresInboxStore(url: string, poolSize = Number(process.env.DATABASE_POOL_SIZE || 10)): WebhookInboxStore {
  const require = createRequire(import.meta.url);
  const { Pool } = require("pg") as { Pool: new (options: { connectionString: string; max: number }) => PgPool };
  const pool = new Pool({ connectionString: url, max: poolSize });
  return {
    async save(record, now = new Date()) {
      const job = jobData(record, now);
      const result = await pool.query(PG_SAVE, [
        randomUUID(),
        record.shop,
        record.source,
        record.webhookId,
        record.topic,
        record.apiVersion,
        record.eventId,
        record.triggeredAt ? pgTime(record.triggeredAt) : null,
        record.payload,
        pgTime(now),
        randomUUID(),
        job.type,
        job.payload,
        job.dedupeKey,
        job.maxAttempts,
        pgTime(job.runAt),
        job.priority,
      ]);
      return result.rows[0]?.stored ? "stored" : "duplicate";
    },
    async close() {
      await pool.end();
    },
  };
}

/** A raw-statement store for DATABASE_URL, opened once per process. */
let shared: WebhookInboxStore | undefined;
export function defaultInboxStore(): WebhookInboxStore {
  if (!shared) {
    const url = databaseUrl();
    shared = kindOf(url) === "postgresql" ? postgresInboxStore(url, 4) : sqliteInboxStore(sqliteFilePath(url));
  }
  return shared;
}

export async function closeDefaultInboxStore(): Promise<void> {
  const store = shared;
  shared = undefined;
  await store?.close();
}
