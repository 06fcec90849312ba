// What the list pages (Inventory, Orders, Counts, Unmapped SKUs) keep in their URL: a tab, a
// search, choices, and a page (by cursor or by number). Read from the query string by the
// loaders and written back by the pages, so a URL always says what a list shows. Pure.

/** The search box's term, trimmed and cut to a length the database query can afford. */
export function searchParam(params: URLSearchParams, maxLength: number, name = "q"): string {
  return (params.get(name) ?? "").trim().slice(0, maxLength);
}

/** One of a fixed list of values (a tab, a due filter), else the fallback. */
export function oneOf<T extends string, F extends T | null>(values: readonly T[], value: string | null, fallback: F): T | F {
  return (values as readonly (string | null)[]).includes(value) ? (value as T) : fallback;
}

/** A comma-separated list of known values (statuses), each once, in the order given. */
export function listParam<T extends string>(value: string | null, isValue: (value: string) => value is T): T[] {
  return [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(isValue),
    ),
  ];
}

/** A page number counted from 1; anything else is the first page. */
export function pageNumberParam(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 1 ? page : 1;
}

/** Opaque keyset cursors: the page after one row, or the page before another. */
export interface PageCursors {
  after: string | null;
  before: string | null;
}

/** The query of a list's first page: a new tab, filter or search starts there again. */
export const FIRST_PAGE: PageCursors = Object.freeze({ after: null, before: null });

export function pageCursorParams(params: URLSearchParams): PageCursors {
  return { after: params.get("after") || null, before: params.get("before") || null };
}

type ParamValue = string | number | readonly string[] | null | undefined;

/** A URL parameter: its name, its value, and the value that is left out of the URL (the default). */
export type ParamEntry = readonly [name: string, value: ParamValue, defaultValue?: string | number];

/** The cursor a query pages by, as URL parameters (after wins over before). */
export function pageCursorEntries(query: Partial<PageCursors>): ParamEntry[] {
  return query.after ? [["after", query.after]] : query.before ? [["before", query.before]] : [];
}

/** URL parameters in the order given, leaving out empty values and defaults; lists are comma-separated. */
export function listSearchParams(entries: readonly ParamEntry[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value, defaultValue] of entries) {
    if (value == null || value === "" || value === defaultValue) continue;
    if (typeof value === "object") {
      if (value.length) params.set(name, value.join(","));
    } else {
      params.set(name, String(value));
    }
  }
  return params;
}
