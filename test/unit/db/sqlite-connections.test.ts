import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, sqliteSynchronous, type Database } from "~/db/client.server";
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

describe("the SQLite webhook inbox writes the deliveries that arrive together in one transaction", () => {
  let dir: string;
  let file: string;
  let client: Database;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-inbox-"));
    file = path.join(dir, "inbox.sqlite");
    execFileSync(process.execPath, [path.join(root, "prisma/cli.mjs"), "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: `file:${file}` } });
    client = createDatabaseClient(`file:${file}`);
  });
  afterAll(async () => {
    await client.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

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
    const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-sync-"));
    const file = path.join(dir, "sync.sqlite");
    try {
      execFileSync(process.execPath, [path.join(root, "prisma/cli.mjs"), "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: `file:${file}` } });
      const client = createDatabaseClient(`file:${file}`);
      const inbox = sqliteInboxStore(file);
      try {
        const [mode] = await client.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous");
        const [journal] = await client.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
        expect(journal!.journal_mode).toBe("wal");
        expect(Number(mode!.synchronous)).toBe(1); // NORMAL
        expect(inbox.synchronous()).toBe(2); // FULL
      } finally {
        await client.$disconnect();
        await inbox.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("TALLYSYNC_SQLITE_SYNCHRONOUS takes NORMAL or FULL (NORMAL when unset) and refuses anything else", () => {
    expect(sqliteSynchronous(undefined)).toBe("NORMAL");
    expect(sqliteSynchronous("")).toBe("NORMAL");
    expect(sqliteSynchronous("full")).toBe("FULL");
    expect(sqliteSynchronous("NORMAL")).toBe("NORMAL");
    expect(() => sqliteSynchronous("OFF")).toThrow(/NORMAL or FULL/);
  });
});
