// What the order side's processes are given: the database, Shopify, the warehouses, a clock, and a
// way to ask for a stock sync. The jobs build the real ones (./jobs.server.ts); tests hand in their
// own to crash a step half-way.
import type { Database } from "../db/client.server";
import type { WarehouseConnector } from "../warehouses/connector";
import type { OrderFulfillmentGateway } from "./gateway";

export interface OrderDeps {
  db: Database;
  shopify: OrderFulfillmentGateway;
  connectorFor(shop: string, connectionId: string): Promise<WarehouseConnector>;
  now(): Date;
  /** Positions or reservations changed: ask for a stock sync. */
  stockChanged(shop: string): Promise<void>;
  /** Stock came back (a cancellation, a return): look at the orders waiting for it. */
  stockArrived(shop: string): Promise<void>;
}
