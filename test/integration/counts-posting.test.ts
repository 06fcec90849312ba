// Posting approved counts through the Shopify and WMS simulators: exactly once whatever fails,
// compare-and-swap against Shopify, the warehouse adjusted where its API allows, and the stock sync
// left with nothing to undo.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { applyWarehouseLevels } from "~/inventory/positions.server";
import { onShopifyLevelsChanged } from "~/inventory/shopify-events.server";
import { syncShopStock } from "~/inventory/sync.server";
import { SYNC_JOB } from "~/inventory/job-types";
import { DatabaseJobRunner } from "~/jobs/runner.server";
import { recordCount } from "~/models/counts/counting.server";
import "~/models/counts/jobs.server";
import { countPostingProgress, cycleCountReference, postCountTask, requestCountPosting, type CountShopifyGateway } from "~/models/counts/posting.server";
import { financeCsv, loadDiscrepancyReport } from "~/models/counts/report.server";
import { importCountSheetCsv } from "~/models/counts/sheets.server";
import { approveCountTask, assignCountTask, cancelCountTask, createCountTask, getCountTask, startCountReview, startCountTask, submitCountTask } from "~/models/counts/tasks.server";
import { setShopAdminClientFactory } from "~/shopify/shop-client.server";
import { createAdminClient } from "~/shopify/admin-client.server";
import { sandboxFetch } from "~/sandbox.server";
import { connectorFor } from "~/warehouses/connections.server";
import { clock, resetCountData, seedSimulatedShop, startCountSimulators, type CountSimulators, type SeededWarehouse } from "../helpers/counts";

const SHOP = "counts-posting.myshopify.com";
const API_KEY = "sk_test_counts_posting";
const SKUS = ["MUG-BLUE", "MUG-RED", "LAMP-OAK"];
const COUNTER = "lee@example.com";
const REVIEWER = "sam@example.com";

let sims: CountSimulators;
let lax: SeededWarehouse;
let nyc: SeededWarehouse;
let connectionId: string;
let next: () => Date;

beforeAll(async () => {
  sims = await startCountSimulators({ shop: SHOP, skus: SKUS, warehouses: ["LAX1", "NYC1"], apiKey: API_KEY, sellable: 20, seed: 11 });
  setShopAdminClientFactory(async (shop) => createAdminClient({ shop, accessToken: sims.shopify.issueAccessToken(shop), fetch: sandboxFetch(new URL(sims.shopify.url)), backoff: { baseMs: 5, maxMs: 20 } }));
});

afterAll(async () => {
  setShopAdminClientFactory(null);
  await sims?.stop();
});

beforeEach(async () => {
  await resetCountData();
  sims.shopify.faults.reset();
  sims.wms.faults.clear();
  for (const sku of SKUS) {
    for (const code of ["LAX1", "NYC1"]) {
      const level = sims.wms.account("acme").level(code, sku);
      if (level.sellable !== 20) sims.wms.account("acme").adjust({ reference: `reset-${Math.random()}`, reason: "correction", note: null, lines: [{ sku, warehouse: code, delta: 20 - level.sellable, bucket: "sellable" }] });
      sims.shopify.setLevel(SHOP, sims.itemOf.get(sku)!, sims.locationOf.get(code)!, { available: 0, committed: 0 });
    }
  }
  const seeded = await seedSimulatedShop(SHOP, sims, { apiKey: API_KEY });
  connectionId = seeded.connectionId;
  lax = seeded.warehouses.get("LAX1")!;
  nyc = seeded.warehouses.get("NYC1")!;
  next = clock();
});

afterEach(() => {
  sims.shopify.faults.reset();
  sims.wms.faults.clear();
});

const as = (actor: string) => ({ actor, now: next() });

function shopifyAvailable(sku: string, code = "LAX1"): number {
  return sims.shopify.level(SHOP, sims.itemOf.get(sku)!, sims.locationOf.get(code)!)!.available;
}

function warehouseSellable(sku: string, code = "LAX1"): number {
  return sims.wms.account("acme").level(code, sku).sellable;
}

function countGroups(taskId: string) {
  return [...sims.shopify.shop(SHOP).adjustmentGroups.values()].filter((group) => group.referenceDocumentUri === cycleCountReference(taskId));
}

/** A count approved with the quantities given (SKU -> counted), everything else as expected. */
async function approvedCount(counted: Record<string, number>, warehouse: SeededWarehouse = lax, kind: "full" | "campaign" = "campaign") {
  const task = await createCountTask(SHOP, { warehouseId: warehouse.warehouseId, kind, inventoryItemIds: kind === "full" ? undefined : Object.keys(counted).map((sku) => sims.itemOf.get(sku)!) }, as(REVIEWER));
  await assignCountTask(SHOP, task.id, COUNTER, as(REVIEWER));
  await startCountTask(SHOP, task.id, as(COUNTER));
  for (const [sku, quantity] of Object.entries(counted)) await recordCount(SHOP, task.id, { code: sku, quantity }, as(COUNTER));
  await submitCountTask(SHOP, task.id, as(COUNTER));
  await startCountReview(SHOP, task.id, as(REVIEWER));
  await approveCountTask(SHOP, task.id, { note: "Checked" }, as(REVIEWER));
  return task;
}

/** Shopify applies the call, then the process dies before it hears the answer. */
function crashAfterShopify(gateway: CountShopifyGateway): CountShopifyGateway & { calls: number } {
  const crashing = {
    calls: 0,
    readAvailable: gateway.readAvailable,
    async adjustAvailable(input: Parameters<CountShopifyGateway["adjustAvailable"]>[0]) {
      crashing.calls++;
      await gateway.adjustAvailable(input);
      throw new Error("process killed before the result was recorded");
    },
  };
  return crashing;
}

describe("posting a count", () => {
  it("posting is exactly once under retries and crashes (a crash after the Shopify call, before recording)", async () => {
    const task = await approvedCount({ "MUG-BLUE": 17, "MUG-RED": 22 });
    const crashing = crashAfterShopify(sims.countGateway);
    await expect(postCountTask(SHOP, task.id, { gateway: crashing })).rejects.toThrow(/process killed/);
    expect(crashing.calls).toBe(1);
    // Shopify applied it; we recorded the batch (key and payload) before the call, not its result.
    expect([shopifyAvailable("MUG-BLUE"), shopifyAvailable("MUG-RED")]).toEqual([17, 22]);
    const recorded = await forShop(SHOP).countAdjustment.findMany({ where: { taskId: task.id } });
    expect(recorded.every((a) => a.shopifyStatus === "pending" && a.shopifyBatchKey != null)).toBe(true);
    expect((await countPostingProgress(SHOP, task.id)).shopify.inFlight).toBe(2);

    // The job runs again: the warehouse answers 503 once (retried by the job), then it all goes through.
    sims.wms.faults.set({ serverError: { times: 1, status: 503, pathPrefix: "/v1/inventory/adjustments" } });
    const runner = new DatabaseJobRunner({ backoff: { baseMs: 1, maxMs: 2 }, pollIntervalMs: 5 });
    await runner.drain();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await runner.drain();
    expect((await getCountTask(SHOP, task.id)).task.status).toBe("posted");

    // Posting again, by hand and by job, changes nothing.
    await postCountTask(SHOP, task.id, { gateway: sims.countGateway });
    await requestCountPosting(SHOP, task.id);
    await runner.drain();

    expect([shopifyAvailable("MUG-BLUE"), shopifyAvailable("MUG-RED")]).toEqual([17, 22]);
    expect([warehouseSellable("MUG-BLUE"), warehouseSellable("MUG-RED")]).toEqual([17, 22]);
    const groups = countGroups(task.id);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ reason: "cycle_count_available" });
    expect(groups[0]!.changes.filter((change) => change.name === "available").map((change) => change.delta).sort()).toEqual([-3, 2]);
    const ledger = await forShop(SHOP).inventoryLedgerEntry.findMany({ where: { reference: cycleCountReference(task.id) }, orderBy: { id: "asc" } });
    expect(ledger.filter((row) => row.quantityName === "counted").map((row) => row.delta).sort()).toEqual([-3, 2]);
    expect(ledger.filter((row) => row.quantityName === "shopify_available").map((row) => row.delta).sort()).toEqual([-3, 2]);
    const progress = await countPostingProgress(SHOP, task.id);
    expect(progress).toMatchObject({ status: "posted", percent: 100, total: 2, shopify: { posted: 2, failed: 0 }, warehouse: { posted: 2 }, warehouseNotAdjusted: false });
  });

  it("a Shopify call lost in transit is sent again with the same key and applied once", async () => {
    const task = await approvedCount({ "LAMP-OAK": 15 });
    const outage: CountShopifyGateway = {
      readAvailable: sims.countGateway.readAvailable,
      async adjustAvailable(input) {
        // Shopify answers 503 to the adjustment and to every retry of the client.
        sims.shopify.faults.set({ api5xx: { next: 50, status: 503 } });
        return sims.countGateway.adjustAvailable(input);
      },
    };
    await expect(postCountTask(SHOP, task.id, { gateway: outage })).rejects.toThrow(/Shopify did not answer/);
    const [inFlight] = await forShop(SHOP).countAdjustment.findMany({ where: { taskId: task.id } });
    expect(inFlight!.shopifyBatchKey).not.toBeNull();
    sims.shopify.faults.reset();
    await postCountTask(SHOP, task.id, { gateway: sims.countGateway });
    const [posted] = await forShop(SHOP).countAdjustment.findMany({ where: { taskId: task.id } });
    expect(posted).toMatchObject({ shopifyStatus: "posted", shopifyBatchKey: inFlight!.shopifyBatchKey, shopifyDelta: -5, shopifyChangeFrom: 20, shopifyQuantityAfter: 15 });
    expect(shopifyAvailable("LAMP-OAK")).toBe(15);
    expect(countGroups(task.id)).toHaveLength(1);
  });

  it("a stale changeFromQuantity is read again and recomputed, never overwritten", async () => {
    const task = await approvedCount({ "MUG-BLUE": 17 });
    let sold = false;
    const gateway: CountShopifyGateway = {
      readAvailable: sims.countGateway.readAvailable,
      async adjustAvailable(input) {
        if (!sold) {
          // A buyer takes 1 between our read and our write.
          sold = true;
          expect(sims.shopify.placeOrder(SHOP, { lines: [{ sku: "MUG-BLUE", quantity: 1 }] }).ok).toBe(true);
        }
        return sims.countGateway.adjustAvailable(input);
      },
    };
    await postCountTask(SHOP, task.id, { gateway });
    expect(shopifyAvailable("MUG-BLUE")).toBe(16); // 20 - 1 sold - 3 short, the sale kept
    const [adjustment] = await forShop(SHOP).countAdjustment.findMany({ where: { taskId: task.id } });
    expect(adjustment).toMatchObject({ shopifyStatus: "posted", shopifyAttempts: 2, shopifyChangeFrom: 19, shopifyQuantityAfter: 16 });
  });

  it("after posting, the warehouse's adjusted numbers flow back and the stock sync writes nothing: Shopify is adjusted once", async () => {
    const task = await approvedCount({ "MUG-BLUE": 16, "LAMP-OAK": 23 });
    await postCountTask(SHOP, task.id, { gateway: sims.countGateway });
    expect([shopifyAvailable("MUG-BLUE"), shopifyAvailable("LAMP-OAK")]).toEqual([16, 23]);
    // The warehouse's own levels (adjusted) arrive again by poll, and Shopify echoes our change.
    const connector = await connectorFor(SHOP, connectionId);
    await applyWarehouseLevels(SHOP, connectionId, (await connector.readStock(null)).levels, "warehouse_poll");
    expect(await onShopifyLevelsChanged(SHOP, [{ inventory_item_id: sims.itemOf.get("MUG-BLUE")!, location_id: sims.locationOf.get("LAX1")!, available: 16 }])).toBe(0);
    const outcome = await syncShopStock(SHOP, sims.syncGateway);
    expect(outcome).toMatchObject({ written: 0, stale: 0, failed: 0, remaining: 0 });
    expect([shopifyAvailable("MUG-BLUE"), shopifyAvailable("LAMP-OAK")]).toEqual([16, 23]);
    expect([warehouseSellable("MUG-BLUE"), warehouseSellable("LAMP-OAK")]).toEqual([16, 23]);
    expect(await forShop(SHOP).alert.count({ where: { kind: "manual_edit_restored" } })).toBe(0);
  });

  it("a warehouse that cannot adjust stock is marked not_supported, the merchant is told and the report says so", async () => {
    const task = await approvedCount({ "MUG-RED": 18 });
    const noAdjustments = async (shop: string, id: string) => {
      const real = await connectorFor(shop, id);
      return { ...real, capabilities: { ...real.capabilities, stockAdjustments: false } };
    };
    const progress = await postCountTask(SHOP, task.id, { gateway: sims.countGateway, connectorFor: noAdjustments });
    expect(progress).toMatchObject({ status: "posted", warehouseNotAdjusted: true, warehouse: { notSupported: 1, posted: 0 } });
    expect(shopifyAvailable("MUG-RED")).toBe(18);
    expect(warehouseSellable("MUG-RED")).toBe(20);
    const [alert] = await forShop(SHOP).alert.findMany({ where: { kind: "count_not_posted_to_warehouse" } });
    expect(alert!.message).toContain("MUG-RED -2");
    expect((await loadDiscrepancyReport(SHOP, { taskId: task.id })).linesWarehouseNotAdjusted).toBe(1);
    expect(await financeCsv(SHOP, { taskId: task.id })).toContain("no (not supported by the warehouse)");
  });

  it("a full count freezes and then resumes sync for its warehouse only", async () => {
    const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, kind: "full" }, as(REVIEWER));
    await assignCountTask(SHOP, task.id, COUNTER, as(REVIEWER));
    await startCountTask(SHOP, task.id, as(COUNTER));
    const frozen = await getCountTask(SHOP, task.id);
    expect(frozen.syncFrozen).toEqual({ frozen: true, reason: expect.stringContaining(`Full count ${frozen.task.label} is in progress`) });
    expect((await forShop(SHOP).warehouse.findFirstOrThrow({ where: { id: nyc.warehouseId } })).syncFrozen).toBe(false);

    // Both warehouses receive 5 MUG-BLUE while LAX1 is being counted.
    for (const code of ["LAX1", "NYC1"]) sims.wms.act("acme", { action: "receive", warehouse: code, sku: "MUG-BLUE", quantity: 5 });
    const connector = await connectorFor(SHOP, connectionId);
    await applyWarehouseLevels(SHOP, connectionId, (await connector.readStock(null)).levels, "warehouse_webhook");
    await syncShopStock(SHOP, sims.syncGateway);
    expect(shopifyAvailable("MUG-BLUE", "NYC1")).toBe(25);
    expect(shopifyAvailable("MUG-BLUE", "LAX1")).toBe(20);

    const counted = ["SKU,Quantity", "MUG-BLUE,24", "MUG-RED,20", "LAMP-OAK,20"].join("\n");
    expect(await importCountSheetCsv(SHOP, task.id, counted, as(COUNTER))).toMatchObject({ imported: 3, blocked: false });
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    await approveCountTask(SHOP, task.id, {}, as(REVIEWER));
    await db.job.deleteMany({ where: { type: SYNC_JOB } });
    await postCountTask(SHOP, task.id, { gateway: sims.countGateway });

    const resumed = await getCountTask(SHOP, task.id);
    expect(resumed.task.status).toBe("posted");
    expect(resumed.syncFrozen).toEqual({ frozen: false, reason: null });
    expect(await forShop(SHOP).job.count({ where: { type: SYNC_JOB, status: "queued" } })).toBe(1);
    await syncShopStock(SHOP, sims.syncGateway);
    // 20 + 5 received - 1 short: the count's -1 and the receipt during the freeze, each once.
    expect(shopifyAvailable("MUG-BLUE", "LAX1")).toBe(24);
    expect(warehouseSellable("MUG-BLUE", "LAX1")).toBe(24);
    expect(shopifyAvailable("MUG-BLUE", "NYC1")).toBe(25);
  });

  it("an approved count can be cancelled until posting has sent something to Shopify, and then not", async () => {
    const unsent = await approvedCount({ "MUG-RED": 19 });
    await cancelCountTask(SHOP, unsent.id, { note: "Counted the wrong shelf" }, as(REVIEWER));
    expect(await postCountTask(SHOP, unsent.id, { gateway: sims.countGateway })).toMatchObject({ status: "cancelled" });
    expect(shopifyAvailable("MUG-RED")).toBe(20);

    const sent = await approvedCount({ "LAMP-OAK": 19 });
    await expect(postCountTask(SHOP, sent.id, { gateway: crashAfterShopify(sims.countGateway) })).rejects.toThrow(/process killed/);
    await expect(cancelCountTask(SHOP, sent.id, {}, as(REVIEWER))).rejects.toMatchObject({ code: "not_editable" });
    await postCountTask(SHOP, sent.id, { gateway: sims.countGateway });
    expect((await getCountTask(SHOP, sent.id)).task.status).toBe("posted");
    expect(shopifyAvailable("LAMP-OAK")).toBe(19);
  });

  it("cancelling a full count resumes its warehouse's sync", async () => {
    const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, kind: "full" }, as(REVIEWER));
    await assignCountTask(SHOP, task.id, COUNTER, as(REVIEWER));
    await startCountTask(SHOP, task.id, as(COUNTER));
    expect((await getCountTask(SHOP, task.id)).syncFrozen.frozen).toBe(true);
    await cancelCountTask(SHOP, task.id, { note: "Wrong day" }, as(REVIEWER));
    expect((await getCountTask(SHOP, task.id)).syncFrozen).toEqual({ frozen: false, reason: null });
    expect(await forShop(SHOP).job.count({ where: { type: SYNC_JOB, status: "queued" } })).toBe(1);
  });
});

describe("posting a large count", () => {
  const shop = "counts-posting-large.myshopify.com";
  const skus = Array.from({ length: 260 }, (_, i) => `BULK-${String(i + 1).padStart(3, "0")}`);
  let big: CountSimulators;

  beforeAll(async () => {
    big = await startCountSimulators({ shop, skus, warehouses: ["SZX1"], apiKey: "sk_test_counts_large", sellable: 10, seed: 12 });
  });
  afterAll(async () => big?.stop());

  it("goes to Shopify in batches of at most 250, recording each batch's progress as it lands", async () => {
    const { warehouses } = await seedSimulatedShop(shop, big, { apiKey: "sk_test_counts_large" });
    const szx = warehouses.get("SZX1")!;
    const task = await createCountTask(shop, { warehouseId: szx.warehouseId, kind: "full" }, as(REVIEWER));
    await assignCountTask(shop, task.id, COUNTER, as(REVIEWER));
    await startCountTask(shop, task.id, as(COUNTER));
    await importCountSheetCsv(shop, task.id, ["SKU,Quantity", ...skus.map((sku) => `${sku},9`)].join("\n"), as(COUNTER));
    await submitCountTask(shop, task.id, as(COUNTER));
    await startCountReview(shop, task.id, as(REVIEWER));
    await approveCountTask(shop, task.id, {}, as(REVIEWER));

    // The second call dies after Shopify applied it: the first batch is recorded, the second in flight.
    let calls = 0;
    const gateway: CountShopifyGateway = {
      readAvailable: big.countGateway.readAvailable,
      async adjustAvailable(input) {
        calls++;
        expect(input.changes.length).toBeLessThanOrEqual(250);
        const result = await big.countGateway.adjustAvailable(input);
        if (calls === 2) throw new Error("process killed");
        return result;
      },
    };
    await expect(postCountTask(shop, task.id, { gateway })).rejects.toThrow(/process killed/);
    const midway = await countPostingProgress(shop, task.id);
    expect(midway).toMatchObject({ status: "posting", total: 260, shopify: { posted: 250, pending: 10, inFlight: 10 }, batches: { total: 2, done: 1 } });
    expect(midway.percent).toBeGreaterThan(0);
    expect(midway.percent).toBeLessThan(100);

    await postCountTask(shop, task.id, { gateway: big.countGateway });
    expect(await countPostingProgress(shop, task.id)).toMatchObject({ status: "posted", percent: 100, shopify: { posted: 260 }, warehouse: { posted: 260 } });
    expect(skus.every((sku) => big.shopify.level(shop, big.itemOf.get(sku)!, big.locationOf.get("SZX1")!)!.available === 9)).toBe(true);
    expect([...big.shopify.shop(shop).adjustmentGroups.values()].filter((group) => group.referenceDocumentUri === cycleCountReference(task.id))).toHaveLength(2);
  });
});
