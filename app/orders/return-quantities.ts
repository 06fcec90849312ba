// The ledger's names for units a return put back (no imports: safe for pages and jobs alike):
// quantityName returned_sellable (reason restock) or returned_damaged (reason damaged).
export const RETURNED_SELLABLE = "returned_sellable";
export const RETURNED_DAMAGED = "returned_damaged";
