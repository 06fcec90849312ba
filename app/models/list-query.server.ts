// What the loaders of the list pages (Inventory, Orders) share: keyset page cursors, and a search
// that ignores case on both databases.
import type { Prisma } from "@prisma/client";
import { kindOf } from "../db/client.server";
import type { PageCursors } from "./list-query";

/** A row's sort key as an opaque cursor for the URL. */
export function encodeKeyCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The sort key of a cursor we made with `length` parts; null for anything else (the list starts again at page one). */
export function decodeKeyCursor(value: string | null, length: number): string[] | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === length && parsed.every((part) => typeof part === "string")) return parsed as string[];
  } catch {
    // fall through
  }
  return null;
}

/** The query's cursors, decoded: paging forward wins over paging back. */
export function decodePageCursors<C>(query: PageCursors, decode: (value: string | null) => C | null): { after: C | null; before: C | null } {
  const after = decode(query.after);
  return { after, before: after ? null : decode(query.before) };
}

export interface KeysetPage<T> {
  rows: T[];
  nextCursor: string | null;
  previousCursor: string | null;
}

/**
 * One page from `pageSize + 1` rows read past a cursor (in reverse order when paging back before
 * one): the rows in page order, and the cursors of the pages on either side.
 */
export function keysetPage<T>(found: T[], pageSize: number, cursors: { after: unknown; before: unknown }, cursorOf: (row: T) => string): KeysetPage<T> {
  const back = cursors.before != null;
  const more = found.length > pageSize;
  const rows = found.slice(0, pageSize);
  if (back) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Going back, "more" means there is a page before; a next page is the one we came from.
  const hasNext = back ? true : more;
  const hasPrevious = back ? more : cursors.after != null;
  return {
    rows,
    nextCursor: hasNext && last ? cursorOf(last) : null,
    previousCursor: hasPrevious && first ? cursorOf(first) : null,
  };
}

// SQLite's LIKE already ignores ASCII case; PostgreSQL's needs `mode: "insensitive"` (ILIKE), which
// the SQLite-typed client does not declare.
export function containsText(search: string): Prisma.StringFilter {
  return (kindOf() === "postgresql" ? { contains: search, mode: "insensitive" } : { contains: search }) as Prisma.StringFilter;
}
