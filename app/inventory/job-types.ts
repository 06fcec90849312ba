// Names of the stock sync's background jobs (no imports: safe to use from scripts).
export const SYNC_JOB = "inventory.sync";
export const POLL_JOB = "warehouse.poll";
