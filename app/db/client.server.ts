// The Prisma client for DATABASE_URL: SQLite (embedded default) or PostgreSQL (production).
//
// Both run on Prisma's query compiler with a driver adapter, so no query-engine binary is needed.
// The PostgreSQL client is generated from the same schema into node_modules/.tallysync (see
// prisma/cli.mjs) and has the same model types, so the app is typed against one of them.
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { DEFAULT_DATABASE_URL, databaseKind, sqliteFilePath } from "../../prisma/database-url.mjs";
import { countQuery, countStatement, queryStatsFile } from "../observability/query-stats.server";

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
  return counted(new PrismaClient({ adapter }));
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
  pragma(text: string): unknown;
}

/**
 * How hard the app's SQLite connections wait for the disk at each commit. The database is in WAL
 * mode (set when it is migrated). With `FULL`, SQLite's default, every commit waits for an fsync
 * of the write-ahead log while it holds the single write lock: about 0.4 ms per commit on our
 * machines, during which the other processes' statements sleep in SQLite's busy handler and their
 * event loops stop. With `NORMAL` the log is synced at checkpoints instead: a crash of the app or
 * of a process loses nothing and the file is never corrupted; only a power cut or an operating
 * system crash can roll back the last commits before it. Everything the app writes through this
 * client is replayable from a durable source (jobs are idempotent and re-run; Shopify and the
 * warehouses are read again), while what the app acknowledges to Shopify and the warehouses (the
 * webhook and callback inbox, app/webhooks/inbox-store.server.ts) is written on its own connection
 * with `FULL`. TALLYSYNC_SQLITE_SYNCHRONOUS=FULL makes every connection wait for the disk.
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
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: SqliteClient }).client;
    client.pragma(`synchronous = ${sqliteSynchronous()}`);
    const prepare = client.prepare.bind(client);
    const cache = new Map<string, SqliteStatement>();
    client.prepare = ((sql: string) => {
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
