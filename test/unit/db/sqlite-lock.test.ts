import { describe, expect, it } from "vitest";
import { isSqliteBusy, lockPauseMs, whenUnlocked } from "~/db/sqlite-lock";

const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

describe("waiting for SQLite's write lock", () => {
  it("recognises a locked database from better-sqlite3 and through Prisma's driver adapter, and nothing else", () => {
    expect(isSqliteBusy(busy())).toBe(true);
    expect(isSqliteBusy(Object.assign(new Error("x"), { code: "SQLITE_BUSY_SNAPSHOT" }))).toBe(true);
    expect(isSqliteBusy(Object.assign(new Error("SocketTimeout"), { name: "DriverAdapterError", cause: { kind: "SocketTimeout", originalCode: "SQLITE_BUSY" } }))).toBe(true);
    expect(isSqliteBusy(Object.assign(new Error("x"), { code: "SQLITE_CONSTRAINT_UNIQUE" }))).toBe(false);
    expect(isSqliteBusy(Object.assign(new Error("x"), { cause: { originalCode: "SQLITE_CONSTRAINT_NOTNULL" } }))).toBe(false);
    expect(isSqliteBusy(new Error("database is locked"))).toBe(false);
    expect(isSqliteBusy(null)).toBe(false);
  });

  it("tries again at the next turn of the event loop, then after 1 ms growing to at most 8 ms", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 15, 16, 100].map(lockPauseMs)).toEqual([0, 0, 1, 1, 2, 2, 3, 7, 8, 8]);
  });

  it("runs the work again while the database is locked, and the process keeps serving others meanwhile", async () => {
    let attempts = 0;
    let otherWork = 0;
    const ticker = setInterval(() => otherWork++, 1);
    try {
      const result = await whenUnlocked(() => {
        attempts++;
        if (attempts < 8) throw busy();
        return "written";
      });
      expect(result).toBe("written");
      expect(attempts).toBe(8);
      expect(otherWork).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
  });

  it("fails at once for any other error", async () => {
    let attempts = 0;
    const refused = Object.assign(new Error("NOT NULL constraint failed"), { code: "SQLITE_CONSTRAINT_NOTNULL" });
    await expect(
      whenUnlocked(() => {
        attempts++;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(attempts).toBe(1);
  });

  it("gives up with the lock error once the wait is over", async () => {
    let clock = 0;
    let attempts = 0;
    await expect(
      whenUnlocked(
        () => {
          attempts++;
          clock += 400;
          throw busy();
        },
        { waitMs: 1_000, now: () => clock },
      ),
    ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(attempts).toBe(3);
  });

  it("starts an attempt only when nothing holds it back, in the same turn as it checked", async () => {
    let open: Promise<void> | undefined = new Promise((resolve) => setTimeout(resolve, 5));
    void open.then(() => (open = undefined));
    const seen: Array<Promise<void> | undefined> = [];
    const result = await whenUnlocked(() => {
      seen.push(open);
      return 1;
    }, { notYet: () => open });
    expect(result).toBe(1);
    expect(seen).toEqual([undefined]);
  });
});
