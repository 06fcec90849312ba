/**
 * Runs the Shopify simulator as a process for the local sandbox:
 *   npx tsx test/sim/shopify/cli.ts
 * Environment: SHOPIFY_SIM_PORT (4100), SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL,
 * SHOPIFY_SIM_SHOP (tallysync-dev.myshopify.com), SHOPIFY_SIM_PLAN (standard), SHOPIFY_SIM_TIME_SCALE (1),
 * SHOPIFY_SIM_WEBHOOK_PATH (/webhooks, the URI every default topic is delivered to), SHOPIFY_SIM_TOKEN
 * (an offline access token to seed, handy for scripts).
 */
import type { PlanName } from "./bucket";
import { startShopifySimulator } from "./server";

const env = process.env;
const shop = env.SHOPIFY_SIM_SHOP ?? "tallysync-dev.myshopify.com";
const webhookPath = env.SHOPIFY_SIM_WEBHOOK_PATH ?? "/webhooks";

const sim = await startShopifySimulator({
  port: Number(env.SHOPIFY_SIM_PORT ?? 4100),
  host: env.SHOPIFY_SIM_HOST ?? "127.0.0.1",
  timeScale: Number(env.SHOPIFY_SIM_TIME_SCALE ?? 1),
  app: {
    apiKey: env.SHOPIFY_API_KEY ?? "sandbox-api-key",
    apiSecret: env.SHOPIFY_API_SECRET ?? "sandbox-api-secret",
    appUrl: env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3000",
    handle: env.SHOPIFY_APP_HANDLE ?? "tallysync",
    webhooks: [
      {
        topics: ["app/uninstalled", "orders/create", "orders/cancelled", "orders/updated", "inventory_levels/update", "fulfillment_orders/order_routing_complete", "fulfillments/create", "fulfillments/update", "bulk_operations/finish"],
        uri: webhookPath,
      },
    ],
  },
  shops: [{ domain: shop, plan: (env.SHOPIFY_SIM_PLAN as PlanName | undefined) ?? "standard", locations: [{ name: "Shop location" }] }],
});

const location = `gid://shopify/Location/${[...sim.shop(shop).locations.keys()][0]}`;
const demo = [
  { title: "Linen Throw Pillow", sku: "PILLOW-LINEN", available: 40 },
  { title: "Ceramic Vase", sku: "VASE-CER-M", available: 12 },
  { title: "Oak Side Table", sku: "TABLE-OAK", available: 3 },
];
for (const d of demo) sim.addProduct(shop, { title: d.title, variants: [{ sku: d.sku, barcode: d.sku.replace(/\D/g, "") || null, unitCost: "9.00", levels: { [location]: { available: d.available } } }] });
const token = sim.issueAccessToken(shop, { token: env.SHOPIFY_SIM_TOKEN || undefined });

console.log(`Shopify simulator listening on ${sim.url}`);
console.log(`  admin (open in a browser): ${sim.adminUrl(shop)}`);
console.log(`  GraphQL:                   ${sim.graphqlUrl(shop)}`);
console.log(`  App Bridge:                ${sim.url}/cdn/app-bridge.js`);
console.log(`  offline token:             ${token}`);

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
