import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "../../sim/wms/server";
import { CursorExpiredError, type WarehouseConnector, type WarehouseStockLevel } from "~/warehouses/connector";
import { acmeSeed, connectorFor, startSimulator } from "./support";

let sim: WmsSimulator;
let connector: WarehouseConnector;

beforeEach(async () => {
  sim = await startSimulator();
  connector = connectorFor(sim, { stockPageSize: 7 });
});
afterEach(() => sim.stop());

async function readAll(): Promise<{ levels: WarehouseStockLevel[]; pages: number; changesCursor: string | null }> {
  const levels: WarehouseStockLevel[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let changesCursor: string | null = null;
  do {
    const page = await connector.readStock(cursor);
    if (pages === 0) changesCursor = page.changesCursor;
    else expect(page.changesCursor, "only the first page gives the changes cursor").toBeNull();
    levels.push(...page.levels);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { levels, pages, changesCursor };
}

describe("generic warehouse: stock reads", () => {
  it("lists the account's warehouses with country and coordinates", async () => {
    sim.createAccount(acmeSeed());
    expect(await connector.listWarehouses()).toEqual([
      { code: "LAX1", name: "Los Angeles 1", countryCode: "US", latitude: 34.06, longitude: -117.65 },
      { code: "RTM1", name: "Rotterdam 1", countryCode: "NL", latitude: 51.89, longitude: 4.42 },
    ]);
  });

  it("a full read pages through every SKU in every warehouse exactly once, with its buckets", async () => {
    const skus = Array.from({ length: 20 }, (_, i) => `SKU-${String(i).padStart(2, "0")}`);
    const account = sim.createAccount(acmeSeed({ skus, stock: [{ warehouse: "LAX1", sku: "SKU-03", sellable: 9, damaged: 2 }] }));

    const { levels, pages } = await readAll();

    expect(pages).toBeGreaterThan(3);
    const keys = levels.map((level) => `${level.warehouseCode}/${level.sku}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(account.levels().map((level) => `${level.warehouse}/${level.sku}`).sort());
    expect(keys).toHaveLength(40);
    const sku03 = levels.find((level) => level.warehouseCode === "LAX1" && level.sku === "SKU-03");
    expect(sku03).toMatchObject({ sellable: 9, reserved: 0, damaged: 2 });
    expect(sku03?.sequence).toBeGreaterThan(0);
    expect(sku03?.updatedAt).toBeInstanceOf(Date);
  });

  it("stock that changes during a full read still shows each SKU once", async () => {
    const skus = Array.from({ length: 10 }, (_, i) => `SKU-${i}`);
    const account = sim.createAccount(acmeSeed({ skus, stock: [] }));
    const first = await connector.readStock();
    account.receive("LAX1", "SKU-0", 3);
    account.receive("RTM1", "SKU-9", 4);
    const rest: WarehouseStockLevel[] = [];
    for (let cursor = first.nextCursor; cursor; ) {
      const page = await connector.readStock(cursor);
      rest.push(...page.levels);
      cursor = page.nextCursor;
    }
    const keys = [...first.levels, ...rest].map((level) => `${level.warehouseCode}/${level.sku}`);
    expect(new Set(keys).size).toBe(20);
    expect(keys).toHaveLength(20);
  });

  it("changes since the full read's cursor are only the later ones, oldest first, with absolute quantities", async () => {
    const account = sim.createAccount(acmeSeed());
    const { changesCursor, levels } = await readAll();
    expect(changesCursor).not.toBeNull();
    const seenSequence = Math.max(...levels.map((level) => level.sequence));

    account.receive("LAX1", "MUG-BLUE", 5);
    account.damage("RTM1", "LAMP-OAK", 2);
    const changes = await connector.readStockChanges(changesCursor ?? "");

    expect(changes.hasMore).toBe(false);
    expect(changes.levels.map(({ sku, warehouseCode, sellable, damaged }) => ({ sku, warehouseCode, sellable, damaged }))).toEqual([
      { sku: "MUG-BLUE", warehouseCode: "LAX1", sellable: 15, damaged: 0 },
      { sku: "LAMP-OAK", warehouseCode: "RTM1", sellable: 5, damaged: 2 },
    ]);
    const [first, second] = changes.levels;
    expect(first?.sequence).toBeGreaterThan(seenSequence);
    expect(second?.sequence).toBeGreaterThan(first?.sequence ?? Infinity);
    expect(first?.updatedAt).toBeInstanceOf(Date);

    const after = await connector.readStockChanges(changes.nextCursor);
    expect(after.levels).toEqual([]);
  });

  it("an expired change cursor asks for a full read (CursorExpiredError)", async () => {
    const account = sim.createAccount(acmeSeed());
    const { changesCursor } = await readAll();
    account.receive("LAX1", "MUG-BLUE", 1);
    account.expireMovementLog();

    await expect(connector.readStockChanges(changesCursor ?? "")).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it("a cursor the warehouse does not recognise also asks for a full read", async () => {
    sim.createAccount(acmeSeed());
    await expect(connector.readStockChanges("not-a-cursor")).rejects.toBeInstanceOf(CursorExpiredError);
  });
});
