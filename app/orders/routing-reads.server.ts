// What routing reads for every fulfillment request, in raw SQL: the shop's warehouses (with their
// connection), its routing settings and the positions of the order's items. Through Prisma these
// were three model calls per order, about a millisecond of CPU each on a small machine, in the job
// a flash sale runs once per order. Raw SQL names the shop itself (forShop does not see it).
import type { Database } from "../db/client.server";
import { dialectOf, SqlParams, queryRows, rowText } from "../db/raw.server";
import type { EventWarehouse } from "./event-lookups.server";

/** A warehouse as routing reads it: what a warehouse event reads of one, and the candidate's fields. */
export interface RoutingWarehouseRow extends Omit<EventWarehouse, "connection"> {
  priority: number;
  regions: string;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
  connection: { name: string; status: string };
}

const decimal = (value: unknown) => (value == null ? null : Number(String(value)));
/** A Boolean column of a raw row: true/false, or 1/0 where the driver gives integers. */
const flag = (value: unknown) => value === true || value === 1 || value === 1n || value === "1" || value === "true";

/** The shop's warehouses whose connection is not disconnected, oldest first (a stable order for routing's last tie-breaker). */
export async function routingWarehouses(db: Database, shop: string): Promise<RoutingWarehouseRow[]> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT w."id", w."name", w."connectionId", w."externalCode", w."shopifyLocationId", w."fulfillmentServiceLocationId", w."priority", w."regions", ` +
      `w."countryCode", w."latitude", w."longitude", c."name" AS "connectionName", c."status" AS "connectionStatus" ` +
      `FROM "Warehouse" w JOIN "WarehouseConnection" c ON c."id" = w."connectionId" ` +
      `WHERE w."shop" = ${sql.add(shop)} AND c."status" <> 'disconnected' ORDER BY w."createdAt", w."id"`,
    ...sql.values,
  );
  return rows.map((row) => ({
    id: String(row.id),
    name: String(row.name),
    connectionId: String(row.connectionId),
    externalCode: String(row.externalCode),
    shopifyLocationId: rowText(row.shopifyLocationId),
    fulfillmentServiceLocationId: rowText(row.fulfillmentServiceLocationId),
    priority: Number(row.priority),
    regions: String(row.regions),
    countryCode: rowText(row.countryCode),
    latitude: decimal(row.latitude),
    longitude: decimal(row.longitude),
    connection: { name: String(row.connectionName), status: String(row.connectionStatus) },
  }));
}

export interface RoutingSettingsRow {
  defaultSafetyStock: number;
  routingRules: string;
  routingAllowSplit: boolean;
  routingMaxShipments: number | null;
}

export async function routingSettings(db: Database, shop: string): Promise<RoutingSettingsRow | null> {
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "defaultSafetyStock", "routingRules", "routingAllowSplit", "routingMaxShipments" FROM "ShopSettings" WHERE "shop" = ${sql.add(shop)}`,
    ...sql.values,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    defaultSafetyStock: Number(row.defaultSafetyStock),
    routingRules: String(row.routingRules),
    routingAllowSplit: flag(row.routingAllowSplit),
    routingMaxShipments: row.routingMaxShipments == null ? null : Number(row.routingMaxShipments),
  };
}

export interface RoutingPositionRow {
  warehouseId: string;
  inventoryItemId: string | null;
  warehouseSellable: number;
  reservedUnacknowledged: number;
  safetyStock: number | null;
  shopifyCommitted: number | null;
  acknowledgedUnfulfilled: number;
}

/** The positions of these items at these warehouses: only what availableToSell reads. */
export async function routingPositions(db: Database, shop: string, warehouseIds: readonly string[], items: readonly string[]): Promise<RoutingPositionRow[]> {
  if (!warehouseIds.length || !items.length) return [];
  const sql = new SqlParams(dialectOf(db));
  const rows = await queryRows<Record<string, unknown>[]>(
    db,
    `SELECT "warehouseId", "inventoryItemId", "warehouseSellable", "reservedUnacknowledged", "safetyStock", "shopifyCommitted", "acknowledgedUnfulfilled" ` +
      `FROM "InventoryPosition" WHERE "shop" = ${sql.add(shop)} AND "warehouseId" IN (${warehouseIds.map((id) => sql.add(id)).join(", ")}) ` +
      `AND "inventoryItemId" IN (${items.map((id) => sql.add(id)).join(", ")})`,
    ...sql.values,
  );
  const int = (value: unknown) => (value == null ? null : Number(value));
  return rows.map((row) => ({
    warehouseId: String(row.warehouseId),
    inventoryItemId: rowText(row.inventoryItemId),
    warehouseSellable: Number(row.warehouseSellable),
    reservedUnacknowledged: Number(row.reservedUnacknowledged),
    safetyStock: int(row.safetyStock),
    shopifyCommitted: int(row.shopifyCommitted),
    acknowledgedUnfulfilled: Number(row.acknowledgedUnfulfilled),
  }));
}
