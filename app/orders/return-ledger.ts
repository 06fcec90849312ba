// The ledger rows a warehouse return writes (./returns.server.ts) in the merchant's words. The
// stock engine's own ledger story (../inventory/ledger-story.ts) tells every other row. Pure.
import { isMessageKey, type Translate } from "../i18n";
import { RETURNED_DAMAGED, RETURNED_SELLABLE } from "./return-quantities";

/** "Return received: 3 units back in stock, by webhook"; null for a row that is not a return's. */
export function describeReturnLedgerRow(row: { quantityName: string; source: string; after: number }, t: Translate): string | null {
  if (row.quantityName !== RETURNED_SELLABLE && row.quantityName !== RETURNED_DAMAGED) return null;
  const viaKey = `inventory.ledger.via.${row.source}`;
  const via = isMessageKey(viaKey) ? t(viaKey) : row.source;
  return t(row.quantityName === RETURNED_SELLABLE ? "orders.ledger.returnedSellable" : "orders.ledger.returnedDamaged", { after: row.after, via });
}
