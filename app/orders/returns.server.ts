// Returns the warehouse received. Recorded once per warehouse return (ReturnReceipt is unique on
// it): a ledger row per line says why the stock moved (reason `restock` for sellable units,
// `damaged` for the rest), and the warehouse's levels of those SKUs are read again and applied
// through the stock sync path, so the restocked units reach Shopify now. The levels are absolute
// and ordered by the warehouse's sequence, so the stock webhooks of the same return change nothing
// again: no unit is counted twice.
import { isUniqueViolation } from "../db/errors";
import { forShop } from "../db/tenant.server";
import type { WarehouseReturn } from "../warehouses/connector";
import { findAllocation, recordAllocation } from "./allocations.server";
import type { OrderDeps } from "./deps";
import { RETURNED_DAMAGED, RETURNED_SELLABLE } from "./return-quantities";
import { refreshWarehouseLevels } from "./stock-effects.server";

export type ReturnOutcome = "recorded" | "duplicate" | "unknown_warehouse";

export { RETURNED_DAMAGED, RETURNED_SELLABLE } from "./return-quantities";

export async function recordWarehouseReturn(
  shop: string,
  connectionId: string,
  received: WarehouseReturn,
  source: "warehouse_webhook" | "warehouse_poll",
  deps: OrderDeps,
): Promise<ReturnOutcome> {
  const scoped = forShop(shop, deps.db);
  if (await scoped.returnReceipt.findUnique({ where: { shop_connectionId_warehouseReturnId: { shop, connectionId, warehouseReturnId: received.id } }, select: { id: true } })) return "duplicate";
  const warehouse = await scoped.warehouse.findFirst({ where: { connectionId, externalCode: received.warehouseCode }, select: { id: true, name: true, connectionId: true, externalCode: true } });
  if (!warehouse) return "unknown_warehouse";
  const skus = [...new Set(received.lines.map((l) => l.sku))];
  const mappings = await scoped.skuMapping.findMany({ where: { connectionId, warehouseSku: { in: skus } }, select: { warehouseSku: true, inventoryItemId: true } });
  const itemOf = new Map(mappings.map((m) => [m.warehouseSku, m.inventoryItemId]));
  const allocation = received.externalReference ? await findAllocation(scoped, shop, received.externalReference) : null;
  const reference = `wms-return:${received.id}`;
  const ledger = received.lines.flatMap((line) => {
    const inventoryItemId = itemOf.get(line.sku) ?? `sku:${line.sku}`;
    const row = (quantityName: string, reason: string, units: number) => ({
      shop,
      warehouseId: warehouse.id,
      inventoryItemId,
      quantityName,
      before: 0,
      after: units,
      delta: units,
      source,
      reason,
      reference,
      occurredAt: received.receivedAt,
    });
    return [
      ...(line.sellable > 0 ? [row(RETURNED_SELLABLE, "restock", line.sellable)] : []),
      ...(line.damaged > 0 ? [row(RETURNED_DAMAGED, "damaged", line.damaged)] : []),
    ];
  });
  const sellableUnits = received.lines.reduce((sum, l) => sum + l.sellable, 0);
  const damagedUnits = received.lines.reduce((sum, l) => sum + l.damaged, 0);
  try {
    await scoped.$transaction([
      scoped.returnReceipt.create({
        data: {
          shop,
          connectionId,
          warehouseReturnId: received.id,
          warehouseId: warehouse.id,
          allocationId: allocation?.id ?? null,
          rma: received.rma,
          lines: JSON.stringify(received.lines.map((l) => ({ sku: l.sku, inventoryItemId: itemOf.get(l.sku) ?? null, sellable: l.sellable, damaged: l.damaged }))),
          sellableUnits,
          damagedUnits,
          receivedAt: received.receivedAt,
        },
        select: { id: true },
      }),
      ...(ledger.length ? [scoped.inventoryLedgerEntry.createMany({ data: ledger })] : []),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
  await refreshWarehouseLevels(shop, warehouse, skus, reference, deps);
  if (allocation) {
    await recordAllocation(
      scoped,
      shop,
      allocation,
      { kind: "returned", note: `${warehouse.name} received a return${received.rma ? ` (${received.rma})` : ""}: ${sellableUnits} unit(s) back in stock, ${damagedUnits} damaged` },
      deps.now(),
    );
  }
  if (sellableUnits > 0) await deps.stockArrived(shop);
  return "recorded";
}
