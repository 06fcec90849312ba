// Reading and saving the shop's general settings (the ShopSettings row).
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { withUniqueRetry } from "../db/errors";
import { forShop } from "../db/tenant.server";
import type { SettingsForm, ShopSettingsValues } from "./settings";

type ShopSettingsRow = Awaited<ReturnType<Database["shopSettings"]["findUniqueOrThrow"]>>;

function toSettingsForm(row: ShopSettingsRow): SettingsForm {
  return {
    defaultSafetyStock: String(row.defaultSafetyStock),
    accuracyTargetPercent: row.accuracyTargetPercent.toString(),
    countCadenceDaysA: String(row.countCadenceDaysA),
    countCadenceDaysB: String(row.countCadenceDaysB),
    countCadenceDaysC: String(row.countCadenceDaysC),
    abcThresholdAPercent: String(row.abcThresholdAPercent),
    abcThresholdBPercent: String(row.abcThresholdBPercent),
    varianceThresholdUnits: String(row.varianceThresholdUnits),
    varianceThresholdValue: row.varianceThresholdValue.toFixed(2),
    timeZone: row.timeZone,
  };
}

/**
 * The shop's settings as the form shows them. Upserts because a page's loader runs alongside the
 * app layout's (which creates the row on install), so it may get here first.
 */
export async function loadShopSettings(shop: string, db: Database = defaultDb): Promise<SettingsForm> {
  const row = await withUniqueRetry(() => forShop(shop, db).shopSettings.upsert({ where: { shop }, create: { shop }, update: {} }));
  return toSettingsForm(row);
}

export async function saveShopSettings(shop: string, values: ShopSettingsValues, db: Database = defaultDb): Promise<SettingsForm> {
  const before = await forShop(shop, db).shopSettings.findUnique({ where: { shop }, select: { defaultSafetyStock: true } });
  const row = await withUniqueRetry(() =>
    forShop(shop, db).shopSettings.upsert({
      where: { shop },
      create: { shop, ...values },
      update: values,
    }),
  );
  if (before && before.defaultSafetyStock !== row.defaultSafetyStock) await safetyStockChanged(shop, db);
  return toSettingsForm(row);
}

/**
 * A new default safety stock changes what Shopify should show for every position that uses the
 * default: mark them for the next sync, so Shopify follows at once.
 */
async function safetyStockChanged(shop: string, db: Database) {
  const now = new Date();
  await forShop(shop, db).inventoryPosition.updateMany({
    where: { safetyStock: null, inventoryItemId: { not: null }, syncState: "clean" },
    data: { syncState: "dirty", dirtySince: now },
  });
  const { requestStockSync } = await import("../inventory/jobs.server");
  await requestStockSync(shop);
}

export async function shopTimeZone(shop: string, db: Database = defaultDb): Promise<string> {
  const row = await forShop(shop, db).shopSettings.findUnique({ where: { shop }, select: { timeZone: true } });
  return row?.timeZone ?? "UTC";
}
