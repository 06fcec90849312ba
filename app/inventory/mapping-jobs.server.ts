// The catalog import and automatic SKU mapping, as a background job: after a connection's first
// full stock read (app/inventory/jobs.server.ts asks for it) and when the merchant re-runs it.
import { db } from "../db.server";
import { forShop } from "../db/tenant.server";
import { defineJob } from "../jobs/registry.server";
import { autoMapConnection, importShopifyCatalog } from "../models/sku-mapping.server";
import { log } from "../observability/logger.server";
import { shopAdminClient } from "../shopify/shop-client.server";
import { CATALOG_MAPPING_JOB } from "./jobs.server";

/** Reads the Shopify catalog, then maps the connection's (or every connection's) unmapped SKUs. */
export async function importAndMap(shop: string, connectionId: string | null): Promise<void> {
  const catalog = await importShopifyCatalog(shop, await shopAdminClient(shop));
  const connections = await forShop(shop, db).warehouseConnection.findMany({
    where: { status: { not: "disconnected" }, ...(connectionId ? { id: connectionId } : {}) },
    select: { id: true },
  });
  for (const connection of connections) {
    const outcome = await autoMapConnection(shop, connection.id);
    log.info("Catalog imported and SKUs mapped", { shop, connectionId: connection.id, ...catalog, ...outcome });
  }
}

defineJob(CATALOG_MAPPING_JOB, async (payload, { shop }) => {
  const { connectionId } = (payload ?? {}) as { connectionId?: string | null };
  await importAndMap(shop, connectionId ?? null);
});
