// The stock sync engine's view of Shopify (app/inventory/gateway.ts), built on the Admin client.
import type { AvailableWriteResult, ShopifyInventoryGateway } from "../inventory/gateway";
import { databaseRecorder } from "../observability/metrics.server";
import { createAdminClient, type AdminClient } from "./admin-client.server";
import { offlineAdmin } from "./offline-admin.server";
import { readAllLevelsInBulk, type BulkReadOptions } from "./bulk-levels.server";
import { activateInventory, readInventoryLevels, setAvailable } from "./inventory.server";
import {
  FULFILLMENT_ORDER_MORE_LINES,
  ORDER_FULFILLMENT_ORDERS,
  ORDER_MORE_FULFILLMENT_ORDERS,
  type FulfillmentOrderMoreLinesData,
  type OrderFulfillmentOrdersData,
  type OrderMoreFulfillmentOrdersData,
} from "./operations";
import { ThrottleModel } from "./throttle";

export function inventoryGateway(client: AdminClient, bulk: BulkReadOptions = {}): ShopifyInventoryGateway {
  return {
    readAllLevels: () => readAllLevelsInBulk(client, bulk),
    stockAt: (locationId, inventoryItemIds) => activateInventory(client, locationId, inventoryItemIds),
    async orderCommitments(orderId) {
      const data = await client.request<OrderFulfillmentOrdersData>(ORDER_FULFILLMENT_ORDERS, { id: orderId });
      if (!data.order) return null;
      // A large order comes in pages: every unit must be reserved, or Shopify could sell it twice.
      const fulfillmentOrders = [...data.order.fulfillmentOrders.nodes];
      let page = data.order.fulfillmentOrders.pageInfo;
      while (page?.hasNextPage) {
        const more = await client.request<OrderMoreFulfillmentOrdersData>(ORDER_MORE_FULFILLMENT_ORDERS, { id: orderId, after: page.endCursor });
        if (!more.order) break;
        fulfillmentOrders.push(...more.order.fulfillmentOrders.nodes);
        page = more.order.fulfillmentOrders.pageInfo;
      }
      for (const fo of fulfillmentOrders) {
        let lines = fo.lineItems.pageInfo;
        while (lines?.hasNextPage) {
          const more = await client.request<FulfillmentOrderMoreLinesData>(FULFILLMENT_ORDER_MORE_LINES, { id: fo.id, after: lines.endCursor });
          if (!more.fulfillmentOrder) break;
          fo.lineItems.nodes.push(...more.fulfillmentOrder.lineItems.nodes);
          lines = more.fulfillmentOrder.lineItems.pageInfo;
        }
      }
      const lines = fulfillmentOrders.flatMap((fo) => {
        const locationId = fo.assignedLocation.location?.id;
        if (!locationId || ["CLOSED", "CANCELLED", "INCOMPLETE"].includes(fo.status)) return [];
        return fo.lineItems.nodes
          .filter((li) => li.inventoryItemId && li.remainingQuantity > 0)
          .map((li) => ({ lineItemId: li.lineItem.id, inventoryItemId: li.inventoryItemId!, locationId, quantity: li.remainingQuantity }));
      });
      return { cancelled: Boolean(data.order.cancelledAt), lines };
    },
    async readLevels(locationId, inventoryItemIds) {
      const quantities = await readInventoryLevels(client, locationId, inventoryItemIds);
      return new Map(
        [...quantities].map(([inventoryItemId, q]) => [
          inventoryItemId,
          { inventoryItemId, locationId, available: q.available, committed: q.committed, onHand: q.on_hand },
        ]),
      );
    },
    async setAvailable({ idempotencyKey, reason, referenceDocumentUri, quantities }): Promise<AvailableWriteResult> {
      const locationId = quantities[0]?.locationId;
      if (!locationId) return { applied: [], stale: [], errors: [] };
      if (quantities.some((q) => q.locationId !== locationId)) throw new Error("One stock write takes quantities of one location.");
      const result = await setAvailable(client, {
        locationId,
        reason,
        referenceDocumentUri,
        idempotencyKey,
        quantities: quantities.map(({ inventoryItemId, quantity, changeFromQuantity }) => ({ inventoryItemId, quantity, changeFromQuantity })),
      });
      const wanted = new Map(quantities.map((q) => [q.inventoryItemId, q.quantity]));
      return {
        applied: result.applied.map((a) => ({ inventoryItemId: a.inventoryItemId, locationId, quantityAfterChange: a.quantityAfterChange ?? wanted.get(a.inventoryItemId) ?? 0 })),
        stale: result.stale.map((inventoryItemId) => ({ inventoryItemId, locationId })),
        errors: result.errors.map((e) => ({ inventoryItemId: e.inventoryItemId ?? undefined, locationId, message: e.message, code: e.code ?? undefined })),
      };
    },
  };
}

type GatewayFactory = (shop: string) => Promise<ShopifyInventoryGateway>;

// The rate-limit bucket belongs to the app and shop, not to a client: one model per shop.
const throttles = new Map<string, ThrottleModel>();
function throttleFor(shop: string): ThrottleModel {
  let model = throttles.get(shop);
  if (!model) throttles.set(shop, (model = new ThrottleModel()));
  return model;
}

// The app reaches a shop with its offline session (refreshed by shopify-app-remix as it expires).
const defaultFactory: GatewayFactory = async (shop) => {
  const admin = await offlineAdmin(shop);
  return inventoryGateway(createAdminClient({ shop, graphql: admin.graphql, throttle: throttleFor(shop), recorder: databaseRecorder(shop, "shopify") }));
};

let factory: GatewayFactory = defaultFactory;

export function shopifyInventoryGateway(shop: string): Promise<ShopifyInventoryGateway> {
  return factory(shop);
}

/** Tests and benchmarks point the engine at a simulator; returns the previous factory. */
export function setShopifyGatewayFactory(next: GatewayFactory | null): GatewayFactory {
  const previous = factory;
  factory = next ?? defaultFactory;
  return previous;
}
