// Counting, from the counter's scan to the reviewer's approval: the book is snapshotted when
// counting starts, movements during the count are applied, thresholds ask for a recount or a note,
// and count sheets come in as CSV. Warehouse stock arrives as it does in the app (levels applied to
// positions, with ledger rows).
import { beforeEach, describe, expect, it } from "vitest";
import { CountTaskError } from "~/counts/task-status";
import { forShop } from "~/db/tenant.server";
import { loadCountReview, loadCountSheet, lookUpCountLine, recordCount, setLineReason } from "~/models/counts/counting.server";
import { UnknownCodeError } from "~/models/counts/errors";
import { dashboardCountAccuracy, financeCsv, loadDiscrepancyReport } from "~/models/counts/report.server";
import { blankCountSheet, importCountFromWarehouse, importCountSheetCsv } from "~/models/counts/sheets.server";
import {
  approveCountTask,
  assignCountTask,
  createCountTask,
  getCountTask,
  requestRecount,
  startCountReview,
  startCountTask,
  submitCountTask,
} from "~/models/counts/tasks.server";
import { clock, resetCountData, seedShop, seedWarehouse, warehouseReports, type SeededWarehouse } from "../helpers/counts";

const SHOP = "counts-lifecycle.myshopify.com";
const COUNTER = "lee@example.com";
const REVIEWER = "sam@example.com";

let lax: SeededWarehouse;
let next: () => Date;

beforeEach(async () => {
  await resetCountData();
  await seedShop(SHOP, { varianceThresholdUnits: 5, varianceThresholdValue: "50" });
  lax = await seedWarehouse(SHOP, {
    code: "LAX1",
    name: "Los Angeles",
    locationId: "gid://shopify/Location/1",
    skus: [
      { sku: "MUG-BLUE", sellable: 20, barcode: "0012345678905", unitCost: "4.25" },
      { sku: "MUG-RED", sellable: 12, barcode: "0012345678912", unitCost: "4.25" },
      { sku: "LAMP-OAK", sellable: 7, barcode: "0012345678929", unitCost: "31.00" },
    ],
  });
  next = clock();
});

const as = (actor: string) => ({ actor, now: next() });

async function countOf(skus: string[] | null, kind?: "full" | "campaign") {
  const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, kind, inventoryItemIds: skus?.map((sku) => lax.itemOf.get(sku)!) }, as(REVIEWER));
  await assignCountTask(SHOP, task.id, COUNTER, as(REVIEWER));
  await startCountTask(SHOP, task.id, as(COUNTER));
  return task;
}

async function reviewLine(taskId: string, sku: string) {
  const review = await loadCountReview(SHOP, taskId, { now: next() });
  return review.lines.find((line) => line.warehouseSku === sku)!;
}

describe("counting", () => {
  it("a sale between snapshot and count is not a variance", async () => {
    const task = await countOf(["MUG-BLUE"]);
    // While the shelf is being counted the warehouse acknowledges an order for 2: sellable 20 -> 18.
    await warehouseReports(SHOP, lax, "MUG-BLUE", 18, next(), { reserved: 2 });
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 18 }, as(COUNTER));
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    const line = await reviewLine(task.id, "MUG-BLUE");
    expect(line).toMatchObject({ bookQuantity: 20, movementSinceSnapshot: -2, expectedQuantity: 18, quantityInEffect: 18, varianceUnits: 0, resolution: "no_variance" });
    await approveCountTask(SHOP, task.id, {}, as(REVIEWER));
    expect(await forShop(SHOP).countAdjustment.count({ where: { taskId: task.id } })).toBe(0);
  });

  it("a blind count never shows the counter the expected quantity; a count that is not blind does", async () => {
    const blind = await countOf(["MUG-BLUE"]);
    const sheet = await loadCountSheet(SHOP, blind.id, { now: next() });
    expect(sheet.blind).toBe(true);
    expect(sheet.lines.every((line) => !("expectedQuantity" in line))).toBe(true);
    expect((await blankCountSheet(SHOP, blind.id)).csv).not.toContain("Expected quantity");

    const open = await createCountTask(SHOP, { warehouseId: lax.warehouseId, inventoryItemIds: [lax.itemOf.get("MUG-RED")!], blind: false }, as(REVIEWER));
    await assignCountTask(SHOP, open.id, COUNTER, as(REVIEWER));
    await startCountTask(SHOP, open.id, as(COUNTER));
    const shown = await loadCountSheet(SHOP, open.id, { now: next() });
    expect(shown.lines[0]).toMatchObject({ warehouseSku: "MUG-RED", expectedQuantity: 12 });
  });

  it("a scanned barcode finds its line; an unknown barcode is refused on the spot, naming it", async () => {
    const task = await countOf(null, "full");
    expect(await lookUpCountLine(SHOP, task.id, "0012345678929")).toMatchObject({ matchedBy: "barcode", line: { warehouseSku: "LAMP-OAK", productTitle: "LAMP-OAK product" } });
    await expect(lookUpCountLine(SHOP, task.id, "NOT-HERE")).rejects.toThrow("SKU or barcode NOT-HERE is not on count");
    const scanned = await recordCount(SHOP, task.id, { code: "0012345678912", quantity: 11, bin: "A-01" }, as(COUNTER));
    expect(scanned).toMatchObject({ matchedBy: "barcode", recorded: "count", quantity: 11, line: { warehouseSku: "MUG-RED", bin: "A-01", countedQuantity: 11 } });
    // scanning the same SKU in a second bin adds to it
    expect((await recordCount(SHOP, task.id, { code: "mug-red", quantity: 2, mode: "add" }, as(COUNTER))).quantity).toBe(13);
    const refused = recordCount(SHOP, task.id, { code: "0099999999999", quantity: 1 }, as(COUNTER));
    await expect(refused).rejects.toBeInstanceOf(UnknownCodeError);
    await expect(refused).rejects.toThrow(/Barcode 0099999999999 is not on count CC-\d+/);
    await expect(recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: -1 }, as(COUNTER))).rejects.toThrow(/whole units/);
  });

  it("uncounted lines in a full count become 0 and are listed", async () => {
    const task = await countOf(null, "full");
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 20 }, as(COUNTER));
    await recordCount(SHOP, task.id, { code: "MUG-RED", quantity: 12 }, as(COUNTER));
    const before = await loadCountSheet(SHOP, task.id, { now: next() });
    expect(before.uncounted).toMatchObject({ treatment: "count_as_zero", blocksSubmission: false, skus: ["LAMP-OAK"] });

    const submitted = await submitCountTask(SHOP, task.id, as(COUNTER));
    expect(submitted.uncountedAsZero.map((line) => line.warehouseSku)).toEqual(["LAMP-OAK"]);
    await startCountReview(SHOP, task.id, as(REVIEWER));
    expect(await reviewLine(task.id, "LAMP-OAK")).toMatchObject({ countedAs: "uncounted_as_zero", quantityInEffect: 0, expectedQuantity: 7, varianceUnits: -7, varianceValue: "-217.00" });
    const events = (await getCountTask(SHOP, task.id)).events;
    expect(events.find((event) => event.toStatus === "submitted")?.note).toEqual({ key: "counted_as_zero", lines: 1 });
  });

  it("outside a full count, an uncounted line stops submission and is named", async () => {
    const task = await countOf(["MUG-BLUE", "LAMP-OAK"]);
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 20 }, as(COUNTER));
    const refused = submitCountTask(SHOP, task.id, as(COUNTER));
    await expect(refused).rejects.toBeInstanceOf(CountTaskError);
    await expect(refused).rejects.toThrow(/1 line not counted yet \(LAMP-OAK\)/);
  });

  it("a variance over the threshold cannot be approved without a recount or a note", async () => {
    const task = await countOf(["MUG-BLUE", "MUG-RED"]);
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 10 }, as(COUNTER)); // 10 short: over 5 units
    await recordCount(SHOP, task.id, { code: "MUG-RED", quantity: 11 }, as(COUNTER)); // 1 short: within
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    const refused = approveCountTask(SHOP, task.id, {}, as(REVIEWER));
    await expect(refused).rejects.toMatchObject({ code: "variance_needs_recount_or_note", skus: ["MUG-BLUE"] });
    expect((await getCountTask(SHOP, task.id)).task.status).toBe("review");

    const line = await reviewLine(task.id, "MUG-BLUE");
    await setLineReason(SHOP, task.id, line.lineId, { reason: "lost", note: "Carton of 10 missing from A-01, reported to the 3PL" }, as(REVIEWER));
    const approved = await approveCountTask(SHOP, task.id, {}, as(REVIEWER));
    expect(approved.status).toBe("approved");
    const adjustments = await forShop(SHOP).countAdjustment.findMany({ where: { taskId: task.id }, orderBy: { delta: "asc" } });
    expect(adjustments.map((a) => a.delta)).toEqual([-10, -1]);
    expect(new Set(adjustments.map((a) => a.idempotencyKey)).size).toBe(2);
    // the posting job was queued with the approval
    expect(await forShop(SHOP).job.count({ where: { type: "counts.post" } })).toBe(1);
  });

  it("two matching counts are accepted: a recount that confirms the variance needs no note", async () => {
    const task = await countOf(["MUG-BLUE"]);
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 10 }, as(COUNTER));
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    await requestRecount(SHOP, task.id, { note: "Check A-01 and the overflow shelf" }, as(REVIEWER));
    await startCountTask(SHOP, task.id, as(COUNTER));
    // a sale between the two counts: the recount finds one fewer and still matches the first count
    await warehouseReports(SHOP, lax, "MUG-BLUE", 19, next(), { reserved: 1 });
    const recount = await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 9 }, as(COUNTER));
    expect(recount.recorded).toBe("recount");
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    expect(await reviewLine(task.id, "MUG-BLUE")).toMatchObject({ countedQuantity: 10, recountQuantity: 9, expectedQuantity: 19, varianceUnits: -10, resolution: "confirmed_by_recount" });
    await expect(approveCountTask(SHOP, task.id, {}, as(REVIEWER))).resolves.toMatchObject({ status: "approved" });
  });

  it("a recount that disagrees with the first count still needs a note", async () => {
    const task = await countOf(["MUG-BLUE"]);
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 10 }, as(COUNTER));
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    await requestRecount(SHOP, task.id, {}, as(REVIEWER));
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 13 }, as(COUNTER));
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    await expect(approveCountTask(SHOP, task.id, {}, as(REVIEWER))).rejects.toMatchObject({ code: "variance_needs_recount_or_note" });
  });

  it("every move is kept with who made it and when", async () => {
    const task = await countOf(["LAMP-OAK"]);
    await recordCount(SHOP, task.id, { code: "LAMP-OAK", quantity: 7 }, as(COUNTER));
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    await approveCountTask(SHOP, task.id, { note: "All good" }, as(REVIEWER));
    const { events } = await getCountTask(SHOP, task.id);
    expect(events.map((event) => [event.actor, event.fromStatus, event.toStatus])).toEqual([
      [REVIEWER, null, "draft"],
      [REVIEWER, "draft", "assigned"],
      [COUNTER, "assigned", "in_progress"],
      [COUNTER, "in_progress", "submitted"],
      [REVIEWER, "submitted", "review"],
      [REVIEWER, "review", "approved"],
    ]);
    expect(events.every((event, i) => i === 0 || event.at > events[i - 1]!.at)).toBe(true);
  });
});

describe("count sheets", () => {
  const csv = [
    "SKU,Barcode,Bin,Counted quantity", // line 1
    "MUG-BLUE,,A-01,19", // line 2: good
    "MUG-GREEN,,A-02,4", // line 3: not on the count
    ",0012345678912,A-03,12", // line 4: good, by barcode
    "LAMP-OAK,,B-01,seven", // line 5: not a number
  ].join("\r\n");

  it("CSV import reports each bad row by line number and imports none of a file with errors unless told to skip them", async () => {
    const task = await countOf(null, "full");
    const refused = await importCountSheetCsv(SHOP, task.id, csv, as(COUNTER));
    expect(refused.blocked).toBe(true);
    expect(refused.imported).toBe(0);
    expect(refused.errors.map((error) => [error.fileLine, error.code])).toEqual([
      [3, "unknown_sku"],
      [5, "invalid_quantity"],
    ]);
    expect(refused.errors[0]!.message).toBe("Line 3: SKU MUG-GREEN is not on this count");
    expect(await forShop(SHOP).countLine.count({ where: { taskId: task.id, countedQuantity: { not: null } } })).toBe(0);

    const skipped = await importCountSheetCsv(SHOP, task.id, csv, { ...as(COUNTER), skipInvalid: true, fileName: "lax-count.csv" });
    expect(skipped).toMatchObject({ blocked: false, imported: 2 });
    expect(skipped.errors.map((error) => error.fileLine)).toEqual([3, 5]);
    const sheet = await loadCountSheet(SHOP, task.id, { now: next() });
    expect(sheet.lines.map((line) => [line.warehouseSku, line.bin, line.countedQuantity])).toEqual([
      ["MUG-BLUE", "A-01", 19],
      ["MUG-RED", "A-03", 12],
      ["LAMP-OAK", null, null],
    ]);
    expect((await getCountTask(SHOP, task.id)).events.at(-1)?.note).toEqual({ key: "imported", counts: 2, skipped: 2, file: "lax-count.csv", warehouse: null });
  });

  it("a blank sheet lists every line to count in walking order, ready to import back", async () => {
    const task = await countOf(null, "full");
    const { csv: blank, fileName } = await blankCountSheet(SHOP, task.id);
    expect(fileName).toMatch(/^CC-\d+-count-sheet\.csv$/);
    const rows = blank.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(rows[0]).toBe("SKU,Barcode,Product,Bin,Counted quantity");
    expect(rows.slice(1).map((row) => row.split(",")[0])).toEqual(["LAMP-OAK", "MUG-BLUE", "MUG-RED"]);
    const filled = [rows[0], ...rows.slice(1).map((row) => `${row}5`)].join("\r\n");
    await expect(importCountSheetCsv(SHOP, task.id, filled, as(COUNTER))).resolves.toMatchObject({ blocked: false, imported: 3, errors: [] });
  });

  it("importing a count from a warehouse whose API has no counts says it is not supported", async () => {
    const task = await countOf(null, "full");
    const result = await importCountFromWarehouse(SHOP, task.id, as(COUNTER));
    expect(result).toEqual({ supported: false, message: expect.stringContaining("not supported by this warehouse") });
  });
});

describe("discrepancy report", () => {
  it("an approved count's lines are in the period report and the finance export, with who approved them", async () => {
    const task = await countOf(["MUG-BLUE", "MUG-RED", "LAMP-OAK"]);
    await recordCount(SHOP, task.id, { code: "MUG-BLUE", quantity: 18 }, as(COUNTER)); // -2 x 4.25
    await recordCount(SHOP, task.id, { code: "MUG-RED", quantity: 12 }, as(COUNTER));
    await recordCount(SHOP, task.id, { code: "LAMP-OAK", quantity: 8 }, as(COUNTER)); // +1 x 31.00
    await submitCountTask(SHOP, task.id, as(COUNTER));
    await startCountReview(SHOP, task.id, as(REVIEWER));
    const review = await loadCountReview(SHOP, task.id, { now: next() });
    await setLineReason(SHOP, task.id, review.lines.find((l) => l.warehouseSku === "LAMP-OAK")!.lineId, { reason: "found" }, as(REVIEWER));
    // before approval, the period report does not count it
    expect((await loadDiscrepancyReport(SHOP, {})).report.totals.linesCounted).toBe(0);
    await approveCountTask(SHOP, task.id, {}, as(REVIEWER));

    const { report, counts } = await loadDiscrepancyReport(SHOP, { warehouseId: lax.warehouseId, now: next() });
    expect(counts).toBe(1);
    expect(report.totals).toMatchObject({ linesCounted: 3, linesWithVariance: 2, unitsOver: 1, unitsShort: 2, valueOver: "31.00", valueShort: "8.50", netShrinkValue: "-22.50" });
    expect(report.totals.lineAccuracy).toMatchObject({ percent: "33.33", meetsTarget: false });
    expect(report.byReason.found.linesCounted).toBe(1);
    expect((await loadDiscrepancyReport(SHOP, { reason: "found" })).report.totals.linesCounted).toBe(1);

    const rows = (await financeCsv(SHOP, {})).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(rows[0]).toBe("Count,SKU,Product,Warehouse,Bin,Expected,Counted,Variance units,Unit cost,Variance value,Reason,Note,Counted at,Approved by,Posted at,Warehouse adjusted");
    const blue = rows.find((row) => row.includes(",MUG-BLUE,"))!.split(",");
    expect(blue.slice(1, 12)).toEqual(["MUG-BLUE", "MUG-BLUE product", "Los Angeles", "", "20", "18", "-2", "4.25", "-8.50", "", ""]);
    expect(blue[13]).toBe(REVIEWER);
    expect(blue[15]).toBe("pending");

    // the Dashboard: accuracy of the last 30 days against the shop's target
    expect(await dashboardCountAccuracy(SHOP, { now: next() })).toMatchObject({
      targetPercent: "99.50",
      linesCounted: 3,
      lineAccuracy: { percent: "33.33", meetsTarget: false },
      unitAccuracy: { percent: "92.30", meetsTarget: false },
    });
  });
});
