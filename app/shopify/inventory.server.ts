// Reading and writing Shopify stock at one location, with compare-and-swap and idempotency keys.
import type { AdminClient } from "./admin-client.server";
import { InventoryBatchTooLargeError, ShopifyApiError } from "./errors";
import {
  INVENTORY_ACTIVATE,
  INVENTORY_ADJUST_QUANTITIES,
  INVENTORY_LEVELS,
  INVENTORY_SET_QUANTITIES,
  MAX_INPUT_ITEMS,
  QUANTITY_NAMES,
  type InventoryActivateData,
  type InventoryAdjustmentPayload,
  type InventoryAdjustQuantitiesData,
  type InventoryLevelsData,
  type InventoryQuantities,
  type InventorySetQuantitiesData,
  type InventoryUserErrorCode,
} from "./operations";

interface WriteCommon {
  locationId: string;
  /** One of Shopify's adjustment reasons (correction, cycle_count_available, received, ...). */
  reason: string;
  /** The TallySync document behind the change, e.g. gid://tallysync/SyncRun/123; shown in Shopify's inventory history. */
  referenceDocumentUri: string;
  /** One key per intended change; reuse it only to repeat exactly the same call. */
  idempotencyKey: string;
}

export interface SetAvailableInput extends WriteCommon {
  /** changeFromQuantity: the available quantity this change was computed from; null skips the check. */
  quantities: { inventoryItemId: string; quantity: number; changeFromQuantity: number | null }[];
}

export interface AdjustAvailableInput extends WriteCommon {
  changes: { inventoryItemId: string; delta: number; changeFromQuantity: number | null }[];
}

export interface AppliedChange {
  inventoryItemId: string;
  delta: number;
  /** Available after the change, as Shopify reported it. */
  quantityAfterChange: number | null;
}

export interface InventoryWriteError {
  inventoryItemId: string | null;
  code: InventoryUserErrorCode | null;
  message: string;
  field: string[] | null;
}

export interface InventoryWriteResult {
  adjustmentGroupId: string | null;
  applied: AppliedChange[];
  /**
   * Items whose changeFromQuantity no longer matched Shopify. Shopify then rejects the whole call,
   * so nothing in it was applied: re-read these and send the rest again with a new key.
   */
  stale: string[];
  errors: InventoryWriteError[];
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function emptyQuantities(): InventoryQuantities {
  return Object.fromEntries(QUANTITY_NAMES.map((name) => [name, 0])) as InventoryQuantities;
}

/**
 * Stocks items at a location, one call each (Shopify has no batch form). Items already stocked
 * there are left as they are. Returns the items Shopify refused, with its reason.
 */
export async function activateInventory(client: AdminClient, locationId: string, inventoryItemIds: string[]): Promise<{ inventoryItemId: string; message: string }[]> {
  const refused: { inventoryItemId: string; message: string }[] = [];
  for (const inventoryItemId of new Set(inventoryItemIds)) {
    const data = await client.request<InventoryActivateData>(INVENTORY_ACTIVATE, { inventoryItemId, locationId });
    const errors = data.inventoryActivate?.userErrors ?? [];
    if (errors.length || !data.inventoryActivate?.inventoryLevel) {
      refused.push({ inventoryItemId, message: errors.map((e) => e.message).join("; ") || "Shopify did not stock the item." });
    }
  }
  return refused;
}

/** Quantities of each item stocked at the location; items not stocked there are absent from the map. */
export async function readInventoryLevels(client: AdminClient, locationId: string, inventoryItemIds: string[]): Promise<Map<string, InventoryQuantities>> {
  const levels = new Map<string, InventoryQuantities>();
  for (const batch of chunks([...new Set(inventoryItemIds)], MAX_INPUT_ITEMS)) {
    const data = await client.request<InventoryLevelsData>(INVENTORY_LEVELS, { inventoryItemIds: batch, locationId });
    for (const node of data.nodes) {
      if (!node?.id || !node.inventoryLevel) continue;
      const quantities = emptyQuantities();
      for (const { name, quantity } of node.inventoryLevel.quantities) {
        if (name in quantities) quantities[name as keyof InventoryQuantities] = quantity;
      }
      levels.set(node.id, quantities);
    }
  }
  return levels;
}

/** The input item a userError points at: its field path is ["input", <list>, "<index>", ...]. */
function itemAt(field: string[] | null, listName: string, items: { inventoryItemId: string }[]): string | null {
  if (!field) return null;
  const at = field.indexOf(listName);
  const index = at >= 0 ? Number(field[at + 1]) : NaN;
  return Number.isInteger(index) ? (items[index]?.inventoryItemId ?? null) : null;
}

function toResult(
  payload: InventoryAdjustmentPayload,
  locationId: string,
  listName: "quantities" | "changes",
  items: { inventoryItemId: string; fallback: AppliedChange }[],
): InventoryWriteResult {
  const group = payload.inventoryAdjustmentGroup;
  const changes = new Map(
    (group?.changes ?? [])
      .filter((c) => c.name === "available" && c.item && (!c.location || c.location.id === locationId))
      .map((c) => [c.item!.id, c]),
  );
  const applied = group
    ? items.map(({ inventoryItemId, fallback }) => {
        const change = changes.get(inventoryItemId);
        return change ? { inventoryItemId, delta: change.delta, quantityAfterChange: change.quantityAfterChange } : fallback;
      })
    : [];
  const stale: string[] = [];
  const errors: InventoryWriteError[] = [];
  for (const e of payload.userErrors) {
    const inventoryItemId = itemAt(e.field, listName, items);
    if (e.code === "CHANGE_FROM_QUANTITY_STALE" && inventoryItemId) stale.push(inventoryItemId);
    else errors.push({ inventoryItemId, code: e.code, message: e.message, field: e.field });
  }
  return { adjustmentGroupId: group?.id ?? null, applied, stale, errors };
}

function checkBatch(size: number): void {
  if (size > MAX_INPUT_ITEMS) throw new InventoryBatchTooLargeError(size);
}

function missingPayload(client: AdminClient, operation: string): ShopifyApiError {
  return new ShopifyApiError(`Shopify answered TallySync's stock change for ${client.shop} without a result.`, {
    shop: client.shop,
    operation,
    code: "EMPTY_RESPONSE",
    status: 200,
    retryable: true,
    attempts: 1,
  });
}

function nothingToWrite(): InventoryWriteResult {
  return { adjustmentGroupId: null, applied: [], stale: [], errors: [] };
}

/** Sets `available` at one location (at most 250 items a call). */
export async function setAvailable(client: AdminClient, input: SetAvailableInput): Promise<InventoryWriteResult> {
  checkBatch(input.quantities.length);
  if (input.quantities.length === 0) return nothingToWrite();
  const variables = {
    input: {
      name: "available",
      reason: input.reason,
      referenceDocumentUri: input.referenceDocumentUri,
      quantities: input.quantities.map((q) => ({
        inventoryItemId: q.inventoryItemId,
        locationId: input.locationId,
        quantity: q.quantity,
        changeFromQuantity: q.changeFromQuantity,
      })),
    },
  };
  const data = await client.request<InventorySetQuantitiesData>(INVENTORY_SET_QUANTITIES, variables, { idempotencyKey: input.idempotencyKey });
  if (!data.inventorySetQuantities) throw missingPayload(client, "InventorySetQuantities");
  const items = input.quantities.map((q) => ({
    inventoryItemId: q.inventoryItemId,
    fallback: { inventoryItemId: q.inventoryItemId, delta: q.changeFromQuantity === null ? 0 : q.quantity - q.changeFromQuantity, quantityAfterChange: q.quantity },
  }));
  return toResult(data.inventorySetQuantities, input.locationId, "quantities", items);
}

/** Adds deltas to `available` at one location (at most 250 items a call). */
export async function adjustAvailable(client: AdminClient, input: AdjustAvailableInput): Promise<InventoryWriteResult> {
  checkBatch(input.changes.length);
  if (input.changes.length === 0) return nothingToWrite();
  const variables = {
    input: {
      name: "available",
      reason: input.reason,
      referenceDocumentUri: input.referenceDocumentUri,
      changes: input.changes.map((c) => ({
        inventoryItemId: c.inventoryItemId,
        locationId: input.locationId,
        delta: c.delta,
        changeFromQuantity: c.changeFromQuantity,
      })),
    },
  };
  const data = await client.request<InventoryAdjustQuantitiesData>(INVENTORY_ADJUST_QUANTITIES, variables, { idempotencyKey: input.idempotencyKey });
  if (!data.inventoryAdjustQuantities) throw missingPayload(client, "InventoryAdjustQuantities");
  const items = input.changes.map((c) => ({
    inventoryItemId: c.inventoryItemId,
    fallback: { inventoryItemId: c.inventoryItemId, delta: c.delta, quantityAfterChange: c.changeFromQuantity === null ? null : c.changeFromQuantity + c.delta },
  }));
  return toResult(data.inventoryAdjustQuantities, input.locationId, "changes", items);
}
