import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WmsSimulator } from "./server";
import { WmsTestClient, acmeSeed, orderBody, startTestSimulator } from "./test-support";

let sim: WmsSimulator;
let api: WmsTestClient;

beforeEach(async () => {
  sim = await startTestSimulator();
  sim.createAccount(acmeSeed());
  api = new WmsTestClient(sim.url);
});
afterEach(() => sim.stop());

async function fullRead(client: WmsTestClient, query: string, limit: number): Promise<{ rows: any[]; changesCursor: string; pages: number }> {
  const rows: any[] = [];
  let cursor: string | null = null;
  let changesCursor = "";
  let pages = 0;
  do {
    const page: any = await client.get(`/v1/inventory?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(page.status).toBe(200);
    if (pages === 0) changesCursor = page.body.changes_cursor;
    rows.push(...page.body.data);
    cursor = page.body.next_cursor;
    pages++;
  } while (cursor);
  return { rows, changesCursor, pages };
}

describe("full inventory read", () => {
  it("pages over every SKU and warehouse pair exactly once", async () => {
    const account = sim.account("acme");
    for (let i = 0; i < 57; i++) account.receive(i % 2 ? "LAX1" : "RTM1", `SKU-${String(i).padStart(3, "0")}`, i + 1);
    const { rows, pages } = await fullRead(api, "", 10);
    const keys = rows.map((r) => `${r.warehouse}/${r.sku}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe((57 + 3) * 2);
    expect(pages).toBe(12);
    const one = rows.find((r) => r.warehouse === "LAX1" && r.sku === "SKU-001");
    expect(one).toMatchObject({ sellable: 2, reserved: 0, damaged: 0, on_hand: 2 });
  });

  it("filters by warehouse and by SKU list", async () => {
    const { rows } = await fullRead(api, "&warehouse=LAX1", 2);
    expect(rows.map((r) => r.sku)).toEqual(["LAMP-OAK", "MUG-BLUE", "MUG-RED"]);
    const only = await api.get("/v1/inventory?sku=MUG-RED,LAMP-OAK&warehouse=RTM1");
    expect(only.body.data.map((r: any) => `${r.warehouse}/${r.sku}/${r.sellable}`)).toEqual(["RTM1/LAMP-OAK/7", "RTM1/MUG-RED/0"]);
  });

  it("never repeats a row when SKUs are added while a client pages", async () => {
    const first = await api.get("/v1/inventory?limit=2&warehouse=LAX1");
    sim.account("acme").receive("LAX1", "AAA-FIRST", 1);
    sim.account("acme").receive("LAX1", "ZZZ-LAST", 1);
    const rest = await api.get(`/v1/inventory?limit=50&warehouse=LAX1&cursor=${first.body.next_cursor}`);
    const skus = [...first.body.data, ...rest.body.data].map((r: any) => r.sku);
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus).toContain("ZZZ-LAST");
  });

  it("reports on_hand as sellable + reserved + damaged", async () => {
    await api.createOrder(orderBody("fo-1", [{ sku: "MUG-RED", quantity: 2 }]));
    const { body } = await api.get("/v1/inventory?warehouse=LAX1&sku=MUG-RED");
    expect(body.data[0]).toMatchObject({ sellable: 3, reserved: 2, damaged: 1, on_hand: 6 });
  });

  it("refuses an unknown warehouse with unknown_warehouse", async () => {
    const res = await api.get("/v1/inventory?warehouse=NOPE");
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: "unknown_warehouse", field: "warehouse" });
  });
});

describe("inventory changes", () => {
  it("returns exactly the changes after the cursor, in sequence order, with new absolute quantities", async () => {
    const account = sim.account("acme");
    account.receive("LAX1", "MUG-BLUE", 1);
    const { changesCursor } = await fullRead(api, "", 100);
    account.receive("LAX1", "MUG-BLUE", 5);
    account.damage("LAX1", "MUG-BLUE", 3);
    await api.createOrder(orderBody("fo-2", [{ sku: "MUG-BLUE", quantity: 4 }]));

    const res = await api.get(`/v1/inventory/changes?since=${changesCursor}`);
    expect(res.body.has_more).toBe(false);
    expect(res.body.data.map((c: any) => [c.movement_type, c.delta, c.sellable, c.reserved, c.damaged, c.on_hand])).toEqual([
      ["receipt", { sellable: 5, reserved: 0, damaged: 0, on_hand: 5 }, 16, 0, 0, 16],
      ["damage", { sellable: -3, reserved: 0, damaged: 3, on_hand: 0 }, 13, 0, 3, 16],
      ["reservation", { sellable: -4, reserved: 4, damaged: 0, on_hand: 0 }, 9, 4, 3, 16],
    ]);
    const sequences = res.body.data.map((c: any) => c.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

    const after = await api.get(`/v1/inventory/changes?since=${res.body.next_cursor}`);
    expect(after.body).toMatchObject({ data: [], has_more: false });
    expect(after.body.next_cursor).toBe(res.body.next_cursor);
  });

  it("pages a backlog with has_more until it is drained", async () => {
    const { changesCursor } = await fullRead(api, "", 100);
    for (let i = 0; i < 7; i++) sim.account("acme").receive("RTM1", "LAMP-OAK", 1);
    const seen: number[] = [];
    let cursor = changesCursor;
    let more = true;
    while (more) {
      const page = await api.get(`/v1/inventory/changes?since=${cursor}&limit=3`);
      seen.push(...page.body.data.map((c: any) => c.sellable));
      cursor = page.body.next_cursor;
      more = page.body.has_more;
    }
    expect(seen).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it("answers 410 cursor_expired, telling the client to do a full read, once the log no longer covers the cursor", async () => {
    const { changesCursor } = await fullRead(api, "", 100);
    sim.account("acme").receive("LAX1", "MUG-BLUE", 1);
    sim.act("acme", { action: "expire_cursors" });
    const res = await api.get(`/v1/inventory/changes?since=${changesCursor}`);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe("cursor_expired");
    expect(res.body.error.message).toMatch(/full read/);
    expect((await api.get(`/v1/inventory/movements?since=${changesCursor}`)).status).toBe(410);

    const fresh = await fullRead(api, "", 100);
    expect((await api.get(`/v1/inventory/changes?since=${fresh.changesCursor}`)).status).toBe(200);
  });

  it("expires cursors that fall out of a short retention window", async () => {
    const small = await startTestSimulator({ retainMovements: 3, accounts: [acmeSeed()] });
    try {
      const client = new WmsTestClient(small.url);
      const { changesCursor } = await fullRead(client, "", 100);
      for (let i = 0; i < 4; i++) small.account("acme").receive("LAX1", "MUG-BLUE", 1);
      expect((await client.get(`/v1/inventory/changes?since=${changesCursor}`)).status).toBe(410);
    } finally {
      await small.stop();
    }
  });

  it("answers 410 to cursors it never issued or issued for another feed", async () => {
    const shipments = await api.get("/v1/shipments");
    for (const since of ["garbage", shipments.body.next_cursor, Buffer.from("changes|acme|999999").toString("base64url")]) {
      const res = await api.get(`/v1/inventory/changes?since=${since}`);
      expect(res.status, since).toBe(410);
    }
  });
});

describe("movement log", () => {
  it("names the cause of every unit that moved, bucket to bucket", async () => {
    const { changesCursor } = await fullRead(api, "", 100);
    const order = await api.createOrder(orderBody("fo-3", [{ sku: "MUG-BLUE", quantity: 2 }]));
    sim.account("acme").orders.ship(order.body.id);
    sim.account("acme").damage("LAX1", "MUG-BLUE", 1);
    sim.account("acme").receiveReturn({ warehouse: "LAX1", order: "fo-3", rma: "RMA-1", lines: [{ sku: "MUG-BLUE", sellable: 1, damaged: 1 }] });
    await api.post("/v1/inventory/adjustments", { reference: "count-1", reason: "cycle_count", lines: [{ sku: "MUG-BLUE", warehouse: "LAX1", delta: -1 }] });

    const res = await api.get(`/v1/inventory/movements?since=${changesCursor}`);
    expect(res.body.data.map((m: any) => [m.type, m.quantity, m.from, m.to])).toEqual([
      ["reservation", 2, "sellable", "reserved"],
      ["shipment", 2, "reserved", null],
      ["damage", 1, "sellable", "damaged"],
      ["return", 1, null, "sellable"],
      ["return", 1, null, "damaged"],
      ["adjustment", 1, "sellable", null],
    ]);
    expect(res.body.data[1]).toMatchObject({ order_id: order.body.id, reference: "fo-3" });
    expect(res.body.data[1].shipment_id).toMatch(/^sh_/);
    expect(res.body.data[5]).toMatchObject({ reason: "cycle_count", reference: "count-1" });
  });
});

describe("inventory adjustments", () => {
  const adjustment = { reference: "gid://tallysync/CycleCount/1", reason: "cycle_count", lines: [{ sku: "MUG-BLUE", warehouse: "LAX1", delta: -3 }, { sku: "MUG-RED", warehouse: "LAX1", delta: 2 }] };

  it("applies an adjustment once per reference, however often it is posted", async () => {
    const first = await api.post("/v1/inventory/adjustments", adjustment);
    const second = await api.post("/v1/inventory/adjustments", adjustment);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    expect(sim.account("acme").level("LAX1", "MUG-BLUE").sellable).toBe(7);
    expect(sim.account("acme").level("LAX1", "MUG-RED").sellable).toBe(7);
  });

  it("refuses the same reference with different lines", async () => {
    await api.post("/v1/inventory/adjustments", adjustment);
    const res = await api.post("/v1/inventory/adjustments", { ...adjustment, lines: [{ sku: "MUG-BLUE", warehouse: "LAX1", delta: -4 }] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("adjustment_reference_conflict");
  });

  it("changes nothing when one line would take stock below zero", async () => {
    const res = await api.post("/v1/inventory/adjustments", { reference: "too-much", reason: "lost", lines: [{ sku: "MUG-RED", warehouse: "LAX1", delta: 1 }, { sku: "MUG-BLUE", warehouse: "LAX1", delta: -11 }] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("insufficient_stock");
    expect(sim.account("acme").level("LAX1", "MUG-RED").sellable).toBe(5);
  });

  it("can correct the damaged bucket", async () => {
    const res = await api.post("/v1/inventory/adjustments", { reference: "dmg", reason: "damaged", lines: [{ sku: "MUG-RED", warehouse: "LAX1", delta: -1, bucket: "damaged" }] });
    expect(res.status).toBe(201);
    expect(sim.account("acme").level("LAX1", "MUG-RED")).toMatchObject({ sellable: 5, damaged: 0 });
  });
});
