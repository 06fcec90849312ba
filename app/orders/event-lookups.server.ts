// What a run of warehouse order events (a round of the inbox drain, a pass over the feeds) looks
// up again and again: the warehouse an event names, by its code in the connection. Looked up once
// per run and handed down, instead of once per event (a flash sale's events all name the same one
// or two warehouses). A run lasts seconds; a warehouse renamed meanwhile is seen by the next run.
import type { ShopDatabase } from "../db/tenant.server";

export interface EventWarehouse {
  id: string;
  name: string;
  connectionId: string;
  externalCode: string;
  shopifyLocationId: string | null;
  fulfillmentServiceLocationId: string | null;
  connection: { name: string };
}

export interface OrderEventLookups {
  /** The connection's warehouse with this code; null when it has none. */
  warehouse(code: string): Promise<EventWarehouse | null>;
}

export function orderEventLookups(scoped: ShopDatabase, connectionId: string): OrderEventLookups {
  const warehouses = new Map<string, Promise<EventWarehouse | null>>();
  return {
    warehouse(code) {
      let found = warehouses.get(code);
      if (!found) {
        // Promise.resolve: a Prisma query runs when first awaited; this runs it once for every waiter.
        found = Promise.resolve(
          scoped.warehouse.findFirst({
            where: { connectionId, externalCode: code },
            select: { id: true, name: true, connectionId: true, externalCode: true, shopifyLocationId: true, fulfillmentServiceLocationId: true, connection: { select: { name: true } } },
          }),
        );
        // A failed lookup is not kept: the next event asks again.
        found.catch(() => warehouses.delete(code));
        warehouses.set(code, found);
      }
      return found;
    },
  };
}
