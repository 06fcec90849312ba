// Warehouse connections and their credentials. Credentials are encrypted before they reach the
// database and decrypted only where an adapter needs them; they are never returned to a route.
import { db as defaultDb } from "../db.server";
import type { Database } from "../db/client.server";
import { forShop } from "../db/tenant.server";
import { log } from "../observability/logger.server";
import { decryptCredentials, encryptCredentials, type WarehouseCredentials } from "../security/credentials.server";

import type { WarehouseProvider } from "../warehouses/connector";

export interface NewWarehouseConnection {
  name: string;
  provider: WarehouseProvider;
  credentials: WarehouseCredentials;
}

/** What the UI may see of a connection: everything but the credentials. */
export const CONNECTION_PUBLIC_FIELDS = {
  id: true,
  name: true,
  provider: true,
  status: true,
  lastTestedAt: true,
  lastTestLatencyMs: true,
  lastError: true,
  createdAt: true,
} as const;

export async function createWarehouseConnection(shop: string, input: NewWarehouseConnection, db: Database = defaultDb) {
  const encryptedCredentials = encryptCredentials(input.credentials, { shop, connectionName: input.name });
  const connection = await forShop(shop, db).warehouseConnection.create({
    data: { shop, name: input.name, provider: input.provider, encryptedCredentials },
    select: CONNECTION_PUBLIC_FIELDS,
  });
  log.info("Warehouse connection created", { shop, connectionId: connection.id, provider: input.provider, credentials: input.credentials });
  return connection;
}

export async function warehouseCredentials(shop: string, connectionId: string, db: Database = defaultDb): Promise<WarehouseCredentials> {
  const row = await forShop(shop, db).warehouseConnection.findUnique({
    where: { id: connectionId },
    select: { name: true, encryptedCredentials: true },
  });
  if (!row) throw new Error(`Warehouse connection ${connectionId} does not exist for ${shop}.`);
  return decryptCredentials(row.encryptedCredentials, { shop, connectionName: row.name });
}

/** Replaces the connection's credentials (a webhook secret added, secrets removed), encrypted again. */
export async function updateWarehouseCredentials(
  shop: string,
  connectionId: string,
  credentials: WarehouseCredentials,
  db: Database = defaultDb,
): Promise<void> {
  const scoped = forShop(shop, db);
  const row = await scoped.warehouseConnection.findUnique({ where: { id: connectionId }, select: { name: true } });
  if (!row) throw new Error(`Warehouse connection ${connectionId} does not exist for ${shop}.`);
  const encryptedCredentials = encryptCredentials(credentials, { shop, connectionName: row.name });
  await scoped.warehouseConnection.update({ where: { id: connectionId }, data: { encryptedCredentials } });
  log.info("Warehouse credentials updated", { shop, connectionId, credentials });
}
