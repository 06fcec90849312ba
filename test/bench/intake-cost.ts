// Intake cost: CPU time of one webhook through the intake (HMAC, checks, inbox + job rows) with no
// HTTP in front, on SQLite in WAL mode. Tells how many webhooks a second one core can acknowledge.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { applySqliteMigrations } from "../helpers/database";
import { round } from "./stats";

export interface IntakeCostResult {
  webhooks: number;
  msPerWebhook: number;
  webhooksPerSecondOneCore: number;
}

export async function benchIntakeCost(n = 2_000): Promise<IntakeCostResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-intake-"));
  const file = path.join(dir, "intake.sqlite");
  applySqliteMigrations(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  process.env.DATABASE_URL = `file:${file}`;
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_API_KEY ??= "bench";
  process.env.SHOPIFY_APP_URL ??= "http://localhost:3000";
  // Its own client: app/db.server may already be bound to another database in this process.
  const { createDatabaseClient } = await import("../../app/db/client.server");
  const db = createDatabaseClient(`file:${file}`);
  const { receiveShopifyWebhook } = await import("../../app/webhooks/intake.server");
  const { shopifyWebhookHmac } = await import("../../app/webhooks/signature.server");
  const secret = process.env.SHOPIFY_API_SECRET;
  const body = JSON.stringify({ id: 1, line_items: [{ id: 2, sku: "A", quantity: 1 }] });
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const request = new Request("http://localhost/webhooks/orders/create", {
      method: "POST",
      body,
      headers: { "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "bench.myshopify.com", "X-Shopify-Webhook-Id": randomUUID(), "X-Shopify-Hmac-Sha256": shopifyWebhookHmac(body, secret) },
    });
    const response = await receiveShopifyWebhook(request, "orders/create", { secrets: [secret], db });
    if (response.status !== 200) throw new Error(`Intake answered ${response.status}`);
  }
  const ms = (performance.now() - started) / n;
  await db.$disconnect();
  return { webhooks: n, msPerWebhook: round(ms, 2), webhooksPerSecondOneCore: Math.round(1000 / ms) };
}
