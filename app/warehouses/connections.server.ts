// From a stored connection to a live connector: decrypt the credentials, build the adapter, and
// record its calls. Connectors are cached briefly so that a burst of webhooks does not decrypt
// the credentials once per request.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows } from "../db/raw.server";
import { forShop } from "../db/tenant.server";
import { warehouseCredentials } from "../models/warehouse-connection.server";
import { databaseRecorder } from "../observability/metrics.server";
import type { WarehouseConnector, WarehouseProvider } from "./connector";
import { createConnector } from "./registry.server";

const TTL_MS = 60_000;
const cache = new Map<string, { connector: WarehouseConnector; shop: string; expires: number }>();

export interface ConnectionRef {
  id: string;
  shop: string;
  provider: WarehouseProvider;
}

export async function connectorFor(shop: string, connectionId: string, db: Database = defaultDb): Promise<WarehouseConnector> {
  const hit = cache.get(connectionId);
  if (hit && hit.shop === shop && hit.expires > Date.now()) return hit.connector;
  const connection = await forShop(shop, db).warehouseConnection.findUnique({ where: { id: connectionId }, select: { provider: true } });
  if (!connection) throw new Error(`Warehouse connection ${connectionId} does not exist for ${shop}.`);
  const credentials = await warehouseCredentials(shop, connectionId, db);
  const connector = createConnector(connection.provider as WarehouseProvider, credentials, {
    recorder: databaseRecorder(shop, connectionId, db),
  });
  cache.set(connectionId, { connector, shop, expires: Date.now() + TTL_MS });
  return connector;
}

/** Forget a cached connector (credentials changed or the connection was removed). */
export function forgetConnector(connectionId: string): void {
  cache.delete(connectionId);
}

/**
 * The shop a connection belongs to, for a request that names only the connection (a warehouse
 * webhook). The one unscoped read of this table: the shop is not known until it is done. Raw SQL:
 * every warehouse webhook the web process receives comes this way, and a Prisma read costs it
 * several times the CPU of a raw one.
 */
export async function connectionById(connectionId: string, db: Database = defaultDb): Promise<ConnectionRef | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "id", "shop", "provider", "status" FROM "WarehouseConnection" WHERE "id" = ${sql.add(connectionId)}`,
    ...sql.values,
  );
  const row = rows[0];
  if (!row || row.status === "disconnected") return null;
  return { id: String(row.id), shop: String(row.shop), provider: String(row.provider) as WarehouseProvider };
}
