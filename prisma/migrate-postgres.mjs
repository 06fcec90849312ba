// Applies prisma/postgresql/migrations to a PostgreSQL database with node-postgres.
//
// Prisma 6.19's JS schema engine cannot run `migrate deploy` against PostgreSQL here (adapter-pg
// cannot deserialize the catalog's `name` type) and the Rust engine cannot be downloaded. This does
// what `migrate deploy` does: each pending migration runs in its own transaction, in name order,
// under an advisory lock so that two processes starting at once do not both migrate, and is recorded
// in Prisma's `_prisma_migrations` table with the same checksum Prisma computes (SHA-256 of the file).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const LOCK_ID = 72707369; // arbitrary, constant: "TALLY" migrations lock

export async function applyPostgresMigrations(url, migrationsDir) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query(
      `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const names = existsSync(migrationsDir)
      ? readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
      : [];
    const applied = [];
    for (const name of names) {
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = done.get(name);
      if (previous) {
        if (!previous.finished_at) {
          throw new Error(`Migration ${name} started earlier but did not finish. Fix the database by hand, then mark it rolled back.`);
        }
        if (previous.checksum !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied. Write a new migration instead of editing an applied one.`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at") VALUES ($1, $2, $3, now())`,
          [id, checksum, name],
        );
        await client.query(sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET "finished_at" = now(), "applied_steps_count" = 1 WHERE "id" = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${name} failed: ${error instanceof Error ? error.message : error}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
