// Write efficiency: many pending changes against a Standard-plan shop (100 points/s). Quantities
// written per second, against what the measured cost per call allows at the sustained rate:
//   allowed per second = restore rate / points per write call x 250 quantities per call.
// (The bucket's initial 2,000 points allow a burst above that, so more than 100% is possible.)
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applySqliteMigrations } from "../helpers/database";
import { startShopifySimulator } from "../sim/shopify/server";
import { round } from "./stats";

export interface WriteEfficiencyResult {
  pendingChanges: number;
  plan: string;
  restoreRate: number;
  bucketSize: number;
  seconds: number;
  written: number;
  failed: number;
  calls: number;
  throttledAnswers: number;
  pointsPerWriteCall: number;
  quantitiesPerSecond: number;
  allowedQuantitiesPerSecond: number;
  efficiencyPercent: number;
}

const SHOP = "bench-writes.myshopify.com";

export async function benchWriteEfficiency(changes = 20_000): Promise<WriteEfficiencyResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-write-"));
  const file = path.join(dir, "bench.sqlite");
  applySqliteMigrations(file);
  process.env.DATABASE_URL = `file:${file}`;
  process.env.TALLYSYNC_ENCRYPTION_KEY ??= Buffer.alloc(32, 1).toString("base64");
  const { createDatabaseClient } = await import("../../app/db/client.server");
  const { forShop } = await import("../../app/db/tenant.server");
  const { syncShopStock } = await import("../../app/inventory/sync.server");
  const { createAdminClient } = await import("../../app/shopify/admin-client.server");
  const { inventoryGateway } = await import("../../app/shopify/gateway.server");
  const { sandboxFetch } = await import("../../app/sandbox.server");

  const sim = await startShopifySimulator({
    app: { apiKey: "bench", apiSecret: "bench-secret", appUrl: "http://127.0.0.1:9", handle: "tallysync" },
    shops: [{ domain: SHOP, plan: "standard" }],
  });
  const db = createDatabaseClient(`file:${file}`);
  try {
    const locationId = sim.addLocation(SHOP, { name: "3PL" }).id;
    const items: string[] = [];
    for (let i = 0; i < changes; i++) {
      const product = sim.addProduct(SHOP, { title: `P${i}`, variants: [{ sku: `W-${i}`, levels: { [locationId]: { available: 10 } } }] });
      items.push(product.variants[0]!.inventoryItemId);
    }
    const scoped = forShop(SHOP, db);
    await scoped.shop.create({ data: { shop: SHOP } });
    await scoped.shopSettings.create({ data: { shop: SHOP, defaultSafetyStock: 0 } });
    const connection = await scoped.warehouseConnection.create({ data: { shop: SHOP, name: "3PL", provider: "generic", encryptedCredentials: "unused" } });
    const warehouse = await scoped.warehouse.create({ data: { shop: SHOP, connectionId: connection.id, externalCode: "W1", name: "3PL", shopifyLocationId: locationId } });
    for (let i = 0; i < items.length; i += 1_000) {
      await scoped.inventoryPosition.createMany({
        data: items.slice(i, i + 1_000).map((inventoryItemId, j) => ({
          shop: SHOP,
          warehouseId: warehouse.id,
          inventoryItemId,
          warehouseSku: `W-${i + j}`,
          warehouseSellable: 11 + ((i + j) % 40),
          shopifyAvailable: 10,
          shopifyCommitted: 0,
          needsShopifyRead: false,
          syncState: "dirty",
          dirtySince: new Date(),
        })),
      });
    }
    const calls: Array<{ operation: string; outcome: string; cost: number | null }> = [];
    const client = createAdminClient({
      shop: SHOP,
      accessToken: sim.issueAccessToken(SHOP),
      fetch: sandboxFetch(new URL(sim.url)),
      recorder: { record: (call) => { calls.push(call); if (process.env.BENCH_DEBUG) console.error(call.operation, call.latencyMs, call.throttleWaitMs, call.cost); } },
    });
    const gateway = inventoryGateway(client);
    // Start with an empty bucket, as after a busy minute: the restore rate is then what limits the
    // writes, and the figure says how much of it the sync spends. (With the bucket full, 80 calls
    // of 10 points fit in it and the run measures only our own speed.)
    sim.shop(SHOP).bucket.drain(0);
    const started = performance.now();
    let written = 0;
    let failed = 0;
    for (let run = 0; run < 20; run++) {
      const outcome = await syncShopStock(SHOP, gateway, { db });
      written += outcome.written;
      failed += outcome.failed;
      if (outcome.remaining === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const writes = calls.filter((c) => c.operation === "InventorySetQuantities" && c.outcome === "ok");
    const pointsPerWriteCall = writes.reduce((sum, c) => sum + (c.cost ?? 0), 0) / Math.max(1, writes.length);
    const { restoreRate, maximumAvailable } = { restoreRate: 100, maximumAvailable: 2000 };
    // What the budget allowed over the run: the restore rate only (the bucket started empty).
    const allowedPerSecond = (restoreRate / pointsPerWriteCall) * 250;
    return {
      pendingChanges: changes,
      plan: "standard",
      restoreRate,
      bucketSize: maximumAvailable,
      seconds: round(seconds, 2),
      written,
      failed,
      calls: calls.length,
      throttledAnswers: calls.filter((c) => c.outcome === "throttled").length,
      pointsPerWriteCall: round(pointsPerWriteCall, 1),
      quantitiesPerSecond: round(written / seconds),
      allowedQuantitiesPerSecond: round(allowedPerSecond),
      efficiencyPercent: round((100 * written) / seconds / allowedPerSecond),
    };
  } finally {
    await db.$disconnect();
    await sim.stop();
  }
}
