// npm run sandbox: the app against the simulated Shopify and two simulated warehouses, with a demo
// merchant and light traffic, reachable in a browser. Ctrl-C stops everything.
//
// Ports (override with the variables): app 3000 (PORT), Shopify simulator 8081
// (SANDBOX_SHOPIFY_PORT), warehouses 4010 and 4020 (SANDBOX_WMS_PORTS="4010,4020").
// SANDBOX_TRAFFIC_MS sets the pause between simulated events (default 4000; 0 turns traffic off).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createDatabaseClient } from "../../app/db/client.server";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";
import { startWmsSimulator, type WmsSimulator } from "../sim/wms/server";
import { accessScopes, webhookSubscriptions } from "../helpers/app-toml";
import { DEMO_SHOP, DEMO_WAREHOUSES, demoCatalog, openingStock, random } from "./demo-data";
import { seedAppDatabase, type SeededItem, type SeededWarehouse } from "./seed-app";

const root = path.resolve(import.meta.dirname, "../..");
const appPort = Number(process.env.PORT || 3000);
const shopifyPort = Number(process.env.SANDBOX_SHOPIFY_PORT || 8081);
const wmsPorts = (process.env.SANDBOX_WMS_PORTS || "4010,4020").split(",").map(Number);
const trafficMs = Number(process.env.SANDBOX_TRAFFIC_MS ?? 4000);
const databaseFile = path.join(root, "prisma", "sandbox.sqlite");

// Fixed sandbox credentials: they only work against the local simulator.
const SANDBOX_APP = { apiKey: "tallysync-sandbox-key", apiSecret: "tallysync-sandbox-secret", handle: "tallysync" };
const SANDBOX_ENCRYPTION_KEY = Buffer.from("tallysync-sandbox-key-32-bytes!!").toString("base64");

function say(message: string) {
  process.stdout.write(`[sandbox] ${message}\n`);
}

async function assertPortFree(port: number, what: string) {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`Port ${port} (${what}) is in use. Stop what uses it or set the port variable (see test/sandbox/start.ts).`)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const children: ChildProcess[] = [];
const stoppers: Array<() => Promise<void>> = [];
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping...");
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  }
  await Promise.allSettled(stoppers.map((stop) => stop()));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  await assertPortFree(appPort, "app");
  await assertPortFree(shopifyPort, "Shopify simulator");
  for (const port of wmsPorts) await assertPortFree(port, "warehouse simulator");

  const appUrl = `http://localhost:${appPort}`;
  const databaseUrl = `file:${databaseFile}`;

  say("migrating the sandbox database (prisma/sandbox.sqlite)");
  rmSync(databaseFile, { force: true });
  const migrate = spawnSync(process.execPath, ["prisma/cli.mjs", "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`Migration failed:\n${migrate.stderr}${migrate.stdout}`);

  say("starting the Shopify simulator");
  const shopify: ShopifySimulator = await startShopifySimulator({
    port: shopifyPort,
    app: {
      ...SANDBOX_APP,
      appUrl,
      scopes: accessScopes().join(","),
      webhooks: webhookSubscriptions().map((s) => ({ topics: s.topics, uri: s.uri })),
    },
    shops: [{ domain: DEMO_SHOP, plan: "advanced", name: "Harbor & Hearth" }],
  });
  stoppers.push(() => shopify.stop());

  const catalog = demoCatalog();
  const items: SeededItem[] = [];
  for (const product of catalog) {
    const created = shopify.addProduct(DEMO_SHOP, {
      title: product.title,
      productType: product.productType,
      tags: product.tags,
      variants: product.variants.map((v) => ({ sku: v.sku, barcode: v.barcode, title: v.title, price: v.price, unitCost: v.unitCost })),
    });
    created.variants.forEach((variant, i) => {
      const demo = product.variants[i]!;
      items.push({
        sku: demo.sku,
        barcode: demo.barcode,
        inventoryItemId: variant.inventoryItemId,
        variantId: variant.variantId,
        productId: created.productId,
        productTitle: product.title,
        variantTitle: demo.title,
        unitCost: demo.unitCost,
      });
    });
  }
  const bySku = new Map(items.map((item) => [item.sku, item]));

  say("starting two warehouse simulators");
  const seededWarehouses: SeededWarehouse[] = [];
  const wmsSims: WmsSimulator[] = [];
  for (const [i, warehouse] of DEMO_WAREHOUSES.entries()) {
    const stock = openingStock(catalog, warehouse);
    const wms = await startWmsSimulator({
      port: wmsPorts[i] ?? 0,
      seed: 100 + i,
      auto: { acknowledgeAfterMs: 1_500, pickAfterMs: 4_000, shipAfterMs: 9_000 },
      accounts: [
        {
          id: warehouse.code.toLowerCase(),
          name: warehouse.accountName,
          apiKey: warehouse.apiKey,
          warehouses: [{ code: warehouse.code, name: warehouse.name, country_code: warehouse.countryCode, address: { city: warehouse.city }, latitude: warehouse.latitude, longitude: warehouse.longitude }],
          skus: stock.map((row) => ({ sku: row.sku, barcode: bySku.get(row.sku)?.barcode })),
          stock: stock.map((row) => ({ warehouse: warehouse.code, sku: row.sku, sellable: row.sellable, damaged: row.damaged })),
        },
      ],
    });
    stoppers.push(() => wms.stop());
    wmsSims.push(wms);
    const location = shopify.addLocation(DEMO_SHOP, {
      name: `${warehouse.connectionName} - ${warehouse.name}`,
      address: { city: warehouse.city, countryCode: warehouse.countryCode },
    } as Parameters<ShopifySimulator["addLocation"]>[1]);
    // Shopify starts with nothing at the 3PL's location: TallySync's first sync fills it in.
    for (const row of stock) {
      const item = bySku.get(row.sku);
      if (item) shopify.setLevel(DEMO_SHOP, item.inventoryItemId, location.id, { available: 0 });
    }
    seededWarehouses.push({ warehouse, wmsUrl: wms.url, shopifyLocationId: location.id, stock });
  }

  say("seeding the demo merchant");
  process.env.TALLYSYNC_ENCRYPTION_KEY = SANDBOX_ENCRYPTION_KEY;
  const db = createDatabaseClient(databaseUrl);
  const scopes = accessScopes().join(",");
  await seedAppDatabase(db, items, seededWarehouses, {
    appUrl,
    scopes,
    offlineAccessToken: shopify.issueAccessToken(DEMO_SHOP, { kind: "offline", expiresInSec: null }),
  });
  await db.$disconnect();

  say("building the app (npm run build)");
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error(`Build failed:\n${build.stderr}${build.stdout}`);

  say("starting the app");
  const app = spawn("npm", ["start", "--silent"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(appPort),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: SANDBOX_APP.apiKey,
      SHOPIFY_API_SECRET: SANDBOX_APP.apiSecret,
      SHOPIFY_APP_URL: appUrl,
      TALLYSYNC_ENCRYPTION_KEY: SANDBOX_ENCRYPTION_KEY,
      TALLYSYNC_SANDBOX_SHOPIFY_URL: shopify.url,
      APP_BRIDGE_URL: `${shopify.url}/cdn/app-bridge.js`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
  });
  children.push(app);
  app.on("exit", (code) => {
    if (!stopping) {
      say(`the app exited (code ${code})`);
      void shutdown(1);
    }
  });
  await waitForHttp(`${appUrl}/healthz`, 60_000);

  if (trafficMs > 0) startTraffic(shopify, wmsSims, items);

  const adminUrl = shopify.adminUrl(DEMO_SHOP).replace("127.0.0.1", "localhost");
  say(`Shopify simulator ${shopify.url}, warehouses ${wmsSims.map((w) => w.url).join(", ")}, app ${appUrl}`);
  process.stdout.write(`\nTallySync sandbox is running. Open this URL in a browser:\n\n  ${adminUrl}\n\nCtrl-C stops everything.\n`);
}

// Light traffic: buyers check out, warehouses receive and damage stock.
function startTraffic(shopify: ShopifySimulator, wmsSims: WmsSimulator[], items: SeededItem[]) {
  const rand = random(Date.now() % 100_000);
  const tick = () => {
    if (stopping) return;
    try {
      const roll = rand();
      if (roll < 0.6) {
        const item = items[Math.floor(rand() * items.length)]!;
        shopify.placeOrder(DEMO_SHOP, {
          lines: [{ sku: item.sku, quantity: 1 + Math.floor(rand() * 2) }],
          email: "buyer@example.com",
          shippingAddress: { firstName: "Demo", lastName: "Buyer", address1: "1 Main St", city: "Portland", provinceCode: "OR", zip: "97201", countryCode: "US" },
        } as Parameters<ShopifySimulator["placeOrder"]>[1]);
      } else {
        const i = Math.floor(rand() * DEMO_WAREHOUSES.length);
        const warehouse = DEMO_WAREHOUSES[i]!;
        const sim = wmsSims[i]!;
        const account = sim.accounts()[0]!;
        const sku = openingStockSku(items, rand);
        if (roll < 0.9) sim.act(account.id, { action: "receive", warehouse: warehouse.code, sku, quantity: 6 + Math.floor(rand() * 30) });
        else sim.act(account.id, { action: "damage", warehouse: warehouse.code, sku, quantity: 1 });
      }
    } catch {
      // a SKU the warehouse does not carry, or an out-of-stock checkout: that is traffic too
    }
    setTimeout(tick, trafficMs * (0.5 + rand()));
  };
  setTimeout(tick, trafficMs);
}

function openingStockSku(items: SeededItem[], rand: () => number): string {
  return items[Math.floor(rand() * items.length)]!.sku;
}

main().catch((error) => {
  process.stderr.write(`[sandbox] ${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
