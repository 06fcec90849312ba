import { describe, expect, it } from "vitest";
import {
  describeRouting,
  greatCircleKm,
  routeFulfillmentRequest,
  RoutingInputError,
  type Destination,
  type FulfillmentRequest,
  type FulfillmentRequestLine,
  type RoutingDecision,
  type RoutingInput,
  type WarehouseCandidate,
} from "~/orders/routing";
import type { RoutingOptions, RoutingRule } from "~/orders/routing-rules";

// Places used throughout (airport-ish coordinates).
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const NEWARK = { latitude: 40.6895, longitude: -74.1745 };
const LOS_ANGELES = { latitude: 33.9416, longitude: -118.4085 };
const TORONTO = { latitude: 43.6532, longitude: -79.3832 };
const DALLAS = { latitude: 32.7767, longitude: -96.797 };

function warehouse(id: string, overrides: Partial<WarehouseCandidate> = {}): WarehouseCandidate {
  return { id, name: id.toUpperCase(), locationId: `loc-${id}`, priority: 10, active: true, regions: ["*"], available: {}, ...overrides };
}

function line(lineItemId: string, inventoryItemId: string, quantity: number, sku: string | null = inventoryItemId.toUpperCase()): FulfillmentRequestLine {
  return { lineItemId, inventoryItemId, sku, quantity };
}

function request(lines: FulfillmentRequestLine[], destination: Partial<Destination> = {}, assignedLocationId = "loc-lax"): FulfillmentRequest {
  return { fulfillmentOrderId: "fo-1", assignedLocationId, destination: { countryCode: "US", provinceCode: "NY", ...destination }, lines };
}

function route(
  warehouses: WarehouseCandidate[],
  lines: FulfillmentRequestLine[] = [line("li-1", "mug", 2)],
  { rules = [], options, destination, assigned }: { rules?: RoutingRule[]; options?: RoutingOptions; destination?: Partial<Destination>; assigned?: string } = {},
): RoutingDecision {
  return routeFulfillmentRequest({ request: request(lines, destination, assigned), warehouses, rules, ...(options ? { options } : {}) });
}

function chosen(decision: RoutingDecision): string[] {
  return decision.kind === "route" ? decision.assignments.map((a) => a.warehouseId) : [];
}

const SPLIT: RoutingOptions = { allowSplit: true };

describe("which warehouses may ship to the destination", () => {
  it("a market restriction excludes a warehouse even when it has stock and the best priority", () => {
    const decision = route([warehouse("lax", { priority: 1, available: { mug: 50 } }), warehouse("ewr", { priority: 2, available: { mug: 50 } })], undefined, {
      rules: [{ kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["US"] }],
    });
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toContainEqual({ code: "excluded_market", warehouseId: "lax", market: "US", ruleIndex: 0 });
  });

  it("a ship_to_markets rule keeps a warehouse to its markets", () => {
    const decision = route([warehouse("yyz", { priority: 1, available: { mug: 5 } }), warehouse("ewr", { priority: 2, available: { mug: 5 } })], undefined, {
      rules: [{ kind: "ship_to_markets", warehouseId: "yyz", markets: ["CA"] }],
    });
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toContainEqual({ code: "market_not_allowed", warehouseId: "yyz", market: "US-NY", ruleIndex: 0 });
  });

  it("several ship_to_markets rules for one warehouse add up", () => {
    const decision = route([warehouse("yyz", { priority: 1, available: { mug: 5 } }), warehouse("ewr", { priority: 2, available: { mug: 5 } })], undefined, {
      rules: [
        { kind: "ship_to_markets", warehouseId: "yyz", markets: ["CA"] },
        { kind: "ship_to_markets", warehouseId: "yyz", markets: ["US-NY"] },
      ],
    });
    expect(chosen(decision)).toEqual(["yyz"]);
  });

  it("an exclusion wins over a rule that allows the market, whichever comes first", () => {
    const allow: RoutingRule = { kind: "ship_to_markets", warehouseId: "lax", markets: ["US"] };
    const exclude: RoutingRule = { kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["US-NY"] };
    const prefer: RoutingRule = { kind: "prefer_warehouse", warehouseId: "lax", markets: ["*"] };
    const warehouses = [warehouse("lax", { priority: 1, available: { mug: 5 } }), warehouse("ewr", { priority: 2, available: { mug: 5 } })];
    for (const rules of [[allow, prefer, exclude], [exclude, allow, prefer]]) {
      expect(chosen(route(warehouses, undefined, { rules }))).toEqual(["ewr"]);
    }
  });

  it("a province rule applies to that province only, and a province code is never read as a country", () => {
    const warehouses = [warehouse("lax", { priority: 1, available: { mug: 5 } }), warehouse("ewr", { priority: 2, available: { mug: 5 } })];
    const rules: RoutingRule[] = [{ kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["US-CA"] }];
    expect(chosen(route(warehouses, undefined, { rules, destination: { provinceCode: "CA" } }))).toEqual(["ewr"]);
    expect(chosen(route(warehouses, undefined, { rules, destination: { provinceCode: "NY" } }))).toEqual(["lax"]);
    expect(chosen(route(warehouses, undefined, { rules, destination: { provinceCode: null } }))).toEqual(["lax"]);
    // "CA" in a rule is Canada; an order to California is not excluded by it.
    const canada: RoutingRule[] = [{ kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["CA"] }];
    expect(chosen(route(warehouses, undefined, { rules: canada, destination: { provinceCode: "CA" } }))).toEqual(["lax"]);
  });

  it("a warehouse ships only to its regions: a country, a province, '*' for everywhere, nowhere when empty", () => {
    const only = (regions: string[], destination: Partial<Destination>) => route([warehouse("lax", { regions, available: { mug: 5 } })], undefined, { destination }).kind;
    expect(only(["US"], { countryCode: "US", provinceCode: "TX" })).toBe("route");
    expect(only(["US-CA"], { countryCode: "US", provinceCode: "CA" })).toBe("route");
    expect(only(["US-CA"], { countryCode: "US", provinceCode: "TX" })).toBe("reject");
    expect(only(["US-CA"], { countryCode: "US", provinceCode: null })).toBe("reject");
    expect(only(["*"], { countryCode: "GB", provinceCode: null })).toBe("route");
    expect(only(["us"], { countryCode: "us", provinceCode: "tx" })).toBe("route");
    expect(only([], { countryCode: "US" })).toBe("reject");
  });

  it("inactive warehouses are never chosen, whatever their priority and stock", () => {
    const decision = route([warehouse("lax", { priority: 1, active: false, available: { mug: 99 } }), warehouse("ewr", { priority: 9, available: { mug: 2 } })]);
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toContainEqual({ code: "warehouse_inactive", warehouseId: "lax" });
  });

  it("no active warehouse serves the market: reject, with a reason a merchant can read", () => {
    const decision = route(
      [
        warehouse("lax", { regions: ["US"], available: { mug: 5 } }),
        warehouse("yyz", { regions: ["CA"], active: false, available: { mug: 5 } }),
        warehouse("lhr", { regions: ["GB", "CA"], available: { mug: 5 } }),
      ],
      undefined,
      { destination: { countryCode: "CA", provinceCode: "ON" }, rules: [{ kind: "exclude_warehouse_for_market", warehouseId: "lhr", markets: ["CA-ON"] }] },
    );
    expect(decision).toEqual({
      kind: "reject",
      reasons: [
        { code: "region_not_served", warehouseId: "lax", market: "CA-ON" },
        { code: "excluded_market", warehouseId: "lhr", market: "CA-ON", ruleIndex: 0 },
        { code: "warehouse_inactive", warehouseId: "yyz" },
        { code: "no_warehouse_serves_market", market: "CA-ON" },
      ],
    });
    expect(describeRouting(decision, { lax: "Los Angeles", yyz: "Toronto", lhr: "London" })).toBe(
      "Reject: no active warehouse may ship to CA-ON; Los Angeles does not ship to CA-ON; London is excluded for CA-ON (rule 1); Toronto is inactive.",
    );
  });

  it("no candidates at all: reject", () => {
    expect(route([])).toEqual({ kind: "reject", reasons: [{ code: "no_warehouse_serves_market", market: "US-NY" }] });
  });

  it("a rule naming a warehouse that is not a candidate changes nothing", () => {
    const warehouses = [warehouse("lax", { priority: 1, available: { mug: 5 } })];
    const rules: RoutingRule[] = [
      { kind: "ship_to_markets", warehouseId: "gone", markets: ["GB"] },
      { kind: "exclude_warehouse_for_market", warehouseId: "gone", markets: ["*"] },
    ];
    expect(route(warehouses, undefined, { rules })).toEqual(route(warehouses));
  });
});

describe("stock available after safety stock", () => {
  it("a warehouse without enough stock after safety stock is not chosen", () => {
    const decision = route([warehouse("lax", { priority: 1, available: { mug: 2 } }), warehouse("ewr", { priority: 2, available: { mug: 3 } })], [line("li-1", "mug", 3)]);
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toContainEqual({ code: "insufficient_stock", warehouseId: "lax", inventoryItemId: "mug", sku: "MUG", needed: 3, available: 2 });
  });

  it("exactly enough is enough", () => {
    expect(chosen(route([warehouse("lax", { available: { mug: 3 } })], [line("li-1", "mug", 3)]))).toEqual(["lax"]);
  });

  it("units of one item on several lines are added up before stock is checked", () => {
    const lines = [line("li-1", "mug", 2), line("li-2", "mug", 2)];
    const decision = route([warehouse("lax", { priority: 1, available: { mug: 3 } }), warehouse("ewr", { priority: 2, available: { mug: 4 } })], lines);
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ code: "insufficient_stock", warehouseId: "lax", needed: 4, available: 3 }));
  });

  it("an item the warehouse does not list, or lists below zero, counts as none", () => {
    const lines = [line("li-1", "mug", 1), line("li-2", "plate", 1)];
    expect(route([warehouse("lax", { available: { mug: 5 } })], lines).kind).toBe("wait");
    expect(route([warehouse("lax", { available: { mug: 5, plate: -3 } })], lines).kind).toBe("wait");
  });

  it("stock short everywhere: wait, naming the shortfall across warehouses", () => {
    const decision = route(
      [warehouse("lax", { priority: 1, available: { mug: 2 } }), warehouse("ewr", { priority: 2, available: { mug: 1 } })],
      [line("li-1", "mug", 5)],
      { options: SPLIT },
    );
    expect(decision).toEqual({
      kind: "wait",
      reasons: [
        { code: "insufficient_stock", warehouseId: "lax", inventoryItemId: "mug", sku: "MUG", needed: 5, available: 2 },
        { code: "insufficient_stock", warehouseId: "ewr", inventoryItemId: "mug", sku: "MUG", needed: 5, available: 1 },
        { code: "stock_short", inventoryItemId: "mug", sku: "MUG", needed: 5, available: 3 },
      ],
    });
    expect(describeRouting(decision, { lax: "Los Angeles", ewr: "Newark" })).toBe(
      "Wait for stock: SKU MUG needs 5, 3 available across warehouses; Los Angeles has 2 of 5 SKU MUG; Newark has 1 of 5 SKU MUG.",
    );
  });

  it("stock at a warehouse that may not ship there does not count towards the shortfall", () => {
    const decision = route([warehouse("lax", { available: { mug: 2 } }), warehouse("lhr", { regions: ["GB"], available: { mug: 50 } })], [line("li-1", "mug", 5)], {
      options: SPLIT,
    });
    expect(decision.kind).toBe("wait");
    expect(decision.reasons).toContainEqual({ code: "stock_short", inventoryItemId: "mug", sku: "MUG", needed: 5, available: 2 });
  });

  it("a line without a SKU is named by its inventory item", () => {
    const decision = route([warehouse("lax", { available: {} })], [line("li-1", "gid://shopify/InventoryItem/7", 1, null)]);
    expect(describeRouting(decision)).toContain("item gid://shopify/InventoryItem/7 needs 1, 0 available");
  });
});

describe("choosing among warehouses that can each ship the whole order", () => {
  it("priority decides between two warehouses that both can ship the whole order", () => {
    const decision = route([warehouse("ewr", { priority: 2, available: { mug: 9 } }), warehouse("lax", { priority: 1, available: { mug: 9 } })]);
    expect(chosen(decision)).toEqual(["lax"]);
    expect(decision.reasons).toEqual([{ code: "chosen_priority", warehouseId: "lax", overWarehouseId: "ewr", priority: 1, overPriority: 2 }]);
  });

  it("the only warehouse able to ship everything says so", () => {
    expect(route([warehouse("lax", { available: { mug: 9 } })]).reasons).toEqual([{ code: "chosen_only_option", warehouseId: "lax" }]);
  });

  it("a prefer_warehouse rule for the market goes before priority", () => {
    const decision = route([warehouse("lax", { priority: 1, available: { mug: 9 } }), warehouse("ewr", { priority: 2, available: { mug: 9 } })], undefined, {
      rules: [{ kind: "prefer_warehouse", warehouseId: "ewr", markets: ["US-NY", "US-NJ"] }],
    });
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toEqual([{ code: "chosen_preferred", warehouseId: "ewr", overWarehouseId: "lax", ruleIndex: 0, market: "US-NY" }]);
  });

  it("the earlier preference is the stronger; a preference for another market does nothing", () => {
    const warehouses = [warehouse("lax", { priority: 1, available: { mug: 9 } }), warehouse("ewr", { priority: 2, available: { mug: 9 } }), warehouse("dfw", { priority: 3, available: { mug: 9 } })];
    const rules: RoutingRule[] = [
      { kind: "prefer_warehouse", warehouseId: "ewr", markets: ["GB"] },
      { kind: "prefer_warehouse", warehouseId: "dfw", markets: ["US"] },
      { kind: "prefer_warehouse", warehouseId: "ewr", markets: ["*"] },
    ];
    expect(chosen(route(warehouses, undefined, { rules }))).toEqual(["dfw"]);
    expect(chosen(route(warehouses, undefined, { rules, destination: { countryCode: "GB", provinceCode: null } }))).toEqual(["ewr"]);
  });

  it("a preferred warehouse without the stock is passed over", () => {
    const decision = route([warehouse("lax", { priority: 1, available: { mug: 9 } }), warehouse("ewr", { priority: 2, available: { mug: 1 } })], undefined, {
      rules: [{ kind: "prefer_warehouse", warehouseId: "ewr", markets: ["US"] }],
    });
    expect(chosen(decision)).toEqual(["lax"]);
  });

  it("proximity breaks ties between equal priority: the shorter great-circle distance wins", () => {
    const decision = route(
      [
        warehouse("lax", { priority: 1, available: { mug: 9 }, origin: { countryCode: "US", ...LOS_ANGELES } }),
        warehouse("ewr", { priority: 1, available: { mug: 9 }, origin: { countryCode: "US", ...NEWARK } }),
      ],
      undefined,
      { destination: NEW_YORK },
    );
    expect(chosen(decision)).toEqual(["ewr"]);
    expect(decision.reasons).toEqual([{ code: "tie_break_proximity", warehouseId: "ewr", overWarehouseId: "lax", basis: "distance", km: 14, overKm: 3955 }]);
  });

  it("proximity never overrides priority", () => {
    const decision = route(
      [
        warehouse("lax", { priority: 1, available: { mug: 9 }, origin: { countryCode: "US", ...LOS_ANGELES } }),
        warehouse("ewr", { priority: 2, available: { mug: 9 }, origin: { countryCode: "US", ...NEWARK } }),
      ],
      undefined,
      { destination: NEW_YORK },
    );
    expect(chosen(decision)).toEqual(["lax"]);
  });

  it("without coordinates, a warehouse in the destination's country comes before one abroad", () => {
    const decision = route([
      warehouse("a-yyz", { available: { mug: 9 }, origin: { countryCode: "CA" } }),
      warehouse("b-lax", { available: { mug: 9 }, origin: { countryCode: "US" } }),
    ]);
    expect(chosen(decision)).toEqual(["b-lax"]);
    expect(decision.reasons).toEqual([{ code: "tie_break_proximity", warehouseId: "b-lax", overWarehouseId: "a-yyz", basis: "country", km: null, overKm: null }]);
  });

  it("a warehouse in the destination's country comes before a nearer one abroad (customs)", () => {
    const decision = route(
      [warehouse("yyz", { available: { mug: 9 }, origin: { countryCode: "CA", ...TORONTO } }), warehouse("lax", { available: { mug: 9 }, origin: { countryCode: "US", ...LOS_ANGELES } })],
      undefined,
      { destination: NEW_YORK, assigned: "loc-yyz" },
    );
    expect(chosen(decision)).toEqual(["lax"]);
    expect(decision.reasons[0]).toMatchObject({ code: "tie_break_proximity", basis: "country" });
  });

  it("a warehouse whose distance is unknown comes after those whose distance is known", () => {
    const decision = route(
      [warehouse("a-nowhere", { available: { mug: 9 }, origin: { countryCode: "US" } }), warehouse("b-dfw", { available: { mug: 9 }, origin: { countryCode: "US", ...DALLAS } })],
      undefined,
      { destination: NEW_YORK },
    );
    expect(chosen(decision)).toEqual(["b-dfw"]);
    expect(decision.reasons[0]).toMatchObject({ code: "tie_break_proximity", basis: "distance", overKm: null });
  });

  it("when all else is equal, staying at the location Shopify assigned beats a move", () => {
    const warehouses = [warehouse("a", { available: { mug: 9 } }), warehouse("b", { available: { mug: 9 } })];
    const decision = route(warehouses, undefined, { assigned: "loc-b" });
    expect(decision).toEqual({ kind: "route", assignments: [{ warehouseId: "b", locationId: "loc-b", lines: [{ lineItemId: "li-1", quantity: 2 }] }], reasons: [{ code: "tie_break_assigned_location", warehouseId: "b", overWarehouseId: "a" }] });
  });

  it("and when nothing tells them apart, the warehouse id does", () => {
    const decision = route([warehouse("b", { available: { mug: 9 } }), warehouse("a", { available: { mug: 9 } })], undefined, { assigned: "loc-elsewhere" });
    expect(chosen(decision)).toEqual(["a"]);
    expect(decision.reasons).toEqual([{ code: "tie_break_id", warehouseId: "a", overWarehouseId: "b" }]);
  });

  it("great-circle distance is the haversine distance on a 6371 km sphere", () => {
    expect(greatCircleKm(NEW_YORK, NEW_YORK)).toBe(0);
    expect(greatCircleKm(LOS_ANGELES, NEW_YORK)).toBeCloseTo(3955, -1);
    expect(greatCircleKm(NEW_YORK, LOS_ANGELES)).toBeCloseTo(greatCircleKm(LOS_ANGELES, NEW_YORK), 9);
    expect(greatCircleKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(Math.PI * 6371.0088, 6);
  });
});

describe("one shipment or a split", () => {
  const lines = [line("li-1", "mug", 2), line("li-2", "plate", 2)];
  const lax = warehouse("lax", { priority: 1, available: { mug: 5 } });
  const ewr = warehouse("ewr", { priority: 2, available: { plate: 5 } });
  const dfw = warehouse("dfw", { priority: 3, available: { mug: 5, plate: 5 } });

  it("one shipment is preferred over a split, even from a lower-priority warehouse", () => {
    const decision = route([lax, ewr, dfw], lines, { options: SPLIT });
    expect(chosen(decision)).toEqual(["dfw"]);
    expect(decision.reasons).toContainEqual({ code: "kept_one_shipment", warehouseId: "dfw", overWarehouseIds: ["lax", "ewr"] });
  });

  it("a split happens only when allowed: otherwise the order waits, saying how many shipments would do", () => {
    const decision = route([lax, ewr], lines, { options: { allowSplit: false, maxShipments: 3 } });
    expect(decision.kind).toBe("wait");
    expect(decision.reasons.at(-1)).toEqual({ code: "split_not_allowed", shipmentsNeeded: 2 });
    expect(route([lax, ewr], lines).kind).toBe("wait");
  });

  it("when allowed, a split ships each line from a warehouse that holds it", () => {
    const decision = route([lax, ewr], lines, { options: SPLIT, assigned: "loc-lax" });
    expect(decision).toEqual({
      kind: "route",
      assignments: [
        { warehouseId: "lax", locationId: "loc-lax", lines: [{ lineItemId: "li-1", quantity: 2 }] },
        { warehouseId: "ewr", locationId: "loc-ewr", lines: [{ lineItemId: "li-2", quantity: 2 }] },
      ],
      moveFrom: "loc-lax",
      reasons: [
        { code: "insufficient_stock", warehouseId: "lax", inventoryItemId: "plate", sku: "PLATE", needed: 2, available: 0 },
        { code: "insufficient_stock", warehouseId: "ewr", inventoryItemId: "mug", sku: "MUG", needed: 2, available: 0 },
        { code: "split_fewest_shipments", shipments: 2, warehouseIds: ["lax", "ewr"] },
      ],
    });
  });

  it("a split uses the fewest shipments, even if that skips better-ranked warehouses", () => {
    const three = [line("li-1", "mug", 1), line("li-2", "plate", 1), line("li-3", "bowl", 1)];
    const decision = route(
      [
        warehouse("w1", { priority: 1, available: { mug: 1 } }),
        warehouse("w2", { priority: 2, available: { plate: 1 } }),
        warehouse("w3", { priority: 3, available: { bowl: 1 } }),
        warehouse("w4", { priority: 4, available: { plate: 1, bowl: 1 } }),
      ],
      three,
      { options: SPLIT },
    );
    expect(chosen(decision)).toEqual(["w1", "w4"]);
  });

  it("among splits into equally few shipments, the best-ranked warehouses ship", () => {
    const decision = route(
      [
        warehouse("w1", { priority: 1, available: { mug: 2 } }),
        warehouse("w2", { priority: 2, available: { plate: 2 } }),
        warehouse("w3", { priority: 3, available: { plate: 2 } }),
        warehouse("w0", { priority: 0, available: { plate: 2 } }),
      ],
      lines,
      { options: SPLIT },
    );
    expect(chosen(decision)).toEqual(["w0", "w1"]);
  });

  it("a line is split across warehouses only when no chosen warehouse can take it whole, and never beyond any warehouse's available", () => {
    const decision = route(
      [warehouse("lax", { priority: 1, available: { mug: 6, plate: 1 } }), warehouse("ewr", { priority: 2, available: { mug: 5, plate: 1 } })],
      [line("li-1", "mug", 10), line("li-2", "plate", 1)],
      { options: SPLIT },
    );
    expect(decision.kind === "route" && decision.assignments).toEqual([
      { warehouseId: "lax", locationId: "loc-lax", lines: [{ lineItemId: "li-1", quantity: 6 }, { lineItemId: "li-2", quantity: 1 }] },
      { warehouseId: "ewr", locationId: "loc-ewr", lines: [{ lineItemId: "li-1", quantity: 4 }] },
    ]);
  });

  it("two lines of one item share the warehouse's stock, never exceeding it", () => {
    const decision = route(
      [warehouse("lax", { priority: 1, available: { mug: 4 } }), warehouse("ewr", { priority: 2, available: { mug: 2 } })],
      [line("li-1", "mug", 3), line("li-2", "mug", 3)],
      { options: SPLIT },
    );
    expect(decision.kind === "route" && decision.assignments).toEqual([
      { warehouseId: "lax", locationId: "loc-lax", lines: [{ lineItemId: "li-1", quantity: 3 }, { lineItemId: "li-2", quantity: 1 }] },
      { warehouseId: "ewr", locationId: "loc-ewr", lines: [{ lineItemId: "li-2", quantity: 2 }] },
    ]);
  });

  it("with many small warehouses a split still covers every unit, best-ranked first", () => {
    const many = Array.from({ length: 20 }, (_, i) => warehouse(`w${String(i).padStart(2, "0")}`, { priority: 20 - i, available: { mug: 1, plate: i % 2 } }));
    const decision = route(many, [line("li-1", "mug", 14), line("li-2", "plate", 3)], { options: SPLIT });
    expect(decision.kind).toBe("route");
    if (decision.kind !== "route") return;
    expect(decision.assignments).toHaveLength(14);
    expect(decision.assignments[0]!.warehouseId).toBe("w19");
    expect(decision.assignments.flatMap((a) => a.lines).reduce((sum, l) => sum + l.quantity, 0)).toBe(17);
  });

  it("maxShipments caps a split; an order that needs more waits", () => {
    const three = [line("li-1", "mug", 1), line("li-2", "plate", 1), line("li-3", "bowl", 1)];
    const warehouses = [warehouse("w1", { available: { mug: 1 } }), warehouse("w2", { available: { plate: 1 } }), warehouse("w3", { available: { bowl: 1 } })];
    expect(chosen(route(warehouses, three, { options: { allowSplit: true, maxShipments: 3 } }))).toEqual(["w1", "w2", "w3"]);
    const capped = route(warehouses, three, { options: { allowSplit: true, maxShipments: 2 } });
    expect(capped.kind).toBe("wait");
    expect(capped.reasons.at(-1)).toEqual({ code: "too_many_shipments", shipmentsNeeded: 3, maxShipments: 2 });
    expect(describeRouting(capped)).toMatch(/^Wait for stock: it would take 3 shipments, more than the limit of 2;/);
    const single = route(warehouses, three, { options: { allowSplit: true, maxShipments: 1 } });
    expect(single.reasons.at(-1)).toEqual({ code: "too_many_shipments", shipmentsNeeded: 3, maxShipments: 1 });
  });
});

describe("moving the fulfillment order", () => {
  const warehouses = [warehouse("lax", { priority: 1, available: { mug: 9 } }), warehouse("ewr", { priority: 2, available: { mug: 9 } })];

  it("moveFrom is set only when the chosen location differs from the one Shopify assigned", () => {
    const stays = route(warehouses, undefined, { assigned: "loc-lax" });
    expect(stays.kind === "route" && "moveFrom" in stays).toBe(false);
    const moves = route(warehouses, undefined, { assigned: "loc-ewr" });
    expect(moves).toMatchObject({ kind: "route", moveFrom: "loc-ewr", assignments: [{ warehouseId: "lax", locationId: "loc-lax" }] });
    expect(describeRouting(moves, { lax: "Los Angeles", ewr: "Newark" })).toBe("Ship from Los Angeles: priority 1 beats Newark (priority 2); move from location loc-ewr.");
  });

  it("a split moves away from the assigned location when any shipment leaves from elsewhere", () => {
    const split = route(
      [warehouse("lax", { priority: 1, available: { mug: 1 } }), warehouse("ewr", { priority: 2, available: { mug: 1 } })],
      [line("li-1", "mug", 2)],
      { options: SPLIT, assigned: "loc-lax" },
    );
    expect(split).toMatchObject({ kind: "route", moveFrom: "loc-lax" });
  });

  it("an order Shopify assigned to a location that is not a warehouse is moved", () => {
    expect(route(warehouses, undefined, { assigned: "gid://shopify/Location/store" })).toMatchObject({ moveFrom: "gid://shopify/Location/store" });
  });
});

describe("the same input always gives the same decision", () => {
  function permutations<T>(items: T[]): T[][] {
    if (items.length <= 1) return [items];
    return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
  }

  it("the order of candidates in the input does not change the result", () => {
    const candidates = [
      warehouse("lax", { priority: 3, available: { mug: 9, plate: 1 } }),
      warehouse("ewr", { priority: 1, available: { mug: 1 } }),
      warehouse("dfw", { priority: 2, available: { plate: 9 } }),
      warehouse("yyz", { priority: 0, active: false, available: { mug: 9, plate: 9 } }),
    ];
    const lines = [line("li-1", "mug", 2), line("li-2", "plate", 2)];
    for (const options of [SPLIT, { allowSplit: false }]) {
      const first = route(candidates, lines, { options });
      for (const order of permutations(candidates)) expect(route(order, lines, { options })).toEqual(first);
    }
  });

  it("even with equal priorities, listing order never decides", () => {
    const candidates = [warehouse("c", { available: { mug: 9 } }), warehouse("a", { available: { mug: 9 } }), warehouse("b", { available: { mug: 9 } })];
    for (const order of permutations(candidates)) expect(chosen(route(order, undefined, { assigned: "loc-x" }))).toEqual(["a"]);
  });

  it("the decision leaves its inputs untouched", () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === "object") {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const input: RoutingInput = deepFreeze({
      request: request([line("li-1", "mug", 3)]),
      warehouses: [warehouse("lax", { available: { mug: 2 } }), warehouse("ewr", { available: { mug: 2 } })],
      rules: [{ kind: "prefer_warehouse", warehouseId: "ewr", markets: ["US"] }],
      options: SPLIT,
    });
    expect(() => routeFulfillmentRequest(input)).not.toThrow();
  });
});

describe("input the routing refuses", () => {
  it("quantities are whole numbers above 0 (typed error otherwise, naming the line)", () => {
    for (const quantity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const attempt = () => route([warehouse("lax", { available: { mug: 9 } })], [line("li-7", "mug", quantity)]);
      expect(attempt, String(quantity)).toThrow(RoutingInputError);
      expect(attempt, String(quantity)).toThrow(/Line li-7 \(SKU MUG\) of fulfillment order fo-1 must ask for a whole number of units above 0/);
    }
  });

  it("a request with no lines, a line twice, a line without inventory item, or no destination country", () => {
    const lax = [warehouse("lax", { available: { mug: 9 } })];
    expect(() => route(lax, [])).toThrow(/has no lines/);
    expect(() => route(lax, [line("li-1", "mug", 1), line("li-1", "mug", 1)])).toThrow(/appears twice/);
    expect(() => route(lax, [line("li-1", "", 1)])).toThrow(/no inventory item/);
    expect(() => route(lax, undefined, { destination: { countryCode: "" } })).toThrow(RoutingInputError);
    expect(() => route(lax, undefined, { destination: { countryCode: "USA" } })).toThrow(/destination country code/);
  });

  it("a warehouse listed twice, a fractional priority or stock, or coordinates off the globe", () => {
    expect(() => route([warehouse("lax"), warehouse("lax")])).toThrow(/listed twice/);
    expect(() => route([warehouse("lax", { priority: 1.5 })])).toThrow(/priority/);
    expect(() => route([warehouse("lax", { available: { mug: 2.5 } })])).toThrow(/fractional available quantity for inventory item mug/);
    expect(() => route([warehouse("lax", { origin: { latitude: 91, longitude: 0 } })])).toThrow(/LAX \(lax\) has coordinates out of range/);
    expect(() => route([warehouse("lax", { available: { mug: 9 } })], undefined, { destination: { latitude: 0, longitude: 200 } })).toThrow(RoutingInputError);
  });

  it("a cap on shipments below 1 is refused", () => {
    expect(() => route([warehouse("lax")], undefined, { options: { allowSplit: true, maxShipments: 0 } })).toThrow(/most shipments/);
  });

  it("a coordinate without its pair counts as unknown, not as an error", () => {
    const decision = route([warehouse("lax", { available: { mug: 9 }, origin: { latitude: 34, longitude: null } })], undefined, { destination: NEW_YORK });
    expect(decision.kind).toBe("route");
  });
});

describe("describeRouting", () => {
  it("says where a split ships from and why", () => {
    const decision = route(
      [warehouse("lax", { priority: 1, available: { mug: 1 } }), warehouse("ewr", { priority: 2, available: { mug: 1 } })],
      [line("li-1", "mug", 2)],
      { options: SPLIT, assigned: "loc-lax" },
    );
    expect(describeRouting(decision, { lax: "Los Angeles", ewr: "Newark" })).toBe(
      "Ship from Los Angeles, Newark: no single warehouse has every item, so 2 shipments; Los Angeles has 1 of 2 SKU MUG; Newark has 1 of 2 SKU MUG; move from location loc-lax.",
    );
  });

  it("falls back to warehouse ids without names, and explains proximity in km", () => {
    const decision = route(
      [
        warehouse("lax", { available: { mug: 9 }, origin: { countryCode: "US", ...LOS_ANGELES } }),
        warehouse("ewr", { available: { mug: 9 }, origin: { countryCode: "US", ...NEWARK } }),
      ],
      undefined,
      { destination: NEW_YORK, assigned: "loc-ewr" },
    );
    expect(describeRouting(decision)).toBe("Ship from ewr: same priority as lax and closer (14 km vs 3955 km).");
  });

  it("explains one shipment chosen over a split", () => {
    const decision = route(
      [warehouse("lax", { priority: 1, available: { mug: 1 } }), warehouse("dfw", { priority: 2, available: { mug: 5 } })],
      [line("li-1", "mug", 2)],
      { options: SPLIT, assigned: "loc-dfw" },
    );
    expect(describeRouting(decision, { lax: "Los Angeles", dfw: "Dallas" })).toBe(
      "Ship from Dallas: the only warehouse that can ship the whole order; one shipment rather than a split with Los Angeles; Los Angeles has 1 of 2 SKU MUG.",
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property check: invariants over random inputs, compared with a brute-force reading of the rules
// ---------------------------------------------------------------------------------------------

describe("routing invariants over random inputs (property check)", () => {
  let seed = 20260711;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;

  const ITEMS = ["mug", "plate", "bowl"];
  const REGIONS = [["*"], ["*"], ["US"], ["US"], ["CA"], ["US-CA"], ["US", "CA"], ["GB"], []];
  const MARKETS = ["US", "CA", "US-CA", "US-NY", "CA-ON", "*", "GB"];
  const KINDS = ["ship_to_markets", "exclude_warehouse_for_market", "prefer_warehouse"] as const;
  const DESTINATIONS: Destination[] = [
    { countryCode: "US", provinceCode: "CA", ...LOS_ANGELES },
    { countryCode: "US", provinceCode: "TX", ...DALLAS },
    { countryCode: "US", provinceCode: "NY", ...NEW_YORK },
    { countryCode: "US", provinceCode: null },
    { countryCode: "CA", provinceCode: "ON", ...TORONTO },
    { countryCode: "GB", provinceCode: null },
  ];
  const ORIGINS = [{ countryCode: "US", ...LOS_ANGELES }, { countryCode: "US", ...NEWARK }, { countryCode: "US" }, { countryCode: "CA", ...TORONTO }, null];

  function randomInput(): Required<RoutingInput> {
    const warehouses = Array.from({ length: 1 + rand(6) }, (_, i) =>
      warehouse(`w${i}`, {
        priority: rand(3),
        active: rand(8) !== 0,
        regions: pick(REGIONS),
        origin: pick(ORIGINS),
        available: Object.fromEntries(ITEMS.filter(() => rand(2) === 0).map((item) => [item, rand(10) - 1])),
      }),
    );
    const rules: RoutingRule[] = Array.from({ length: rand(4) }, () => ({
      kind: pick(KINDS),
      warehouseId: `w${rand(6)}`,
      markets: Array.from({ length: 1 + rand(2) }, () => pick(MARKETS)),
    }));
    const lines = Array.from({ length: 1 + rand(3) }, (_, i) => line(`li-${i}`, pick(ITEMS), 1 + rand(3)));
    const allowSplit = rand(3) !== 0;
    const options: RoutingOptions = rand(2) === 0 ? { allowSplit } : { allowSplit, maxShipments: 1 + rand(3) };
    const assigned = rand(3) === 0 ? "loc-store" : `loc-w${rand(warehouses.length)}`;
    return { request: { ...request(lines, pick(DESTINATIONS), assigned) }, warehouses, rules, options };
  }

  // The rules read independently of the implementation.
  function mayShip(w: WarehouseCandidate, rules: readonly RoutingRule[], destination: Destination): boolean {
    const region = destination.provinceCode ? `${destination.countryCode}-${destination.provinceCode}` : null;
    const takesIn = (market: string) => market === "*" || market === destination.countryCode || market === region;
    const own = rules.filter((r) => r.warehouseId === w.id);
    const restrictions = own.filter((r) => r.kind === "ship_to_markets");
    return (
      w.active &&
      w.regions.some(takesIn) &&
      !own.some((r) => r.kind === "exclude_warehouse_for_market" && r.markets.some(takesIn)) &&
      (restrictions.length === 0 || restrictions.some((r) => r.markets.some(takesIn)))
    );
  }

  function fewestCovering(eligible: WarehouseCandidate[], lines: readonly FulfillmentRequestLine[]): number {
    const needed = new Map<string, number>();
    for (const l of lines) needed.set(l.inventoryItemId, (needed.get(l.inventoryItemId) ?? 0) + l.quantity);
    let best = Number.POSITIVE_INFINITY;
    for (let mask = 1; mask < 2 ** eligible.length; mask++) {
      const group = eligible.filter((_, i) => mask & (1 << i));
      const enough = [...needed].every(([item, units]) => group.reduce((sum, w) => sum + Math.max(0, w.available[item] ?? 0), 0) >= units);
      if (enough) best = Math.min(best, group.length);
    }
    return best;
  }

  it("routed orders ship exactly the units asked, from allowed warehouses, within their stock, in the fewest shipments", () => {
    const kinds = { route: 0, wait: 0, reject: 0, split: 0 };
    for (let run = 0; run < 500; run++) {
      const input = randomInput();
      const { request: req, warehouses, rules, options } = input;
      const decision = routeFulfillmentRequest(input);
      const eligible = warehouses.filter((w) => mayShip(w, rules, req.destination));
      const limit = options.allowSplit ? (options.maxShipments ?? Number.POSITIVE_INFINITY) : 1;
      const fewest = fewestCovering(eligible, req.lines);
      const context = JSON.stringify({ run, input, decision });
      kinds[decision.kind]++;

      // reject exactly when no active warehouse may ship there; wait exactly when stock or the shipment cap stops it
      expect(decision.kind, context).toBe(eligible.length === 0 ? "reject" : Number.isFinite(fewest) && fewest <= limit ? "route" : "wait");
      // the same decision whatever the order of candidates
      expect(routeFulfillmentRequest({ ...input, warehouses: [...warehouses].reverse() }), context).toEqual(decision);
      if (decision.kind !== "route") continue;

      if (decision.assignments.length > 1) kinds.split++;
      const [first] = decision.assignments;
      if (decision.assignments.length === 1 && first && !rules.some((r) => r.kind === "prefer_warehouse")) {
        // one shipment goes to the lowest priority number among the warehouses that could ship it all
        const wholly = eligible.filter((w) => fewestCovering([w], req.lines) === 1);
        const priority = warehouses.find((w) => w.id === first.warehouseId)!.priority;
        expect(Math.min(...wholly.map((w) => w.priority)), context).toBe(priority);
      }
      expect(decision.assignments.length, context).toBe(fewest);
      expect(new Set(decision.assignments.map((a) => a.warehouseId)).size, context).toBe(decision.assignments.length);
      const shipped = new Map<string, number>();
      for (const assignment of decision.assignments) {
        const w = warehouses.find((c) => c.id === assignment.warehouseId)!;
        expect(eligible, context).toContain(w);
        expect(assignment.locationId, context).toBe(w.locationId);
        expect(assignment.lines.length, context).toBeGreaterThan(0);
        const taken = new Map<string, number>();
        for (const l of assignment.lines) {
          expect(Number.isInteger(l.quantity) && l.quantity > 0, context).toBe(true);
          const item = req.lines.find((r) => r.lineItemId === l.lineItemId)!.inventoryItemId;
          taken.set(item, (taken.get(item) ?? 0) + l.quantity);
          shipped.set(l.lineItemId, (shipped.get(l.lineItemId) ?? 0) + l.quantity);
        }
        for (const [item, units] of taken) expect(units, context).toBeLessThanOrEqual(w.available[item] ?? 0);
      }
      for (const l of req.lines) expect(shipped.get(l.lineItemId), context).toBe(l.quantity);
      expect(shipped.size, context).toBe(req.lines.length);
      const elsewhere = decision.assignments.some((a) => a.locationId !== req.assignedLocationId);
      expect(decision.moveFrom, context).toBe(elsewhere ? req.assignedLocationId : undefined);
      expect(describeRouting(decision)).toMatch(/^Ship from .+\.$/);
    }
    // The generator must reach every outcome, or the check proves little.
    expect(kinds.route).toBeGreaterThan(40);
    expect(kinds.wait).toBeGreaterThan(40);
    expect(kinds.reject).toBeGreaterThan(40);
    expect(kinds.split).toBeGreaterThan(10);
  });
});
