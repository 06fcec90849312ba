import { GraphQLError } from "graphql";

/** Page size cap of Admin API connections. */
export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString("base64");
}

export function decodeCursor(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    return typeof parsed.last_id === "number" ? parsed.last_id : null;
  } catch {
    return null;
  }
}

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  nodes: N[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Cursor pagination over records sorted by id, as Admin API connections do (or by `compare` for a
 * sortKey; cursors still name the record by id). `unbounded` is for bulk operations, which page
 * internally and take no first/last.
 */
export function paginate<T extends { id: number }, N>(records: T[], args: ConnectionArgs, toNode: (rec: T) => N, unbounded = false, compare: (a: T, b: T) => number = (a, b) => a.id - b.id): Connection<N> {
  const { first, last, after, before, reverse } = args;
  if (!unbounded) {
    if (first == null && last == null) throw new GraphQLError("you must provide one of first or last");
    if ((first ?? 0) > MAX_PAGE_SIZE || (last ?? 0) > MAX_PAGE_SIZE) {
      throw new GraphQLError(`The ${first != null ? "first" : "last"} argument cannot exceed ${MAX_PAGE_SIZE}.`);
    }
  }
  let list = [...records].sort(compare);
  if (reverse) list.reverse();
  const indexOf = (cursor: string | null | undefined): number => {
    if (!cursor) return -1;
    const id = decodeCursor(cursor);
    if (id === null) throw new GraphQLError(`Invalid cursor for current pagination sort.`);
    return list.findIndex((r) => r.id === id);
  };
  let start = 0;
  let end = list.length;
  if (after) {
    const i = indexOf(after);
    start = i >= 0 ? i + 1 : list.length;
  }
  if (before) {
    const i = indexOf(before);
    if (i >= 0) end = Math.min(end, i);
  }
  const hasBeforeWindow = start > 0;
  const hasAfterWindow = end < list.length;
  list = list.slice(start, end);
  let hasNextPage = hasAfterWindow;
  let hasPreviousPage = hasBeforeWindow;
  if (first != null && !unbounded) {
    if (list.length > first) hasNextPage = true;
    list = list.slice(0, first);
  } else if (last != null && !unbounded) {
    if (list.length > last) hasPreviousPage = true;
    list = list.slice(Math.max(0, list.length - last));
  }
  const edges = list.map((rec) => ({ cursor: encodeCursor(rec.id), node: toNode(rec) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
