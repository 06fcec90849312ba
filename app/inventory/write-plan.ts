// Which quantities to write to Shopify, in what order and in which batches. Pure.
//
// - Coalesced: one quantity per (item, location), whatever number of events made it dirty.
// - Compare-and-swap: each quantity says what we believe Shopify shows now (changeFromQuantity).
//   A position whose Shopify value we do not know is read first, never written blind.
// - Near-zero first: the SKUs closest to selling out are written before the rest, because a stale
//   number there is an oversell, while elsewhere it is only a delay.
// - At most 250 quantities per call (Shopify's input limit), one location per call.
// - The idempotency key is derived from the batch's content and each position's version, so the
//   same logical change gets the same key on every retry (Shopify applies it once), while the same
//   numbers written again after a later change get a new key (and are applied).
import { createHash } from "node:crypto";

export const SHOPIFY_MAX_QUANTITIES_PER_CALL = 250;

export interface PositionToWrite {
  positionId: string;
  inventoryItemId: string;
  locationId: string;
  /** What Shopify should show (availableToSell). */
  target: number;
  /** What we believe Shopify shows now; null when unknown. */
  shopifyAvailable: number | null;
  /** The position's version, so that a new change to it makes a new key. */
  version: number;
}

export interface PlannedQuantity {
  positionId: string;
  /** The position's version when planned: part of the key, so a later identical write is new. */
  version: number;
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  changeFromQuantity: number;
}

export interface PlannedWrite {
  idempotencyKey: string;
  locationId: string;
  quantities: PlannedQuantity[];
}

export interface WritePlan {
  writes: PlannedWrite[];
  /** Positions whose Shopify value must be read before they can be written. */
  needsRead: PositionToWrite[];
  /** Positions where Shopify already shows the target. */
  unchanged: PositionToWrite[];
}

export function idempotencyKeyFor(shop: string, quantities: PlannedQuantity[]): string {
  const canonical = quantities
    .map((q) => `${q.positionId}@${q.version}|${q.inventoryItemId}|${q.locationId}|${q.changeFromQuantity}>${q.quantity}`)
    .sort()
    .join(";");
  return `tallysync-stock-${createHash("sha256").update(`${shop}\n${canonical}`).digest("hex").slice(0, 40)}`;
}

export function planShopifyWrites(
  shop: string,
  positions: PositionToWrite[],
  batchSize: number = SHOPIFY_MAX_QUANTITIES_PER_CALL,
): WritePlan {
  if (batchSize < 1 || batchSize > SHOPIFY_MAX_QUANTITIES_PER_CALL) {
    throw new RangeError(`batchSize must be between 1 and ${SHOPIFY_MAX_QUANTITIES_PER_CALL}`);
  }
  const seen = new Set<string>();
  const needsRead: PositionToWrite[] = [];
  const unchanged: PositionToWrite[] = [];
  const toWrite: PositionToWrite[] = [];
  for (const position of positions) {
    const key = `${position.inventoryItemId}@${position.locationId}`;
    if (seen.has(key)) throw new Error(`Position for ${key} was listed twice; coalesce before planning.`);
    seen.add(key);
    if (position.shopifyAvailable == null) needsRead.push(position);
    else if (position.shopifyAvailable === position.target) unchanged.push(position);
    else toWrite.push(position);
  }
  // Lowest target first; among equals, the biggest cut first (a drop matters more than a rise).
  toWrite.sort(
    (a, b) =>
      a.target - b.target ||
      (a.target - (a.shopifyAvailable ?? 0)) - (b.target - (b.shopifyAvailable ?? 0)) ||
      a.positionId.localeCompare(b.positionId),
  );
  // One call writes one location (Shopify's inventory mutations take a location per call from us);
  // batches are ordered by their lowest target, so near-zero SKUs go first across locations too.
  const byLocation = new Map<string, PositionToWrite[]>();
  for (const p of toWrite) byLocation.set(p.locationId, [...(byLocation.get(p.locationId) ?? []), p]);
  const writes: PlannedWrite[] = [];
  for (const group of byLocation.values()) {
    for (let i = 0; i < group.length; i += batchSize) {
      const quantities = group.slice(i, i + batchSize).map((p) => ({
        positionId: p.positionId,
        version: p.version,
        inventoryItemId: p.inventoryItemId,
        locationId: p.locationId,
        quantity: p.target,
        changeFromQuantity: p.shopifyAvailable!,
      }));
      writes.push({ idempotencyKey: idempotencyKeyFor(shop, quantities), locationId: group[0]!.locationId, quantities });
    }
  }
  writes.sort((a, b) => a.quantities[0]!.quantity - b.quantities[0]!.quantity);
  return { writes, needsRead, unchanged };
}
