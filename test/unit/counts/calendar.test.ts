import { describe, expect, it } from "vitest";
import { addDays, daysBetween, isoWeek, shopDay, startOfShopDay } from "~/counts/calendar";

describe("shop days and ISO weeks", () => {
  it("the shop's day follows its time zone, not UTC", () => {
    const instant = new Date("2025-03-14T17:30:00Z");
    expect(shopDay(instant, "UTC")).toBe("2025-03-14");
    expect(shopDay(instant, "Asia/Shanghai")).toBe("2025-03-15");
    expect(shopDay(instant, "America/Los_Angeles")).toBe("2025-03-14");
  });

  it("a day starts at local midnight, across a daylight-saving change too", () => {
    expect(startOfShopDay("2025-03-15", "Asia/Shanghai").toISOString()).toBe("2025-03-14T16:00:00.000Z");
    expect(startOfShopDay("2025-03-09", "America/New_York").toISOString()).toBe("2025-03-09T05:00:00.000Z");
    expect(startOfShopDay("2025-03-10", "America/New_York").toISOString()).toBe("2025-03-10T04:00:00.000Z");
    expect(startOfShopDay("2025-03-10").toISOString()).toBe("2025-03-10T00:00:00.000Z");
  });

  it("counts whole days between calendar days, over month and year ends", () => {
    expect(daysBetween("2024-12-30", "2025-01-02")).toBe(3);
    expect(daysBetween("2025-03-01", "2025-02-28")).toBe(-1);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
  });

  it("refuses days that do not exist", () => {
    expect(() => daysBetween("2025-02-30", "2025-03-01")).toThrow(/not a calendar day/);
    expect(() => addDays("14/03/2025", 1)).toThrow(/not a calendar day/);
  });

  it("weeks start on Monday and week 1 holds the year's first Thursday", () => {
    expect(isoWeek(new Date("2024-12-30T00:00:00Z"))).toEqual({ week: "2025-W01", monday: "2024-12-30" });
    expect(isoWeek(new Date("2021-01-03T23:59:59Z"))).toEqual({ week: "2020-W53", monday: "2020-12-28" });
    expect(isoWeek(new Date("2025-03-16T23:59:59Z")).week).toBe("2025-W11");
    expect(isoWeek(new Date("2025-03-17T00:00:00Z")).week).toBe("2025-W12");
    expect(isoWeek(new Date("1969-12-29T00:00:00Z"))).toEqual({ week: "1970-W01", monday: "1969-12-29" });
  });
});
