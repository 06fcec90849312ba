// Raw SQL for the few hot statements where Prisma's per-query cost (query compiler, result
// mapping) is most of the work: the same text runs on SQLite and PostgreSQL, and values are
// written and read the way Prisma stores them, so Prisma reads these rows back unchanged.
import type { Database } from "./client.server";

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

  time(date: Date): string {
    const text = storedTime(this.dialect, date);
    return this.dialect === "postgresql" ? `CAST(${this.add(text)} AS TIMESTAMP(3))` : this.add(text);
  }
}
