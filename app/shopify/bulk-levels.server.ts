// Every inventory level of the shop in one bulk operation: the nightly full reconciliation reads
// Shopify this way, with no page size and no query-cost limit (shopify.dev: bulk operations).
//
//   bulkOperationRunQuery(CatalogBulk) -> poll node(id) until COMPLETED -> download the JSONL
//
// Each line of the result is one object; a nested connection's items come on their own lines with
// `__parentId` naming their parent (here: an inventory level names its variant).
import type { ShopifyLevel } from "../inventory/gateway";
import type { AdminClient } from "./admin-client.server";
import {
  BULK_OPERATION,
  BULK_OPERATION_RUN_QUERY,
  CATALOG_BULK_QUERY,
  type BulkOperationData,
  type BulkOperationRunQueryData,
} from "./operations";

export interface BulkReadOptions {
  fetch?: typeof fetch;
  /** The first status poll comes after this; each next one waits twice as long, up to maxPollMs. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** Gives up (the reconciliation run fails and is retried) after this long. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A bulk read that did not complete, in words for the reconciliation history. */
export class BulkReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BulkReadError";
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function readAllLevelsInBulk(client: AdminClient, options: BulkReadOptions = {}): Promise<ShopifyLevel[]> {
  const sleep = options.sleep ?? wait;
  let delay = options.firstPollMs ?? 100;
  const maxPollMs = options.maxPollMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const query = CATALOG_BULK_QUERY.replace(/^\s*#graphql\s*/, "");
  const started = await client.request<BulkOperationRunQueryData>(BULK_OPERATION_RUN_QUERY, { query });
  const bulkOperation = started.bulkOperationRunQuery?.bulkOperation ?? null;
  const userErrors = started.bulkOperationRunQuery?.userErrors ?? [];
  if (!bulkOperation) {
    throw new BulkReadError(`Shopify did not start the bulk read of inventory levels: ${userErrors.map((e) => e.message).join("; ") || "no reason given"}.`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sleep(delay);
    delay = Math.min(delay * 2, maxPollMs);
    const polled = await client.request<BulkOperationData>(BULK_OPERATION, { id: bulkOperation.id });
    const operation = polled.node;
    if (!operation) throw new BulkReadError(`Shopify no longer knows bulk operation ${bulkOperation.id}.`);
    if (operation.status === "COMPLETED") {
      // No URL: the query matched nothing (a shop without variants).
      if (!operation.url) return [];
      const response = await (options.fetch ?? fetch)(operation.url);
      if (!response.ok) throw new BulkReadError(`Downloading the bulk read of inventory levels failed with HTTP ${response.status}.`);
      return levelsFromJsonl(await response.text());
    }
    if (operation.status === "FAILED" || operation.status === "CANCELED" || operation.status === "EXPIRED") {
      throw new BulkReadError(`Shopify's bulk read of inventory levels ended ${operation.status.toLowerCase()}${operation.errorCode ? ` (${operation.errorCode})` : ""}.`);
    }
    if (Date.now() > deadline) throw new BulkReadError(`Shopify's bulk read of inventory levels did not finish within ${Math.round(timeoutMs / 60_000)} minutes.`);
  }
}

interface VariantLine {
  id: string;
  inventoryItem?: { id?: string } | null;
}
interface LevelLine {
  __parentId: string;
  location?: { id?: string } | null;
  quantities?: { name: string; quantity: number }[];
}

/** Pure: the levels in a CatalogBulk result, whatever order its lines come in. */
export function levelsFromJsonl(jsonl: string): ShopifyLevel[] {
  const itemOfVariant = new Map<string, string>();
  const levelLines: LevelLine[] = [];
  for (const text of jsonl.split("\n")) {
    if (!text.trim()) continue;
    const line = JSON.parse(text) as VariantLine | LevelLine;
    if ("__parentId" in line) {
      if (line.location?.id) levelLines.push(line);
    } else if (line.inventoryItem?.id) {
      itemOfVariant.set(line.id, line.inventoryItem.id);
    }
  }
  const levels: ShopifyLevel[] = [];
  for (const line of levelLines) {
    const inventoryItemId = itemOfVariant.get(line.__parentId);
    if (!inventoryItemId) continue;
    const quantity = (name: string) => line.quantities?.find((q) => q.name === name)?.quantity ?? 0;
    levels.push({ inventoryItemId, locationId: line.location!.id!, available: quantity("available"), committed: quantity("committed"), onHand: quantity("on_hand") });
  }
  return levels;
}
