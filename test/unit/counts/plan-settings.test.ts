import { describe, expect, it } from "vitest";
import { parsePlanSettings, planSettingsJson, readPlanSettings, type CountPlanSettings } from "~/counts/plan-settings";

describe("count plan settings", () => {
  it("reads each kind's settings", () => {
    expect(parsePlanSettings("rolling", '{"everyDays":30,"dailyLines":40}')).toEqual({ settings: { kind: "rolling", everyDays: 30, dailyLines: 40 } });
    expect(parsePlanSettings("abc", "{}")).toEqual({ settings: { kind: "abc" } });
    expect(parsePlanSettings("full", '{"countOn":"2025-06-01"}')).toEqual({ settings: { kind: "full", countOn: "2025-06-01" } });
    expect(parsePlanSettings("exception", "{}")).toEqual({ settings: { kind: "exception" } });
    expect(parsePlanSettings("campaign", '{"scope":{"by":"tag","tag":" live-0612 "},"dueAt":"2025-06-11T12:00:00.000Z"}')).toEqual({
      settings: { kind: "campaign", scope: { by: "tag", tag: "live-0612" }, dueAt: new Date("2025-06-11T12:00:00.000Z") },
    });
  });

  it("round-trips through the JSON stored on the plan", () => {
    const plans: CountPlanSettings[] = [
      { kind: "rolling", everyDays: 14, dailyLines: 25 },
      { kind: "abc", cadenceDays: { A: 7, B: 30, C: 90 }, thresholds: { aPercent: 70, bPercent: 90 } },
      { kind: "campaign", scope: { by: "products", productIds: ["gid://shopify/Product/1"] }, dueAt: new Date("2025-06-11T12:00:00.000Z") },
      { kind: "exception", driftUnits: 3 },
    ];
    for (const plan of plans) expect(parsePlanSettings(plan.kind, planSettingsJson(plan))).toEqual({ settings: plan });
  });

  it("lists every problem in words a merchant can act on", () => {
    expect(readPlanSettings("rolling", { everyDays: 0, dailyLines: 2.5 })).toEqual({
      errors: ["Count every SKU every 1 to 365 days", "Lines a day must be a whole number from 1 to 100000"],
    });
    expect(readPlanSettings("abc", { cadenceDays: { A: 30, B: 7, C: 90 } }).errors).toEqual(["Class A must be counted at least as often as B, and B at least as often as C"]);
    expect(readPlanSettings("abc", { thresholds: { aPercent: 90, bPercent: 80 } }).errors).toHaveLength(1);
    expect(readPlanSettings("full", { countOn: "2025-02-30" }).errors).toEqual(["Choose the day of the full count"]);
    expect(readPlanSettings("campaign", { scope: { by: "products", productIds: [] }, dueAt: "soon" }).errors).toEqual([
      "Choose the products to count: one or more products, a collection or a tag",
      "Choose when the campaign count is due",
    ]);
    expect(readPlanSettings("exception", { driftUnits: -1 }).errors).toHaveLength(1);
  });

  it("refuses an unknown kind and unreadable JSON", () => {
    expect(parsePlanSettings("weekly", "{}").errors).toEqual(['"weekly" is not a kind of count plan']);
    expect(parsePlanSettings("rolling", "{not json").errors).toEqual(["The plan's settings are not readable"]);
  });
});
