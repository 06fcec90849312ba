// A fresh, migrated database per test file, on the engine the vitest project names
// (TEST_DATABASE=sqlite|postgresql). PostgreSQL tests need a real server: TEST_POSTGRES_URL, by
// default the local one .ci/run starts.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { applyPostgresMigrations } from "../../prisma/migrate-postgres.mjs";

const root = path.resolve(import.meta.dirname, "../..");

export type TestDatabaseKind = "sqlite" | "postgresql";

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  drop(): Promise<void>;
}

export function postgresAdminUrl(): string {
  return process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Applies the committed SQLite migrations in order, as `prisma migrate deploy` would, and puts the
 * file in WAL mode as `npm run db:migrate` does (prisma/cli.mjs): the app's connections behave as
 * in production (app/db/sqlite-lock.ts).
 */
export function applySqliteMigrations(file: string): void {
  const dir = path.join(root, "prisma", "migrations");
  const sqlite = new Database(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    for (const name of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
      sqlite.exec(readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
    }
  } finally {
    sqlite.close();
  }
}

export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-test-"));
    const file = path.join(dir, "test.sqlite");
    applySqliteMigrations(file);
    return { kind, url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = postgresAdminUrl();
  const name = `tallysync_test_${suffix}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  await applyPostgresMigrations(url, path.join(root, "prisma", "postgresql", "migrations"));
  return {
    kind,
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
