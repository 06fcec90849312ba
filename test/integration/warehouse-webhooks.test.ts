// Warehouse stock webhooks end to end: the WMS simulator signs and sends its events (with its
// duplicate and out-of-order faults) to the app's webhook route over HTTP; one job per connection
// drains the waiting events in a batch; positions follow the warehouse's newest sequence.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import "~/jobs/handlers.server";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import { createWarehouseConnection, updateWarehouseCredentials, warehouseCredentials } from "~/models/warehouse-connection.server";
import { action as warehouseWebhook } from "~/routes/webhooks.warehouse.$connectionId";
import { connectorFor, forgetConnector } from "~/warehouses/connections.server";
import { WAREHOUSE_EVENT_JOB } from "~/warehouses/intake.server";
import { startSyncSimulators, type SyncSimulators } from "../helpers/sync-simulators";

const SHOP = "wms-hooks.myshopify.com";
const SKUS = ["TEE-S", "TEE-M", "TEE-L", "CAP-RED"];

let sims: SyncSimulators;
let app: http.Server;
let appUrl = "";
let connectionId = "";
let statuses: number[] = [];

beforeAll(async () => {
  sims = await startSyncSimulators({ shop: SHOP, skus: SKUS, apiKey: "sk_test_hooks", seed: 11 });
  // The app's webhook route behind a real socket, as the WMS reaches it.
  app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`${appUrl}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      const connection = /\/webhooks\/warehouse\/([^/?]+)/.exec(req.url ?? "")?.[1] ?? "";
      const response = await warehouseWebhook({ request, params: { connectionId: connection }, context: {} } as never);
      statuses.push(response.status);
      res.writeHead(response.status).end(await response.text());
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  await connectWarehouse();
});

afterAll(async () => {
  await new Promise((resolve) => app?.close(resolve));
  await sims?.stop();
});

beforeEach(async () => {
  // The connection and its webhook subscription stay; what the events produce starts empty.
  for (const table of ["inventoryLedgerEntry", "inventoryPosition", "job", "webhookInbox"] as const) {
    await (db[table] as unknown as { deleteMany(a: object): Promise<unknown> }).deleteMany({});
  }
  sims.wms.faults.clear();
  statuses = [];
});

async function connectWarehouse() {
  const scoped = forShop(SHOP);
  await scoped.shop.create({ data: { shop: SHOP } });
  await scoped.shopSettings.create({ data: { shop: SHOP, defaultSafetyStock: 0 } });
  const connection = await createWarehouseConnection(SHOP, { name: "Hooks", provider: "generic", credentials: { baseUrl: sims.wms.url, apiKey: "sk_test_hooks" } });
  connectionId = connection.id;
  await scoped.warehouse.create({ data: { shop: SHOP, connectionId, externalCode: "LAX1", name: "Los Angeles", shopifyLocationId: sims.locationId } });
  for (const sku of SKUS) {
    await scoped.skuMapping.create({ data: { shop: SHOP, connectionId, inventoryItemId: sims.itemOf.get(sku)!, warehouseSku: sku, matchedBy: "sku" } });
  }
  const connector = await connectorFor(SHOP, connectionId);
  if (!("registerWebhook" in connector)) throw new Error("the generic connector registers webhooks");
  const subscription = await (connector as unknown as { registerWebhook(url: string): Promise<{ id: string; secret: string }> }).registerWebhook(
    `${appUrl}/webhooks/warehouse/${connectionId}`,
  );
  const credentials = await warehouseCredentials(SHOP, connectionId);
  await updateWarehouseCredentials(SHOP, connectionId, { ...credentials, webhookSecret: subscription.secret, webhookId: subscription.id });
  forgetConnector(connectionId);
}

async function eventsDelivered() {
  await sims.wms.webhooks.idle();
}

async function sellable(sku: string) {
  const position = await forShop(SHOP).inventoryPosition.findFirst({ where: { warehouseSku: sku } });
  return position?.warehouseSellable ?? null;
}

describe("warehouse stock webhooks", () => {
  it("a burst of events waits as one job per connection and is applied in one batch, each ledger row naming its event", async () => {
    const account = sims.wms.account("acme");
    const before = new Map(SKUS.map((sku) => [sku, account.level("LAX1", sku).sellable]));
    for (let i = 0; i < 12; i++) account.receive("LAX1", SKUS[i % SKUS.length]!, 1, `PO-${i}`);
    await eventsDelivered();
    expect(statuses.length).toBeGreaterThanOrEqual(12);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const inbox = await forShop(SHOP).webhookInbox.findMany({ where: { source: `warehouse:${connectionId}` } });
    expect(inbox).toHaveLength(12);
    const jobs = await forShop(SHOP).job.findMany({ where: { type: WAREHOUSE_EVENT_JOB } });
    expect(jobs).toHaveLength(1);

    await new DatabaseJobRunner({ concurrency: 1 }).drain();
    for (const sku of SKUS) expect(await sellable(sku)).toBe(before.get(sku)! + 3);
    expect(await forShop(SHOP).webhookInbox.count({ where: { status: "received" } })).toBe(0);
    const ledger = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { quantityName: "warehouse_sellable" } });
    // One row per SKU (the batch keeps each SKU's newest level), referencing the event that set it.
    expect(ledger).toHaveLength(SKUS.length);
    const eventIds = new Set(inbox.map((row) => (JSON.parse(row.payload) as { id: string }).id));
    for (const row of ledger) expect(eventIds.has(row.reference!.replace("wms-event:", ""))).toBe(true);
    // The stock change asked for a sync to Shopify.
    expect(await forShop(SHOP).job.count({ where: { type: "inventory.sync", status: "queued" } })).toBeLessThanOrEqual(1);
  });

  it("duplicated deliveries are stored once and change nothing twice", async () => {
    sims.wms.faults.set({ webhooks: { duplicate: { everyNth: 1 } } });
    const account = sims.wms.account("acme");
    const before = account.level("LAX1", "TEE-S").sellable;
    account.receive("LAX1", "TEE-S", 5, "PO-dup");
    account.damage("LAX1", "TEE-S", 2, "crushed");
    await eventsDelivered();
    expect(sims.wms.faults.stats.duplicatedWebhooks).toBeGreaterThanOrEqual(2);
    expect(await forShop(SHOP).webhookInbox.count({})).toBe(2);
    await new DatabaseJobRunner({ concurrency: 1 }).drain();
    expect(await sellable("TEE-S")).toBe(before + 5 - 2);
    const ledger = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { quantityName: "warehouse_sellable" } });
    expect(ledger.map((l) => [l.before, l.after])).toEqual([[0, before + 3]]);
  });

  it("events delivered newest first leave the newest level, whichever batch they land in", async () => {
    sims.wms.faults.set({ webhooks: { outOfOrder: { windowMs: 40 } } });
    const account = sims.wms.account("acme");
    const before = account.level("LAX1", "CAP-RED").sellable;
    for (let i = 0; i < 6; i++) account.receive("LAX1", "CAP-RED", 1, `PO-ooo-${i}`);
    await eventsDelivered();
    const received = await forShop(SHOP).webhookInbox.findMany({ orderBy: { receivedAt: "asc" } });
    const sequences = received.map((r) => (JSON.parse(r.payload) as { data: { sequence?: number } }).data.sequence ?? 0);
    expect(sequences).not.toEqual([...sequences].sort((a, b) => a - b));
    await new DatabaseJobRunner({ concurrency: 1 }).drain();
    expect(await sellable("CAP-RED")).toBe(before + 6);
    // A late copy of an old event applied on its own changes nothing.
    const oldest = received.find((r) => (JSON.parse(r.payload) as { data: { sequence?: number } }).data.sequence === Math.min(...sequences))!;
    await forShop(SHOP).webhookInbox.updateMany({ where: { id: oldest.id }, data: { status: "received" } });
    await forShop(SHOP).job.create({ data: { shop: SHOP, type: WAREHOUSE_EVENT_JOB, payload: JSON.stringify({ connectionId }) } });
    await new DatabaseJobRunner({ concurrency: 1 }).drain();
    expect(await sellable("CAP-RED")).toBe(before + 6);
  });
});
