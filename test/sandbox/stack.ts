// The whole local stack in one call: a migrated SQLite database, the Shopify simulator, one WMS
// simulator per warehouse, the seeded merchant, and the production build of the app running
// against them in sandbox mode. `npm run sandbox` and the benchmarks both start it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createDatabaseClient } from "../../app/db/client.server";
import { orderFulfillmentGateway } from "../../app/orders/shopify-gateway.server";
import { sandboxFetch } from "../../app/sandbox.server";
import { createAdminClient } from "../../app/shopify/admin-client.server";
import { startShopifySimulator, type ShopifySimulator } from "../sim/shopify/server";
import type { PlanName } from "../sim/shopify/bucket";
import { startWmsSimulator, type WmsSimulator } from "../sim/wms/server";
import { accessScopes, webhookSubscriptions } from "../helpers/app-toml";
import { DEMO_SHOP, openingStock, type DemoProduct, type DemoWarehouse } from "./demo-data";
import { seedAppDatabase, type SeededItem, type SeededWarehouse } from "./seed-app";

const root = path.resolve(import.meta.dirname, "../..");

// Fixed sandbox credentials: they only work against the local simulator.
export const SANDBOX_APP = { apiKey: "tallysync-sandbox-key", apiSecret: "tallysync-sandbox-secret", handle: "tallysync" };
export const SANDBOX_ENCRYPTION_KEY = Buffer.from("tallysync-sandbox-key-32-bytes!!").toString("base64");

export interface StackOptions {
  catalog: DemoProduct[];
  warehouses: DemoWarehouse[];
  /** Opening stock per warehouse; defaults to the demo's (some SKUs low or out). */
  stockFor?: (catalog: DemoProduct[], warehouse: DemoWarehouse) => Array<{ sku: string; sellable: number; damaged: number }>;
  ports?: { app?: number; shopify?: number; wms?: number[] };
  databaseFile: string;
  plan?: PlanName;
  shopName?: string;
  defaultSafetyStock?: number;
  /** Seed past orders and counts (the demo). */
  history?: boolean;
  wmsAuto?: { acknowledgeAfterMs: number | null; pickAfterMs: number | null; shipAfterMs: number | null };
  /** Where the app's output goes: "inherit" (the sandbox) or "ignore" (benchmarks). */
  appOutput?: "inherit" | "ignore";
  appEnv?: Record<string, string>;
  /** Run background jobs in a second process, as production does, instead of inside the web process. */
  separateWorker?: boolean;
  /** How many separate worker processes (default 1), each taking jobs from the same queue. */
  workers?: number;
  /**
   * Register each warehouse as a Shopify fulfillment service whose location is the warehouse's, as
   * Settings does: Shopify then sends fulfillment requests for the orders placed there, and
   * TallySync routes them to the warehouses. Without it each warehouse gets a plain location.
   */
  fulfillmentServices?: boolean;
  build?: boolean;
  log?: (message: string) => void;
}

export interface Stack {
  appUrl: string;
  databaseUrl: string;
  shopify: ShopifySimulator;
  wms: WmsSimulator[];
  warehouses: SeededWarehouse[];
  items: SeededItem[];
  adminUrl: string;
  app: ChildProcess;
  /** The separate worker processes, when there are any. */
  workers: ChildProcess[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export async function assertPortFree(port: number, what: string) {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`Port ${port} (${what}) is in use. Stop what uses it or set the port variable (see test/sandbox/start.ts).`)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

async function waitForHttp(url: string, timeoutMs: number, app: ChildProcess) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited with code ${app.exitCode} before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const appPort = options.ports?.app || (await freePort());
  const shopifyPort = options.ports?.shopify ?? 0;
  const wmsPorts = options.ports?.wms ?? [];
  await assertPortFree(appPort, "app");
  if (shopifyPort) await assertPortFree(shopifyPort, "Shopify simulator");
  for (const port of wmsPorts.filter(Boolean)) await assertPortFree(port, "warehouse simulator");

  const appUrl = `http://localhost:${appPort}`;
  const databaseUrl = `file:${options.databaseFile}`;
  const stoppers: Array<() => Promise<void>> = [];

  log(`migrating the database (${path.relative(root, options.databaseFile) || options.databaseFile})`);
  rmSync(options.databaseFile, { force: true });
  const migrate = spawnSync(process.execPath, ["prisma/cli.mjs", "migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`Migration failed:\n${migrate.stderr}${migrate.stdout}`);

  log("starting the Shopify simulator");
  const shopify = await startShopifySimulator({
    port: shopifyPort,
    app: { ...SANDBOX_APP, appUrl, scopes: accessScopes().join(","), webhooks: webhookSubscriptions().map((s) => ({ topics: s.topics, uri: s.uri })) },
    shops: [{ domain: DEMO_SHOP, plan: options.plan ?? "advanced", name: options.shopName ?? "Harbor & Hearth" }],
  });
  stoppers.push(() => shopify.stop());

  const items: SeededItem[] = [];
  for (const product of options.catalog) {
    const created = shopify.addProduct(DEMO_SHOP, {
      title: product.title,
      productType: product.productType,
      tags: product.tags,
      variants: product.variants.map((v) => ({ sku: v.sku, barcode: v.barcode, title: v.title, price: v.price, unitCost: v.unitCost })),
    });
    created.variants.forEach((variant, i) => {
      const demo = product.variants[i]!;
      items.push({ sku: demo.sku, barcode: demo.barcode, inventoryItemId: variant.inventoryItemId, variantId: variant.variantId, productId: created.productId, productTitle: product.title, variantTitle: demo.title, unitCost: demo.unitCost });
    });
  }
  const bySku = new Map(items.map((item) => [item.sku, item]));

  log(`starting ${options.warehouses.length} warehouse simulator(s)`);
  const seeded: SeededWarehouse[] = [];
  const wmsSims: WmsSimulator[] = [];
  for (const [i, warehouse] of options.warehouses.entries()) {
    const stock = (options.stockFor ?? openingStock)(options.catalog, warehouse);
    const wms = await startWmsSimulator({
      port: wmsPorts[i] ?? 0,
      seed: 100 + i,
      rateLimit: { requestsPerSecond: 50, burst: 100 },
      auto: options.wmsAuto ?? { acknowledgeAfterMs: 1_500, pickAfterMs: 4_000, shipAfterMs: 9_000 },
      webhooks: { retryScheduleMs: [1_000, 5_000, 30_000], timeoutMs: 5_000 },
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
    // With fulfillment services, the location is the service's, created when the app registers it (below).
    const location = options.fulfillmentServices ? null : shopify.addLocation(DEMO_SHOP, { name: `${warehouse.connectionName} - ${warehouse.name}` });
    seeded.push({ warehouse, wmsUrl: wms.url, shopifyLocationId: location?.id ?? "", stock });
  }
  // Shopify starts with nothing at the 3PL's location: TallySync's first sync fills it in.
  const stockLocations = () => {
    for (const { stock, shopifyLocationId } of seeded) {
      for (const row of stock) {
        const item = bySku.get(row.sku);
        if (item) shopify.setLevel(DEMO_SHOP, item.inventoryItemId, shopifyLocationId, { available: 0 });
      }
    }
  };
  if (!options.fulfillmentServices) stockLocations();

  log("seeding the merchant");
  process.env.TALLYSYNC_ENCRYPTION_KEY = SANDBOX_ENCRYPTION_KEY;
  const db = createDatabaseClient(databaseUrl);
  const offlineAccessToken = shopify.issueAccessToken(DEMO_SHOP, { kind: "offline", expiresInSec: null });
  await seedAppDatabase(db, items, seeded, {
    appUrl,
    scopes: accessScopes().join(","),
    offlineAccessToken,
    defaultSafetyStock: options.defaultSafetyStock ?? 2,
    history: options.history ?? true,
    ...(options.fulfillmentServices
      ? { fulfillmentServices: orderFulfillmentGateway(createAdminClient({ shop: DEMO_SHOP, accessToken: offlineAccessToken, fetch: sandboxFetch(new URL(shopify.url)) })) }
      : {}),
  });
  await db.$disconnect();
  // The items are stocked at the fulfillment-service locations the seeding registered.
  if (options.fulfillmentServices) stockLocations();

  if (options.build !== false) {
    log("building the app (npm run build)");
    const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error(`Build failed:\n${build.stderr}${build.stdout}`);
  }

  log("starting the app");
  const startApp = (port: number, embeddedWorker: boolean) =>
    spawn("npm", ["start", "--silent"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", options.appOutput ?? "inherit", options.appOutput ?? "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      VITEST: "",
      TALLYSYNC_EMBEDDED_WORKER: embeddedWorker ? "true" : "false",
      // The worker process yields the CPU to the web process, as README recommends on a shared machine.
      ...(embeddedWorker && options.separateWorker ? { TALLYSYNC_WORKER_NICE: "10" } : {}),
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: SANDBOX_APP.apiKey,
      SHOPIFY_API_SECRET: SANDBOX_APP.apiSecret,
      SHOPIFY_APP_URL: appUrl,
      TALLYSYNC_ENCRYPTION_KEY: SANDBOX_ENCRYPTION_KEY,
      TALLYSYNC_SANDBOX_SHOPIFY_URL: shopify.url,
      APP_BRIDGE_URL: `${shopify.url}/cdn/app-bridge.js`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      ...options.appEnv,
    },
  });
  const app = startApp(appPort, !options.separateWorker);
  const workers: ChildProcess[] = [];
  for (let i = 0; options.separateWorker && i < (options.workers ?? 1); i++) workers.push(startApp(await freePort(), true));
  const stopProcess = async (child: ChildProcess) => {
    const app = child;
    if (!app.pid || app.exitCode !== null) return;
    try {
      process.kill(-app.pid, "SIGTERM");
    } catch {
      return;
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        process.kill(-app.pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      process.kill(-app.pid, "SIGKILL");
    } catch {
      // gone
    }
  };
  const stopApp = async () => {
    await Promise.all([stopProcess(app), ...workers.map(stopProcess)]);
  };
  try {
    await waitForHttp(`${appUrl}/healthz`, 60_000, app);
  } catch (error) {
    await stopApp();
    await Promise.allSettled(stoppers.map((stop) => stop()));
    throw error;
  }

  return {
    appUrl,
    databaseUrl,
    shopify,
    wms: wmsSims,
    warehouses: seeded,
    items,
    app,
    workers,
    adminUrl: shopify.adminUrl(DEMO_SHOP).replace("127.0.0.1", "localhost"),
    async stop() {
      await stopApp();
      await Promise.allSettled(stoppers.map((stop) => stop()));
    },
  };
}
