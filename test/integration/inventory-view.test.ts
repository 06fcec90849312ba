// The Inventory page's data: filters, search and paging done by the database, one shop at a time;
// the "why" explanation of one position; the CSV export of the current filter.
import type { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { forShop } from "~/db/tenant.server";
import { availableToSell } from "~/inventory/available";
import { translator } from "~/i18n";
import { inventoryCsvStream } from "~/models/inventory-export.server";
import { parseInventoryQuery, type InventoryQuery } from "~/models/inventory-view";
import { inventoryRowsForExport, loadInventoryPage } from "~/models/inventory-view.server";
import { explainPosition } from "~/models/stock-explanation.server";

const SHOP = "inventory-view.myshopify.com";
const OTHER = "other-inventory.myshopify.com";
const en = translator("en");
const ids: Record<string, string> = {};
let lax = "";
let nj = "";

function query(params: Record<string, string> = {}): InventoryQuery {
  return parseInventoryQuery(new URLSearchParams(params));
}

async function seedShop(shop: string) {
  const scoped = forShop(shop);
  await scoped.shopSettings.create({ data: { shop, defaultSafetyStock: 2 } });
  const connection = await scoped.warehouseConnection.create({ data: { shop, name: "Acme 3PL", provider: "generic", encryptedCredentials: "not-used" } });
  const la = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "LAX1", name: "Los Angeles", shopifyLocationId: `gid://shopify/Location/${shop}/1` } });
  const nj = await scoped.warehouse.create({ data: { shop, connectionId: connection.id, externalCode: "NJ1", name: "New Jersey", shopifyLocationId: `gid://shopify/Location/${shop}/2` } });
  await scoped.catalogItem.createMany({
    data: [
      { shop, inventoryItemId: "gid://shopify/InventoryItem/1", productTitle: "Ceramic Mug, large", variantTitle: "Blue", sku: "SKU-0001", barcode: "0001111" },
      { shop, inventoryItemId: "gid://shopify/InventoryItem/2", productTitle: "Oak Lamp", variantTitle: "Default Title", sku: "SKU-0002", barcode: "0002222" },
      { shop, inventoryItemId: "gid://shopify/InventoryItem/3", productTitle: "Linen Throw", variantTitle: "Sand", sku: "SKU-0003" },
      { shop, inventoryItemId: "gid://shopify/InventoryItem/5", productTitle: "Glass Vase", sku: "SKU-0005" },
      { shop, inventoryItemId: "gid://shopify/InventoryItem/6", productTitle: "Wool Rug", sku: "SKU-0006" },
    ],
  });
  const now = new Date();
  const base = { shop, lastConfirmedAt: now, syncState: "clean", needsShopifyRead: false };
  const rows = [
    // in sync: 25 - 4 held - 2 default safety = 19
    { key: "in_sync", warehouseId: la.id, warehouseSku: "SKU-0001", inventoryItemId: "gid://shopify/InventoryItem/1", warehouseSellable: 25, reservedUnacknowledged: 4, shopifyCommitted: 4, shopifyAvailable: 19, lastWrittenAvailable: 19 },
    // low: Shopify shows 3
    { key: "low", warehouseId: la.id, warehouseSku: "SKU-0002", inventoryItemId: "gid://shopify/InventoryItem/2", warehouseSellable: 5, shopifyAvailable: 3, lastWrittenAvailable: 3 },
    // drifted: we published 19, Shopify shows 17, nothing queued
    { key: "drifted", warehouseId: la.id, warehouseSku: "SKU-0003", inventoryItemId: "gid://shopify/InventoryItem/3", warehouseSellable: 21, shopifyAvailable: 17, lastWrittenAvailable: 19 },
    // unmapped warehouse SKU
    { key: "unmapped", warehouseId: la.id, warehouseSku: "SKU-0004", inventoryItemId: null, warehouseSellable: 9, warehouseBarcode: "0004444" },
    // syncing: differs too, but a write is queued, so it is not drift
    { key: "syncing", warehouseId: nj.id, warehouseSku: "SKU-0005", inventoryItemId: "gid://shopify/InventoryItem/5", warehouseSellable: 14, shopifyAvailable: 10, lastWrittenAvailable: 12, syncState: "dirty", dirtySince: now },
    // low through its own safety stock of 10 (8 is above the handful of units)
    { key: "own_safety_low", warehouseId: nj.id, warehouseSku: "SKU-0006", inventoryItemId: "gid://shopify/InventoryItem/6", warehouseSellable: 18, safetyStock: 10, shopifyAvailable: 8, lastWrittenAvailable: 8 },
  ];
  const created: Record<string, string> = {};
  for (const { key, ...data } of rows) {
    created[key] = (await scoped.inventoryPosition.create({ data: { ...base, ...data } })).id;
  }
  return { created, la: la.id, nj: nj.id };
}

beforeAll(async () => {
  const mine = await seedShop(SHOP);
  Object.assign(ids, mine.created);
  lax = mine.la;
  nj = mine.nj;
  const other = await seedShop(OTHER);
  ids.otherShop = other.created.in_sync!;
});

const skus = (page: { rows: { sku: string }[] }) => page.rows.map((r) => r.sku);

describe("the Inventory list", () => {
  it("lists every position of the shop, SKU by SKU, with what Shopify should show and a status", async () => {
    const page = await loadInventoryPage(SHOP, query());
    expect(skus(page)).toEqual(["SKU-0001", "SKU-0002", "SKU-0003", "SKU-0004", "SKU-0005", "SKU-0006"]);
    expect(page.total).toBe(6);
    const mug = page.rows[0]!;
    expect(mug).toMatchObject({
      productTitle: "Ceramic Mug, large",
      variantTitle: "Blue",
      warehouseName: "Los Angeles",
      warehouseSellable: 25,
      reservedForOrders: 4,
      safetyStock: 2,
      safetyStockIsShopDefault: true,
      shopifyAvailable: 19,
      shouldBe: 19,
      drift: 0,
      status: "in_sync",
    });
    expect(Object.fromEntries(page.rows.map((r) => [r.sku, r.status]))).toEqual({
      "SKU-0001": "in_sync",
      "SKU-0002": "low",
      "SKU-0003": "drifted",
      "SKU-0004": "unmapped",
      "SKU-0005": "syncing",
      "SKU-0006": "low",
    });
  });

  it("another shop's positions never appear, though it has the same SKUs", async () => {
    const page = await loadInventoryPage(SHOP, query());
    expect(page.rows.map((r) => r.id)).not.toContain(ids.otherShop);
    expect(page.warehouses.map((w) => w.id).sort()).toEqual([lax, nj].sort());
    expect(await explainPosition(SHOP, ids.otherShop!)).toBeNull();
  });

  it("Drifted lists clean positions whose Shopify number differs from what we published, not ones being written", async () => {
    const page = await loadInventoryPage(SHOP, query({ view: "drifted" }));
    expect(skus(page)).toEqual(["SKU-0003"]);
    expect(page.rows[0]).toMatchObject({ status: "drifted", shopifyAvailable: 17 });
  });

  it("Low lists SKUs at or below their safety stock (own or default) or a handful of units", async () => {
    expect(skus(await loadInventoryPage(SHOP, query({ view: "low" })))).toEqual(["SKU-0002", "SKU-0006"]);
  });

  it("Unmapped lists warehouse SKUs without a Shopify product", async () => {
    expect(skus(await loadInventoryPage(SHOP, query({ view: "unmapped" })))).toEqual(["SKU-0004"]);
  });

  it("a warehouse filter keeps that warehouse's positions, and combines with a view", async () => {
    expect(skus(await loadInventoryPage(SHOP, query({ warehouse: nj })))).toEqual(["SKU-0005", "SKU-0006"]);
    expect(skus(await loadInventoryPage(SHOP, query({ warehouse: nj, view: "low" })))).toEqual(["SKU-0006"]);
  });

  it("search finds SKUs by product title, variant, barcode or warehouse SKU, ignoring case", async () => {
    expect(skus(await loadInventoryPage(SHOP, query({ q: "mug" })))).toEqual(["SKU-0001"]);
    expect(skus(await loadInventoryPage(SHOP, query({ q: "SAND" })))).toEqual(["SKU-0003"]);
    expect(skus(await loadInventoryPage(SHOP, query({ q: "0002222" })))).toEqual(["SKU-0002"]);
    expect(skus(await loadInventoryPage(SHOP, query({ q: "0004444" })))).toEqual(["SKU-0004"]);
    expect(skus(await loadInventoryPage(SHOP, query({ q: "sku-0006" })))).toEqual(["SKU-0006"]);
    expect(skus(await loadInventoryPage(SHOP, query({ q: "no such thing" })))).toEqual([]);
  });

  it("search never reaches another shop's catalog", async () => {
    await forShop(OTHER).catalogItem.create({ data: { shop: OTHER, inventoryItemId: "gid://shopify/InventoryItem/99", productTitle: "Only elsewhere" } });
    await forShop(OTHER).inventoryPosition.create({ data: { shop: OTHER, warehouseId: "x", warehouseSku: "ELSEWHERE", inventoryItemId: "gid://shopify/InventoryItem/99" } });
    expect(skus(await loadInventoryPage(SHOP, query({ q: "elsewhere" })))).toEqual([]);
  });
});

describe("paging", () => {
  const PAGED = "paged-inventory.myshopify.com";

  beforeAll(async () => {
    await forShop(PAGED).inventoryPosition.createMany({
      data: Array.from({ length: 47 }, (_, i) => ({
        shop: PAGED,
        warehouseId: i % 2 ? "wh-b" : "wh-a",
        warehouseSku: `P-${String(Math.floor(i / 2)).padStart(3, "0")}`,
        inventoryItemId: `gid://shopify/InventoryItem/${1000 + i}`,
      })),
    });
  });

  async function walkForward(pageSize: number) {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = await loadInventoryPage(PAGED, { ...query(), after }, db, pageSize);
      seen.push(...page.rows.map((r) => `${r.sku}@${r.warehouseId}`));
      if (!page.nextCursor) return seen;
      after = page.nextCursor;
    }
    throw new Error("paging did not end");
  }

  it("walking every page visits each position exactly once, in order", async () => {
    const seen = await walkForward(10);
    expect(seen).toHaveLength(47);
    expect(new Set(seen).size).toBe(47);
    const all = await loadInventoryPage(PAGED, query(), db, 100);
    expect(seen).toEqual(all.rows.map((r) => `${r.sku}@${r.warehouseId}`));
  });

  it("Previous returns exactly the page before", async () => {
    const first = await loadInventoryPage(PAGED, query(), db, 10);
    const second = await loadInventoryPage(PAGED, { ...query(), after: first.nextCursor }, db, 10);
    const back = await loadInventoryPage(PAGED, { ...query(), before: second.previousCursor }, db, 10);
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.previousCursor).toBeNull();
    expect(back.nextCursor).not.toBeNull();
    expect(first.previousCursor).toBeNull();
  });

  it("a position added before the current page does not shift the next page (no repeats, no gaps)", async () => {
    const first = await loadInventoryPage(PAGED, query(), db, 10);
    const expected = await loadInventoryPage(PAGED, { ...query(), after: first.nextCursor }, db, 10);
    await forShop(PAGED).inventoryPosition.create({ data: { shop: PAGED, warehouseId: "wh-a", warehouseSku: "A-FIRST" } });
    try {
      const second = await loadInventoryPage(PAGED, { ...query(), after: first.nextCursor }, db, 10);
      expect(second.rows.map((r) => r.id)).toEqual(expected.rows.map((r) => r.id));
    } finally {
      await forShop(PAGED).inventoryPosition.deleteMany({ where: { warehouseSku: "A-FIRST" } });
    }
  });

  it("a cursor that is not ours starts again at the first page", async () => {
    const page = await loadInventoryPage(PAGED, { ...query(), after: "not-a-cursor" }, db, 10);
    expect(page.rows[0]!.sku).toBe("P-000");
  });

  it("the export walks every matching row, not just one page", async () => {
    let count = 0;
    for await (const batch of inventoryRowsForExport(PAGED, query())) count += batch.length;
    expect(count).toBe(47);
  });
});

describe("why a number is what it is", () => {
  beforeAll(async () => {
    const scoped = forShop(SHOP);
    await scoped.order.create({ data: { shop: SHOP, shopifyOrderId: "gid://shopify/Order/5001", name: "#1042" } });
    await scoped.reservation.createMany({
      data: [
        { shop: SHOP, warehouseId: lax, inventoryItemId: "gid://shopify/InventoryItem/1", orderId: "gid://shopify/Order/5001", lineItemId: "L1", quantity: 3 },
        { shop: SHOP, warehouseId: lax, inventoryItemId: "gid://shopify/InventoryItem/1", orderId: "gid://shopify/Order/5002", lineItemId: "L2", quantity: 1 },
        { shop: SHOP, warehouseId: lax, inventoryItemId: "gid://shopify/InventoryItem/1", orderId: "gid://shopify/Order/5003", lineItemId: "L3", quantity: 6, status: "released" },
      ],
    });
    type Change = Pick<Prisma.InventoryLedgerEntryCreateManyInput, "quantityName" | "before" | "after" | "delta" | "source" | "reason"> &
      Partial<Prisma.InventoryLedgerEntryCreateManyInput>;
    const entry = (minutesAgo: number, data: Change): Prisma.InventoryLedgerEntryCreateManyInput => ({
      shop: SHOP,
      warehouseId: lax,
      inventoryItemId: "gid://shopify/InventoryItem/1",
      occurredAt: new Date(Date.now() - minutesAgo * 60_000),
      ...data,
    });
    await scoped.inventoryLedgerEntry.createMany({
      data: [
        entry(50, { quantityName: "warehouse_sellable", before: 0, after: 20, delta: 20, source: "warehouse_poll", reason: "warehouse_level" }),
        entry(40, { quantityName: "reserved", before: 0, after: 3, delta: 3, source: "shopify_order", reason: "order_reserved", reference: "gid://shopify/Order/5001" }),
        entry(30, { quantityName: "reserved", before: 3, after: 4, delta: 1, source: "shopify_order", reason: "order_reserved", reference: "gid://shopify/Order/5002" }),
        entry(20, { quantityName: "warehouse_sellable", before: 20, after: 25, delta: 5, source: "warehouse_webhook", reason: "warehouse_level" }),
        entry(10, { quantityName: "shopify_available", before: 16, after: 19, delta: 3, source: "stock_sync", reason: "written_to_shopify" }),
      ],
    });
    // another warehouse's history of the same item is not this position's
    await scoped.inventoryLedgerEntry.create({ data: entry(5, { warehouseId: nj, quantityName: "warehouse_sellable", before: 1, after: 2, delta: 1, source: "warehouse_poll", reason: "warehouse_level" }) });
  });

  it("the steps add up to availableToSell, and name the orders held", async () => {
    const explanation = (await explainPosition(SHOP, ids.in_sync!))!;
    const { why } = explanation;
    expect(why.sellableCounted - why.unacknowledged - why.safetyStock).toBe(why.shouldBe);
    expect(why.shouldBe).toBe(availableToSell({ warehouseSellable: 25, unacknowledgedReserved: 4, safetyStock: 2, shopifyCommitted: 4 }).available);
    expect(why).toMatchObject({ warehouseSellable: 25, unacknowledged: 4, safetyStock: 2, safetyStockIsShopDefault: true, shouldBe: 19 });
    expect(explanation.heldOrders.map((h) => [h.order, h.units])).toEqual([
      ["#1042", 3],
      ["5002", 1],
    ]);
    expect(explanation.sellableReported.source).toBe("warehouse_webhook");
    expect(explanation.shopify).toMatchObject({ available: 19, lastWritten: 19, drift: 0, syncing: false });
  });

  it("the history is this position's ledger, newest first, in pages that meet exactly", async () => {
    const first = (await explainPosition(SHOP, ids.in_sync!, { older: null, newer: null }, db, 2))!;
    expect(first.ledger.lines.map((l) => l.quantityName)).toEqual(["shopify_available", "warehouse_sellable"]);
    expect(first.ledger.newerCursor).toBeNull();
    const second = (await explainPosition(SHOP, ids.in_sync!, { older: first.ledger.olderCursor, newer: null }, db, 2))!;
    expect(second.ledger.lines.map((l) => l.reference)).toEqual(["gid://shopify/Order/5002", "gid://shopify/Order/5001"]);
    expect(second.ledger.orderNames["gid://shopify/Order/5001"]).toBe("#1042");
    const third = (await explainPosition(SHOP, ids.in_sync!, { older: second.ledger.olderCursor, newer: null }, db, 2))!;
    expect(third.ledger.lines.map((l) => l.after)).toEqual([20]);
    expect(third.ledger.olderCursor).toBeNull();
    const backAgain = (await explainPosition(SHOP, ids.in_sync!, { older: null, newer: third.ledger.newerCursor }, db, 2))!;
    expect(backAgain.ledger.lines.map((l) => l.id)).toEqual(second.ledger.lines.map((l) => l.id));
  });
});

describe("CSV export", () => {
  async function csv(params: Record<string, string>) {
    return new Response(inventoryCsvStream(SHOP, query(params), en)).text();
  }

  it("has a header row and one line per matching position, fields quoted where needed", async () => {
    const text = await csv({});
    const lines = text.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "SKU,Product,Variant,Barcode,Warehouse,Warehouse sellable,Held for orders,Safety stock,Safety stock is the shop default,Shopify available,Should be,Drift,Last confirmed (UTC),Status",
    );
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^SKU-0001,"Ceramic Mug, large",Blue,0001111,Los Angeles,25,4,2,true,19,19,0,\d{4}-\d\d-\d\dT[^,]+,In sync$/);
    expect(lines.find((l) => l.startsWith("SKU-0004"))).toMatch(/^SKU-0004,,,0004444,Los Angeles,9,0,2,true,,,,[^,]+,Unmapped$/);
  });

  it("exports only what the current filter shows", async () => {
    const lines = (await csv({ view: "drifted" })).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^SKU-0003,Linen Throw,Sand,.*,17,19,-2,.*,Drifted$/);
  });

  it("column names and statuses follow the merchant's language", async () => {
    const text = await new Response(inventoryCsvStream(SHOP, query({ view: "unmapped" }), translator("zh-CN"))).text();
    expect(text).toContain("仓库可售");
    expect(text).toContain("未映射");
  });
});
