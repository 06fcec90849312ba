import { describe, expect, it } from "vitest";
import { inventoryQueryParams, parseInventoryQuery } from "~/models/inventory-view";
import { listParam, listSearchParams, oneOf, pageCursorEntries, pageNumberParam, searchParam } from "~/models/list-query";
import { decodeKeyCursor, decodePageCursors, encodeKeyCursor, keysetPage } from "~/models/list-query.server";

describe("a list page's URL", () => {
  it("a search is trimmed and cut to the length the list can afford", () => {
    expect(searchParam(new URLSearchParams("q=%20%20mug%20"), 100)).toBe("mug");
    expect(searchParam(new URLSearchParams(`q=${"x".repeat(120)}`), 100)).toHaveLength(100);
    expect(searchParam(new URLSearchParams(), 100)).toBe("");
  });

  it("a tab or choice it does not know falls back to the default", () => {
    expect(oneOf(["all", "low"] as const, "low", "all")).toBe("low");
    expect(oneOf(["all", "low"] as const, "everything", "all")).toBe("all");
    expect(oneOf(["overdue", "today"] as const, null, null)).toBeNull();
  });

  it("a list of choices keeps the known ones, each once, in order", () => {
    const isColour = (value: string): value is "red" | "blue" => value === "red" || value === "blue";
    expect(listParam("blue, bogus,red,blue", isColour)).toEqual(["blue", "red"]);
    expect(listParam(null, isColour)).toEqual([]);
  });

  it("a page number is a whole number from 1; anything else is the first page", () => {
    expect(pageNumberParam("3")).toBe(3);
    for (const value of [null, "", "0", "-2", "1.5", "two"]) expect(pageNumberParam(value)).toBe(1);
  });

  it("is written in a fixed order, leaving out empty values and defaults, so a link is as short as it can be", () => {
    expect(listSearchParams([["view", "all", "all"], ["status", ["a", "b"]], ["warehouse", null], ["q", ""], ["page", 2, 1]]).toString()).toBe("status=a%2Cb&page=2");
    expect(listSearchParams([["status", []], ["page", 1, 1]]).toString()).toBe("");
  });

  it("pages by one cursor at a time, the next page's first", () => {
    expect(pageCursorEntries({ after: "a", before: "b" })).toEqual([["after", "a"]]);
    expect(pageCursorEntries({ after: null, before: "b" })).toEqual([["before", "b"]]);
    expect(pageCursorEntries({})).toEqual([]);
  });

  it("reads back what it wrote", () => {
    const query = parseInventoryQuery(new URLSearchParams("view=low&warehouse=w1&q=mug&before=c2"));
    expect(query).toEqual({ view: "low", warehouseId: "w1", search: "mug", after: null, before: "c2" });
    expect(inventoryQueryParams(query).toString()).toBe("view=low&warehouse=w1&q=mug&before=c2");
  });
});

describe("keyset paging", () => {
  it("a cursor is the row's sort key; anything else starts again at page one", () => {
    const cursor = encodeKeyCursor(["MUG-1", "w1"]);
    expect(decodeKeyCursor(cursor, 2)).toEqual(["MUG-1", "w1"]);
    expect(decodeKeyCursor(cursor, 3)).toBeNull();
    expect(decodeKeyCursor("not-a-cursor", 2)).toBeNull();
    expect(decodeKeyCursor(null, 2)).toBeNull();
  });

  it("paging forward wins over paging back", () => {
    const decode = (value: string | null) => value;
    expect(decodePageCursors({ after: "a", before: "b" }, decode)).toEqual({ after: "a", before: null });
    expect(decodePageCursors({ after: null, before: "b" }, decode)).toEqual({ after: null, before: "b" });
  });

  const cursorOf = (row: number) => String(row);

  it("the first page has a next page when one more row was found, and no previous page", () => {
    expect(keysetPage([1, 2, 3], 2, { after: null, before: null }, cursorOf)).toEqual({ rows: [1, 2], nextCursor: "2", previousCursor: null });
    expect(keysetPage([1, 2], 2, { after: null, before: null }, cursorOf)).toEqual({ rows: [1, 2], nextCursor: null, previousCursor: null });
  });

  it("a page after a cursor always has a previous page", () => {
    expect(keysetPage([3, 4], 2, { after: "2", before: null }, cursorOf)).toEqual({ rows: [3, 4], nextCursor: null, previousCursor: "3" });
  });

  it("a page before a cursor was read backwards: it is put in order, and the page it came from is next", () => {
    expect(keysetPage([4, 3, 2], 2, { after: null, before: "5" }, cursorOf)).toEqual({ rows: [3, 4], nextCursor: "4", previousCursor: "3" });
    expect(keysetPage([2, 1], 2, { after: null, before: "3" }, cursorOf)).toEqual({ rows: [1, 2], nextCursor: "2", previousCursor: null });
  });
});
