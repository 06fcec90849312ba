import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop, TenantViolationError } from "~/db/tenant.server";

const ALPHA = "alpha.myshopify.com";
const BETA = "beta.myshopify.com";

async function seedConnection(shop: string, name: string) {
  return forShop(shop).warehouseConnection.create({
    data: { shop, name, provider: "generic", encryptedCredentials: "v1.x.y.z.w" },
  });
}

describe("tenant isolation: one shop can neither read nor change another shop's rows", () => {
  beforeEach(async () => {
    await db.warehouseConnection.deleteMany({});
    await db.inventoryLedgerEntry.deleteMany({});
  });

  it("reads through forShop only return the shop's own rows", async () => {
    await seedConnection(ALPHA, "LA warehouse");
    const betaRow = await seedConnection(BETA, "LA warehouse");
    const alpha = forShop(ALPHA);
    expect(await alpha.warehouseConnection.findMany({})).toHaveLength(1);
    expect(await alpha.warehouseConnection.count({})).toBe(1);
    expect(await alpha.warehouseConnection.findUnique({ where: { id: betaRow.id } })).toBeNull();
    expect(await alpha.warehouseConnection.findFirst({ where: { name: "LA warehouse" } })).toMatchObject({ shop: ALPHA });
    const grouped = await alpha.warehouseConnection.groupBy({ by: ["shop"], _count: true });
    expect(grouped).toEqual([{ shop: ALPHA, _count: 1 }]);
  });

  it("naming another shop in a filter is refused, not silently widened", async () => {
    const alpha = forShop(ALPHA);
    await expect(alpha.warehouseConnection.findMany({ where: { shop: BETA } })).rejects.toBeInstanceOf(TenantViolationError);
    await expect(alpha.warehouseConnection.findMany({ where: { OR: [{ shop: BETA }, { name: "x" }] } })).rejects.toBeInstanceOf(TenantViolationError);
    await expect(
      alpha.warehouseConnection.findUnique({ where: { shop_name: { shop: BETA, name: "LA warehouse" } } }),
    ).rejects.toBeInstanceOf(TenantViolationError);
  });

  it("updates and deletes through forShop cannot touch another shop's rows", async () => {
    const betaRow = await seedConnection(BETA, "Shenzhen");
    const alpha = forShop(ALPHA);
    const updated = await alpha.warehouseConnection.updateMany({ where: { id: betaRow.id }, data: { status: "paused" } });
    expect(updated.count).toBe(0);
    await expect(alpha.warehouseConnection.update({ where: { id: betaRow.id }, data: { status: "paused" } })).rejects.toThrow();
    const deleted = await alpha.warehouseConnection.deleteMany({});
    expect(deleted.count).toBe(0);
    await expect(alpha.warehouseConnection.delete({ where: { id: betaRow.id } })).rejects.toThrow();
    const untouched = await db.warehouseConnection.findUniqueOrThrow({ where: { id: betaRow.id } });
    expect(untouched.status).toBe("active");
  });

  it("a row cannot be created for, or moved to, another shop", async () => {
    const alpha = forShop(ALPHA);
    await expect(
      alpha.warehouseConnection.create({ data: { shop: BETA, name: "x", provider: "generic", encryptedCredentials: "e" } }),
    ).rejects.toBeInstanceOf(TenantViolationError);
    const own = await seedConnection(ALPHA, "Mine");
    await expect(alpha.warehouseConnection.update({ where: { id: own.id }, data: { shop: BETA } })).rejects.toBeInstanceOf(TenantViolationError);
    await expect(
      alpha.inventoryLedgerEntry.createMany({
        data: [
          { shop: ALPHA, warehouseId: "w", inventoryItemId: "i", quantityName: "warehouse_sellable", before: 0, after: 1, delta: 1, source: "system", reason: "test", occurredAt: new Date() },
          { shop: BETA, warehouseId: "w", inventoryItemId: "i", quantityName: "warehouse_sellable", before: 0, after: 1, delta: 1, source: "system", reason: "test", occurredAt: new Date() },
        ],
      }),
    ).rejects.toBeInstanceOf(TenantViolationError);
    expect(await db.inventoryLedgerEntry.count({})).toBe(0);
  });

  it("every table carries a shop column, so every table can be scoped", () => {
    const models = Prisma.dmmf.datamodel.models;
    const withoutShop = models.filter((m) => !m.fields.some((f) => f.name === "shop" && f.type === "String"));
    expect(models.length).toBeGreaterThan(20);
    expect(withoutShop.map((m) => m.name)).toEqual([]);
  });

  it("forShop refuses something that is not a shop domain", () => {
    expect(() => forShop("not a shop")).toThrow(/not a shop domain/);
  });
});
