// What Shopify tells us about stock at warehouse-managed locations (inventory_levels/update).
// Our own writes echo back as webhooks too: those match what we believe and change nothing.
// Anything else (an order, a cancellation, a hand edit in the admin) makes the position re-read
// Shopify before its next write; the sync then restores a hand edit and tells the merchant.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";

export interface InventoryLevelPayload {
  inventory_item_id: number | string;
  location_id: number | string;
  available: number | null;
  updated_at?: string;
}

const gid = (kind: string, id: number | string) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/${kind}/${id}`);

export type LevelChangeOutcome = "not_a_warehouse_location" | "not_tracked" | "matches" | "re-read";

export async function onShopifyLevelChanged(shop: string, payload: InventoryLevelPayload, db: Database = defaultDb, now = new Date()): Promise<LevelChangeOutcome> {
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findFirst({ where: { shopifyLocationId: gid("Location", payload.location_id) }, select: { id: true } });
  if (!warehouse) return "not_a_warehouse_location";
  const position = await scoped.inventoryPosition.findFirst({
    where: { warehouseId: warehouse.id, inventoryItemId: gid("InventoryItem", payload.inventory_item_id) },
  });
  if (!position) return "not_tracked";
  if (position.shopifyAvailable === payload.available && !position.needsShopifyRead) return "matches";
  await scoped.inventoryPosition.update({
    where: { id: position.id },
    data: { needsShopifyRead: true, syncState: "dirty", dirtySince: position.syncState === "dirty" ? position.dirtySince : now },
  });
  return "re-read";
}
