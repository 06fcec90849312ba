// Orders, end to end, in a flash sale: buyers check out at a steady rate for a few minutes (half in
// the US, half in Europe) in a shop whose two warehouses are Shopify fulfillment services. Shopify
// assigns every order to Los Angeles first; TallySync routes the European ones to Rotterdam
// (moving the fulfillment order), accepts each request and creates the warehouse order; the
// warehouses ship a few seconds later and TallySync writes each shipment back as a fulfillment.
//
// Figures: orders lost (placed, never reached a warehouse), orders created twice in a warehouse
// (more than one warehouse order for one fulfillment order, in either warehouse), the time from the
// Shopify order to the warehouse order, and from the warehouse shipment to the Shopify fulfillment.
// Web and worker run as separate processes, as production does. BENCH_DIAGNOSE=1 prints where the
// time went per job type.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabaseClient } from "../../app/db/client.server";
import { DEMO_SHOP, DEMO_WAREHOUSES, random } from "../sandbox/demo-data";
import { startStack } from "../sandbox/stack";
import { printJobTimes } from "./freshness";
import { benchCatalog, percentile, processTreeCpuSeconds, round, sleep } from "./stats";

export interface OrderFlowResult {
  orders: number;
  seconds: number;
  warehouses: number;
  ordersPlaced: number;
  ordersRefusedAtCheckout: number;
  /** Orders routed to Rotterdam after Shopify assigned them to Los Angeles. */
  ordersMoved: number;
  /** Placed but not at a warehouse when the sale ended, and how long after it the last one got there. */
  backlogAtSaleEnd: number;
  allAtWarehouseSecondsAfterSale: number | null;
  /** Orders that reached a warehouse per second, over the whole run (sale and backlog). */
  throughputPerSecond: number;
  ordersLost: number;
  ordersCreatedTwice: number;
  warehouseOrders: Record<string, number>;
  toWarehouseP50Ms: number;
  toWarehouseP95Ms: number;
  toWarehouseMaxMs: number;
  shipments: number;
  fulfillmentsMissing: number;
  fulfillmentsCreatedTwice: number;
  toShopifyP50Ms: number;
  toShopifyP95Ms: number;
  toShopifyMaxMs: number;
  /** How TallySync's allocations ended (shipped, sent, error ...). */
  allocationStatuses: Record<string, number>;
  /** How fast the app answered Shopify: fulfillment-service callbacks (through Remix) and webhooks (fast path). */
  callbackAnswerP50Ms: number;
  callbackAnswerP95Ms: number;
  webhookAnswerP95Ms: number;
  /**
   * CPU per order from the first checkout until everything was fulfilled (ms): the worker, the web
   * process, and this process (both simulators and the load). Less sensitive than the latencies to
   * other work on the machine.
   */
  workerCpuMsPerOrder: number;
  webCpuMsPerOrder: number;
  simulatorsCpuMsPerOrder: number;
}

const US = { firstName: "Flash", lastName: "Buyer", address1: "1 Main St", city: "Portland", provinceCode: "OR", zip: "97201", countryCode: "US" };
const EU = [
  { firstName: "Flash", lastName: "Koper", address1: "Keizersgracht 1", city: "Amsterdam", provinceCode: null, zip: "1015 CJ", countryCode: "NL" },
  { firstName: "Flash", lastName: "Käufer", address1: "Unter den Linden 1", city: "Berlin", provinceCode: null, zip: "10117", countryCode: "DE" },
];

export async function benchOrderFlow(orders = 5_000, seconds = 300, skuCount = 200, shipAfterMs = 4_000): Promise<OrderFlowResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-bench-orders-"));
  const catalog = benchCatalog(skuCount, "FLOW");
  const stack = await startStack({
    catalog,
    warehouses: DEMO_WAREHOUSES,
    stockFor: (products) => products.map((p) => ({ sku: p.variants[0]!.sku, sellable: 100_000, damaged: 0 })),
    databaseFile: path.join(dir, "bench.sqlite"),
    history: false,
    defaultSafetyStock: 0,
    plan: "plus",
    fulfillmentServices: true,
    // The warehouse acknowledges an order when it takes it and ships a few seconds later.
    wmsAuto: { acknowledgeAfterMs: 0, pickAfterMs: null, shipAfterMs },
    appOutput: "ignore",
    // BENCH_APP_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the web and worker processes.
    appEnv: process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {},
    separateWorker: process.env.BENCH_EMBEDDED_WORKER !== "1",
    // Two worker processes take jobs from the one queue, as a flash sale of this size wants on two
    // cores (docs/benchmarks.md); BENCH_WORKERS=1 measures one.
    workers: Number(process.env.BENCH_WORKERS || 2),
    build: process.env.BENCH_SKIP_BUILD !== "1",
  });
  try {
    const { shopify } = stack;
    const skus = catalog.map((p) => p.variants[0]!.sku);
    const itemOf = new Map(stack.items.map((i) => [i.sku, i.inventoryItemId]));
    const locations = stack.warehouses.map((w) => w.shopifyLocationId);
    const available = (sku: string, locationId: string) => shopify.level(DEMO_SHOP, itemOf.get(sku)!, locationId)?.available ?? 0;
    const syncDeadline = Date.now() + 180_000;
    while (skus.some((sku) => locations.some((l) => available(sku, l) <= 0))) {
      if (Date.now() > syncDeadline) throw new Error("The initial sync did not complete");
      await sleep(250);
    }

    // The flash sale: orders at a fixed rate, each one line of 1-2 units.
    const rand = random(61);
    const placedAt = new Map<string, number>();
    const rtmLocation = stack.warehouses[1]!.shopifyLocationId.split("/").pop();
    let refused = 0;
    const workersCpu = () => stack.workers.reduce((sum, worker) => sum + processTreeCpuSeconds(worker.pid), 0);
    const cpuBefore = { worker: workersCpu(), web: processTreeCpuSeconds(stack.app.pid), self: process.cpuUsage() };
    const started = Date.now();
    for (let i = 0; i < orders; i++) {
      const due = started + (i * seconds * 1000) / orders;
      const wait = due - Date.now();
      if (wait > 1) await sleep(wait);
      const sku = skus[Math.floor(rand() * skus.length)]!;
      const address = rand() < 0.5 ? US : EU[Math.floor(rand() * EU.length)]!;
      const placed = shopify.placeOrder(DEMO_SHOP, { lines: [{ sku, quantity: 1 + Math.floor(rand() * 2) }], email: "flash@example.com", shippingAddress: address });
      if (!placed.ok) {
        refused++;
        continue;
      }
      placedAt.set(`gid://shopify/FulfillmentOrder/${placed.fulfillmentOrders[0]!.id}`, Date.now());
    }

    // Everything placed reaches a warehouse, and everything shipped reaches Shopify: the backlog is
    // worked off after the sale, for as long as it makes progress. What never arrives is lost.
    const saleEnded = Date.now();
    const accounts = stack.wms.map((wms) => wms.accounts()[0]!);
    const shop = shopify.shop(DEMO_SHOP);
    const state = () => {
      const warehouseOrders = accounts.flatMap((a) => a.orders.list());
      const shipments = accounts.flatMap((a) => a.orders.shipments);
      const fulfilled = new Set([...shop.fulfillments.values()].flatMap((f) => f.fulfillmentOrderIds.map((id) => `gid://shopify/FulfillmentOrder/${id}`)));
      return { warehouseOrders, shipments, fulfilled };
    };
    const backlog = () => {
      const { warehouseOrders, shipments, fulfilled } = state();
      const reached = new Set(warehouseOrders.map((o) => o.external_reference));
      return {
        notSent: [...placedAt.keys()].filter((fo) => !reached.has(fo)).length,
        notShipped: warehouseOrders.filter((o) => o.status !== "shipped" && o.status !== "cancelled" && o.status !== "exception").length,
        notFulfilled: shipments.filter((s) => !fulfilled.has(s.external_reference)).length,
      };
    };
    const atSaleEnd = backlog();
    let allSentAt: number | null = atSaleEnd.notSent === 0 ? saleEnded : null;
    let progressAt = Date.now();
    let last = "";
    for (;;) {
      const now = backlog();
      if (now.notSent === 0) allSentAt ??= Date.now();
      if (now.notSent + now.notShipped + now.notFulfilled === 0) break;
      const key = JSON.stringify(now);
      if (key !== last) {
        last = key;
        progressAt = Date.now();
      }
      // No progress for a minute and a half (a warehouse order ships after a few seconds): the rest is lost.
      if (Date.now() - progressAt > 90_000 + shipAfterMs || Date.now() - saleEnded > 30 * 60_000) break;
      await sleep(1_000);
    }
    const drainedAt = Date.now();
    const cpuPerOrder = (seconds: number) => round((seconds * 1000) / Math.max(1, placedAt.size), 1);
    const selfCpu = process.cpuUsage(cpuBefore.self);
    const cpu = {
      workerCpuMsPerOrder: cpuPerOrder(workersCpu() - cpuBefore.worker),
      webCpuMsPerOrder: cpuPerOrder(processTreeCpuSeconds(stack.app.pid) - cpuBefore.web),
      simulatorsCpuMsPerOrder: cpuPerOrder((selfCpu.user + selfCpu.system) / 1e6),
    };

    const { warehouseOrders, shipments } = state();
    const byReference = new Map<string, typeof warehouseOrders>();
    for (const order of warehouseOrders) byReference.set(order.external_reference, [...(byReference.get(order.external_reference) ?? []), order]);
    const toWarehouse: number[] = [];
    let lost = 0;
    for (const [fo, at] of placedAt) {
      const created = byReference.get(fo);
      if (!created?.length) {
        lost++;
        continue;
      }
      toWarehouse.push(Math.min(...created.map((o) => Date.parse(o.created_at))) - at);
    }
    const createdTwice = [...byReference.values()].filter((list) => list.length > 1).length;

    const fulfillmentsByFo = new Map<string, number[]>();
    for (const f of shop.fulfillments.values()) {
      for (const id of f.fulfillmentOrderIds) {
        const key = `gid://shopify/FulfillmentOrder/${id}`;
        fulfillmentsByFo.set(key, [...(fulfillmentsByFo.get(key) ?? []), Date.parse(f.createdAt)]);
      }
    }
    const toShopify: number[] = [];
    const slowest: Array<{ ms: number; shipment: (typeof shipments)[number] }> = [];
    let missing = 0;
    for (const shipment of shipments) {
      const made = fulfillmentsByFo.get(shipment.external_reference);
      if (!made?.length) {
        missing++;
        continue;
      }
      const ms = Math.min(...made) - Date.parse(shipment.shipped_at);
      toShopify.push(ms);
      slowest.push({ ms, shipment });
    }
    if (process.env.BENCH_DIAGNOSE === "1") {
      // Where the slowest shipments waited: the warehouse's webhook attempts, our inbox row, the shipment row, the timeline.
      const deliveries = new Map(stack.wms.flatMap((wms) => wms.webhooks.deliveries()).map((d) => [d.eventId, d]));
      const diag = createDatabaseClient(stack.databaseUrl);
      for (const { ms, shipment } of slowest.sort((a, b) => b.ms - a.ms).slice(0, 3)) {
        const inbox = await diag.webhookInbox.findMany({ where: { payload: { contains: `"id":"${shipment.id}"` }, source: { startsWith: "warehouse" } }, select: { webhookId: true, topic: true, status: true, receivedAt: true, processedAt: true, source: true } });
        const row = await diag.shipment.findFirst({ where: { warehouseShipmentId: { endsWith: `:${shipment.id}` }, allocation: { fulfillmentOrderId: shipment.external_reference } }, select: { createdAt: true, updatedAt: true, status: true } });
        const events = await diag.allocationEvent.findMany({ where: { allocation: { fulfillmentOrderId: shipment.external_reference } }, orderBy: { at: "asc" }, select: { kind: true, at: true } });
        const t = (d: Date | string | null | undefined) => (d ? `+${((new Date(d).getTime() - Date.parse(shipment.shipped_at)) / 1000).toFixed(1)}s` : "-");
        console.log(`slow shipment ${shipment.id} (${shipment.external_reference}): ${(ms / 1000).toFixed(1)} s to Shopify`);
        for (const i of inbox) {
          const d = deliveries.get(i.webhookId);
          console.log(`  inbox ${i.topic} ${i.status} received ${t(i.receivedAt)} processed ${t(i.processedAt)}; warehouse attempts: ${d ? d.attempts.map((a) => JSON.stringify(a)).join(" ") : "none recorded"}`);
        }
        console.log(`  shipment row ${row?.status ?? "none"} created ${t(row?.createdAt)} updated ${t(row?.updatedAt)}; timeline ${events.map((e) => `${e.kind} ${t(e.at)}`).join(", ")}`);
      }
      await diag.$disconnect();
    }
    const fulfilledTwice = [...fulfillmentsByFo.values()].filter((list) => list.length > 1).length;
    const moved = [...shop.fulfillmentOrders.values()].filter((fo) => placedAt.has(`gid://shopify/FulfillmentOrder/${fo.id}`) && String(fo.assignedLocationId) === rtmLocation).length;

    const answered = (kind: "fulfillment_service" | "webhook") =>
      shopify.webhooks.log.filter((d) => d.kind === kind && Date.parse(d.triggeredAt) >= started).flatMap((d) => d.attempts.map((a) => a.latencyMs));
    const callbackAnswers = answered("fulfillment_service");
    const webhookAnswers = answered("webhook");
    const db = createDatabaseClient(stack.databaseUrl);
    const statuses = await db.allocation.groupBy({ by: ["status"], _count: { _all: true } });
    await db.$disconnect();
    if (process.env.BENCH_DIAGNOSE === "1") await printJobTimes(path.join(dir, "bench.sqlite"), started);

    return {
      orders,
      seconds,
      warehouses: stack.warehouses.length,
      ordersPlaced: placedAt.size,
      ordersRefusedAtCheckout: refused,
      ordersMoved: moved,
      backlogAtSaleEnd: atSaleEnd.notSent,
      allAtWarehouseSecondsAfterSale: allSentAt === null ? null : round((allSentAt - saleEnded) / 1000),
      throughputPerSecond: round(toWarehouse.length / (((allSentAt ?? drainedAt) - started) / 1000), 2),
      ordersLost: lost,
      ordersCreatedTwice: createdTwice,
      warehouseOrders: Object.fromEntries(stack.warehouses.map((w, i) => [w.warehouse.code, accounts[i]!.orders.list().length])),
      toWarehouseP50Ms: round(percentile(toWarehouse, 50)),
      toWarehouseP95Ms: round(percentile(toWarehouse, 95)),
      toWarehouseMaxMs: round(Math.max(...toWarehouse)),
      shipments: shipments.length,
      fulfillmentsMissing: missing,
      fulfillmentsCreatedTwice: fulfilledTwice,
      toShopifyP50Ms: round(percentile(toShopify, 50)),
      toShopifyP95Ms: round(percentile(toShopify, 95)),
      toShopifyMaxMs: round(Math.max(...toShopify)),
      allocationStatuses: Object.fromEntries(statuses.map((s) => [s.status, s._count._all])),
      callbackAnswerP50Ms: round(percentile(callbackAnswers, 50)),
      callbackAnswerP95Ms: round(percentile(callbackAnswers, 95)),
      webhookAnswerP95Ms: round(percentile(webhookAnswers, 95)),
      ...cpu,
    };
  } finally {
    await stack.stop();
  }
}
