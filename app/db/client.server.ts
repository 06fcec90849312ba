// The Prisma client for DATABASE_URL: SQLite (embedded default) or PostgreSQL (production).
//
// Both run on Prisma's query compiler with a driver adapter, so no query-engine binary is needed.
// The PostgreSQL client is generated from the same schema into node_modules/.tallysync (see
// prisma/cli.mjs) and has the same model types, so the app is typed against one of them.
import { createRequire } from "node:module";
import path from "node:path";
import { Prisma, PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { DEFAULT_DATABASE_URL, databaseKind, sqliteFilePath } from "../../prisma/database-url.mjs";
import { countQuery, countStatement, queryStatsFile } from "../observability/query-stats.server";
import { LOCK_WAIT_MS, whenUnlocked } from "./sqlite-lock";

export type Database = PrismaClient;
export type DatabaseKind = "sqlite" | "postgresql";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function createDatabaseClient(url: string = databaseUrl()): Database {
  const kind: DatabaseKind = databaseKind(url);
  if (kind === "postgresql") {
    // Loaded at run time so that the bundler never tries to inline the generated client.
    const require = createRequire(import.meta.url);
    const clientDir = path.join(process.cwd(), "node_modules", ".tallysync", "prisma-postgresql");
    const { PrismaClient: PostgresClient } = require(clientDir) as { PrismaClient: new (options: unknown) => unknown };
    const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE || 10) });
    return counted(new PostgresClient({ adapter }) as Database);
  }
  const adapter = new StatementCachingSQLite3({ url: `file:${sqliteFilePath(url)}` });
  // Starting a transaction now includes waiting for SQLite's write lock (app/db/sqlite-lock.ts),
  // which the busy handler used to do inside the transaction's first write: as long a wait.
  const client = counted(new PrismaClient({ adapter, transactionOptions: { maxWait: LOCK_WAIT_MS } }));
  sqliteConnections.set(client, adapter);
  return client;
}

interface SqliteStatement {
  reader: boolean;
  run(...params: unknown[]): unknown;
  columns(): unknown[];
  raw(on?: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
}
interface SqliteClient {
  prepare(sql: string): SqliteStatement;
  pragma(text: string, options?: { simple: boolean }): unknown;
  transaction<T>(work: () => T): { (): T; immediate(): T };
  readonly inTransaction: boolean;
}

/** A statement as the direct path uses it (better-sqlite3's own API). */
interface DirectStatement {
  reader: boolean;
  columns(): { name: string; type: string | null }[];
  safeIntegers(on: boolean): DirectStatement;
  all(...params: unknown[]): Record<string, unknown>[];
  run(...params: unknown[]): { changes: number };
}

/** Statements of one direct transaction, run synchronously inside it. */
export interface SqliteStatements {
  all(sql: string, values: readonly unknown[]): Record<string, unknown>[];
  run(sql: string, values: readonly unknown[]): number;
}

/**
 * Statements run straight on the SQLite connection Prisma uses, synchronously: no query compiler,
 * no promise per statement, and a transaction of several statements holds SQLite's write lock for
 * the microseconds it takes instead of across awaits. Rows come back as Prisma's raw queries give
 * them on SQLite (declared BOOLEAN as booleans, DATETIME as Dates, DECIMAL as Decimals, INTEGER as
 * numbers, BIGINT and undeclared integers as bigints), so a caller cannot tell the paths apart.
 * Reached through app/db/raw.server.ts. Each call waits until no Prisma transaction is open on
 * the connection, and for the write lock without blocking the process (app/db/sqlite-lock.ts); a
 * transaction begins IMMEDIATE, so it fails for the lock before it changes anything, or not at all.
 */
export interface SqliteDirect {
  all(sql: string, values: readonly unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, values: readonly unknown[]): Promise<number>;
  transaction<T>(work: (statements: SqliteStatements) => T): Promise<T>;
}

const sqliteConnections = new WeakMap<object, StatementCachingSQLite3>();

/**
 * The direct path to a client's SQLite connection; null for PostgreSQL, for a transaction client
 * and for any client this module did not create (a shop-scoped view, for instance), which then go
 * through Prisma.
 */
export async function sqliteDirect(db: object): Promise<SqliteDirect | null> {
  const connection = sqliteConnections.get(db);
  if (!connection) return null;
  if (!connection.connected()) await (db as Database).$connect();
  return connection.direct();
}

/**
 * How hard the app's SQLite connections wait for the disk at each commit. The database is in WAL
 * mode (set when it is migrated), and better-sqlite3 builds SQLite so that a connection opened on a
 * WAL database starts at `NORMAL`: the log is synced at checkpoints, not at each commit. A crash of
 * the app or of a process loses nothing and the file is never corrupted; only a power cut or an
 * operating system crash can roll back the last commits before it. Everything the app writes
 * through this client is replayable from a durable source (jobs are idempotent and re-run; Shopify
 * and the warehouses are read again), so `NORMAL` is kept, and said here rather than left to a
 * build option. What the app acknowledges to Shopify and the warehouses (the webhook and callback
 * inbox, app/webhooks/inbox-store.server.ts) is written on its own connection with `FULL`.
 * TALLYSYNC_SQLITE_SYNCHRONOUS=FULL makes every connection wait for the disk (about 0.4 ms per
 * commit on our machines, while holding the write lock).
 */
export function sqliteSynchronous(value: string | undefined = process.env.TALLYSYNC_SQLITE_SYNCHRONOUS): "NORMAL" | "FULL" {
  if (value === undefined || value === "") return "NORMAL";
  const mode = value.toUpperCase();
  if (mode === "NORMAL" || mode === "FULL") return mode;
  throw new Error(`TALLYSYNC_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${value}"`);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Prisma's SQLite adapter prepares every statement anew (a tenth of a busy worker's CPU in the
 * orders benchmark). The same query shape always has the same SQL text, so prepared statements
 * are kept, the 500 most recent, and bound afresh on each use. better-sqlite3 runs each statement
 * to completion synchronously, so one prepared statement is never in use twice at once.
 */
class StatementCachingSQLite3 extends PrismaBetterSQLite3 {
  private client: SqliteClient | undefined;
  private directPath: SqliteDirect | undefined;
  /** A Prisma transaction open (or starting) on the connection, and a promise that settles when it ends. */
  private noTransaction: Promise<void> | undefined;
  private transactionEnded: (() => void) | undefined;
  /** Set once this wrapper has begun a transaction; the adapter's own "BEGIN" is then skipped. */
  private begun = false;

  connected(): boolean {
    return this.client !== undefined;
  }

  direct(): SqliteDirect {
    return this.directPath!;
  }

  /** What a statement outside a transaction waits for before it runs: the open transaction's end. */
  private readonly outsideTransaction = () => this.noTransaction;

  /**
   * Runs one statement (or a whole direct transaction) outside any Prisma transaction, waiting for
   * the write lock between attempts instead of inside SQLite.
   */
  private unlocked<T>(attempt: () => T | Promise<T>): Promise<T> {
    return whenUnlocked(attempt, { notYet: this.outsideTransaction });
  }

  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: SqliteClient }).client;
    client.pragma(`synchronous = ${sqliteSynchronous()}`);
    // In WAL mode (how the app's databases are migrated) a commit never waits for readers, so only
    // taking the write lock can find the database locked, and every statement and transaction
    // start below retries that without blocking. Any other journal mode keeps SQLite's busy handler.
    const wal = String(client.pragma("journal_mode", { simple: true })).toLowerCase() === "wal";
    if (wal) client.pragma("busy_timeout = 0");
    this.client = client;
    this.directPath = directPath(client, client.prepare.bind(client), (attempt) => this.unlocked(attempt));
    // Prisma's adapter runs its one connection's statements as they come: a statement of another
    // job, sent while a transaction was open, ran inside that transaction (and was rolled back with
    // it). Statements outside a transaction now wait until none is open; a transaction's own go
    // through its transaction object, which is not held up.
    const queryable = adapter as unknown as Record<"queryRaw" | "executeRaw", (query: unknown) => Promise<unknown>> & {
      startTransaction(isolation?: unknown): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
    };
    for (const method of ["queryRaw", "executeRaw"] as const) {
      const run = queryable[method].bind(adapter);
      queryable[method] = (query) => this.unlocked(() => run(query));
    }
    const start = queryable.startTransaction.bind(adapter);
    const begin = client.prepare("BEGIN IMMEDIATE");
    queryable.startTransaction = async (isolation) => {
      // One transaction at a time on the connection (the adapter's lock did this, after its BEGIN).
      while (this.noTransaction) await this.noTransaction;
      this.noTransaction = new Promise((resolve) => (this.transactionEnded = resolve));
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        this.noTransaction = undefined;
        this.transactionEnded?.();
      };
      let transaction: Awaited<ReturnType<typeof start>>;
      let began = false;
      try {
        if (wal) {
          // Take the write lock now, waiting for it between attempts: a transaction that began
          // DEFERRED took it at its first write, where SQLite's busy handler slept, and where a
          // transaction that had read before another process's commit could not take it at all.
          await whenUnlocked(() => begin.run());
          began = this.begun = true;
        }
        transaction = await start(isolation);
      } catch (error) {
        this.begun = false;
        if (began && client.inTransaction) client.prepare("ROLLBACK").run();
        end();
        throw error;
      }
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      transaction.commit = () => commit().finally(end);
      transaction.rollback = () => rollback().finally(end);
      return transaction;
    };
    const prepare = client.prepare.bind(client);
    const cache = new Map<string, SqliteStatement>();
    client.prepare = ((sql: string) => {
      if (sql === "BEGIN" && this.begun) {
        // The adapter's BEGIN, for the transaction this wrapper began IMMEDIATE just before.
        this.begun = false;
        return { run: () => ({ changes: 0 }) };
      }
      let statement = cache.get(sql);
      if (statement) {
        // Most recently used last: the oldest is the first key.
        cache.delete(sql);
      } else {
        statement = prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return boundOnUse(statement, queryStatsFile() ? sql : undefined);
    }) as unknown as SqliteClient["prepare"];
    return adapter;
  }
}

const DIRECT_CACHE_SIZE = 300;

function directPath(client: SqliteClient, prepare: (sql: string) => unknown, unlocked: <T>(attempt: () => T) => Promise<T>): SqliteDirect {
  // Its own prepared statements (the adapter's are switched to raw mode on each use).
  const cache = new Map<string, { statement: DirectStatement; convert: ((row: Record<string, unknown>) => Record<string, unknown>) | null }>();
  const prepared = (sql: string) => {
    let entry = cache.get(sql);
    if (entry) {
      cache.delete(sql);
    } else {
      const statement = (prepare(sql) as DirectStatement).safeIntegers(true);
      entry = { statement, convert: statement.reader ? rowConverter(statement.columns()) : null };
      if (cache.size >= DIRECT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, entry);
    return entry;
  };
  // With TALLYSYNC_QUERY_STATS, each statement is counted as "$direct" and timed (benchmarks only).
  const timed = <T>(operation: string, sql: string, work: () => T): T => {
    if (!queryStatsFile()) return work();
    const started = performance.now();
    try {
      return work();
    } finally {
      const ms = performance.now() - started;
      countQuery("$direct", operation, ms);
      countStatement(sql, ms);
    }
  };
  const statements: SqliteStatements = {
    all(sql, values) {
      return timed("all", sql, () => {
        const { statement, convert } = prepared(sql);
        const args = values.map(directArgument);
        if (!statement.reader) {
          statement.run(...args);
          return [];
        }
        const rows = statement.all(...args);
        return convert ? rows.map(convert) : rows;
      });
    },
    run(sql, values) {
      return timed("run", sql, () => prepared(sql).statement.run(...values.map(directArgument)).changes);
    },
  };
  return {
    all: (sql, values) => unlocked(() => statements.all(sql, values)),
    run: (sql, values) => unlocked(() => statements.run(sql, values)),
    // IMMEDIATE: the write lock is taken at BEGIN, so a locked database fails the attempt before
    // any statement ran, and the whole transaction is tried again.
    transaction: (work) => unlocked(() => client.transaction(() => work(statements)).immediate()),
  };
}

/** A parameter as Prisma binds it on SQLite (booleans as 1/0, DateTimes as Prisma's text). */
function directArgument(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (Prisma.Decimal.isDecimal(value)) return value.toString();
  return value;
}

type Convert = (value: unknown) => unknown;

/** Values as Prisma's raw queries give them on SQLite, by the column's declared type. */
function columnConverter(declared: string | null): Convert | null {
  const type = (declared ?? "").toUpperCase();
  if (type === "BOOLEAN") return (v) => (v == null ? v : v === 1n || v === 1 || v === true);
  if (type === "DATETIME") return (v) => (v == null ? v : new Date(typeof v === "bigint" ? Number(v) : (v as string | number)));
  if (type === "DECIMAL") return (v) => (v == null ? v : new Prisma.Decimal(typeof v === "bigint" ? v.toString() : (v as string | number)));
  if (type === "INTEGER" || type === "INT") return (v) => (typeof v === "bigint" ? Number(v) : v);
  // BIGINT and computed columns: integers stay bigints, as Prisma gives them.
  return null;
}

function rowConverter(columns: { name: string; type: string | null }[]): ((row: Record<string, unknown>) => Record<string, unknown>) | null {
  const converters = columns.map((column) => [column.name, columnConverter(column.type)] as const).filter((entry): entry is readonly [string, Convert] => entry[1] !== null);
  if (!converters.length) return null;
  return (row) => {
    for (const [name, convert] of converters) row[name] = convert(row[name]);
    return row;
  };
}

/** What the adapter uses of a statement (prepare(sql).bind(args), then reader/columns/run/raw().all()), with the arguments given on each use. */
function boundOnUse(statement: SqliteStatement, timedAs?: string) {
  const timed = <T>(work: () => T): T => {
    if (timedAs === undefined) return work();
    const started = performance.now();
    try {
      return work();
    } finally {
      countStatement(timedAs, performance.now() - started);
    }
  };
  const use = (args: unknown[]) => ({
    reader: statement.reader,
    columns: () => statement.columns(),
    run: () => timed(() => statement.run(args)),
    raw: () => ({ all: () => timed(() => statement.raw(true).all(args)) }),
  });
  return { ...use([]), bind: (args: unknown[]) => use(args) };
}

/** With TALLYSYNC_QUERY_STATS set, a client that counts and times its operations (benchmarks only). */
function counted(client: Database): Database {
  if (!queryStatsFile()) return client;
  return client.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const started = performance.now();
        try {
          return await query(args);
        } finally {
          countQuery(model, operation, performance.now() - started);
        }
      },
    },
  }) as unknown as Database;
}

export function kindOf(url: string = databaseUrl()): DatabaseKind {
  return databaseKind(url);
}
