// Raw SQL for the few hot statements where Prisma's per-query cost (query compiler, result
// mapping) is most of the work: the same text runs on SQLite and PostgreSQL, and values are
// written and read the way Prisma stores them, so Prisma reads these rows back unchanged.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { sqliteDirect, type Database } from "./client.server";

export type Dialect = "sqlite" | "postgresql";

export function dialectOf(db: Database): Dialect {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** How Prisma stores a DateTime: ISO text with an offset in SQLite, timestamp(3) in UTC in PostgreSQL. */
export function storedTime(dialect: Dialect, date: Date): string {
  const iso = date.toISOString();
  return dialect === "postgresql" ? iso.replace("T", " ").replace("Z", "") : iso.replace("Z", "+00:00");
}

/** A DateTime column of a raw row (a Date from PostgreSQL, text from SQLite). */
export function rowTime(value: unknown): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/** A nullable text column of a raw row. */
export function rowText(value: unknown): string | null {
  return value == null ? null : String(value);
}

/** Numbered parameters for one statement ("?" binds in textual order on SQLite, "$n" on PostgreSQL). */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === "postgresql" ? `$${this.values.length}` : "?";
  }

  int(value: number): string {
    return `CAST(${this.add(value)} AS INTEGER)`;
  }

  /** A DateTime value; null is SQL NULL. */
  time(date: Date | null): string {
    if (date === null) return "NULL";
    const text = storedTime(this.dialect, date);
    return this.dialect === "postgresql" ? `CAST(${this.add(text)} AS TIMESTAMP(3))` : this.add(text);
  }
}

/** A statement and its values, for executeTogether. */
export interface Statement {
  text: string;
  values: readonly unknown[];
}

/**
 * The rows of one statement (T: the rows' type, an array, as for $queryRawUnsafe). On SQLite it
 * runs straight on the connection (app/db/client.server.ts, sqliteDirect), without Prisma's work
 * per statement. Anything else, a transaction client included, goes through Prisma's
 * $queryRawUnsafe. Rows are the same either way.
 */
export async function queryRows<T = Record<string, unknown>[]>(db: Database, text: string, ...values: unknown[]): Promise<T> {
  const direct = await sqliteDirect(db);
  if (direct) return (await direct.all(text, values)) as T;
  return db.$queryRawUnsafe<T>(text, ...values);
}

/** One write; the number of rows it changed. As queryRows, straight on SQLite's connection where it can be. */
export async function executeStatement(db: Database, text: string, ...values: unknown[]): Promise<number> {
  const direct = await sqliteDirect(db);
  if (direct) return direct.run(text, values);
  return db.$executeRawUnsafe(text, ...values);
}

/**
 * Several writes in one transaction; the rows each changed. SQLite: run synchronously on the
 * connection, so the write lock is held only while they run (a Prisma transaction holds it across
 * its awaits, while the process does other work). PostgreSQL: one $transaction batch. Inside a
 * caller's transaction (a transaction client has no $transaction) they run in it, in order.
 */
export async function executeTogether(db: Database, statements: readonly Statement[]): Promise<number[]> {
  const direct = await sqliteDirect(db);
  if (direct) return direct.transaction((tx) => statements.map((s) => tx.run(s.text, s.values)));
  if (typeof db.$transaction === "function") return db.$transaction(statements.map((s) => db.$executeRawUnsafe(s.text, ...s.values)));
  const changed: number[] = [];
  for (const s of statements) changed.push(await db.$executeRawUnsafe(s.text, ...s.values));
  return changed;
}

/**
 * The rows each statement returns (RETURNING, or none), all in one transaction: as
 * executeTogether, straight on SQLite's connection where it can be.
 */
export async function queryTogether(db: Database, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  const direct = await sqliteDirect(db);
  if (direct) return direct.transaction((tx) => statements.map((s) => tx.all(s.text, s.values)));
  if (typeof db.$transaction === "function") return db.$transaction(statements.map((s) => db.$queryRawUnsafe<Record<string, unknown>[]>(s.text, ...s.values)));
  const rows: Record<string, unknown>[][] = [];
  for (const s of statements) rows.push(await db.$queryRawUnsafe<Record<string, unknown>[]>(s.text, ...s.values));
  return rows;
}

// Ids of rows inserted by raw statements, in the shape of Prisma's cuid(): "c", the time in base
// 36, a per-process counter, a fingerprint of the process and random characters. They sort by
// time and then in the order this process made them, as Prisma's do (timelines order by time,
// then id).
let idCounter = 0;
const fingerprint = (process.pid.toString(36) + os.hostname().length.toString(36)).padStart(4, "0").slice(-4);

export function newId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  const random = BigInt(`0x${randomBytes(6).toString("hex")}`).toString(36).padStart(8, "0").slice(-8);
  return `c${Date.now().toString(36).padStart(8, "0")}${idCounter.toString(36).padStart(4, "0")}${fingerprint}${random}`;
}
