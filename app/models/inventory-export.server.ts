// The Inventory list as CSV, for the current filters: a header row, then every matching position
// in the list's order, streamed batch by batch so a 50,000-row export never sits in memory.
import type { Database } from "../db/client.server";
import { db as defaultDb } from "../db.server";
import { csvLine, UTF8_BOM } from "../export/csv";
import type { Translate } from "../i18n";
import type { InventoryQuery, InventoryRow } from "./inventory-view";
import { inventoryRowsForExport } from "./inventory-view.server";

export function inventoryCsvHeader(t: Translate): string {
  return csvLine([
    t("inventory.column.sku"),
    t("inventory.csv.productTitle"),
    t("inventory.csv.variantTitle"),
    t("inventory.csv.barcode"),
    t("inventory.column.warehouse"),
    t("inventory.column.warehouseSellable"),
    t("inventory.column.heldForOrders"),
    t("inventory.column.safetyStock"),
    t("inventory.csv.safetyStockIsShopDefault"),
    t("inventory.column.shopifyAvailable"),
    t("inventory.column.shouldBe"),
    t("inventory.column.drift"),
    t("inventory.csv.lastConfirmedAt"),
    t("inventory.column.status"),
  ]);
}

export function inventoryCsvLine(row: InventoryRow, t: Translate): string {
  return csvLine([
    row.sku,
    row.productTitle,
    row.variantTitle,
    row.barcode,
    row.warehouseName,
    row.warehouseSellable,
    row.reservedForOrders,
    row.safetyStock,
    row.safetyStockIsShopDefault,
    row.shopifyAvailable,
    row.shouldBe,
    row.drift,
    row.lastConfirmedAt,
    t(`inventory.status.${row.status}`),
  ]);
}

export function inventoryCsvStream(shop: string, query: InventoryQuery, t: Translate, db: Database = defaultDb): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<InventoryRow[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + inventoryCsvHeader(t)));
    },
    async pull(controller) {
      batches ??= inventoryRowsForExport(shop, query, db);
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => inventoryCsvLine(row, t)).join("")));
    },
    async cancel() {
      await batches?.return(undefined);
    },
  });
}
