// Flash sale: a burst of orders over a few SKUs that sell out, while the warehouse keeps reporting
// stale absolute numbers (it has not seen the orders yet, so it keeps saying "30 sellable").
// The figure that matters: units sold beyond what the warehouse could ship. Goal: 0.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabaseClient } from "../../app/db/client.server";
import { decryptCredentials } from "../../app/security/credentials.server";
import { signWmsPayload } from "../sim/wms/signature";
import { DEMO_SHOP, DEMO_WAREHOUSES, random } from "../sandbox/demo-data";
import { startStack } from "../sandbox/stack";
import { benchCatalog, sleep } from "./stats";

export interface FlashSaleResult {
  orders: number;
  seconds: number;
  skus: number;
  sellablePerSku: number;
  sellableUnits: number;
  ordersAccepted: number;
  ordersRefusedOutOfStock: number;
  unitsSold: number;
  staleWarehouseReportsSent: number;
  staleWarehouseReportsAccepted: number;
  unitsSoldBeyondSellable: number;
  skusOversold: number;
  shopifyOversellEvents: number;
}

export async function benchFlashSale(orders = 2_000, seconds = 60, skuCount = 50, sellablePerSku = 30): Promise<FlashSaleResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-flash-"));
  const catalog = benchCatalog(skuCount, "HOT");
  const warehouse = DEMO_WAREHOUSES[0]!;
  const stack = await startStack({
    catalog,
    warehouses: [warehouse],
    stockFor: (products) => products.map((p) => ({ sku: p.variants[0]!.sku, sellable: sellablePerSku, damaged: 0 })),
    databaseFile: path.join(dir, "bench.sqlite"),
    history: false,
    defaultSafetyStock: 0,
    plan: "plus",
    wmsAuto: { acknowledgeAfterMs: null, pickAfterMs: null, shipAfterMs: null },
    appOutput: "ignore",
    separateWorker: true,
    build: process.env.BENCH_SKIP_BUILD !== "1",
  });
  try {
    const { shopify } = stack;
    const locationId = stack.warehouses[0]!.shopifyLocationId;
    const skus = catalog.map((p) => p.variants[0]!.sku);
    const itemOf = new Map(stack.items.map((i) => [i.sku, i.inventoryItemId]));
    const available = (sku: string) => shopify.level(DEMO_SHOP, itemOf.get(sku)!, locationId)?.available ?? -1;
    const deadline = Date.now() + 120_000;
    while (skus.some((sku) => available(sku) !== sellablePerSku)) {
      if (Date.now() > deadline) throw new Error("The initial sync did not complete");
      await sleep(200);
    }

    // What the warehouse would sign its webhooks with, and where it sends them.
    const db = createDatabaseClient(stack.databaseUrl);
    const connection = await db.warehouseConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
    await db.$disconnect();
    const { webhookSecret } = decryptCredentials(connection.encryptedCredentials, { shop: DEMO_SHOP, connectionName: connection.name });
    const webhookUrl = `${stack.appUrl}/webhooks/warehouse/${connection.id}`;
    let sequence = 1_000_000;
    let staleReports = 0;
    const reportStale = async (sku: string) => {
      const body = JSON.stringify({
        id: `stale-${randomUUID()}`,
        topic: "inventory.changed",
        occurred_at: new Date().toISOString(),
        data: { sku, warehouse: warehouse.code, sellable: sellablePerSku, reserved: 0, damaged: 0, on_hand: sellablePerSku, sequence: ++sequence, updated_at: new Date().toISOString() },
      });
      // A refused or reset delivery is simply one stale report fewer (a warehouse would retry).
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-TallySync-Signature": signWmsPayload(webhookSecret!, body, Math.floor(Date.now() / 1000)) },
        body,
      }).catch(() => null);
      if (response?.ok) staleReports++;
      else if (process.env.BENCH_DEBUG) console.error("stale report refused", response?.status, response ? await response.text() : "no response");
    };

    const rand = random(2026);
    const sold = new Map<string, number>();
    let accepted = 0;
    let refused = 0;
    let running = true;
    // The warehouse reports its stale "30" for a few SKUs every 100 ms throughout the sale.
    // Fired at a fixed rate, whatever the app's response time.
    const inflightReports: Promise<void>[] = [];
    let staleSent = 0;
    const staleLoop = (async () => {
      while (running) {
        for (let k = 0; k < 3; k++) {
          staleSent++;
          inflightReports.push(reportStale(skus[Math.floor(rand() * skus.length)]!));
        }
        await sleep(100);
      }
      await Promise.all(inflightReports);
    })();
    const started = performance.now();
    for (let i = 0; i < orders; i++) {
      const due = started + (i * seconds * 1000) / orders;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const sku = skus[Math.floor(rand() * skus.length)]!;
      const result = shopify.placeOrder(DEMO_SHOP, { lines: [{ sku, quantity: 1 }], email: "fan@example.com" });
      if (result.ok) {
        accepted++;
        sold.set(sku, (sold.get(sku) ?? 0) + 1);
      } else refused++;
    }
    await sleep(3_000); // let the last writes land before counting
    running = false;
    await staleLoop;
    let beyond = 0;
    let skusOversold = 0;
    for (const sku of skus) {
      const over = Math.max(0, (sold.get(sku) ?? 0) - sellablePerSku);
      beyond += over;
      if (over) skusOversold++;
    }
    return {
      orders,
      seconds,
      skus: skuCount,
      sellablePerSku,
      sellableUnits: skuCount * sellablePerSku,
      ordersAccepted: accepted,
      ordersRefusedOutOfStock: refused,
      unitsSold: [...sold.values()].reduce((a, b) => a + b, 0),
      staleWarehouseReportsSent: staleSent,
      staleWarehouseReportsAccepted: staleReports,
      unitsSoldBeyondSellable: beyond,
      skusOversold,
      shopifyOversellEvents: shopify.counters(DEMO_SHOP).oversells.length,
    };
  } finally {
    await stack.stop();
  }
}
