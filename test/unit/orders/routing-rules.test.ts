import { describe, expect, it } from "vitest";
import { destinationMarket, marketCovers, marketWithin, normalizeMarket } from "~/orders/markets";
import { marketRefusal, MAX_ROUTING_RULES, preferenceFor, validateRoutingRules, type RoutingRule } from "~/orders/routing-rules";

const WAREHOUSES = [{ id: "lax" }, { id: "ewr" }];

function errorsFor(rules: unknown, extra: Record<string, unknown> = {}) {
  return validateRoutingRules({ rules, ...extra }, WAREHOUSES).errors ?? {};
}

describe("markets", () => {
  it("are country codes, ISO 3166-2 subdivisions or '*', in any case", () => {
    expect(normalizeMarket(" us ")).toBe("US");
    expect(normalizeMarket("us-ca")).toBe("US-CA");
    expect(normalizeMarket("GB-ENG")).toBe("GB-ENG");
    expect(normalizeMarket("*")).toBe("*");
    for (const bad of ["USA", "U", "US-", "US-CALI", "US CA", "", "**", "1A"]) expect(normalizeMarket(bad), bad).toBeNull();
  });

  it("a destination joins Shopify's province code to its country, so 'CA' the province is never Canada", () => {
    expect(destinationMarket("us", "ca")).toEqual({ country: "US", region: "US-CA" });
    expect(destinationMarket("US", "US-CA")).toEqual({ country: "US", region: "US-CA" });
    expect(destinationMarket("US", "CA-ON")).toEqual({ country: "US", region: null });
    expect(destinationMarket("GB", null)).toEqual({ country: "GB", region: null });
    expect(destinationMarket("GB", " ")).toEqual({ country: "GB", region: null });
  });

  it("a market takes in a destination: '*' all, a country its provinces, a province only itself", () => {
    const california = destinationMarket("US", "CA");
    expect(marketCovers("*", california)).toBe(true);
    expect(marketCovers("US", california)).toBe(true);
    expect(marketCovers("US-CA", california)).toBe(true);
    expect(marketCovers("us-ca", california)).toBe(true);
    expect(marketCovers("US-NY", california)).toBe(false);
    expect(marketCovers("CA", california)).toBe(false);
    expect(marketCovers("US-CA", destinationMarket("US", null))).toBe(false);
  });

  it("one market lies within another", () => {
    expect(marketWithin("US-CA", "US")).toBe(true);
    expect(marketWithin("US", "*")).toBe(true);
    expect(marketWithin("US", "US")).toBe(true);
    expect(marketWithin("US", "US-CA")).toBe(false);
    expect(marketWithin("*", "US")).toBe(false);
    expect(marketWithin("USX", "US")).toBe(false);
  });
});

describe("what the rules say about a warehouse and a destination", () => {
  const california = destinationMarket("US", "CA");

  it("the first exclusion that matches is the one named", () => {
    const rules: RoutingRule[] = [
      { kind: "ship_to_markets", warehouseId: "lax", markets: ["US"] },
      { kind: "exclude_warehouse_for_market", warehouseId: "ewr", markets: ["US"] },
      { kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["GB", "US-CA"] },
      { kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["*"] },
    ];
    expect(marketRefusal("lax", california, rules)).toEqual({ code: "excluded_market", ruleIndex: 2, market: "US-CA" });
  });

  it("ship_to_markets rules of a warehouse refuse what none of them take in, naming the first", () => {
    const rules: RoutingRule[] = [
      { kind: "ship_to_markets", warehouseId: "ewr", markets: ["GB"] },
      { kind: "ship_to_markets", warehouseId: "lax", markets: ["GB"] },
      { kind: "ship_to_markets", warehouseId: "lax", markets: ["CA"] },
    ];
    expect(marketRefusal("lax", california, rules)).toEqual({ code: "market_not_allowed", ruleIndex: 1 });
    expect(marketRefusal("lax", california, [...rules, { kind: "ship_to_markets", warehouseId: "lax", markets: ["US"] }])).toBeNull();
    expect(marketRefusal("other", california, rules)).toBeNull();
  });

  it("the first matching preference for the warehouse counts", () => {
    const rules: RoutingRule[] = [
      { kind: "prefer_warehouse", warehouseId: "lax", markets: ["GB"] },
      { kind: "prefer_warehouse", warehouseId: "lax", markets: ["US"] },
      { kind: "prefer_warehouse", warehouseId: "lax", markets: ["*"] },
    ];
    expect(preferenceFor("lax", california, rules)).toEqual({ ruleIndex: 1, market: "US" });
    expect(preferenceFor("ewr", california, rules)).toBeNull();
  });
});

describe("validateRoutingRules (the Settings form)", () => {
  it("accepts valid rules in order, with markets normalised and deduplicated", () => {
    const result = validateRoutingRules(
      {
        rules: [
          { kind: "ship_to_markets", warehouseId: "lax", markets: "us, ca\nUS-ny;us" },
          { kind: "prefer_warehouse", warehouseId: " ewr ", markets: ["*"] },
        ],
        allowSplit: "on",
        maxShipments: "2",
      },
      WAREHOUSES,
    );
    expect(result).toEqual({
      values: {
        rules: [
          { kind: "ship_to_markets", warehouseId: "lax", markets: ["US", "CA", "US-NY"] },
          { kind: "prefer_warehouse", warehouseId: "ewr", markets: ["*"] },
        ],
        options: { allowSplit: true, maxShipments: 2 },
      },
    });
  });

  it("no rules and no options is valid: no split, no limit", () => {
    expect(validateRoutingRules({}, WAREHOUSES)).toEqual({ values: { rules: [], options: { allowSplit: false } } });
  });

  it("a rule must name a known warehouse", () => {
    expect(errorsFor([{ kind: "prefer_warehouse", warehouseId: "gone", markets: ["US"] }])).toEqual({ "rules.0.warehouseId": "routing.errors.unknownWarehouse" });
    expect(errorsFor([{ kind: "prefer_warehouse", warehouseId: " ", markets: ["US"] }])).toEqual({ "rules.0.warehouseId": "routing.errors.warehouseRequired" });
    expect(errorsFor([{ kind: "prefer_warehouse", markets: ["US"] }])).toEqual({ "rules.0.warehouseId": "routing.errors.warehouseRequired" });
  });

  it("a rule must be of a known kind", () => {
    expect(errorsFor([{ kind: "ship_faster", warehouseId: "lax", markets: ["US"] }])).toEqual({ "rules.0.kind": "routing.errors.unknownKind" });
  });

  it("a rule needs at least one market, and only valid ones", () => {
    expect(errorsFor([{ kind: "ship_to_markets", warehouseId: "lax", markets: [] }])).toEqual({ "rules.0.markets": "routing.errors.marketsRequired" });
    expect(errorsFor([{ kind: "ship_to_markets", warehouseId: "lax", markets: " , " }])).toEqual({ "rules.0.markets": "routing.errors.marketsRequired" });
    expect(errorsFor([{ kind: "ship_to_markets", warehouseId: "lax" }])).toEqual({ "rules.0.markets": "routing.errors.marketsRequired" });
    expect(errorsFor([{ kind: "ship_to_markets", warehouseId: "lax", markets: ["US", "Europe"] }])).toEqual({ "rules.0.markets": "routing.errors.invalidMarket" });
    expect(errorsFor([{ kind: "ship_to_markets", warehouseId: "lax", markets: ["US", 7] }])).toEqual({ "rules.0.markets": "routing.errors.invalidMarket" });
  });

  it("errors are reported for every field of every rule at once", () => {
    expect(errorsFor([{ kind: "nope", warehouseId: "gone", markets: [] }, "not a rule"])).toEqual({
      "rules.0.kind": "routing.errors.unknownKind",
      "rules.0.warehouseId": "routing.errors.unknownWarehouse",
      "rules.0.markets": "routing.errors.marketsRequired",
      "rules.1": "routing.errors.ruleShape",
    });
  });

  it("the rules must be a list of at most the maximum", () => {
    expect(errorsFor("US")).toEqual({ rules: "routing.errors.rulesList" });
    const many = Array.from({ length: MAX_ROUTING_RULES + 1 }, () => ({ kind: "prefer_warehouse", warehouseId: "lax", markets: ["US"] }));
    expect(errorsFor(many)).toEqual({ rules: "routing.errors.tooManyRules" });
  });

  it("a rule repeating a market of an earlier rule of the same kind for the same warehouse is a duplicate", () => {
    const base = { kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["US", "GB"] };
    expect(errorsFor([base, { ...base, markets: ["gb"] }])).toEqual({ "rules.1": "routing.errors.duplicateRule" });
    // another warehouse, another kind, or a province of the same country is not a duplicate
    expect(errorsFor([base, { ...base, warehouseId: "ewr" }])).toEqual({});
    expect(errorsFor([base, { ...base, kind: "ship_to_markets" }])).toEqual({});
    expect(errorsFor([base, { ...base, markets: ["US-CA"] }])).toEqual({});
  });

  it("a preference the same warehouse's exclusions make void is refused", () => {
    const exclude = { kind: "exclude_warehouse_for_market", warehouseId: "lax", markets: ["US"] };
    expect(errorsFor([exclude, { kind: "prefer_warehouse", warehouseId: "lax", markets: ["US-CA", "US"] }])).toEqual({ "rules.1": "routing.errors.preferExcluded" });
    expect(errorsFor([{ kind: "prefer_warehouse", warehouseId: "lax", markets: ["US-CA"] }, exclude])).toEqual({ "rules.0": "routing.errors.preferExcluded" });
    expect(errorsFor([exclude, { kind: "prefer_warehouse", warehouseId: "lax", markets: ["US", "CA"] }])).toEqual({});
    expect(errorsFor([exclude, { kind: "prefer_warehouse", warehouseId: "ewr", markets: ["US"] }])).toEqual({});
  });

  it("a preference outside every market the warehouse is kept to is refused", () => {
    const keep = { kind: "ship_to_markets", warehouseId: "lax", markets: ["US"] };
    expect(errorsFor([keep, { kind: "prefer_warehouse", warehouseId: "lax", markets: ["GB"] }])).toEqual({ "rules.1": "routing.errors.preferOutsideMarkets" });
    expect(errorsFor([keep, { kind: "prefer_warehouse", warehouseId: "lax", markets: ["US-CA"] }])).toEqual({});
    expect(errorsFor([keep, { kind: "prefer_warehouse", warehouseId: "lax", markets: ["*"] }])).toEqual({});
  });

  it("the most shipments per order is a whole number from 1 to 10, or blank for no limit", () => {
    for (const bad of ["0", "11", "1.5", "two", "-1", 0]) expect(errorsFor([], { allowSplit: true, maxShipments: bad }), String(bad)).toEqual({ maxShipments: "routing.errors.maxShipments" });
    expect(validateRoutingRules({ allowSplit: true, maxShipments: " " }, WAREHOUSES).values?.options).toEqual({ allowSplit: true });
    expect(validateRoutingRules({ allowSplit: true, maxShipments: 10 }, WAREHOUSES).values?.options).toEqual({ allowSplit: true, maxShipments: 10 });
  });

  it("splitting is off unless the form says so, and then the shipment limit is dropped", () => {
    for (const off of [undefined, false, "false", "", "off"]) expect(validateRoutingRules({ allowSplit: off, maxShipments: "3" }, WAREHOUSES).values?.options, String(off)).toEqual({ allowSplit: false });
    for (const on of [true, "true", "on", "1"]) expect(validateRoutingRules({ allowSplit: on }, WAREHOUSES).values?.options.allowSplit, String(on)).toBe(true);
  });
});
