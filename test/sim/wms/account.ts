import { ApiError, notFound } from "./errors";
import { OutboundOrders } from "./orders";
import type {
  Adjustment,
  AdjustmentLine,
  AdjustmentReason,
  InventoryChange,
  InventoryLevel,
  Movement,
  MovementType,
  ReturnLine,
  StockBucket,
  Warehouse,
  WarehouseReturn,
  WebhookSubscription,
  WebhookTopic,
} from "./protocol";

export interface WarehouseSeed {
  code: string;
  name?: string;
  country_code?: string;
  address?: Partial<Warehouse["address"]>;
  latitude?: number;
  longitude?: number;
  timezone?: string;
}

export interface StockSeed {
  warehouse: string;
  sku: string;
  sellable: number;
  damaged?: number;
}

export interface AccountSeed {
  id?: string;
  name?: string;
  apiKey?: string;
  warehouses: WarehouseSeed[];
  skus?: (string | { sku: string; name?: string; barcode?: string })[];
  stock?: StockSeed[];
}

export interface SimContext {
  now(): Date;
  nextId(prefix: string): string;
  randomToken(length: number): string;
  retainMovements: number;
  emit(accountId: string, topic: WebhookTopic, data: unknown): void;
}

interface StockRow {
  sku: string;
  warehouse: string;
  sellable: number;
  reserved: number;
  damaged: number;
  sequence: number;
  updatedAt: string;
}

interface MovementRecord extends Movement {
  change: InventoryChange;
}

export interface MoveInput {
  type: MovementType;
  sku: string;
  warehouse: string;
  quantity: number;
  from: StockBucket | null;
  to: StockBucket | null;
  reason?: string | null;
  reference?: string | null;
  orderId?: string | null;
  shipmentId?: string | null;
  returnId?: string | null;
  adjustmentId?: string | null;
}

export interface AdjustmentInput {
  reference: string;
  reason: AdjustmentReason;
  note: string | null;
  lines: AdjustmentLine[];
}

export interface ReturnInput {
  warehouse: string;
  rma?: string | null;
  order?: string | null;
  lines: { sku: string; sellable: number; damaged: number }[];
}

export interface Subscription extends WebhookSubscription {
  secret: string;
}

const stockKey = (warehouse: string, sku: string): string => `${warehouse}\u0000${sku}`;

/** One merchant account at the warehouse: its catalog, stock per warehouse, and the movement log. */
export class WarehouseAccount {
  readonly warehouses = new Map<string, Warehouse>();
  readonly skus = new Map<string, { sku: string; name: string; barcode: string | null }>();
  readonly orders: OutboundOrders;
  readonly subscriptions = new Map<string, Subscription>();
  readonly returns: WarehouseReturn[] = [];
  private readonly stock = new Map<string, StockRow>();
  /** The rows of `stock` in (warehouse, sku) order; null when a row was added since (see sortedRows). */
  private sorted: StockRow[] | null = null;
  private readonly movements: MovementRecord[] = [];
  private readonly adjustments = new Map<string, { adjustment: Adjustment; fingerprint: string }>();
  /** Every sequence at or below this number has been dropped from the log. */
  private expiredThrough = 0;
  private sequence = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly apiKey: string,
    readonly ctx: SimContext,
  ) {
    this.orders = new OutboundOrders(this);
  }

  static fromSeed(seed: AccountSeed, ctx: SimContext): WarehouseAccount {
    const id = seed.id ?? ctx.nextId("acct");
    const account = new WarehouseAccount(id, seed.name ?? id, seed.apiKey ?? `sk_test_${ctx.randomToken(24)}`, ctx);
    for (const warehouse of seed.warehouses) account.addWarehouse(warehouse);
    for (const sku of seed.skus ?? []) account.addSku(typeof sku === "string" ? { sku } : sku);
    for (const row of seed.stock ?? []) {
      account.addSku({ sku: row.sku });
      if (row.sellable > 0) account.receive(row.warehouse, row.sku, row.sellable, "seed");
      if ((row.damaged ?? 0) > 0) {
        account.move({ type: "receipt", sku: row.sku, warehouse: row.warehouse, quantity: row.damaged ?? 0, from: null, to: "damaged", reference: "seed" });
      }
    }
    return account;
  }

  addWarehouse(seed: WarehouseSeed): Warehouse {
    const country = seed.country_code ?? "US";
    const warehouse: Warehouse = {
      code: seed.code,
      name: seed.name ?? seed.code,
      country_code: country,
      address: {
        address1: seed.address?.address1 ?? "1 Warehouse Way",
        address2: seed.address?.address2 ?? null,
        city: seed.address?.city ?? "Ontario",
        province_code: seed.address?.province_code ?? null,
        postal_code: seed.address?.postal_code ?? null,
        country_code: country,
      },
      latitude: seed.latitude ?? 0,
      longitude: seed.longitude ?? 0,
      timezone: seed.timezone ?? "UTC",
    };
    this.warehouses.set(warehouse.code, warehouse);
    for (const sku of this.skus.keys()) this.row(warehouse.code, sku);
    return warehouse;
  }

  addSku(input: { sku: string; name?: string; barcode?: string }): void {
    if (!this.skus.has(input.sku)) {
      this.skus.set(input.sku, { sku: input.sku, name: input.name ?? input.sku, barcode: input.barcode ?? null });
    }
    for (const code of this.warehouses.keys()) this.row(code, input.sku);
  }

  requireWarehouse(code: string, field = "warehouse"): Warehouse {
    const warehouse = this.warehouses.get(code);
    if (!warehouse) {
      throw new ApiError(422, "unknown_warehouse", `Warehouse ${code} does not exist in this account`, { field });
    }
    return warehouse;
  }

  requireSku(sku: string, field = "sku"): void {
    if (!this.skus.has(sku)) throw new ApiError(422, "unknown_sku", `SKU ${sku} is not known to this warehouse account`, { field });
  }

  level(warehouse: string, sku: string): InventoryLevel {
    return toLevel(this.row(warehouse, sku));
  }

  /** All stock rows ordered by (warehouse, sku): the order the inventory endpoint pages in. */
  levels(): InventoryLevel[] {
    return this.sortedRows().map(toLevel);
  }

  /**
   * The levels of the rows `where` keeps, in levels() order: the same as levels().filter(where),
   * without building a level for every row of the account on each inventory read.
   */
  levelsWhere(where: (row: { warehouse: string; sku: string }) => boolean): InventoryLevel[] {
    const out: InventoryLevel[] = [];
    for (const row of this.sortedRows()) if (where(row)) out.push(toLevel(row));
    return out;
  }

  /**
   * Stock rows in (warehouse, sku) order. A row's key never changes, so the order is kept until a
   * row is added (row() drops it); quantities are read from the rows themselves.
   */
  private sortedRows(): StockRow[] {
    this.sorted ??= [...this.stock.values()].sort((a, b) => compareKeys(stockKey(a.warehouse, a.sku), stockKey(b.warehouse, b.sku)));
    return this.sorted;
  }

  currentSequence(): number {
    return this.sequence;
  }

  nextSequence(): number {
    return ++this.sequence;
  }

  /** True when the log still holds every movement after `sequence`. */
  hasMovementsAfter(sequence: number): boolean {
    return sequence >= this.expiredThrough && sequence <= this.sequence;
  }

  movementsAfter(sequence: number, limit: number): { items: MovementRecord[]; hasMore: boolean } {
    const start = this.movements.findIndex((m) => m.sequence > sequence);
    if (start < 0) return { items: [], hasMore: false };
    const items = this.movements.slice(start, start + limit);
    return { items, hasMore: start + limit < this.movements.length };
  }

  /** Drops the whole log, as a WMS with short retention would: older cursors now get 410. */
  expireMovementLog(): void {
    this.movements.length = 0;
    this.expiredThrough = this.sequence;
  }

  receive(warehouse: string, sku: string, quantity: number, reference: string | null = null): void {
    this.requireWarehouse(warehouse);
    this.addSku({ sku });
    this.move({ type: "receipt", sku, warehouse, quantity, from: null, to: "sellable", reference });
  }

  damage(warehouse: string, sku: string, quantity: number, reason: string | null = null): void {
    this.requireWarehouse(warehouse);
    this.requireSku(sku);
    this.requireStock(warehouse, [{ sku, quantity }], "sellable");
    this.move({ type: "damage", sku, warehouse, quantity, from: "sellable", to: "damaged", reason });
  }

  /** Throws insufficient_stock unless `bucket` holds every requested quantity (summed per SKU). */
  requireStock(warehouse: string, lines: { sku: string; quantity: number }[], bucket: StockBucket): void {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
    const short = [...wanted]
      .map(([sku, requested]) => ({ sku, warehouse, requested, available: this.row(warehouse, sku)[bucket] }))
      .filter((line) => line.available < line.requested);
    if (short.length > 0) {
      const list = short.map((s) => `${s.sku} (requested ${s.requested}, ${bucket} ${s.available})`).join(", ");
      throw new ApiError(409, "insufficient_stock", `Not enough ${bucket} stock in ${warehouse}: ${list}`, {
        details: short.map((s) => ({ sku: s.sku, warehouse: s.warehouse, requested: s.requested, [bucket]: s.available })),
      });
    }
  }

  move(input: MoveInput): Movement {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) throw new Error(`movement quantity must be positive: ${input.quantity}`);
    const row = this.row(input.warehouse, input.sku);
    if (input.from && row[input.from] < input.quantity) {
      throw new Error(`movement would make ${input.from} negative for ${input.sku} in ${input.warehouse}`);
    }
    const before = { sellable: row.sellable, reserved: row.reserved, damaged: row.damaged };
    if (input.from) row[input.from] -= input.quantity;
    if (input.to) row[input.to] += input.quantity;
    const occurredAt = this.ctx.now().toISOString();
    row.sequence = this.nextSequence();
    row.updatedAt = occurredAt;
    const level = toLevel(row);
    const change: InventoryChange = {
      sequence: row.sequence,
      sku: row.sku,
      warehouse: row.warehouse,
      movement_type: input.type,
      delta: {
        sellable: row.sellable - before.sellable,
        reserved: row.reserved - before.reserved,
        damaged: row.damaged - before.damaged,
        on_hand: level.on_hand - (before.sellable + before.reserved + before.damaged),
      },
      sellable: level.sellable,
      reserved: level.reserved,
      damaged: level.damaged,
      on_hand: level.on_hand,
      occurred_at: occurredAt,
    };
    const movement: Movement = {
      id: this.ctx.nextId("mv"),
      sequence: row.sequence,
      type: input.type,
      sku: input.sku,
      warehouse: input.warehouse,
      quantity: input.quantity,
      from: input.from,
      to: input.to,
      reason: input.reason ?? null,
      reference: input.reference ?? null,
      order_id: input.orderId ?? null,
      shipment_id: input.shipmentId ?? null,
      return_id: input.returnId ?? null,
      adjustment_id: input.adjustmentId ?? null,
      occurred_at: occurredAt,
    };
    this.movements.push({ ...movement, change });
    this.trimLog();
    this.emit("inventory.changed", { ...level, movement_type: input.type });
    return movement;
  }

  /** Count adjustments: all lines apply or none; the reference makes a retry return the first result. */
  adjust(input: AdjustmentInput): { adjustment: Adjustment; created: boolean } {
    const fingerprint = JSON.stringify([input.reason, input.lines.map((l) => [l.sku, l.warehouse, l.delta, l.bucket])]);
    const existing = this.adjustments.get(input.reference);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError(409, "adjustment_reference_conflict", `Adjustment ${input.reference} was already posted with different lines`, {
          details: { adjustment_id: existing.adjustment.id },
        });
      }
      return { adjustment: existing.adjustment, created: false };
    }
    input.lines.forEach((line, i) => {
      this.requireWarehouse(line.warehouse, `lines[${i}].warehouse`);
      this.requireSku(line.sku, `lines[${i}].sku`);
    });
    for (const bucket of ["sellable", "damaged"] as const) {
      const byWarehouse = new Map<string, { sku: string; quantity: number }[]>();
      for (const line of input.lines.filter((l) => l.bucket === bucket && l.delta < 0)) {
        byWarehouse.set(line.warehouse, [...(byWarehouse.get(line.warehouse) ?? []), { sku: line.sku, quantity: -line.delta }]);
      }
      for (const [warehouse, lines] of byWarehouse) this.requireStock(warehouse, lines, bucket);
    }
    const adjustment: Adjustment = {
      id: this.ctx.nextId("adj"),
      reference: input.reference,
      reason: input.reason,
      note: input.note,
      lines: input.lines.map((l) => ({ ...l })),
      created_at: this.ctx.now().toISOString(),
    };
    for (const line of input.lines) {
      if (line.delta === 0) continue;
      this.move({
        type: "adjustment",
        sku: line.sku,
        warehouse: line.warehouse,
        quantity: Math.abs(line.delta),
        from: line.delta < 0 ? line.bucket : null,
        to: line.delta > 0 ? line.bucket : null,
        reason: input.reason,
        reference: input.reference,
        adjustmentId: adjustment.id,
      });
    }
    this.adjustments.set(input.reference, { adjustment, fingerprint });
    return { adjustment, created: true };
  }

  receiveReturn(input: ReturnInput): WarehouseReturn {
    this.requireWarehouse(input.warehouse);
    const order = input.order ? this.orders.find(input.order) : null;
    if (input.order && !order) throw notFound(`Outbound order ${input.order}`);
    const lines: ReturnLine[] = input.lines.map((l) => {
      this.addSku({ sku: l.sku });
      return { sku: l.sku, quantity: l.sellable + l.damaged, sellable_quantity: l.sellable, damaged_quantity: l.damaged };
    });
    const id = this.ctx.nextId("rt");
    for (const line of lines) {
      for (const bucket of ["sellable", "damaged"] as const) {
        const quantity = bucket === "sellable" ? line.sellable_quantity : line.damaged_quantity;
        if (quantity > 0) {
          this.move({ type: "return", sku: line.sku, warehouse: input.warehouse, quantity, from: null, to: bucket, reference: input.rma ?? null, orderId: order?.id ?? null, returnId: id });
        }
      }
    }
    const received: WarehouseReturn = {
      id,
      sequence: this.nextSequence(),
      rma: input.rma ?? null,
      order_id: order?.id ?? null,
      external_reference: order?.external_reference ?? null,
      warehouse: input.warehouse,
      lines,
      received_at: this.ctx.now().toISOString(),
    };
    this.returns.push(received);
    this.emit("return.received", received);
    return received;
  }

  emit(topic: WebhookTopic, data: unknown): void {
    this.ctx.emit(this.id, topic, structuredClone(data));
  }

  private row(warehouse: string, sku: string): StockRow {
    const key = stockKey(warehouse, sku);
    let row = this.stock.get(key);
    if (!row) {
      row = { sku, warehouse, sellable: 0, reserved: 0, damaged: 0, sequence: 0, updatedAt: this.ctx.now().toISOString() };
      this.stock.set(key, row);
      this.sorted = null;
    }
    return row;
  }

  private trimLog(): void {
    const excess = this.movements.length - this.ctx.retainMovements;
    if (excess <= 0) return;
    const dropped = this.movements.splice(0, excess);
    const last = dropped[dropped.length - 1];
    if (last) this.expiredThrough = last.sequence;
  }
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function inventoryKey(level: { warehouse: string; sku: string }): string {
  return stockKey(level.warehouse, level.sku);
}

function toLevel(row: StockRow): InventoryLevel {
  return {
    sku: row.sku,
    warehouse: row.warehouse,
    sellable: row.sellable,
    reserved: row.reserved,
    damaged: row.damaged,
    on_hand: row.sellable + row.reserved + row.damaged,
    sequence: row.sequence,
    updated_at: row.updatedAt,
  };
}
