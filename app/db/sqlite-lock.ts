// Waiting for SQLite's write lock without stopping the process.
//
// The web process and the workers share one SQLite file, and SQLite lets one connection write at a
// time. A connection's busy handler waits for the lock by sleeping inside the statement, which
// stops the whole Node.js process: every job and request it is serving waits too. In the orders
// benchmark the workers spent about 40% of their time asleep there (strace, session 8). The app's
// connections therefore fail at once when the lock is taken (busy_timeout 0) and try again after a
// timer, so that the process serves others while it waits.

/** How long a statement may wait for the write lock before it fails (better-sqlite3's default busy timeout). */
export const LOCK_WAIT_MS = 5_000;

/**
 * Whether an error says the database was locked: better-sqlite3's SqliteError (code SQLITE_BUSY,
 * SQLITE_BUSY_SNAPSHOT, ...) or Prisma's DriverAdapterError, which keeps the driver's code.
 */
export function isSqliteBusy(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === "object") {
    const original = (cause as { originalCode?: unknown }).originalCode;
    if (typeof original === "string" && original.startsWith("SQLITE_BUSY")) return true;
  }
  return false;
}

/**
 * The pause before the attempt after `failed` failures: the next turn of the event loop first
 * (the holder is often this same process, between two of its statements), then 1 ms growing to
 * 8 ms. Another process holds the lock for well under a millisecond per transaction.
 */
export function lockPauseMs(failed: number): number {
  if (failed <= 1) return 0;
  return Math.min(8, 1 + Math.floor((failed - 2) / 2));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));
}

export interface LockWaitOptions {
  waitMs?: number;
  now?: () => number;
  /**
   * Before each attempt: a promise to wait for when the attempt may not run yet (a connection's
   * statements wait until no transaction is open on it), or undefined. It is asked again after each
   * wait, and the attempt starts in the same turn as the answer undefined.
   */
  notYet?: () => Promise<void> | undefined;
}

/**
 * Runs `attempt` until it does not fail for a locked database, pausing between attempts without
 * blocking the event loop. `attempt` must change nothing when it fails for the lock (one statement,
 * or a transaction that begins IMMEDIATE). After `waitMs` the last error is thrown.
 */
export async function whenUnlocked<T>(attempt: () => T | Promise<T>, options: LockWaitOptions = {}): Promise<T> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? LOCK_WAIT_MS);
  for (let failed = 0; ; failed++) {
    for (let wait = options.notYet?.(); wait; wait = options.notYet?.()) await wait;
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error) || now() >= deadline) throw error;
    }
    await pause(lockPauseMs(failed + 1));
  }
}
