import type { ShopifyCore } from "./core";
import { idOf } from "./gid";
import { inventoryLevelPayload } from "./payloads";
import {
  ADJUSTMENT_REASONS,
  ON_HAND_COMPONENTS,
  QUANTITY_NAMES,
  quantityOf,
  type AdjustmentGroupRec,
  type InventoryChangeRec,
  type LevelRec,
  type QuantityName,
  type ShopState,
  type StoredQuantityName,
} from "./state";

export interface InventoryUserError {
  field: string[];
  message: string;
  code: string;
}

export interface InventoryResult {
  group: AdjustmentGroupRec | null;
  userErrors: InventoryUserError[];
}

/** Quantities Shopify lets apps change directly; `committed` belongs to orders. */
const ADJUSTABLE_NAMES: QuantityName[] = ["available", "on_hand", "incoming", "reserved", "damaged", "safety_stock", "quality_control"];
const MOVABLE_NAMES: QuantityName[] = ["available", "incoming", "reserved", "damaged", "safety_stock", "quality_control"];
const MAX_QUANTITY = 1_000_000_000;

interface PlannedOp {
  level: LevelRec;
  stored: StoredQuantityName;
  delta: number;
  /** Names whose delta is reported in the adjustment group's changes. */
  reported: { name: QuantityName; delta: number; ledgerDocumentUri: string | null }[];
}

function validReason(reason: string): boolean {
  return (ADJUSTMENT_REASONS as readonly string[]).includes(reason);
}

/** "Valid URI with scheme and content. For GID format, all components (app, entity, id) must be present." */
export function validDocumentUri(uri: string): boolean {
  if (uri.startsWith("gid://")) return /^gid:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(uri);
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(uri);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

class Planner {
  readonly errors: InventoryUserError[] = [];
  readonly ops: PlannedOp[] = [];

  constructor(
    private readonly shop: ShopState,
    readonly codes: { stale: string; invalidItem: string; invalidLocation: string; notStocked: string },
  ) {}

  error(field: (string | number)[], message: string, code: string): void {
    this.errors.push({ field: field.map(String), message, code });
  }

  level(field: (string | number)[], itemGid: unknown, locationGid: unknown): LevelRec | null {
    const itemId = idOf(itemGid, "InventoryItem");
    const locationId = idOf(locationGid, "Location");
    if (itemId === null || !this.shop.inventoryItems.has(itemId)) {
      this.error([...field, "inventoryItemId"], "The specified inventory item could not be found.", this.codes.invalidItem);
      return null;
    }
    if (locationId === null || !this.shop.locations.has(locationId)) {
      this.error([...field, "locationId"], "The specified location could not be found.", this.codes.invalidLocation);
      return null;
    }
    const level = this.shop.levels.get(`${itemId}:${locationId}`);
    if (!level) {
      this.error(field, "The specified inventory item is not stocked at the location.", this.codes.notStocked);
      return null;
    }
    return level;
  }

  /** Compare-and-swap: `changeFromQuantity` must equal the persisted quantity; null opts out. */
  cas(field: (string | number)[], input: Record<string, unknown>, current: number): void {
    if (!hasOwn(input, "changeFromQuantity")) return;
    const expected = input.changeFromQuantity;
    if (expected === null || expected === undefined) return;
    if (expected !== current) {
      this.error([...field, "changeFromQuantity"], `The changeFromQuantity argument no longer matches the persisted quantity. Expected ${String(expected)}, found ${current}.`, this.codes.stale);
    }
  }
}

function storedOpsFor(name: QuantityName, delta: number, ledgerDocumentUri: string | null, level: LevelRec): PlannedOp {
  if (name === "on_hand") {
    // Changing on_hand moves the difference through available (shopify.dev inventory states).
    return { level, stored: "available", delta, reported: [{ name: "on_hand", delta, ledgerDocumentUri }, { name: "available", delta, ledgerDocumentUri: null }] };
  }
  const reported: PlannedOp["reported"] = [{ name, delta, ledgerDocumentUri }];
  if (ON_HAND_COMPONENTS.includes(name)) reported.push({ name: "on_hand", delta, ledgerDocumentUri: null });
  return { level, stored: name, delta, reported };
}

function apply(core: ShopifyCore, shop: ShopState, reason: string, referenceDocumentUri: string | null, ops: PlannedOp[]): AdjustmentGroupRec {
  const changes: InventoryChangeRec[] = [];
  const touched = new Set<LevelRec>();
  for (const op of ops) {
    core.changeQuantity(shop, op.level, op.stored, op.delta, `${reason}${referenceDocumentUri ? ` ${referenceDocumentUri}` : ""}`);
    touched.add(op.level);
    for (const r of op.reported) {
      changes.push({
        inventoryItemId: op.level.inventoryItemId,
        locationId: op.level.locationId,
        name: r.name,
        delta: r.delta,
        quantityAfterChange: quantityOf(op.level, r.name),
        ledgerDocumentUri: r.ledgerDocumentUri,
      });
    }
  }
  const group: AdjustmentGroupRec = { id: core.ids.take(), reason, referenceDocumentUri, changes: mergeChanges(changes), createdAt: core.clock.iso() };
  shop.adjustmentGroups.set(group.id, group);
  for (const level of touched) core.emit(shop, "inventory_levels/update", inventoryLevelPayload(level));
  return group;
}

/** One change per (item, location, name), like an adjustment group reports them. */
function mergeChanges(changes: InventoryChangeRec[]): InventoryChangeRec[] {
  const merged = new Map<string, InventoryChangeRec>();
  for (const c of changes) {
    const key = `${c.inventoryItemId}:${c.locationId}:${c.name}`;
    const prev = merged.get(key);
    if (prev) {
      prev.delta += c.delta;
      prev.quantityAfterChange = c.quantityAfterChange;
      prev.ledgerDocumentUri = prev.ledgerDocumentUri ?? c.ledgerDocumentUri;
    } else merged.set(key, { ...c });
  }
  return [...merged.values()];
}

function commonChecks(p: Planner, input: Record<string, unknown>): { reason: string; ref: string | null } {
  const reason = String(input.reason ?? "");
  if (!validReason(reason)) p.error(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON");
  const ref = (input.referenceDocumentUri as string | null | undefined) ?? null;
  if (ref !== null && !validDocumentUri(ref)) p.error(["input", "referenceDocumentUri"], "The specified reference document is invalid.", "INVALID_REFERENCE_DOCUMENT");
  return { reason, ref };
}

const SET_CODES = { stale: "CHANGE_FROM_QUANTITY_STALE", invalidItem: "INVALID_INVENTORY_ITEM", invalidLocation: "INVALID_LOCATION", notStocked: "ITEM_NOT_STOCKED_AT_LOCATION" };

function planSet(p: Planner, name: "available" | "on_hand", list: Record<string, unknown>[], listField: string, legacy: { ignoreCompare: boolean; requireCas: boolean }) {
  const seen = new Set<string>();
  list.forEach((q, i) => {
    const field = ["input", listField, i];
    const level = p.level(field, q.inventoryItemId, q.locationId);
    if (!level) return;
    const key = `${level.inventoryItemId}:${level.locationId}`;
    if (seen.has(key)) {
      p.error(field, "The combination of inventoryItemId and locationId must be unique.", "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR");
      return;
    }
    seen.add(key);
    const quantity = Number(q.quantity);
    if (quantity < 0) return p.error([...field, "quantity"], "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE");
    if (quantity > MAX_QUANTITY) return p.error([...field, "quantity"], "The total quantity can't be higher than 1,000,000,000.", "INVALID_QUANTITY_TOO_HIGH");
    const current = quantityOf(level, name);
    p.cas(field, q, current);
    if (!legacy.requireCas && !hasOwn(q, "changeFromQuantity") && !legacy.ignoreCompare && typeof q.compareQuantity === "number" && q.compareQuantity !== current) {
      p.error([...field, "compareQuantity"], "The compareQuantity value does not match persisted value.", "COMPARE_QUANTITY_STALE");
    }
    p.ops.push(storedOpsFor(name, quantity - current, null, level));
    if (name === "available") {
      // Setting available changes on_hand by the same amount; report it as the platform does.
      p.ops[p.ops.length - 1]!.reported = [{ name: "available", delta: quantity - current, ledgerDocumentUri: null }, { name: "on_hand", delta: quantity - current, ledgerDocumentUri: null }];
    }
  });
}

export function setQuantities(core: ShopifyCore, shop: ShopState, input: Record<string, unknown>, requireCas: boolean): InventoryResult {
  const p = new Planner(shop, SET_CODES);
  const { reason, ref } = commonChecks(p, input);
  const name = String(input.name);
  if (name !== "available" && name !== "on_hand") {
    p.error(["input", "name"], "The quantity name must be either 'available' or 'on_hand'.", "INVALID_NAME");
    return { group: null, userErrors: p.errors };
  }
  planSet(p, name, (input.quantities as Record<string, unknown>[]) ?? [], "quantities", { ignoreCompare: Boolean(input.ignoreCompareQuantity), requireCas });
  if (p.errors.length) return { group: null, userErrors: p.errors };
  return { group: apply(core, shop, reason, ref, p.ops), userErrors: [] };
}

export function setOnHandQuantities(core: ShopifyCore, shop: ShopState, input: Record<string, unknown>, requireCas: boolean): InventoryResult {
  const p = new Planner(shop, SET_CODES);
  const { reason, ref } = commonChecks(p, input);
  planSet(p, "on_hand", (input.setQuantities as Record<string, unknown>[]) ?? [], "setQuantities", { ignoreCompare: true, requireCas });
  if (p.errors.length) return { group: null, userErrors: p.errors };
  return { group: apply(core, shop, reason, ref, p.ops), userErrors: [] };
}

function checkLedger(p: Planner, field: (string | number)[], name: QuantityName, ledger: string | null): boolean {
  if (name === "available") {
    if (ledger) {
      p.error([...field, "ledgerDocumentUri"], "A ledger document URI is not allowed when adjusting available.", "INVALID_AVAILABLE_DOCUMENT");
      return false;
    }
    return true;
  }
  if (!ledger) {
    p.error([...field, "ledgerDocumentUri"], "A ledger document URI is required except when adjusting available.", "INVALID_QUANTITY_DOCUMENT");
    return false;
  }
  if (ledger.startsWith("gid://shopify/")) {
    p.error([...field, "ledgerDocumentUri"], "Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.", "INTERNAL_LEDGER_DOCUMENT");
    return false;
  }
  if (!validDocumentUri(ledger)) {
    p.error([...field, "ledgerDocumentUri"], "The specified ledger document is invalid.", "INVALID_LEDGER_DOCUMENT");
    return false;
  }
  return true;
}

export function adjustQuantities(core: ShopifyCore, shop: ShopState, input: Record<string, unknown>): InventoryResult {
  const p = new Planner(shop, SET_CODES);
  const { reason, ref } = commonChecks(p, input);
  const name = String(input.name) as QuantityName;
  if (!ADJUSTABLE_NAMES.includes(name)) {
    p.error(["input", "name"], "The specified quantity name is invalid.", "INVALID_QUANTITY_NAME");
    return { group: null, userErrors: p.errors };
  }
  ((input.changes as Record<string, unknown>[]) ?? []).forEach((c, i) => {
    const field = ["input", "changes", i];
    const level = p.level(field, c.inventoryItemId, c.locationId);
    if (!level) return;
    const ledger = (c.ledgerDocumentUri as string | null | undefined) ?? null;
    if (!checkLedger(p, field, name, ledger)) return;
    const delta = Number(c.delta);
    const current = quantityOf(level, name);
    if (current + delta > 2_000_000_000) return p.error([...field, "delta"], "The quantity can't be higher than 2,000,000,000.", "INVALID_QUANTITY_TOO_HIGH");
    if (current + delta < -2_000_000_000) return p.error([...field, "delta"], "The quantity can't be lower than -2,000,000,000.", "INVALID_QUANTITY_TOO_LOW");
    p.cas(field, c, current);
    p.ops.push(storedOpsFor(name, delta, ledger, level));
  });
  if (p.errors.length) return { group: null, userErrors: p.errors };
  return { group: apply(core, shop, reason, ref, p.ops), userErrors: [] };
}

export function moveQuantities(core: ShopifyCore, shop: ShopState, input: Record<string, unknown>): InventoryResult {
  const p = new Planner(shop, SET_CODES);
  const { reason, ref } = commonChecks(p, input);
  ((input.changes as Record<string, unknown>[]) ?? []).forEach((c, i) => {
    const field = ["input", "changes", i];
    const from = (c.from ?? {}) as Record<string, unknown>;
    const to = (c.to ?? {}) as Record<string, unknown>;
    if (from.locationId !== to.locationId) {
      return p.error(field, "The quantities can't be moved between different locations.", "DIFFERENT_LOCATIONS");
    }
    const fromName = String(from.name) as QuantityName;
    const toName = String(to.name) as QuantityName;
    if (!MOVABLE_NAMES.includes(fromName)) return p.error([...field, "from", "name"], "The specified quantity name is invalid.", "INVALID_QUANTITY_NAME");
    if (!MOVABLE_NAMES.includes(toName)) return p.error([...field, "to", "name"], "The specified quantity name is invalid.", "INVALID_QUANTITY_NAME");
    if (fromName === toName) return p.error(field, "The quantity names for each change can't be the same.", "SAME_QUANTITY_NAME");
    const quantity = Number(c.quantity);
    if (quantity <= 0) return p.error([...field, "quantity"], "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE");
    const level = p.level(field, c.inventoryItemId, from.locationId);
    if (!level) return;
    const fromLedger = (from.ledgerDocumentUri as string | null | undefined) ?? null;
    const toLedger = (to.ledgerDocumentUri as string | null | undefined) ?? null;
    if (!checkLedger(p, [...field, "from"], fromName, fromLedger) || !checkLedger(p, [...field, "to"], toName, toLedger)) return;
    p.cas([...field, "from"], from, quantityOf(level, fromName));
    p.cas([...field, "to"], to, quantityOf(level, toName));
    const fromStored = fromName as StoredQuantityName;
    const toStored = toName as StoredQuantityName;
    const onHandDelta = (ON_HAND_COMPONENTS.includes(toStored) ? quantity : 0) - (ON_HAND_COMPONENTS.includes(fromStored) ? quantity : 0);
    p.ops.push({ level, stored: fromStored, delta: -quantity, reported: [{ name: fromName, delta: -quantity, ledgerDocumentUri: fromLedger }] });
    p.ops.push({
      level,
      stored: toStored,
      delta: quantity,
      reported: [{ name: toName, delta: quantity, ledgerDocumentUri: toLedger }, ...(onHandDelta !== 0 ? [{ name: "on_hand" as const, delta: onHandDelta, ledgerDocumentUri: null }] : [])],
    });
  });
  if (p.errors.length) return { group: null, userErrors: p.errors };
  return { group: apply(core, shop, reason, ref, p.ops), userErrors: [] };
}

export const ALL_QUANTITY_NAMES = QUANTITY_NAMES;
