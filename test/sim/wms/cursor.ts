import { ApiError } from "./errors";

// Cursors are opaque to clients; inside they name the feed and account they belong to so a cursor
// from another feed or account is refused instead of silently skipping events.
export type CursorFeed = "inventory" | "changes" | "shipments" | "returns" | "orders";

export function encodeCursor(feed: CursorFeed, accountId: string, position: string | number): string {
  return Buffer.from(`${feed}|${accountId}|${position}`, "utf8").toString("base64url");
}

/** Returns the position stored in the cursor, or throws `status`/`code` when it is not ours. */
export function decodeCursor(
  cursor: string,
  feed: CursorFeed,
  accountId: string,
  onInvalid: () => ApiError,
): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [cursorFeed, cursorAccount, ...rest] = text.split("|");
  if (cursorFeed !== feed || cursorAccount !== accountId || rest.length === 0) throw onInvalid();
  return rest.join("|");
}

export function decodeSequenceCursor(
  cursor: string,
  feed: CursorFeed,
  accountId: string,
  onInvalid: () => ApiError,
): number {
  const position = decodeCursor(cursor, feed, accountId, onInvalid);
  if (!/^\d+$/.test(position)) throw onInvalid();
  return Number(position);
}
