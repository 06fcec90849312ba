import { describe, expect, it } from "vitest";
import { canRetry, milestonesOf, ordersQueryParams, parseOrdersQuery, problemOf } from "~/models/orders-view";
import { validateWarehouseRouting, warehouseRoutingForm } from "~/models/warehouse-routing";

describe("the Orders page's query", () => {
  it("reads the tab, statuses, warehouse, search and page from the URL, ignoring what it does not know", () => {
    expect(parseOrdersQuery(new URLSearchParams("view=waiting&status=error,shipped,bogus,error&warehouse=w1&q=%20%231042%20&after=c1"))).toEqual({
      view: "waiting",
      statuses: ["error", "shipped"],
      warehouseId: "w1",
      search: "#1042",
      after: "c1",
      before: null,
    });
    expect(parseOrdersQuery(new URLSearchParams("view=everything"))).toMatchObject({ view: "all", statuses: [] });
    expect(parseOrdersQuery(new URLSearchParams("problem=rejected")).view).toBe("rejected");
  });

  it("writes back only what is set, so a link is as short as it can be", () => {
    const query = parseOrdersQuery(new URLSearchParams("view=error&status=sent&q=10"));
    expect(ordersQueryParams(query).toString()).toBe("view=error&status=sent&q=10");
    expect(ordersQueryParams(parseOrdersQuery(new URLSearchParams())).toString()).toBe("");
  });
});

describe("problems", () => {
  it("an order waits when no warehouse has its stock, or when the warehouse had less than we thought", () => {
    expect(problemOf({ status: "waiting", warehouseOrderRef: null, nextAttemptAt: null })).toBe("waiting");
    expect(problemOf({ status: "accepted", warehouseOrderRef: null, nextAttemptAt: new Date() })).toBe("waiting");
    expect(problemOf({ status: "accepted", warehouseOrderRef: null, nextAttemptAt: null })).toBeNull();
    expect(problemOf({ status: "error", warehouseOrderRef: "ob1", nextAttemptAt: null })).toBe("error");
    expect(problemOf({ status: "rejected", warehouseOrderRef: null, nextAttemptAt: null })).toBe("rejected");
    expect(problemOf({ status: "shipped", warehouseOrderRef: "ob1", nextAttemptAt: null })).toBeNull();
  });

  it("Retry is offered where TallySync can do the work again itself, not for a rejection", () => {
    expect([canRetry("error"), canRetry("waiting"), canRetry("rejected"), canRetry(null)]).toEqual([true, true, false, false]);
  });
});

describe("the status timeline", () => {
  it("marks each milestone at the first event that reached it", () => {
    const events = [
      { kind: "requested", status: "requested", at: "2026-11-23T10:00:00.000Z" },
      { kind: "routed", status: "requested", at: "2026-11-23T10:00:01.000Z" },
      { kind: "accepted", status: "accepted", at: "2026-11-23T10:00:02.000Z" },
      { kind: "sent", status: "sent", at: "2026-11-23T10:00:03.000Z" },
      { kind: "shipped", status: "sent", at: "2026-11-23T11:00:00.000Z" },
      { kind: "shipped", status: "shipped", at: "2026-11-23T12:00:00.000Z" },
      { kind: "sent", status: "sent", at: "2026-11-23T13:00:00.000Z" },
    ];
    expect(milestonesOf(events)).toEqual({
      requested: "2026-11-23T10:00:00.000Z",
      accepted: "2026-11-23T10:00:02.000Z",
      sent: "2026-11-23T10:00:03.000Z",
      // a partial shipment is not yet "shipped"
      shipped: "2026-11-23T12:00:00.000Z",
    });
  });

  it("an order is delivered when its last parcel is, not when the first of several is", () => {
    const shipped = [
      { kind: "requested", status: "requested", at: "2026-11-23T10:00:00.000Z" },
      { kind: "sent", status: "sent", at: "2026-11-23T10:00:03.000Z" },
      { kind: "shipped", status: "sent", at: "2026-11-23T11:00:00.000Z" },
      { kind: "delivered", status: "sent", at: "2026-11-24T09:00:00.000Z" },
      { kind: "shipped", status: "shipped", at: "2026-11-24T10:00:00.000Z" },
    ];
    expect(milestonesOf(shipped).delivered).toBeUndefined();
    expect(milestonesOf([...shipped, { kind: "delivered", status: "delivered", at: "2026-11-26T15:00:00.000Z" }])).toMatchObject({ shipped: "2026-11-24T10:00:00.000Z", delivered: "2026-11-26T15:00:00.000Z" });
  });

  it("a cancelled order shows where it stopped", () => {
    expect(milestonesOf([{ kind: "requested", status: "requested", at: "a" }, { kind: "cancelled", status: "cancelled", at: "b" }])).toEqual({ requested: "a", cancelled: "b" });
  });
});

describe("a warehouse's routing details", () => {
  it("takes a priority, markets in any case and separator, and a country", () => {
    expect(validateWarehouseRouting({ priority: " 2 ", regions: "us, ca;us-hi\nUS", countryCode: "us" })).toEqual({ values: { priority: 2, regions: ["US", "CA", "US-HI"], countryCode: "US" } });
    expect(validateWarehouseRouting({ priority: "0", regions: "US, *", countryCode: "" })).toEqual({ values: { priority: 0, regions: ["*"], countryCode: null } });
  });

  it("says which field is wrong", () => {
    expect(validateWarehouseRouting({ priority: "-1", regions: "", countryCode: "USA" })).toEqual({
      errors: { priority: "warehouses.routing.errors.priority", regions: "warehouses.routing.errors.regionsRequired", countryCode: "warehouses.routing.errors.country" },
    });
    expect(validateWarehouseRouting({ priority: "10001", regions: "United States", countryCode: "US" }).errors).toEqual({
      priority: "warehouses.routing.errors.priority",
      regions: "warehouses.routing.errors.regionsInvalid",
    });
  });

  it("shows stored values as the form's text", () => {
    expect(warehouseRoutingForm({ priority: 3, regions: ["NL", "BE"], countryCode: null })).toEqual({ priority: "3", regions: "NL, BE", countryCode: "" });
  });
});
