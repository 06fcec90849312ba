// One ledger row in the merchant's words: "Warehouse reported 25 sellable (was 20), by webhook",
// "Order #1042 reserved 2", "Written to Shopify: 21 (was 16)". Pure: the caller passes `t` and the
// names of the orders the rows refer to.
import { isMessageKey, type MessageKey, type Translate } from "../i18n";

export interface LedgerRow {
  quantityName: string;
  source: string;
  reason: string;
  reference: string | null;
  before: number;
  after: number;
  delta: number;
}

const ORDER_REASONS: Record<string, MessageKey> = {
  order_reserved: "inventory.ledger.orderReserved",
  order_acknowledged: "inventory.ledger.orderAcknowledged",
  order_fulfilled: "inventory.ledger.orderFulfilled",
  order_cancelled: "inventory.ledger.orderCancelled",
  order_refunded: "inventory.ledger.orderRefunded",
  order_rerouted: "inventory.ledger.orderRerouted",
};

/** "#1042" when we hold the order, else the last part of its Shopify id. */
export function orderLabel(reference: string | null, orderNames: ReadonlyMap<string, string>): string {
  if (!reference) return "?";
  return orderNames.get(reference) ?? reference.split("/").pop() ?? reference;
}

function via(source: string, t: Translate): string {
  const key = `inventory.ledger.via.${source}`;
  return isMessageKey(key) ? t(key) : source;
}

export function describeLedgerRow(row: LedgerRow, orderNames: ReadonlyMap<string, string>, t: Translate): string {
  const { before, after } = row;
  const units = Math.abs(row.delta);
  switch (row.quantityName) {
    case "warehouse_sellable":
      return t("inventory.ledger.warehouseSellable", { before, after, via: via(row.source, t) });
    case "warehouse_damaged":
      return t("inventory.ledger.warehouseDamaged", { before, after, via: via(row.source, t) });
    case "reserved": {
      const key = ORDER_REASONS[row.reason];
      return key
        ? t(key, { order: orderLabel(row.reference, orderNames), units, before, after })
        : t("inventory.ledger.reservedChanged", { before, after });
    }
    case "shopify_available":
      return row.reason === "written_to_shopify"
        ? t("inventory.ledger.writtenToShopify", { before, after })
        : t("inventory.ledger.shopifyShowed", { before, after, via: via(row.source, t) });
    case "safety_stock":
      return t("inventory.ledger.safetyStock", { before, after });
    case "counted":
      return t("inventory.ledger.counted", { before, after });
    default:
      return t("inventory.ledger.other", { quantity: row.quantityName, before, after, via: via(row.source, t) });
  }
}
