// npm run sandbox: the app against the simulated Shopify and two simulated warehouses, with a demo
// merchant and light traffic, reachable in a browser. The warehouses are Shopify fulfillment
// services, so orders flow to them; a few demo orders show a routed, a shipped, a failed and a
// waiting order on the Orders page. Ctrl-C stops everything.
//
// Ports (override with the variables): app 3000 (PORT), Shopify simulator 8081
// (SANDBOX_SHOPIFY_PORT), warehouses 4010 and 4020 (SANDBOX_WMS_PORTS="4010,4020").
// SANDBOX_TRAFFIC_MS sets the pause between simulated events (default 4000; 0 turns traffic off).
import path from "node:path";
import type { ShopifySimulator } from "../sim/shopify/server";
import type { WmsSimulator } from "../sim/wms/server";
import { DEMO_SHOP, DEMO_WAREHOUSES, demoCatalog, random } from "./demo-data";
import { placeDemoOrders } from "./demo-orders";
import type { SeededItem, SeededWarehouse } from "./seed-app";
import { startStack, type Stack } from "./stack";

const root = path.resolve(import.meta.dirname, "../..");
const trafficMs = Number(process.env.SANDBOX_TRAFFIC_MS ?? 4000);

function say(message: string) {
  process.stdout.write(`[sandbox] ${message}\n`);
}

let stack: Stack | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping...");
  await stack?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  stack = await startStack({
    catalog: demoCatalog(),
    warehouses: DEMO_WAREHOUSES,
    databaseFile: path.join(root, "prisma", "sandbox.sqlite"),
    ports: {
      app: Number(process.env.PORT || 3000),
      shopify: Number(process.env.SANDBOX_SHOPIFY_PORT || 8081),
      wms: (process.env.SANDBOX_WMS_PORTS || "4010,4020").split(",").map(Number),
    },
    log: say,
    fulfillmentServices: true,
  });
  stack.app.on("exit", (code) => {
    if (!stopping) {
      say(`the app exited (code ${code})`);
      void shutdown(1);
    }
  });
  placeDemoOrders(stack, say).then(
    () => {
      if (trafficMs > 0 && !stopping) startTraffic(stack!.shopify, stack!.wms, stack!.warehouses, stack!.items);
    },
    (error: unknown) => say(`the demo orders could not be placed: ${error instanceof Error ? error.message : String(error)}`),
  );
  say(`Shopify simulator ${stack.shopify.url}, warehouses ${stack.wms.map((w) => w.url).join(", ")}, app ${stack.appUrl}`);
  process.stdout.write(`\nTallySync sandbox is running. Open this URL in a browser:\n\n  ${stack.adminUrl}\n\nCtrl-C stops everything.\n`);
}

const BUYERS = [
  { firstName: "Demo", lastName: "Buyer", address1: "1 Main St", city: "Portland", provinceCode: "OR", zip: "97201", countryCode: "US" },
  { firstName: "Demo", lastName: "Koper", address1: "Keizersgracht 1", city: "Amsterdam", provinceCode: null, zip: "1015 CJ", countryCode: "NL" },
  { firstName: "Demo", lastName: "Käufer", address1: "Unter den Linden 1", city: "Berlin", provinceCode: null, zip: "10117", countryCode: "DE" },
];

// Light traffic: buyers (in the US and in Europe) check out, warehouses receive and damage stock.
function startTraffic(shopify: ShopifySimulator, wmsSims: WmsSimulator[], warehouses: SeededWarehouse[], items: SeededItem[]) {
  const rand = random(Date.now() % 100_000);
  // A US buyer orders what Los Angeles stocks (Rotterdam ships within Europe only); a European buyer anything.
  const stockedInUs = new Set(warehouses[0]?.stock.map((r) => r.sku) ?? []);
  const usItems = items.filter((i) => stockedInUs.has(i.sku));
  const tick = () => {
    if (stopping) return;
    try {
      const roll = rand();
      const item = items[Math.floor(rand() * items.length)]!;
      if (roll < 0.6) {
        const buyer = BUYERS[rand() < 0.65 ? 0 : 1 + Math.floor(rand() * 2)]!;
        const pick = buyer.countryCode === "US" ? usItems[Math.floor(rand() * usItems.length)]! : item;
        shopify.placeOrder(DEMO_SHOP, {
          lines: [{ sku: pick.sku, quantity: 1 + Math.floor(rand() * 2) }],
          email: "buyer@example.com",
          shippingAddress: buyer,
        });
      } else {
        const i = Math.floor(rand() * DEMO_WAREHOUSES.length);
        const warehouse = DEMO_WAREHOUSES[i]!;
        const sim = wmsSims[i]!;
        const account = sim.accounts()[0]!;
        if (roll < 0.9) sim.act(account.id, { action: "receive", warehouse: warehouse.code, sku: item.sku, quantity: 6 + Math.floor(rand() * 30) });
        else sim.act(account.id, { action: "damage", warehouse: warehouse.code, sku: item.sku, quantity: 1 });
      }
    } catch {
      // a SKU the warehouse does not carry, or an out-of-stock checkout: that is traffic too
    }
    setTimeout(tick, trafficMs * (0.5 + rand()));
  };
  setTimeout(tick, trafficMs);
}

main().catch((error) => {
  process.stderr.write(`[sandbox] ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
