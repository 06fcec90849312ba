// The process-wide database client. Routes and jobs take a shop-scoped view of it with
// `forShop(shop)` (db/tenant.server.ts); the raw client is for the few places that work across
// shops (the job runner, compliance purges, session storage).
import { createDatabaseClient, type Database } from "./db/client.server";

declare global {
  // eslint-disable-next-line no-var
  var tallysyncDb: Database | undefined;
}

// Reuse one client across dev-server reloads so we do not open a pool per reload.
export const db: Database = globalThis.tallysyncDb ?? createDatabaseClient();
if (process.env.NODE_ENV === "development") globalThis.tallysyncDb = db;

export default db;
