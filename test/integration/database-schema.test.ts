import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createDatabaseClient } from "~/db/client.server";
import { forShop } from "~/db/tenant.server";
import { createTestDatabase } from "../helpers/database";

const root = path.resolve(import.meta.dirname, "../..");
const kind = process.env.TEST_DATABASE as "sqlite" | "postgresql";
const cli = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [path.join(root, "prisma/cli.mjs"), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });

describe(`the database schema (${kind})`, () => {
  it("the committed migrations build exactly what prisma/schema.prisma describes", () => {
    expect(cli(["check"])).toMatch(/Migrations match the schema/);
  });

  it("`prisma/cli.mjs migrate` migrates an empty database and is a no-op the second time", async () => {
    const scratch = kind === "sqlite" ? null : await createTestDatabase("postgresql");
    const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-migrate-"));
    const url = scratch ? scratch.url : `file:${path.join(dir, "fresh.sqlite")}`;
    try {
      // createTestDatabase already migrated the PostgreSQL scratch database, so the CLI sees no work
      const first = cli(["migrate"], { DATABASE_URL: url });
      expect(first).toMatch(kind === "sqlite" ? /is migrated/ : /up to date/);
      const second = cli(["migrate"], { DATABASE_URL: url });
      expect(second).toMatch(kind === "sqlite" ? /is migrated/ : /up to date/);
      const client = createDatabaseClient(url);
      try {
        expect(await client.shopSettings.count({})).toBe(0);
        await client.shopSettings.create({ data: { shop: "fresh.myshopify.com" } });
        expect(await client.shopSettings.count({})).toBe(1);
      } finally {
        await client.$disconnect();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await scratch?.drop();
    }
  });

  it("the inventory ledger is append-only: the database refuses to rewrite a row", async () => {
    const shop = "alpha.myshopify.com";
    const entry = await forShop(shop).inventoryLedgerEntry.create({
      data: { shop, warehouseId: "w1", inventoryItemId: "gid://shopify/InventoryItem/1", quantityName: "warehouse_sellable", before: 3, after: 7, delta: 4, source: "warehouse_webhook", reason: "receipt", occurredAt: new Date() },
    });
    const refusal = await db.inventoryLedgerEntry.update({ where: { id: entry.id }, data: { after: 70 } }).then(
      () => null,
      (error: unknown) => error,
    );
    // SQLite's driver adapter reports the trigger's message in the error's meta, PostgreSQL in the message.
    expect(refusal).not.toBeNull();
    expect(`${(refusal as Error).message} ${JSON.stringify(refusal)}`).toMatch(/InventoryLedgerEntry is append-only/);
    expect((await db.inventoryLedgerEntry.findUniqueOrThrow({ where: { id: entry.id } })).after).toBe(7);
  });

  it("money round-trips as an exact Decimal and sums exactly in the app", async () => {
    const shop = "alpha.myshopify.com";
    const a = await forShop(shop).catalogItem.create({ data: { shop, inventoryItemId: "gid://shopify/InventoryItem/2", unitCost: "0.10" } });
    const b = await forShop(shop).catalogItem.create({ data: { shop, inventoryItemId: "gid://shopify/InventoryItem/3", unitCost: "0.20" } });
    expect(a.unitCost).toBeInstanceOf(Object);
    // Sums of money are taken with Decimal in the app: SQLite's SUM over DECIMAL is floating point.
    expect(a.unitCost!.plus(b.unitCost!).toString()).toBe("0.3");
    const precise = await forShop(shop).catalogItem.create({ data: { shop, inventoryItemId: "gid://shopify/InventoryItem/4", unitCost: "123456789.123456" } });
    expect(precise.unitCost?.toString()).toBe("123456789.123456");
  });
});
