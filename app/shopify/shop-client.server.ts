// The Admin client for a shop outside a merchant's request (jobs, webhooks): its offline session,
// refreshed by shopify-app-remix as it expires. Tests point it at the Shopify simulator.
import { databaseRecorder } from "../observability/metrics.server";
import { createAdminClient, type AdminClient } from "./admin-client.server";
import { offlineAdmin } from "./offline-admin.server";

type ShopClientFactory = (shop: string) => Promise<AdminClient>;

const defaultFactory: ShopClientFactory = async (shop) => {
  const admin = await offlineAdmin(shop);
  return createAdminClient({ shop, graphql: admin.graphql as never, recorder: databaseRecorder(shop, "shopify") });
};

let factory: ShopClientFactory = defaultFactory;

export function shopAdminClient(shop: string): Promise<AdminClient> {
  return factory(shop);
}

/** Tests point background work at a simulator; returns the previous factory. */
export function setShopAdminClientFactory(next: ShopClientFactory | null): ShopClientFactory {
  const previous = factory;
  factory = next ?? defaultFactory;
  return previous;
}
