// Exception counts the system raises itself, when the numbers cannot be right or no longer agree:
// - negative_stock: the warehouse reports fewer than 0 units sellable or on hand;
// - impossible_stock: more units reserved than on hand;
// - drift: the reconciler found Shopify off by more than the threshold since the SKU was last counted;
// - warehouse_exception: the warehouse holds units in its exception quantity (damaged, quarantined,
//   problem stock), which someone should look at.
// A position may have several reasons; the line lists them all, each with words a merchant can read.
// Pure: no I/O, no clock.

export const EXCEPTION_REASONS = ["negative_stock", "impossible_stock", "drift", "warehouse_exception"] as const;

export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

export interface StockPositionFigures {
  inventoryItemId: string;
  warehouseSku: string;
  /** Units the warehouse can ship. */
  sellable: number;
  /** Units the warehouse holds for orders. */
  reserved: number;
  /** Units physically on hand, when the warehouse reports it. */
  onHand?: number | null;
  /** Shopify minus what it should be, as the reconciler last found it. */
  lastDrift?: number | null;
  lastDriftAt?: Date | null;
  /** When the SKU was last counted at this warehouse; drift found before that is settled. */
  lastCountedAt?: Date | null;
  /** The warehouse's exception quantity. */
  exceptionQuantity?: number | null;
}

export interface ExceptionCountSettings {
  /** Drift, in units either way, above which a count is raised. */
  driftUnits: number;
}

export const DEFAULT_EXCEPTION_SETTINGS: ExceptionCountSettings = { driftUnits: 5 };

export interface ExceptionCountLine<T> {
  position: T;
  reasons: ExceptionReason[];
  /** One sentence per reason, in the order of `reasons`. */
  details: string[];
}

export interface ExceptionCountOptions {
  /** Inventory items already on an open count of the warehouse: not raised again. */
  beingCounted?: ReadonlySet<string>;
}

function units(count: number): string {
  return Math.abs(count) === 1 ? `${count} unit` : `${count} units`;
}

/** Why a position needs an exception count; empty when it does not. */
export function exceptionReasons(position: StockPositionFigures, settings: ExceptionCountSettings = DEFAULT_EXCEPTION_SETTINGS): { reasons: ExceptionReason[]; details: string[] } {
  const reasons: ExceptionReason[] = [];
  const details: string[] = [];
  const sku = position.warehouseSku;
  const onHand = position.onHand ?? null;
  if (position.sellable < 0 || (onHand != null && onHand < 0)) {
    reasons.push("negative_stock");
    details.push(
      position.sellable < 0 ? `The warehouse reports ${units(position.sellable)} sellable of ${sku}` : `The warehouse reports ${units(onHand!)} of ${sku} on hand`,
    );
  }
  if (onHand != null && position.reserved > onHand) {
    reasons.push("impossible_stock");
    details.push(`${units(position.reserved)} of ${sku} are reserved but only ${onHand} are on hand`);
  }
  const drift = position.lastDrift ?? null;
  const driftIsNew = position.lastDriftAt == null || position.lastCountedAt == null || position.lastDriftAt > position.lastCountedAt;
  if (drift != null && Math.abs(drift) > settings.driftUnits && driftIsNew) {
    reasons.push("drift");
    details.push(`Shopify showed ${units(Math.abs(drift))} ${drift > 0 ? "more" : "fewer"} than it should for ${sku} (more than the ${settings.driftUnits} allowed)`);
  }
  const exception = position.exceptionQuantity ?? 0;
  if (exception > 0) {
    reasons.push("warehouse_exception");
    details.push(`The warehouse holds ${units(exception)} of ${sku} as exceptions`);
  }
  return { reasons, details };
}

/** The positions of a warehouse that need an exception count, by SKU. */
export function exceptionCountLines<T extends StockPositionFigures>(
  positions: readonly T[],
  settings: ExceptionCountSettings = DEFAULT_EXCEPTION_SETTINGS,
  options: ExceptionCountOptions = {},
): ExceptionCountLine<T>[] {
  const lines: ExceptionCountLine<T>[] = [];
  for (const position of positions) {
    if (options.beingCounted?.has(position.inventoryItemId)) continue;
    const { reasons, details } = exceptionReasons(position, settings);
    if (reasons.length > 0) lines.push({ position, reasons, details });
  }
  return lines.sort((a, b) => (a.position.warehouseSku < b.position.warehouseSku ? -1 : a.position.warehouseSku > b.position.warehouseSku ? 1 : 0));
}
