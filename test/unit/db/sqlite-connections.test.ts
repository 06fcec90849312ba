import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, sqliteSynchronous, type Database } from "~/db/client.server";
import { executeStatement, executeTogether, queryRows } from "~/db/raw.server";
import { sqliteInboxStore, type InboxRecord } from "~/webhooks/inbox-store.server";

const root = path.resolve(import.meta.dirname, "../../..");
const SHOP = "inbox-batch.myshopify.com";

const delivery = (webhookId: string, dedupeKey = webhookId): InboxRecord => ({
  shop: SHOP,
  source: "shopify",
  webhookId,
  topic: "orders/create",
  apiVersion: "2026-07",
  eventId: null,
  triggeredAt: null,
  payload: JSON.stringify({ id: webhookId }),
  job: { type: "shopify.webhook", payload: { webhookId }, dedupeKey },
});

/** A SQLite file migrated as `npm run db:migrate` does it (WAL mode), with an app client on it. */
interface MigratedFile {
  file: string;
  client: Database;
  remove(): Promise<void>;
}

function migratedFile(prefix: string): MigratedFile {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, "app.sqlite");
  execFileSync(process.execPath, [path.join(root, "prisma/cli.mjs"), "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: `file:${file}` } });
  const client = createDatabaseClient(`file:${file}`);
  return {
    file,
    client,
    async remove() {
      await client.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("the SQLite webhook inbox writes the deliveries that arrive together in one transaction", () => {
  let db: MigratedFile;
  let file: string;
  let client: Database;
  beforeAll(() => {
    db = migratedFile("tallysync-inbox-");
    ({ file, client } = db);
  });
  afterAll(() => db.remove());

  it("each delivery of a burst is stored once with its job, and a repeat within the burst is a duplicate", async () => {
    const store = sqliteInboxStore(file);
    try {
      const burst = Array.from({ length: 40 }, (_, i) => delivery(`w-${i}`));
      const outcomes = await Promise.all([...burst.map((d) => store.save(d)), store.save(delivery("w-3"))]);
      expect(outcomes.filter((o) => o === "stored")).toHaveLength(40);
      expect(outcomes.at(-1)).toBe("duplicate");
      expect(await client.webhookInbox.count({ where: { shop: SHOP } })).toBe(40);
      expect(await client.job.count({ where: { shop: SHOP, type: "shopify.webhook" } })).toBe(40);
      // Later deliveries of the same webhook are duplicates too.
      expect(await store.save(delivery("w-0"))).toBe("duplicate");
    } finally {
      await store.close();
    }
  });

  it("a delivery the database refuses fails with the others written in the same transaction, and nothing of them is stored; the next ones are", async () => {
    const store = sqliteInboxStore(file);
    try {
      const refused = { ...delivery("bad"), topic: null as unknown as string }; // topic is NOT NULL
      const results = await Promise.allSettled([store.save(delivery("x-1")), store.save(refused), store.save(delivery("x-2"))]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(await client.webhookInbox.count({ where: { webhookId: { in: ["x-1", "bad", "x-2"] } } })).toBe(0);
      expect(await client.job.count({ where: { shop: SHOP, dedupeKey: { in: ["x-1", "x-2"] } } })).toBe(0);
      // Delivered again (Shopify retries what was not acknowledged): stored.
      expect(await Promise.all([store.save(delivery("x-1")), store.save(delivery("x-2"))])).toEqual(["stored", "stored"]);
    } finally {
      await store.close();
    }
  });
});

describe("SQLite connections and the disk", () => {
  it("the app's connections do not wait for the disk at each commit, the inbox that acknowledges webhooks does", async () => {
    const { file, client, remove } = migratedFile("tallysync-sync-");
    const inbox = sqliteInboxStore(file);
    try {
      const [mode] = await client.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
      const [journal] = await client.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(journal!.journal_mode).toBe("wal");
      expect(Number(mode!.synchronous)).toBe(1); // NORMAL
      expect(inbox.synchronous()).toBe(2); // FULL
    } finally {
      await inbox.close();
      await remove();
    }
  });

  it("the app has one copy of SQLite: Prisma's adapter and the webhook inbox load the same better-sqlite3", () => {
    // Two copies in one process do not see each other's locks (POSIX locks belong to the process,
    // and each copy keeps its own table of them), so the web process's inbox connection and its
    // Prisma connection could both write the file at once. package.json's overrides keep one.
    const require = createRequire(path.join(root, "app/webhooks/inbox-store.server.ts"));
    const adapterRequire = createRequire(require.resolve("@prisma/adapter-better-sqlite3"));
    expect(adapterRequire.resolve("better-sqlite3")).toBe(require.resolve("better-sqlite3"));
  });

  it("TALLYSYNC_SQLITE_SYNCHRONOUS takes NORMAL or FULL (NORMAL when unset) and refuses anything else", () => {
    expect(sqliteSynchronous(undefined)).toBe("NORMAL");
    expect(sqliteSynchronous("")).toBe("NORMAL");
    expect(sqliteSynchronous("full")).toBe("FULL");
    expect(sqliteSynchronous("NORMAL")).toBe("NORMAL");
    expect(() => sqliteSynchronous("OFF")).toThrow(/NORMAL or FULL/);
  });
});

describe("while another process holds SQLite's write lock, the app's statements wait for it without stopping this one", () => {
  // A child process takes the write lock and gives it back when this process tells it to, from a
  // timer. A statement that slept inside SQLite's busy handler would stop that timer too, and fail
  // after its 5 s wait with "database is locked". The holder is another process, as the web
  // process and the workers are to each other.
  let db: MigratedFile;
  let file: string;
  let client: Database;
  beforeAll(() => {
    db = migratedFile("tallysync-lock-");
    ({ file, client } = db);
  });
  afterAll(() => db.remove());

  const HOLDER = `
    const db = new (require("better-sqlite3"))(process.argv[1], { timeout: 0 });
    db.prepare("BEGIN IMMEDIATE").run();
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.prepare("COMMIT").run(); db.close(); process.stdout.write("released\\n"); process.exit(0); });
  `;

  /** Another process takes the write lock; `release()` gives it back and resolves once it has. */
  async function lockedElsewhere(): Promise<{ release(): Promise<void> }> {
    const child = spawn(process.execPath, ["-e", HOLDER, file], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
    const said = (word: string) => new Promise<void>((resolve, reject) => {
      const listen = (chunk: Buffer) => {
        if (!chunk.toString().includes(word)) return;
        child.stdout.off("data", listen);
        resolve();
      };
      child.stdout.on("data", listen);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`))));
    });
    await said("locked");
    return {
      release() {
        const released = said("released");
        child.stdin.write("go\n");
        return released;
      },
    };
  }

  const job = (id: string) => ({ id, shop: SHOP, type: "lock.test", payload: "{}", dedupeKey: id });
  const insertJob = (id: string) => ({
    text: `INSERT INTO "Job" ("id","shop","type","payload","dedupeKey","runAt","createdAt") VALUES (?,?,?,?,?,?,?)`,
    values: [id, SHOP, "lock.test", "{}", id, new Date(), new Date()],
  });

  it("a raw statement, a raw transaction, a Prisma write and a Prisma transaction each complete once the lock is given back", async () => {
    await client.$connect();
    const holder = await lockedElsewhere();
    // Set when this process's timer fires and asks the holder to commit: nothing can be written
    // before, as the holder keeps the lock until it is asked.
    let released = false;
    const releasing = new Promise<void>((resolve) =>
      setTimeout(() => {
        released = true;
        resolve(holder.release());
      }, 100),
    );
    const finishedAfterRelease = await Promise.all([
      executeStatement(client, insertJob("raw-1").text, ...insertJob("raw-1").values).then(() => released),
      executeTogether(client, [insertJob("raw-2"), { text: `UPDATE "Job" SET "priority" = 5 WHERE "id" = ?`, values: ["raw-2"] }]).then(() => released),
      client.job.create({ data: job("prisma-1") }).then(() => released),
      client
        .$transaction(async (tx) => {
          const before = await tx.job.count({ where: { shop: SHOP, type: "lock.test" } });
          await tx.job.create({ data: job(`prisma-tx-${before}`) });
        })
        .then(() => released),
    ]);
    expect(finishedAfterRelease).toEqual([true, true, true, true]);
    await releasing;
    const rows = await queryRows<{ id: string; priority: number }[]>(client, `SELECT "id", "priority" FROM "Job" WHERE "shop" = ? AND "type" = 'lock.test' ORDER BY "id"`, SHOP);
    expect(rows.map((r) => r.id).filter((id) => !id.startsWith("prisma-tx-"))).toEqual(["prisma-1", "raw-1", "raw-2"]);
    expect(rows.filter((r) => r.id.startsWith("prisma-tx-"))).toHaveLength(1);
    expect(rows.find((r) => r.id === "raw-2")!.priority).toBe(5);
  });

  it("the webhook inbox stores the deliveries that arrive while the lock is held, once it is given back", async () => {
    const store = sqliteInboxStore(file);
    try {
      const holder = await lockedElsewhere();
      let released = false;
      const releasing = new Promise<void>((resolve) =>
        setTimeout(() => {
          released = true;
          resolve(holder.release());
        }, 100),
      );
      const outcomes = await Promise.all([store.save(delivery("locked-1")), store.save(delivery("locked-2"))]);
      expect(outcomes).toEqual(["stored", "stored"]);
      expect(released).toBe(true);
      await releasing;
      expect(await client.webhookInbox.count({ where: { webhookId: { in: ["locked-1", "locked-2"] } } })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("a Prisma transaction holds the write lock from its start, so what it read is still true when it writes", async () => {
    await client.$transaction(async (tx) => {
      const before = await tx.job.count({ where: { shop: SHOP } });
      // Another process cannot write meanwhile: it is told at once that the database is locked.
      const other = spawnSync(process.execPath, ["-e", WRITER, file, SHOP], { cwd: root, encoding: "utf8" });
      expect(other.stdout.trim()).toBe("SQLITE_BUSY");
      await tx.job.create({ data: job(`prisma-held-${before}`) });
    });
  });
});

const WRITER = `
  const db = new (require("better-sqlite3"))(process.argv[1], { timeout: 0 });
  try { db.prepare('UPDATE "Job" SET "priority" = 9 WHERE "shop" = ?').run(process.argv[2]); process.stdout.write("written"); }
  catch (error) { process.stdout.write(String(error.code)); }
`;
