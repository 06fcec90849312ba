import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sqliteDirect } from "~/db/client.server";
import { dialectOf, executeStatement, executeTogether, queryRows, SqlParams } from "~/db/raw.server";
import { forShop } from "~/db/tenant.server";

const kind = process.env.TEST_DATABASE as "sqlite" | "postgresql";
const SHOP = "raw-statements.myshopify.com";

const settingsCount = async (shop: string) => (await db.shopSettings.count({ where: { shop } }));

describe(`raw statements (${kind})`, () => {
  it("SQLite runs them straight on the connection; PostgreSQL, transaction clients and scoped views go through Prisma", async () => {
    expect(Boolean(await sqliteDirect(db))).toBe(kind === "sqlite");
    expect(await sqliteDirect(forShop(SHOP))).toBeNull();
    await db.$transaction(async (tx) => expect(await sqliteDirect(tx)).toBeNull());
  });

  it("give the same rows as Prisma's raw queries, value types included", async () => {
    await db.shopSettings.create({ data: { shop: SHOP, routingAllowSplit: true, accuracyTargetPercent: "98.25" } });
    const order = await forShop(SHOP).order.create({ data: { shop: SHOP, shopifyOrderId: "gid://shopify/Order/1", name: "#1001" } });
    await forShop(SHOP).orderLine.create({ data: { shop: SHOP, orderId: order.id, lineItemId: "l1", sku: "A", quantity: 3 } });
    const allocation = await forShop(SHOP).allocation.create({ data: { shop: SHOP, orderId: order.id, fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" } });
    await forShop(SHOP).shipment.create({
      data: { shop: SHOP, allocationId: allocation.id, connectionId: "c1", warehouseShipmentId: "s1", carrier: "UPS", trackingNumber: "1Z", shippedAt: new Date("2026-11-23T10:00:00.000Z"), lines: "[]", warehouseSequence: 9_007_199_254n },
    });
    const statement = (text: (sql: SqlParams) => string) => {
      const sql = new SqlParams(dialectOf(db));
      return { text: text(sql), values: sql.values };
    };
    const statements = [
      // BOOLEAN, DECIMAL, DATETIME, TEXT columns and a NULL
      statement((sql) => `SELECT "shop", "routingAllowSplit", "accuracyTargetPercent", "createdAt", "routingMaxShipments" FROM "ShopSettings" WHERE "shop" = ${sql.add(SHOP)}`),
      // INTEGER, a computed sum and count, a literal
      statement((sql) => `SELECT "quantity", SUM("quantity") AS "total", COUNT(*) AS "lines", 'x' AS "letter" FROM "OrderLine" WHERE "shop" = ${sql.add(SHOP)} GROUP BY "quantity"`),
      // BIGINT and a DATETIME
      statement((sql) => `SELECT "warehouseSequence", "shippedAt" FROM "Shipment" WHERE "shop" = ${sql.add(SHOP)}`),
    ];
    for (const { text, values } of statements) {
      const throughPrisma = await db.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      expect(throughPrisma.length).toBeGreaterThan(0);
      expect(await queryRows(db, text, ...values)).toEqual(throughPrisma);
    }
  });

  it("a statement sent while a Prisma transaction is open is not part of it: the transaction's rollback leaves it in place", async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db
      .$transaction(async (tx) => {
        await tx.shopSettings.create({ data: { shop: "raw-rolled-back.myshopify.com" } });
        inside();
        await held;
        throw new Error("rolled back on purpose");
      })
      .catch((error: Error) => error.message);
    await opened;
    // Another job's writes, one raw and one through Prisma, while the transaction is open.
    const sql = new SqlParams(dialectOf(db));
    const raw = executeStatement(db, `INSERT INTO "ShopSettings" ("id", "shop", "updatedAt") VALUES (${sql.add("raw-outside")}, ${sql.add("raw-outside.myshopify.com")}, ${sql.time(new Date())})`, ...sql.values);
    const model = db.shopSettings.create({ data: { shop: "model-outside.myshopify.com" } });
    setTimeout(release, 50);
    expect(await transaction).toBe("rolled back on purpose");
    expect(await raw).toBe(1);
    await model;
    expect(await settingsCount("raw-rolled-back.myshopify.com")).toBe(0);
    expect(await settingsCount("raw-outside.myshopify.com")).toBe(1);
    expect(await settingsCount("model-outside.myshopify.com")).toBe(1);
  });

  it("statements run together land together: a failing one undoes the others", async () => {
    const statement = (id: string, shop: string) => {
      const sql = new SqlParams(dialectOf(db));
      return { text: `INSERT INTO "ShopSettings" ("id", "shop", "updatedAt") VALUES (${sql.add(id)}, ${sql.add(shop)}, ${sql.time(new Date())})`, values: sql.values };
    };
    expect(await executeTogether(db, [statement("t1", "together-1.myshopify.com"), statement("t2", "together-2.myshopify.com")])).toEqual([1, 1]);
    // The second has the first's shop again: a unique violation.
    await expect(executeTogether(db, [statement("t3", "together-3.myshopify.com"), statement("t4", "together-1.myshopify.com")])).rejects.toThrow();
    expect(await settingsCount("together-3.myshopify.com")).toBe(0);
    // Inside a caller's transaction they are part of it.
    await db
      .$transaction(async (tx) => {
        await executeTogether(tx as typeof db, [statement("t5", "together-5.myshopify.com")]);
        throw new Error("undo");
      })
      .catch(() => undefined);
    expect(await settingsCount("together-5.myshopify.com")).toBe(0);
  });
});
