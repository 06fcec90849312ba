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

/**
 * A batch of inventory_levels/update payloads (a burst of echoes of our own writes, mostly): the
 * newest per item and location is compared with what we believe, in three queries whatever the
 * batch size. Returns how many positions now need a re-read.
 */
export async function onShopifyLevelsChanged(shop: string, payloads: InventoryLevelPayload[], db: Database = defaultDb, now = new Date()): Promise<number> {
  const scoped = forShop(shop, db);
  const newest = new Map<string, InventoryLevelPayload>();
  for (const payload of payloads) {
    const key = `${gid("InventoryItem", payload.inventory_item_id)}\n${gid("Location", payload.location_id)}`;
    const seen = newest.get(key);
    if (!seen || (payload.updated_at ?? "") >= (seen.updated_at ?? "")) newest.set(key, payload);
  }
  const locationIds = [...new Set([...newest.values()].map((p) => gid("Location", p.location_id)))];
  const warehouses = await scoped.warehouse.findMany({ where: { shopifyLocationId: { in: locationIds } }, select: { id: true, shopifyLocationId: true } });
  if (!warehouses.length) return 0;
  const warehouseOf = new Map(warehouses.map((w) => [w.shopifyLocationId, w.id]));
  const relevant = [...newest.values()].filter((p) => warehouseOf.has(gid("Location", p.location_id)));
  const positions = await scoped.inventoryPosition.findMany({
    where: { warehouseId: { in: warehouses.map((w) => w.id) }, inventoryItemId: { in: relevant.map((p) => gid("InventoryItem", p.inventory_item_id)) } },
    select: { id: true, warehouseId: true, inventoryItemId: true, shopifyAvailable: true, needsShopifyRead: true, syncState: true },
  });
  const positionOf = new Map(positions.map((p) => [`${p.warehouseId}\n${p.inventoryItemId}`, p]));
  const stale: { id: string; wasDirty: boolean }[] = [];
  for (const payload of relevant) {
    const warehouseId = warehouseOf.get(gid("Location", payload.location_id))!;
    const position = positionOf.get(`${warehouseId}\n${gid("InventoryItem", payload.inventory_item_id)}`);
    if (!position || position.needsShopifyRead) continue;
    if (position.shopifyAvailable === payload.available) continue;
    stale.push({ id: position.id, wasDirty: position.syncState === "dirty" });
  }
  if (!stale.length) return 0;
  await scoped.$transaction([
    // dirtySince is kept for positions already waiting, so their age is not reset.
    scoped.inventoryPosition.updateMany({ where: { id: { in: stale.filter((p) => p.wasDirty).map((p) => p.id) } }, data: { needsShopifyRead: true } }),
    scoped.inventoryPosition.updateMany({
      where: { id: { in: stale.filter((p) => !p.wasDirty).map((p) => p.id) } },
      data: { needsShopifyRead: true, syncState: "dirty", dirtySince: now },
    }),
  ]);
  return stale.length;
}
