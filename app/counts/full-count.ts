// Full count: every mapped SKU of the warehouse, whether or not it was counted lately. Lines nobody
// counts count as 0 (variance.ts) and the warehouse's stock sync is frozen while it runs
// (task-status.ts). Pure.

/** Every mapped SKU of the warehouse, by SKU. */
export function fullCountLines<T extends { warehouseSku: string; inventoryItemId: string }>(skus: readonly T[]): T[] {
  return [...skus].sort((a, b) => (a.warehouseSku < b.warehouseSku ? -1 : a.warehouseSku > b.warehouseSku ? 1 : a.inventoryItemId < b.inventoryItemId ? -1 : 1));
}
