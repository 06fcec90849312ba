// Webhook acknowledgement: signed orders/create deliveries at a fixed rate against the running app
// (production build, SQLite, embedded worker on). Latency of each answer, and the count stored.
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { createDatabaseClient } from "../../app/db/client.server";
import { shopifyWebhookHmac } from "../../app/webhooks/signature.server";
import { DEMO_SHOP, DEMO_WAREHOUSES } from "../sandbox/demo-data";
import { SANDBOX_APP, startStack } from "../sandbox/stack";
import { benchCatalog, percentile, round, sleep } from "./stats";

export interface AckResult {
  ratePerSecond: number;
  seconds: number;
  sent: number;
  answered200: number;
  stored: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  processedWithin30sAfter: number;
}

export async function benchWebhookAck(ratePerSecond = 200, seconds = 60): Promise<AckResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-ack-"));
  const catalog = benchCatalog(50);
  const stack = await startStack({
    catalog,
    warehouses: [DEMO_WAREHOUSES[0]!],
    databaseFile: path.join(dir, "bench.sqlite"),
    history: false,
    appOutput: "ignore",
    // As in production: the web process answers webhooks, a worker process runs the jobs.
    separateWorker: process.env.BENCH_EMBEDDED_WORKER !== "1",
    build: process.env.BENCH_SKIP_BUILD !== "1",
  });
  try {
    await sleep(3_000); // let the first stock read settle
    const latencies: number[] = [];
    let ok = 0;
    const inflight: Promise<void>[] = [];
    const total = ratePerSecond * seconds;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const id = 5_000_000 + i;
      const sku = catalog[i % catalog.length]!.variants[0]!.sku;
      const body = JSON.stringify({
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        name: `#B${id}`,
        email: "buyer@example.com",
        updated_at: new Date().toISOString(),
        line_items: [{ id: id * 10, admin_graphql_api_id: `gid://shopify/LineItem/${id * 10}`, sku, quantity: 1 }],
      });
      const sentAt = performance.now();
      inflight.push(
        fetch(`${stack.appUrl}/webhooks/orders/create`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": DEMO_SHOP,
            "X-Shopify-Webhook-Id": randomUUID(),
            "X-Shopify-API-Version": "2026-07",
            "X-Shopify-Triggered-At": new Date().toISOString(),
            "X-Shopify-Hmac-Sha256": shopifyWebhookHmac(body, SANDBOX_APP.apiSecret),
          },
          body,
        }).then(
          async (response) => {
            await response.arrayBuffer();
            latencies.push(performance.now() - sentAt);
            if (response.status === 200) ok++;
          },
          () => {
            latencies.push(performance.now() - sentAt);
          },
        ),
      );
    }
    await Promise.all(inflight);
    const db = createDatabaseClient(stack.databaseUrl);
    const stored = await db.webhookInbox.count({ where: { shop: DEMO_SHOP, topic: "orders/create" } });
    const drainDeadline = Date.now() + 30_000;
    let processed = 0;
    while (Date.now() < drainDeadline) {
      processed = await db.webhookInbox.count({ where: { shop: DEMO_SHOP, topic: "orders/create", status: { not: "received" } } });
      if (processed >= stored) break;
      await sleep(500);
    }
    await db.$disconnect();
    return {
      ratePerSecond,
      seconds,
      sent: total,
      answered200: ok,
      stored,
      p50Ms: round(percentile(latencies, 50), 2),
      p99Ms: round(percentile(latencies, 99), 2),
      maxMs: round(Math.max(...latencies), 2),
      processedWithin30sAfter: processed,
    };
  } finally {
    await stack.stop();
  }
}
