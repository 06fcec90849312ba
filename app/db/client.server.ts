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
import { countQuery, queryStatsFile } from "../observability/query-stats.server";

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
  const adapter = new PrismaBetterSQLite3({ url: `file:${sqliteFilePath(url)}` });
  return counted(new PrismaClient({ adapter }));
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
