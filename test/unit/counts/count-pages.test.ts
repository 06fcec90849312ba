// The count pages' own rules, without a browser: what their URLs mean, the plan form checked field by
// field, and every refused action and bad CSV row said in both languages.
import { describe, expect, it } from "vitest";
import { readPlanSettings } from "~/counts/plan-settings";
import type { CountSheetErrorCode } from "~/counts/count-sheet-csv";
import { CountTaskError, type CountTaskErrorCode } from "~/counts/task-status";
import { isMessageKey, translator } from "~/i18n";
import { actorText, countProblemText, planSummary, sheetErrorText } from "~/components/counts/count-text";
import { readCountNote, storeCountNote, type CountNote } from "~/counts/count-note";
import { staffActor } from "~/models/counts/count-pages.server";
import { timelineNote } from "~/components/counts/timeline-notes";
import { countListParams, parseCountListQuery, statusesToList } from "~/models/counts/count-list";
import { countProblem } from "~/models/counts/count-problem";
import { discrepancyParams, parseDiscrepancyQuery, reportQuery } from "~/models/counts/discrepancy-query";
import { CountNotCountableError, UnknownCodeError, type CountErrorCode } from "~/models/counts/errors";
import { checkPlanFields, emptyPlanFields, planFieldsOf, readPlanFields, skuList, type PlanFields } from "~/models/counts/plan-fields";
import { validateCountPlan } from "~/models/counts/plan-form";

const en = translator("en");
const zh = translator("zh-CN");

function fields(changes: Partial<PlanFields>): PlanFields {
  return { ...emptyPlanFields(), name: "Daily cycle count", ...changes };
}

describe("the Counts list's URL", () => {
  it("keeps only what it understands, and leaves defaults out of the URL", () => {
    const query = parseCountListQuery(new URLSearchParams("view=review&status=review,bogus,submitted&warehouse=w1&due=overdue&q=%20MUG%20&page=3"));
    expect(query).toEqual({ view: "review", statuses: ["review", "submitted"], warehouseId: "w1", planId: null, due: "overdue", search: "MUG", page: 3 });
    expect(parseCountListQuery(new URLSearchParams("view=nope&due=soon&page=-2"))).toMatchObject({ view: "open", due: null, page: 1 });
    expect(countListParams(query).toString()).toBe("view=review&status=review%2Csubmitted&warehouse=w1&due=overdue&q=MUG&page=3");
    expect(countListParams(parseCountListQuery(new URLSearchParams())).toString()).toBe("");
  });

  it("a status chosen in the filter narrows the tab; one outside it lists nothing", () => {
    expect(statusesToList({ view: "open", statuses: [] })).toEqual(["draft", "assigned", "in_progress", "submitted", "review", "recount", "approved"]);
    expect(statusesToList({ view: "all", statuses: [] })).toBeUndefined();
    expect(statusesToList({ view: "counting", statuses: ["recount", "posted"] })).toEqual(["recount"]);
    expect(statusesToList({ view: "posted", statuses: ["draft"] })).toEqual([]);
    expect(statusesToList({ view: "all", statuses: ["cancelled"] })).toEqual(["cancelled"]);
  });
});

describe("the Discrepancies page's URL", () => {
  const now = new Date("2026-06-10T12:00:00Z");

  it("is the last 12 weeks by default, filtered by warehouse, class and reason", () => {
    const query = parseDiscrepancyQuery(new URLSearchParams("warehouse=w1&class=A&reason=lost"));
    expect(reportQuery(query, now)).toEqual({ from: new Date("2026-03-18T12:00:00Z"), to: new Date(now.getTime() + 1), warehouseId: "w1", abcClass: "A", reason: "lost", now });
    expect(discrepancyParams(query).toString()).toBe("warehouse=w1&class=A&reason=lost");
  });

  it("one count replaces the period; unknown values are ignored", () => {
    const query = parseDiscrepancyQuery(new URLSearchParams("count=t1&weeks=7&class=D&reason=stolen"));
    expect(query).toEqual({ weeks: 12, taskId: "t1", warehouseId: null, abcClass: null, reason: null });
    expect(reportQuery(query, now)).toEqual({ taskId: "t1", now });
    expect(reportQuery(parseDiscrepancyQuery(new URLSearchParams("weeks=52")), now).from).toEqual(new Date(now.getTime() - 52 * 7 * 86_400_000));
  });
});

describe("the count plan form", () => {
  it("builds each kind's settings, which the plan's own rules accept", () => {
    const cases: Array<[Partial<PlanFields>, unknown]> = [
      [
        { kind: "rolling", everyDays: "30", dailyLines: "40" },
        { kind: "rolling", everyDays: 30, dailyLines: 40 },
      ],
      [{ kind: "abc" }, { kind: "abc" }],
      [
        { kind: "abc", cadenceA: "7", cadenceB: "14", cadenceC: "60", thresholdA: "70", thresholdB: "90" },
        { kind: "abc", cadenceDays: { A: 7, B: 14, C: 60 }, thresholds: { aPercent: 70, bPercent: 90 } },
      ],
      [
        { kind: "full", countOn: "2026-07-01" },
        { kind: "full", countOn: "2026-07-01" },
      ],
      [
        { kind: "campaign", scopeBy: "tag", tag: "live-0612", dueOn: "2026-06-12", dueTime: "18:00" },
        { kind: "campaign", scope: { by: "tag", tag: "live-0612" }, dueAt: new Date("2026-06-12T10:00:00Z") },
      ],
      [
        { kind: "campaign", scopeBy: "collection", collectionId: "4382910", dueOn: "2026-06-12", dueTime: "09:30" },
        { kind: "campaign", scope: { by: "collection", collectionId: "gid://shopify/Collection/4382910" }, dueAt: new Date("2026-06-12T01:30:00Z") },
      ],
      [
        { kind: "exception", driftUnits: "3" },
        { kind: "exception", driftUnits: 3 },
      ],
      [{ kind: "exception" }, { kind: "exception" }],
    ];
    for (const [changes, settings] of cases) {
      const checked = checkPlanFields(fields(changes), "Asia/Shanghai");
      expect(checked.errors, JSON.stringify(changes)).toBeUndefined();
      expect(validateCountPlan(checked.input!).values?.settings, JSON.stringify(changes)).toEqual(settings);
    }
  });

  it("says what is wrong next to each field, in words both languages have", () => {
    const checked = checkPlanFields(fields({ name: "", kind: "rolling", everyDays: "0", dailyLines: "" }), "UTC");
    expect(checked.errors).toEqual({
      name: { key: "counts.plan.errors.name" },
      everyDays: { key: "counts.plan.errors.wholeNumber", vars: { min: 1, max: 365 } },
      dailyLines: { key: "counts.plan.errors.required" },
    });
    expect(checkPlanFields(fields({ kind: "abc", cadenceA: "7", thresholdB: "90" }), "UTC").errors).toEqual({
      cadenceB: { key: "counts.plan.errors.cadenceAll" },
      cadenceC: { key: "counts.plan.errors.cadenceAll" },
      thresholdA: { key: "counts.plan.errors.thresholdBoth" },
    });
    expect(checkPlanFields(fields({ kind: "abc", cadenceA: "30", cadenceB: "7", cadenceC: "90" }), "UTC").errors).toEqual({ cadenceB: { key: "counts.plan.errors.cadenceOrder" } });
    expect(checkPlanFields(fields({ kind: "campaign", scopeBy: "collection", collectionId: "summer", dueOn: "2026-13-01" }), "UTC").errors).toEqual({
      collectionId: { key: "counts.plan.errors.collection" },
      dueOn: { key: "counts.plan.errors.day" },
    });
    expect(checkPlanFields(fields({ kind: "full", countOn: "" }), "UTC").errors).toEqual({ countOn: { key: "counts.plan.errors.day" } });
    const all = [
      checkPlanFields(fields({ name: "x".repeat(200), kind: "weekly" }), "UTC").errors,
      checkPlanFields(fields({ kind: "campaign", scopeBy: "products", productSkus: " ", dueOn: "2026-06-01", dueTime: "25:00" }), "UTC").errors,
      checkPlanFields(fields({ kind: "campaign", scopeBy: "tag", tag: "", dueOn: "2026-06-01", dueTime: "9" }), "UTC").errors,
    ].flatMap((errors) => Object.values(errors ?? {}));
    expect(all.length).toBeGreaterThan(4);
    for (const error of all) {
      expect(isMessageKey(error!.key), error!.key).toBe(true);
      expect(zh(error!.key as never, error!.vars)).not.toMatch(/\{\w+\}/);
    }
  });

  it("a campaign by products carries the SKUs typed, one per line or separated by commas", () => {
    expect(skuList(" MUG-1\nMUG-2, MUG-3，MUG-1 ")).toEqual(["MUG-1", "MUG-2", "MUG-3"]);
    const checked = checkPlanFields(fields({ kind: "campaign", scopeBy: "products", productSkus: "MUG-1\nMUG-2", dueOn: "2026-06-12", dueTime: "18:00" }), "UTC");
    expect(checked.productSkus).toEqual(["MUG-1", "MUG-2"]);
  });

  it("a stored plan comes back as the same fields, the due time in the shop's time zone", () => {
    const typed = fields({ kind: "campaign", scopeBy: "products", productSkus: "MUG-1\nMUG-2", dueOn: "2026-06-12", dueTime: "18:00" });
    const input = checkPlanFields(typed, "America/Los_Angeles").input!;
    input.settings = { ...(input.settings as object), scope: { by: "products", productIds: ["gid://shopify/Product/1"] } };
    const stored = readPlanSettings("campaign", input.settings).settings!;
    expect(planFieldsOf({ name: typed.name, kind: "campaign", warehouseId: null, settings: stored }, "America/Los_Angeles", () => ["MUG-1", "MUG-2"])).toEqual(typed);
    const rolling = fields({ kind: "rolling", everyDays: "45", dailyLines: "12", warehouseId: "w1" });
    expect(planFieldsOf({ name: rolling.name, kind: "rolling", warehouseId: "w1", settings: { kind: "rolling", everyDays: 45, dailyLines: 12 } }, "UTC")).toEqual(rolling);
    expect(readPlanFields({ name: " A ", kind: "full", countOn: 3 })).toMatchObject({ name: "A", kind: "full", countOn: "" });
  });

  it("a plan's schedule in one sentence", () => {
    const context = { abcCadence: { A: 7, B: 30, C: 90 }, locale: "en" as const, timeZone: "UTC" };
    expect(planSummary({ kind: "rolling", everyDays: 30, dailyLines: 25 }, context, en)).toBe("Every SKU every 30 days, up to 25 lines a day");
    expect(planSummary({ kind: "abc" }, context, en)).toBe("Class A every 7 days, B every 30 days, C every 90 days (the shop's settings)");
    expect(planSummary({ kind: "full", countOn: "2026-07-01" }, context, en)).toBe("Every SKU on Jul 1, 2026");
    expect(planSummary({ kind: "campaign", scope: { by: "tag", tag: "live" }, dueAt: new Date("2026-06-12T18:00:00Z") }, { ...context, locale: "zh-CN" }, zh)).toBe(
      "带标签“live”的商品，2026年6月12日 18:00 前完成"
    );
  });
});

describe("refused count actions, in the merchant's language", () => {
  // Every code each error can carry: a new code without a translation fails here.
  const taskCodes: Record<CountTaskErrorCode, true> = { not_allowed: true, uncounted_lines: true, variance_needs_recount_or_note: true, missing_assignee: true };
  const countCodes: Record<CountErrorCode, true> = {
    count_not_found: true,
    plan_not_found: true,
    line_not_found: true,
    warehouse_not_found: true,
    not_countable: true,
    unknown_sku: true,
    unknown_barcode: true,
    ambiguous_barcode: true,
    invalid_quantity: true,
    invalid_reason: true,
    count_changed: true,
    warehouse_not_linked: true,
    not_editable: true,
  };
  const sheetCodes: Record<CountSheetErrorCode, true> = {
    unreadable_file: true,
    missing_column: true,
    duplicate_column: true,
    too_many_fields: true,
    no_sku_or_barcode: true,
    unknown_sku: true,
    unknown_barcode: true,
    barcode_turned_into_number: true,
    sku_and_barcode_disagree: true,
    ambiguous_barcode: true,
    bin_not_on_count: true,
    bin_needed: true,
    missing_quantity: true,
    invalid_quantity: true,
    duplicate_row: true,
  };

  it("every error code of counts and of CSV rows has a message", () => {
    for (const code of [...Object.keys(taskCodes), ...Object.keys(countCodes)]) expect(isMessageKey(`counts.error.${code}`), code).toBe(true);
    for (const code of Object.keys(sheetCodes)) expect(isMessageKey(`counts.csvError.${code}`), code).toBe(true);
  });

  it("names the count, the code scanned, the status and the SKUs", () => {
    const unknown = countProblem(new UnknownCodeError(1042, "0000000000017", "unknown_barcode"))!;
    expect(countProblemText(unknown, en)).toBe("Barcode 0000000000017 is not on count CC-1042. Check the label, or count it on another count.");
    expect(countProblemText(unknown, zh)).toBe("条码 0000000000017 不在盘点 CC-1042 中。请核对标签，或在其他盘点中清点。");
    expect(countProblemText(countProblem(new CountNotCountableError(1042, "submitted"))!, zh)).toBe("盘点 CC-1042 当前为“已提交”：只有盘点或复盘进行中才能录入数量。");
    const refused = new CountTaskError("English", {
      code: "variance_needs_recount_or_note",
      taskNumber: 7,
      status: "review",
      action: "approve",
      skus: ["A", "B", "C", "D", "E", "F", "G"],
    });
    expect(countProblemText(countProblem(refused)!, en)).toBe("Count CC-7 can't be approved: 7 line(s) need a recount or a note (A, B, C, D, E and 2 more).");
    const notAllowed = new CountTaskError("English", { code: "not_allowed", taskNumber: 7, status: "posted", action: "cancel" });
    expect(countProblemText(countProblem(notAllowed)!, zh)).toBe("盘点 CC-7 当前为“已过账”，现在不能取消。");
    expect(countProblem(new Error("boom"))).toBeNull();
    expect(countProblemText({ code: "something_new", message: "As the server said it" }, zh)).toBe("As the server said it");
  });

  it("a bad CSV row by its line in the file", () => {
    expect(sheetErrorText({ fileLine: 7, code: "unknown_sku", message: "Line 7: SKU MUG-9 is not on this count" }, zh)).toBe("第 7 行：该 SKU 不在本次盘点中。");
    expect(sheetErrorText({ fileLine: 3, code: "brand_new", message: "Line 3: as written" }, en)).toBe("Line 3: as written");
  });

  it("the history's notes TallySync stores are said in the reader's language; a person's words stay as written", () => {
    const said = (note: CountNote) => {
      const read = readCountNote(storeCountNote(note))!;
      return [timelineNote(read, en), timelineNote(read, zh)];
    };
    expect(said({ key: "to_count", lines: 3 })).toEqual(["3 line(s) to count", "待盘点 3 行"]);
    expect(said({ key: "assigned", assignee: "staff:12345" })).toEqual(["Assigned to Staff member 12345", "分配给 员工 12345"]);
    expect(said({ key: "assigned", assignee: "lee@example.com" })).toEqual(["Assigned to lee@example.com", "分配给 lee@example.com"]);
    expect(said({ key: "counted_as_zero", lines: 2 })).toEqual(["2 line(s) not counted, counted as 0", "2 行未盘，按 0 计"]);
    expect(said({ key: "to_recount", lines: 2, text: "Shelf was blocked" })).toEqual(["Shelf was blocked · 2 line(s) to recount", "Shelf was blocked · 需复盘 2 行"]);
    expect(said({ key: "posted", posted: 3, total: 3, warehouse: "not_supported" })).toEqual([
      "3 of 3 adjustment(s) posted to Shopify; the warehouse was not adjusted (its API cannot).",
      "已向 Shopify 过账 3 / 3 项调整；仓库未调整（其 API 不支持）。",
    ]);
    expect(said({ key: "planned", plan: "Daily (LAX1)", lines: 25, details: [] })).toEqual(["Planned by “Daily (LAX1)”: 25 line(s).", "由计划“Daily (LAX1)”生成：25 行。"]);
    expect(said({ key: "raised", lines: 1, details: ["Shopify showed 9 units more than it should for SKU-07"] })[1]).toBe(
      "由 TallySync 自动发起：1 行。 Shopify showed 9 units more than it should for SKU-07."
    );
    expect(said({ key: "imported", counts: 12, skipped: 2, file: "盘点表.csv", warehouse: null })).toEqual([
      "Imported 12 count(s) from 盘点表.csv; 2 bad row(s) skipped",
      "从 盘点表.csv 导入了 12 个盘点数量；跳过 2 个有问题的行",
    ]);
    expect(said({ key: "imported", counts: 3, skipped: 0, file: null, warehouse: "Los Angeles" })[1]).toBe("从 Los Angeles 自己的盘点结果导入了 3 个盘点数量");
    expect(said({ key: "imported", counts: 3, skipped: 0, file: null, warehouse: null })[1]).toBe("从 一个 CSV 文件 导入了 3 个盘点数量");
    expect(said({ key: "line_reason", sku: "MUG-1", reason: "damaged", note: "Crushed, set aside" })).toEqual([
      "MUG-1: reason Damaged, note “Crushed, set aside”",
      "MUG-1：原因：损坏，备注：“Crushed, set aside”",
    ]);
    expect(said({ key: "line_reason", sku: "MUG-1", reason: null, note: null })[1]).toBe("MUG-1：已清除原因和备注");
    // A person's words are never taken for one of ours.
    expect(said({ key: "said", text: "Assigned to lee@example.com" })).toEqual(["Assigned to lee@example.com", "Assigned to lee@example.com"]);
  });

  it("the history's notes older rows hold in English are said again; a person's note stays as written", () => {
    expect(timelineNote("Assigned to lee@example.com", zh)).toBe("分配给 lee@example.com");
    expect(timelineNote("Shelf was blocked - 2 lines to recount", zh)).toBe("Shelf was blocked · 需复盘 2 行");
    expect(timelineNote("3 of 3 adjustment(s) posted to Shopify; warehouse not adjusted (its API cannot)", zh)).toBe(
      "已向 Shopify 过账 3 / 3 项调整；仓库未调整（其 API 不支持）。"
    );
    expect(timelineNote('Planned by "Daily (LAX1)". 25 lines', zh)).toBe("由计划“Daily (LAX1)”生成：25 行。");
    expect(timelineNote('MUG-1: reason damaged, note "Crushed, set aside"', zh)).toBe("MUG-1: 原因：损坏，备注：“Crushed, set aside”");
    expect(timelineNote("Imported 12 count(s) from sheet.csv; 2 bad row(s) skipped", en)).toBe("Imported 12 count(s) from sheet.csv; 2 bad row(s) skipped");
    expect(timelineNote("Counted twice, both times short", zh)).toBe("Counted twice, both times short");
  });
});

describe("who did something to a count", () => {
  it("the staff member whose session token came with the request, by their user id", () => {
    const session = { shop: "shop.myshopify.com", onlineAccessInfo: undefined };
    expect(staffActor({ session, sessionToken: { sub: "12345" } })).toBe("staff:12345");
    // Without a token (not embedded), as before: the online session's user, else the shop.
    expect(staffActor({ session })).toBe("shop.myshopify.com");
    expect(staffActor({ session, sessionToken: { sub: "" } })).toBe("shop.myshopify.com");
    const online = { shop: "shop.myshopify.com", onlineAccessInfo: { associated_user: { id: 77, email: "lee@example.com", first_name: "Lee", last_name: "Wu" } } } as never;
    expect(staffActor({ session: online })).toBe("lee@example.com");
    expect(staffActor({ session: online, sessionToken: { sub: "77" } })).toBe("staff:77");
  });

  it("is said readably in both languages", () => {
    expect([actorText("staff:12345", en), actorText("staff:12345", zh)]).toEqual(["Staff member 12345", "员工 12345"]);
    expect([actorText("system", en), actorText("scheduler", zh)]).toEqual(["TallySync", "TallySync"]);
    expect(actorText("lee@example.com", zh)).toBe("lee@example.com");
  });
});
