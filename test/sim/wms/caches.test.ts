// The warehouse account keeps its stock rows in inventory order between reads (account.ts
// sortedRows): reads answer as sorting every row again did, also after rows are added and
// quantities move.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compareKeys, inventoryKey, type WarehouseAccount } from "./account";
import type { InventoryLevel } from "./protocol";
import type { WmsSimulator } from "./server";
import { WmsTestClient, acmeSeed, orderBody, startTestSimulator } from "./test-support";

let sim: WmsSimulator;
let api: WmsTestClient;
let account: WarehouseAccount;

beforeEach(async () => {
  sim = await startTestSimulator();
  account = sim.createAccount(acmeSeed());
  api = new WmsTestClient(sim.url);
});
afterEach(() => sim.stop());

interface Row {
  sku: string;
  warehouse: string;
  sellable: number;
  reserved: number;
  damaged: number;
  sequence: number;
  updatedAt: string;
}

/** levels() as it was: every row, sorted on each call. */
function sortedAfresh(a: WarehouseAccount): InventoryLevel[] {
  const rows = [...(a as unknown as { stock: Map<string, Row> }).stock.values()];
  return rows
    .sort((x, y) => compareKeys(inventoryKey(x), inventoryKey(y)))
    .map((row) => ({ sku: row.sku, warehouse: row.warehouse, sellable: row.sellable, reserved: row.reserved, damaged: row.damaged, on_hand: row.sellable + row.reserved + row.damaged, sequence: row.sequence, updated_at: row.updatedAt }));
}

async function readAll(query: string, limit: number): Promise<InventoryLevel[]> {
  const rows: InventoryLevel[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { data: InventoryLevel[]; next_cursor: string | null } } = await api.get(`/v1/inventory?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(page.status).toBe(200);
    rows.push(...page.body.data);
    cursor = page.body.next_cursor;
  } while (cursor);
  return rows;
}

async function expectReadsMatch() {
  const all = sortedAfresh(account);
  expect(account.levels()).toEqual(all);
  const inLax = (l: { warehouse: string }) => l.warehouse === "LAX1";
  expect(account.levelsWhere(inLax)).toEqual(all.filter(inLax));
  expect(await readAll("", 4)).toEqual(all);
  expect(await readAll("&warehouse=RTM1", 3)).toEqual(all.filter((l) => l.warehouse === "RTM1"));
  const skus = ["MUG-RED", "ZED-1", "AAA-0", "LAMP-OAK"];
  expect(await readAll(`&sku=${skus.join(",")}`, 2)).toEqual(all.filter((l) => skus.includes(l.sku)));
}

describe("inventory reads with the kept row order", () => {
  it("answer as a fresh sort after rows are added and stock moves", async () => {
    await expectReadsMatch();

    // New SKUs, before and after the existing ones in key order: new rows in every warehouse.
    account.receive("RTM1", "ZED-1", 4);
    account.receive("LAX1", "AAA-0", 9);
    await expectReadsMatch();

    // A new warehouse: a row for every SKU there.
    account.addWarehouse({ code: "BER1", name: "Berlin 1", country_code: "DE" });
    account.receive("BER1", "MUG-BLUE", 2);
    await expectReadsMatch();

    // Looking at a level of a SKU the account has never heard of adds a row.
    account.level("LAX1", "NEVER-SEEN");
    await expectReadsMatch();

    // Quantities move in rows already in the kept order: reads show them at once.
    const created = await api.post("/v1/outbound-orders", orderBody("gid://shopify/FulfillmentOrder/901", [{ sku: "MUG-BLUE", quantity: 3 }]), { "Idempotency-Key": "k-901" });
    expect(created.status).toBe(201);
    if (account.orders.get(created.body.id).status === "received") account.orders.acknowledge(created.body.id);
    expect(account.orders.get(created.body.id).status).toBe("acknowledged");
    await expectReadsMatch();
    account.orders.ship(created.body.id);
    account.damage("LAX1", "MUG-RED", 1);
    await expectReadsMatch();
    const mugBlue = (await readAll("&sku=MUG-BLUE&warehouse=LAX1", 10))[0]!;
    expect(mugBlue).toMatchObject({ sellable: 7, reserved: 0 });
  });

  it("pages with a cursor taken before rows were added see each new row after it once", async () => {
    const first: { body: { data: InventoryLevel[]; next_cursor: string } } = await api.get("/v1/inventory?limit=2");
    // New SKUs get a row in every warehouse: LAX1/AAA-0 sorts before the cursor (not seen on the
    // next pages), RTM1/AAA-0 and both ZZZ-9 rows after it (seen once each).
    account.receive("LAX1", "AAA-0", 1);
    account.receive("RTM1", "ZZZ-9", 1);
    const rest: InventoryLevel[] = [];
    let cursor: string | null = first.body.next_cursor;
    while (cursor) {
      const page: { body: { data: InventoryLevel[]; next_cursor: string | null } } = await api.get(`/v1/inventory?limit=2&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...page.body.data);
      cursor = page.body.next_cursor;
    }
    const after = inventoryKey(first.body.data[1]!);
    expect(rest).toEqual(sortedAfresh(account).filter((l) => compareKeys(inventoryKey(l), after) > 0));
    expect(rest.filter((l) => l.sku === "ZZZ-9")).toHaveLength(2);
    expect(rest.filter((l) => l.sku === "AAA-0").map((l) => l.warehouse)).toEqual(["RTM1"]);
  });
});
