// Saving a warehouse's routing details (priority, markets, country). Orders waiting in the queue
// are routed again at once: a warehouse that may now ship to them may have the stock.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { jobQueue } from "../jobs/queue.server";
import { RETRY_WAITING_JOB } from "../orders/jobs.server";
import { formatRegions } from "../orders/regions";
import type { WarehouseRoutingValues } from "./warehouse-routing";
import { WarehouseSetupError } from "./warehouse-setup.server";

export async function saveWarehouseRouting(shop: string, warehouseId: string, values: WarehouseRoutingValues, db: Database = defaultDb): Promise<void> {
  const scoped = forShop(shop, db);
  const warehouse = await scoped.warehouse.findUnique({ where: { id: warehouseId }, select: { connection: { select: { status: true } } } });
  if (!warehouse || warehouse.connection.status === "disconnected") {
    throw new WarehouseSetupError("warehouse_not_found", "This warehouse belongs to a connection that was removed.");
  }
  await scoped.warehouse.update({
    where: { id: warehouseId },
    data: { priority: values.priority, regions: formatRegions(values.regions), countryCode: values.countryCode },
  });
  await jobQueue.enqueue(shop, RETRY_WAITING_JOB, {}, { dedupeKey: "retry-waiting" });
}
