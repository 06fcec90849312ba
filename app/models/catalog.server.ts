// What we know of the shop's inventory items (SKU, barcode), kept current from products/update.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import type { ShopifyProductPayload } from "../webhooks/payloads";

export interface CatalogChange {
  inventoryItemId: string;
  skuChanged: boolean;
  barcodeChanged: boolean;
}

/** Upsert every variant of the product; returns the items whose SKU or barcode changed (to re-map). */
export async function upsertCatalogFromProduct(
  shop: string,
  payload: ShopifyProductPayload,
  db: Database = defaultDb,
): Promise<CatalogChange[]> {
  const scoped = forShop(shop, db);
  const changes: CatalogChange[] = [];
  const productId = payload.admin_graphql_api_id ?? `gid://shopify/Product/${payload.id}`;
  for (const variant of payload.variants ?? []) {
    if (variant.inventory_item_id == null) continue;
    const inventoryItemId = `gid://shopify/InventoryItem/${variant.inventory_item_id}`;
    const before = await scoped.catalogItem.findUnique({
      where: { shop_inventoryItemId: { shop, inventoryItemId } },
      select: { sku: true, barcode: true },
    });
    const data = {
      variantId: variant.admin_graphql_api_id ?? `gid://shopify/ProductVariant/${variant.id}`,
      productId,
      productTitle: payload.title ?? null,
      variantTitle: variant.title ?? null,
      sku: variant.sku || null,
      barcode: variant.barcode || null,
    };
    await scoped.catalogItem.upsert({
      where: { shop_inventoryItemId: { shop, inventoryItemId } },
      create: { shop, inventoryItemId, ...data },
      update: data,
    });
    if (before && (before.sku !== data.sku || before.barcode !== data.barcode)) {
      changes.push({ inventoryItemId, skuChanged: before.sku !== data.sku, barcodeChanged: before.barcode !== data.barcode });
    }
  }
  return changes;
}
