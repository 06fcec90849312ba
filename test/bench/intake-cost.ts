// Intake cost: CPU time of one webhook through the intake (HMAC, checks, inbox + job rows) with no
// HTTP in front, on SQLite in WAL mode: through the raw-statement store the production server uses
// (app/webhooks/inbox-store.server.ts), and through Prisma for comparison. Tells how many webhooks
// a second one core can acknowledge.
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
  msPerWebhookThroughPrisma: number;
}

export async function benchIntakeCost(n = 2_000): Promise<IntakeCostResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-intake-"));
  const file = path.join(dir, "intake.sqlite");
  applySqliteMigrations(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_API_KEY ??= "bench";
  process.env.SHOPIFY_APP_URL ??= "http://localhost:3000";
  // Its own clients: app/db.server may already be bound to another database in this process.
  const { createDatabaseClient } = await import("../../app/db/client.server");
  const { sqliteInboxStore } = await import("../../app/webhooks/inbox-store.server");
  const { takeShopifyWebhook } = await import("../../app/webhooks/intake.server");
  const { shopifyWebhookHmac } = await import("../../app/webhooks/signature.server");
  const secret = process.env.SHOPIFY_API_SECRET;
  const body = JSON.stringify({ id: 1, line_items: [{ id: 2, sku: "A", quantity: 1 }] });
  const timeIntake = async (options: Parameters<typeof takeShopifyWebhook>[2]) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const headers: Record<string, string> = {
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": "bench.myshopify.com",
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-hmac-sha256": shopifyWebhookHmac(body, secret),
      };
      const answer = await takeShopifyWebhook({ method: "POST", rawBody: body, header: (name) => headers[name] ?? null }, "orders/create", { secrets: [secret], ...options });
      if (answer.status !== 200) throw new Error(`Intake answered ${answer.status}`);
    }
    return (performance.now() - started) / n;
  };
  const store = sqliteInboxStore(file);
  const raw = await timeIntake({ store });
  await store.close();
  const db = createDatabaseClient(`file:${file}`);
  const throughPrisma = await timeIntake({ db });
  await db.$disconnect();
  return { webhooks: n, msPerWebhook: round(raw, 2), webhooksPerSecondOneCore: Math.round(1000 / raw), msPerWebhookThroughPrisma: round(throughPrisma, 2) };
}
