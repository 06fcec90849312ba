import { describe, expect, it } from "vitest";
import { validateCountPlan } from "~/models/counts/plan-form";

describe("count plan form", () => {
  it("answers with one message per field", () => {
    expect(validateCountPlan({ name: "", kind: "rolling", settings: { everyDays: 30 } }).errors).toEqual({
      name: "Give the plan a name",
      settings: "Lines a day must be a whole number from 1 to 100000",
    });
    expect(validateCountPlan({ name: "A", kind: "hourly" }).errors).toEqual({ kind: expect.stringContaining("rolling, abc, full, campaign, exception") });
    expect(validateCountPlan({ name: "A", kind: "full", settings: "{not json" }).errors).toEqual({ settings: "The plan's settings are not readable" });
  });

  it("reads settings posted as JSON text, and an empty warehouse as every warehouse", () => {
    expect(validateCountPlan({ name: " Before the live stream ", kind: "campaign", warehouseId: "", settings: JSON.stringify({ scope: { by: "tag", tag: "live" }, dueAt: "2025-06-11T12:00:00.000Z" }) })).toEqual({
      values: { name: "Before the live stream", kind: "campaign", warehouseId: null, settings: { kind: "campaign", scope: { by: "tag", tag: "live" }, dueAt: new Date("2025-06-11T12:00:00.000Z") } },
    });
  });
});
