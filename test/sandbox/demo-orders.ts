// A few orders that show what the order side does, placed through the simulated checkout once the
// warehouses' stock has reached Shopify (the warehouses are fulfillment services, stack option
// `fulfillmentServices`):
//   shipped  a US order of a Los Angeles SKU: sent to Los Angeles, shipped there, tracking in Shopify
//   delivered  another one, whose parcel the carrier then delivers (the warehouse reports it, and
//            TallySync tells Shopify)
//   routed   a Dutch order Shopify placed at Los Angeles: TallySync moves it to Rotterdam (same
//            priority, in the destination country) and sends it there
//   failed   a US order the Los Angeles warehouse puts on hold (the carrier could not verify the
//            address): an error on the Orders page, with the warehouse's reason
//   waiting  a pre-order (Shopify sells it with no stock): no warehouse has it, it waits in the queue
import type { ShopifySimulator } from "../sim/shopify/server";
import { DEMO_SHOP } from "./demo-data";
import type { Stack } from "./stack";

export interface DemoOrder {
  name: string;
  orderId: string;
  fulfillmentOrderId: string;
}

export interface DemoOrders {
  shipped: DemoOrder;
  delivered: DemoOrder;
  routed: DemoOrder;
  failed: DemoOrder;
  waiting: DemoOrder;
}

const PORTLAND = { firstName: "Mia", lastName: "Demo", address1: "1 Main St", city: "Portland", province: "Oregon", provinceCode: "OR", country: "United States", countryCode: "US", zip: "97201" };
const AUSTIN = { firstName: "Noah", lastName: "Demo", address1: "800 Congress Ave", city: "Austin", province: "Texas", provinceCode: "TX", country: "United States", countryCode: "US", zip: "78701" };
const ROTTERDAM = { firstName: "Lina", lastName: "Demo", address1: "Coolsingel 40", city: "Rotterdam", province: null, provinceCode: null, country: "Netherlands", countryCode: "NL", zip: "3011 AD" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, check: () => T | null | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Demo orders: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

function place(shopify: ShopifySimulator, sku: string, address: typeof PORTLAND | typeof ROTTERDAM, email: string): DemoOrder {
  const placed = shopify.placeOrder(DEMO_SHOP, { lines: [{ sku, quantity: 1 }], email, shippingAddress: address });
  if (!placed.ok) throw new Error(`Demo order of ${sku} refused at checkout: ${placed.message}`);
  return { name: placed.order.name, orderId: `gid://shopify/Order/${placed.order.id}`, fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}` };
}

export async function placeDemoOrders(stack: Stack, log: (message: string) => void = () => {}): Promise<DemoOrders> {
  const { shopify } = stack;
  const [lax, rtm] = stack.warehouses;
  if (!lax || !rtm) throw new Error("Demo orders need the two demo warehouses");
  const itemOf = new Map(stack.items.map((i) => [i.sku, i.inventoryItemId]));
  const available = (sku: string, locationId: string) => shopify.level(DEMO_SHOP, itemOf.get(sku)!, locationId)?.available ?? 0;
  const rtmStock = new Map(rtm.stock.map((r) => [r.sku, r.sellable]));
  const plenty = lax.stock.filter((r) => r.sellable >= 40 && itemOf.has(r.sku));
  const both = plenty.find((r) => (rtmStock.get(r.sku) ?? 0) >= 40);
  const [shipSku, failSku] = plenty.filter((r) => r.sku !== both?.sku).map((r) => r.sku);
  if (!both || !shipSku || !failSku) throw new Error("The demo catalog has no SKUs stocked well enough for the demo orders");

  log("waiting for the warehouses' stock to reach Shopify");
  await until("the first stock sync", 120_000, () => available(shipSku, lax.shopifyLocationId) > 0 && available(failSku, lax.shopifyLocationId) > 0 && available(both.sku, lax.shopifyLocationId) > 0 && available(both.sku, rtm.shopifyLocationId) > 0);

  // EuroBridge works slower than Pacific: its orders are picked after a minute and shipped after three.
  stack.wms[1]?.auto.configure({ pickAfterMs: 60_000, shipAfterMs: 180_000 });

  const shipped = place(shopify, shipSku, PORTLAND, "mia@example.com");
  const delivered = place(shopify, shipSku, PORTLAND, "ava@example.com");
  const routed = place(shopify, both.sku, ROTTERDAM, "lina@example.com");
  const failed = place(shopify, failSku, AUSTIN, "noah@example.com");

  // A pre-order: Shopify keeps selling it with nothing in stock, and no warehouse has it yet.
  const preorder = shopify.addProduct(DEMO_SHOP, {
    title: "Atlas Ceramic Planter (pre-order)",
    productType: "Decor",
    variants: [{ sku: "DEC-ATL-PLANTER-PRE", barcode: "6900000099998", price: "48.00", inventoryPolicy: "CONTINUE", levels: { [lax.shopifyLocationId]: { available: 0 } } }],
  });
  itemOf.set("DEC-ATL-PLANTER-PRE", preorder.variants[0]!.inventoryItemId);
  const waiting = place(shopify, "DEC-ATL-PLANTER-PRE", PORTLAND, "kai@example.com");

  // The warehouse puts the third order on hold as soon as it has it.
  const account = stack.wms[0]!.accounts()[0]!;
  await until(`order ${failed.name} at the warehouse`, 60_000, () => account.orders.find(failed.fulfillmentOrderId));
  stack.wms[0]!.act(account.id, { action: "exception", order: failed.fulfillmentOrderId, code: "address_unverified", message: "The carrier could not verify the street address; confirm it with the buyer" });
  // The carrier delivers the second Los Angeles order once it has shipped (the warehouse ships in
  // seconds): in the background, so the sandbox is ready meanwhile.
  void until(`order ${delivered.name} shipped`, 120_000, () => account.orders.shipments.find((s) => s.external_reference === delivered.fulfillmentOrderId))
    .then((shipment) => stack.wms[0]!.act(account.id, { action: "deliver", shipment: shipment.id }))
    .catch((error: unknown) => log(`demo order ${delivered.name} was not delivered: ${error instanceof Error ? error.message : String(error)}`));
  log(`demo orders placed: ${shipped.name} (ships from Los Angeles), ${delivered.name} (ships from Los Angeles and is delivered), ${routed.name} (moved to Rotterdam), ${failed.name} (on hold at the warehouse), ${waiting.name} (pre-order, waiting for stock)`);
  return { shipped, delivered, routed, failed, waiting };
}
