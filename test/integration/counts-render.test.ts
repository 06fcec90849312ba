// The count pages rendered by the app's own Remix build for an authenticated shop, and their actions
// called as the pages call them: the Counts list and plans, a count made by hand, a count from
// assignment to approval (scanner lookups, CSV import by line number, review, reasons), posting
// progress, the Discrepancies report with its finance CSV, and the Dashboard's accuracy.
import type { ActionFunctionArgs } from "@remix-run/node";
import { getJwt, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ViteDevServer } from "vite";
import { ACCESS_SCOPES } from "~/config.server";
import { forShop } from "~/db/tenant.server";
import { postCountTask, type CountShopifyGateway } from "~/models/counts/posting.server";
import { createCountTask } from "~/models/counts/tasks.server";
import { translator } from "~/i18n";
import type { WarehouseConnector } from "~/warehouses/connector";
import { gbkBytes } from "../helpers/gbk";
import { sessionStorage } from "~/shopify.server";
import { loadAppForRendering } from "../helpers/render-app";
import { seedShop, seedWarehouse, type SeededWarehouse } from "../helpers/counts";

const SHOP = "counts-render.myshopify.com";
const OTHER = "counts-render-other.myshopify.com";
const store = SHOP.replace(".myshopify.com", "");

let vite: ViteDevServer;
let handle: (request: Request) => Promise<Response>;
let lax: SeededWarehouse;
let otherTaskId = "";

async function authenticated(type: RequestType, pathname: string, query: Record<string, string> = {}, init: RequestInit = {}): Promise<Request> {
  const url = new URL(`http://localhost:3000${pathname}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return setUpValidRequest({ type, store, apiKey: process.env.SHOPIFY_API_KEY!, apiSecretKey: process.env.SHOPIFY_API_SECRET! }, new Request(url, init));
}

async function page(pathname: string, query: Record<string, string> = {}): Promise<string> {
  const response = await handle(await authenticated(RequestType.Admin, pathname, query));
  expect(response.status, await response.clone().text()).toBe(200);
  return response.text();
}

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

/** A request from the embedded admin of the staff member with this user id (the session token's `sub`). */
async function fromStaff(userId: string, pathname: string, init: RequestInit): Promise<Request> {
  const { token } = await getJwt(store, process.env.SHOPIFY_API_KEY!, process.env.SHOPIFY_API_SECRET!, { sub: userId });
  const request = new Request(new URL(`http://localhost:3000${pathname}`), init);
  request.headers.set("authorization", `Bearer ${token}`);
  return request;
}

/** An action's answer: its data, and its status when it set one (422, 409...); by the staff member given, else the test helpers' user. */
async function post(action: Action, pathname: string, form: Record<string, string> | FormData, params: Record<string, string> = {}, userId?: string): Promise<{ status: number; data: any }> {
  const body = form instanceof FormData ? form : new URLSearchParams(form);
  const init = { method: "POST", body };
  const request = userId ? await fromStaff(userId, pathname, init) : await authenticated(RequestType.Bearer, pathname, {}, init);
  const result = (await action({ request, params, context: {} })) as any;
  if (result instanceof Response) return { status: result.status, data: result };
  if (result && result.type === "DataWithResponseInit") return { status: result.init?.status ?? 200, data: result.data };
  return { status: 200, data: result };
}

beforeAll(async () => {
  await sessionStorage.storeSession(setUpValidSession({ shop: SHOP, isOnline: false, scope: ACCESS_SCOPES.join(","), expires: new Date(Date.now() + 3_600_000) }));
  await seedShop(SHOP, { varianceThresholdUnits: 5, varianceThresholdValue: "50" });
  lax = await seedWarehouse(SHOP, {
    code: "LAX1",
    name: "Los Angeles",
    locationId: "gid://shopify/Location/1",
    skus: [
      { sku: "MUG-BLUE", sellable: 20, barcode: "0012345678905", unitCost: "4.25", title: "Ceramic Mug" },
      { sku: "MUG-RED", sellable: 12, barcode: "0012345678912", unitCost: "4.25", title: "Ceramic Mug" },
      { sku: "LAMP-OAK", sellable: 7, barcode: "0012345678929", unitCost: "31.00", title: "Oak Lamp" },
    ],
  });
  await seedShop(OTHER);
  const other = await seedWarehouse(OTHER, { code: "SECRET", skus: [{ sku: "SECRET-SKU", sellable: 3 }] });
  otherTaskId = (await createCountTask(OTHER, { warehouseId: other.warehouseId, kind: "full" }, { actor: "someone" })).id;
  ({ vite, handle } = await loadAppForRendering());
}, 120_000);

afterAll(async () => {
  await vite?.close();
});

describe("the Counts page", () => {
  it("lists the shop's counts with status, warehouse, plan and progress, the plans, and the exception counts TallySync raises", async () => {
    const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, inventoryItemIds: [lax.itemOf.get("MUG-BLUE")!] }, { actor: "sam@example.com" });
    const html = await page("/app/counts");
    for (const text of [
      task.label,
      "Draft",
      "Campaign count",
      "Los Angeles",
      "Made by hand",
      "0 of 1",
      "Count plans",
      "Exception counts",
      "Raised by TallySync",
      "Run scheduler now",
      "New count",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).toContain(`/app/counts/${task.id}`);
    expect(html).not.toContain("SECRET");
    // The daily scheduler run is queued once (asking again adds nothing).
    await page("/app/counts");
    expect(await forShop(SHOP).job.count({ where: { type: "counts.schedule", dedupeKey: "counts:daily" } })).toBe(1);
  });

  it("filters by due date: an overdue count carries its badge, and the others are left out", async () => {
    const late = await createCountTask(
      SHOP,
      { warehouseId: lax.warehouseId, inventoryItemIds: [lax.itemOf.get("MUG-RED")!], dueAt: new Date(Date.now() - 86_400_000) },
      { actor: "sam@example.com" }
    );
    const html = await page("/app/counts", { due: "overdue" });
    expect(html).toContain(late.label);
    expect(html).toContain("Overdue");
    expect(html).not.toContain(`CC-${late.number - 1}<`);
    expect(await page("/app/counts", { q: late.label })).toContain(late.label);
  });

  it("speaks Simplified Chinese", async () => {
    const html = await page("/app/counts", { locale: "zh-CN" });
    for (const text of ["盘点计划", "新建盘点", "立即运行排程", "专项盘点", "草稿"]) expect(html, text).toContain(text);
  });
});

describe("count plans", () => {
  it("a plan's form answers each problem next to its field (422) and saves nothing", async () => {
    const { action } = await import("~/routes/app.counts_.plans.$planId");
    const refused = await post(action, "/app/counts/plans/new", { name: "", kind: "rolling", everyDays: "0", dailyLines: "25" }, { planId: "new" });
    expect(refused.status).toBe(422);
    expect(refused.data.errors).toEqual({ name: { key: "counts.plan.errors.name" }, everyDays: { key: "counts.plan.errors.wholeNumber", vars: { min: 1, max: 365 } } });
    const unknown = await post(
      action,
      "/app/counts/plans/new",
      { name: "Live", kind: "campaign", scopeBy: "products", productSkus: "MUG-BLUE\nNOPE-1", dueOn: "2030-06-12", dueTime: "18:00" },
      { planId: "new" }
    );
    expect(unknown.data.errors).toEqual({ productSkus: { key: "counts.plan.errors.unknownSkus", vars: { skus: "NOPE-1", count: 1 } } });
    expect(await forShop(SHOP).countPlan.count()).toBe(0);
  });

  it("creates and edits plans of each kind; the edit form shows the stored plan", async () => {
    const { action } = await import("~/routes/app.counts_.plans.$planId");
    const created = await post(
      action,
      "/app/counts/plans/new",
      { name: "Before the live stream", kind: "campaign", warehouseId: lax.warehouseId, scopeBy: "products", productSkus: "MUG-BLUE", dueOn: "2030-06-12", dueTime: "18:00" },
      { planId: "new" }
    );
    expect(created.status).toBe(200);
    const plan = await forShop(SHOP).countPlan.findUniqueOrThrow({ where: { id: created.data.plan.id } });
    expect(JSON.parse(plan.settings)).toEqual({ scope: { by: "products", productIds: ["gid://shopify/Product/MUG-BLUE"] }, dueAt: "2030-06-12T18:00:00.000Z" });
    const edit = await page(`/app/counts/plans/${plan.id}`);
    for (const text of ["Edit plan: Before the live stream", 'value="2030-06-12"', 'value="18:00"', "MUG-BLUE"]) expect(edit, text).toContain(text);

    const rolling = await post(
      action,
      "/app/counts/plans/new",
      { name: "Daily cycle count", kind: "rolling", warehouseId: lax.warehouseId, everyDays: "30", dailyLines: "2" },
      { planId: "new" }
    );
    const updated = await post(
      action,
      `/app/counts/plans/${rolling.data.plan.id}`,
      { name: "Daily cycle count", kind: "rolling", warehouseId: lax.warehouseId, everyDays: "10", dailyLines: "2" },
      { planId: rolling.data.plan.id }
    );
    expect(updated.status).toBe(200);
    const list = await page("/app/counts");
    expect(list).toContain("Every SKU every 10 days, up to 2 lines a day");
    expect(list).toContain("1 chosen product(s), due");
  });

  it("Run scheduler now makes today's counts from the plans at once, and says which", async () => {
    const { action } = await import("~/routes/app.counts");
    const run = await post(action, "/app/counts", { intent: "run-scheduler" });
    expect(run.data.ran.created).toBeGreaterThanOrEqual(1);
    expect(run.data.ran.labels[0]).toMatch(/^CC-\d+$/);
    const again = await post(action, "/app/counts", { intent: "run-scheduler" });
    expect(again.data.ran.created).toBe(0);
  });

  it("a plan is paused and resumed from the list, and another shop's plan cannot be reached", async () => {
    const { action } = await import("~/routes/app.counts");
    const plan = await forShop(SHOP).countPlan.findFirstOrThrow({ where: { name: "Daily cycle count" } });
    expect((await post(action, "/app/counts", { intent: "plan-active", planId: plan.id, active: "false" })).data).toEqual({ plan: { id: plan.id, active: false } });
    expect((await post(action, "/app/counts", { intent: "plan-active", planId: plan.id, active: "true" })).data).toEqual({ plan: { id: plan.id, active: true } });
    const foreign = await forShop(OTHER).countPlan.create({ data: { shop: OTHER, name: "Theirs", kind: "full", settings: '{"countOn":"2030-01-01"}' } });
    expect((await post(action, "/app/counts", { intent: "plan-active", planId: foreign.id, active: "false" })).status).toBe(404);
    expect(await forShop(OTHER).countPlan.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ active: true });
  });
});

describe("a count made by hand", () => {
  it("counts the SKUs or barcodes chosen; codes the warehouse does not stock are refused by name", async () => {
    const { action } = await import("~/routes/app.counts_.new");
    const refused = await post(action, "/app/counts/new", { warehouseId: lax.warehouseId, kind: "campaign", skus: "MUG-BLUE, NOPE-9", dueOn: "", dueTime: "", blind: "true" });
    expect(refused.status).toBe(422);
    expect(refused.data.errors).toEqual({ skus: { key: "counts.new.errors.unknownSkus", vars: { skus: "NOPE-9", count: 1 } } });
    const created = await post(action, "/app/counts/new", {
      warehouseId: lax.warehouseId,
      kind: "campaign",
      skus: "mug-blue\n0012345678912\nLAMP-OAK",
      dueOn: "2030-06-12",
      dueTime: "",
      blind: "true",
    });
    expect(created.status).toBe(302);
    const taskId = (created.data as Response).headers.get("Location")!.replace("/app/counts/", "");
    const lines = await forShop(SHOP).countLine.findMany({ where: { taskId }, select: { warehouseSku: true }, orderBy: { warehouseSku: "asc" } });
    expect(lines.map((line) => line.warehouseSku)).toEqual(["LAMP-OAK", "MUG-BLUE", "MUG-RED"]);
  });
});

describe("a count from assignment to approval", () => {
  let taskId = "";
  let label = "";
  let taskAction: Action;
  const act = (form: Record<string, string> | FormData) => post(taskAction, `/app/counts/${taskId}`, form, { taskId });

  beforeAll(async () => {
    taskAction = (await import("~/routes/app.counts_.$taskId")).action;
    const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, inventoryItemIds: [...lax.itemOf.values()] }, { actor: "sam@example.com" });
    taskId = task.id;
    label = task.label;
  });

  it("is assigned and started; the sheet is blind and offers the scanner, CSV and the warehouse's import", async () => {
    expect((await act({ intent: "start" })).data.problem).toMatchObject({ code: "not_allowed", status: "draft", action: "start", label });
    expect((await act({ intent: "assign", assignee: "lee@example.com" })).data).toEqual({ intent: "assign", done: true });
    expect((await act({ intent: "start" })).data).toEqual({ intent: "start", done: true });
    const html = await page(`/app/counts/${taskId}`);
    for (const text of [
      "In progress",
      "Scan or type",
      "Blind count: expected quantities are hidden",
      "Count sheet",
      "Export blank sheet (CSV)",
      "Import from warehouse",
      "lee@example.com",
      "Assigned to lee@example.com",
    ]) {
      expect(html, text).toContain(text);
    }
    expect(html).not.toContain(">Expected<");
  });

  it("a scanned code on no line is refused on the spot; a known barcode finds its line; quantities are saved as they are recorded", async () => {
    const unknown = await act({ intent: "lookup", code: "0000000000099" });
    expect(unknown.status).toBe(409);
    expect(unknown.data.problem).toMatchObject({ code: "unknown_barcode", scanned: "0000000000099", label });
    const found = await act({ intent: "lookup", code: "0012345678905" });
    expect(found.data).toMatchObject({ intent: "lookup", matchedBy: "barcode", line: { warehouseSku: "MUG-BLUE" } });
    expect(found.data.line).not.toHaveProperty("expectedQuantity");
    expect((await act({ intent: "record", lineId: found.data.line.lineId, quantity: "20", bin: "A-01", mode: "set" })).data).toMatchObject({
      intent: "record",
      recorded: "count",
      quantity: 20,
    });
    expect((await act({ intent: "record", code: "MUG-BLUE", quantity: "abc", mode: "set" })).data.problem).toMatchObject({ code: "invalid_quantity" });
  });

  it("a CSV with bad rows imports nothing and names each row by its line; the valid rows go in when chosen", async () => {
    const file = () => new File(["SKU,Quantity\nMUG-RED,12\nNOPE-1,3\nLAMP-OAK,-2\n"], "sheet.csv", { type: "text/csv" });
    const form = (skip: boolean) => {
      const data = new FormData();
      data.set("intent", "import_csv");
      data.set("skipInvalid", String(skip));
      data.set("file", file());
      return data;
    };
    const blocked = await act(form(false));
    expect(blocked.data.sheet).toMatchObject({
      imported: 0,
      goodRows: 1,
      blocked: true,
      errors: [
        { fileLine: 3, code: "unknown_sku", row: "NOPE-1,3" },
        { fileLine: 4, code: "invalid_quantity", row: "LAMP-OAK,-2" },
      ],
    });
    expect(await forShop(SHOP).countLine.findFirstOrThrow({ where: { taskId, warehouseSku: "MUG-RED" } })).toMatchObject({ countedQuantity: null });
    const skipped = await act(form(true));
    expect(skipped.data.sheet).toMatchObject({ imported: 1, blocked: false });
    expect(await forShop(SHOP).countLine.findFirstOrThrow({ where: { taskId, warehouseSku: "MUG-RED" } })).toMatchObject({ countedQuantity: 12 });
  });

  it("the warehouse's own count: not supported by this warehouse, said so, nothing changed", async () => {
    expect((await act({ intent: "import_warehouse" })).data).toEqual({ intent: "import_warehouse", supported: false });
  });

  it("the blank sheet is a CSV without the expected quantity", async () => {
    const response = await handle(await authenticated(RequestType.Bearer, `/app/counts/${taskId}/sheet`));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${label}-count-sheet.csv"`);
    const csv = await response.text();
    expect(csv).toContain("SKU,Barcode,Product,Bin,Counted quantity");
    expect(csv).not.toContain("Expected");
  });

  it("submitted and reviewed: a variance over the threshold blocks approval until a note explains it", async () => {
    expect((await act({ intent: "submit" })).data.problem).toMatchObject({ code: "uncounted_lines", skus: ["LAMP-OAK"] });
    await act({ intent: "record", code: "LAMP-OAK", quantity: "0", mode: "set" });
    expect((await act({ intent: "submit" })).data).toEqual({ intent: "submit", uncountedAsZero: 0 });
    await act({ intent: "start_review" });
    const review = await page(`/app/counts/${taskId}`);
    for (const text of ["In review", "1 line(s) need a recount or a note before approval", "Needs recount or note", "LAMP-OAK", "-217.00", "Request recount", "Approve and post"]) {
      expect(review, text).toContain(text);
    }
    const refused = await act({ intent: "approve", note: "" });
    expect(refused.status).toBe(409);
    expect(refused.data.problem).toMatchObject({ code: "variance_needs_recount_or_note", skus: ["LAMP-OAK"] });
    const line = await forShop(SHOP).countLine.findFirstOrThrow({ where: { taskId, warehouseSku: "LAMP-OAK" } });
    expect((await act({ intent: "reason", lineId: line.id, reason: "damaged", note: "Dropped from the top shelf" })).data).toEqual({
      intent: "reason",
      lineId: line.id,
      reason: "damaged",
      note: "Dropped from the top shelf",
    });
    expect((await act({ intent: "reason", lineId: line.id, reason: "stolen", note: "" })).data.problem).toMatchObject({ code: "invalid_reason" });
    expect(await page(`/app/counts/${taskId}`, { locale: "zh-CN" })).toContain("已说明");
  });

  it("approved: the posting is queued and its progress is followed; retry asks again", async () => {
    expect((await act({ intent: "approve", note: "Checked with the team" })).data).toEqual({ intent: "approve", done: true });
    expect(await forShop(SHOP).job.count({ where: { type: "counts.post", dedupeKey: `post:${taskId}` } })).toBe(1);
    const response = await handle(await authenticated(RequestType.Bearer, `/app/counts/${taskId}/progress`));
    expect(await response.json()).toMatchObject({ status: "waiting", total: 1, percent: 0, warehouseNotAdjusted: false });
    const html = await page(`/app/counts/${taskId}`);
    for (const text of ["Approved", "Posting the adjustments", "Waiting to start", "Retry posting", "Shopify: 0 of 1 adjustment(s) done"]) expect(html, text).toContain(text);
    expect((await act({ intent: "retry_posting" })).data).toEqual({ intent: "retry_posting", done: true });
  });

  it("a warehouse that could not be adjusted is said so on the count", async () => {
    await forShop(SHOP).countAdjustment.updateMany({ where: { taskId }, data: { shopifyStatus: "posted", warehouseStatus: "not_supported" } });
    const html = await page(`/app/counts/${taskId}`);
    expect(html).toContain("Los Angeles was not adjusted");
    expect(html).toContain("API cannot adjust stock");
  });

  it("the Discrepancies report shows the count's figures against the target, and its finance CSV follows the admin's language", async () => {
    const report = await page("/app/discrepancies");
    for (const text of [
      "Line accuracy",
      "66.66%",
      "Below target",
      "Worst SKUs",
      "LAMP-OAK",
      "Damaged",
      "Net shrink",
      "217.00",
      "Accuracy by week",
      'role="img"',
      "1 adjustment(s) did not reach the warehouse",
    ]) {
      expect(report, text).toContain(text);
    }
    expect(await page("/app/discrepancies", { count: taskId })).toContain(`Count ${label}`);
    expect(await page("/app/discrepancies", { reason: "found" })).toContain("No counted lines to report");
    const response = await handle(await authenticated(RequestType.Bearer, "/app/discrepancies/export", { count: taskId, locale: "zh-CN" }));
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="discrepancies-${label}.csv"`);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .filter(Boolean);
    expect(lines[0]).toBe("盘点,SKU,商品,仓库,库位,预期数量,实盘数量,差异件数,单位成本,差异金额,原因,备注,盘点时间,审批人,过账时间,仓库已调整");
    expect(lines.find((line) => line.includes("LAMP-OAK"))).toContain(",7,0,-7,31.00,-217.00,damaged,Dropped from the top shelf,");
  });

  it("the Dashboard shows the current count accuracy against the target, with the way to the report", async () => {
    const html = await page("/app");
    for (const text of ["Count accuracy, last 30 days", "66.66%", "Below target", "Open the discrepancy report", "Warehouse connections"]) expect(html, text).toContain(text);
  });
});

describe("a full count", () => {
  it("says that stock sync for its warehouse is paused while it is counted", async () => {
    const { action } = await import("~/routes/app.counts_.$taskId");
    const task = await createCountTask(SHOP, { warehouseId: lax.warehouseId, kind: "full" }, { actor: "sam@example.com" });
    expect(await page(`/app/counts/${task.id}`)).toContain("Starting this full count pauses stock sync");
    await post(action, `/app/counts/${task.id}`, { intent: "assign", assignee: "lee@example.com" }, { taskId: task.id });
    await post(action, `/app/counts/${task.id}`, { intent: "start" }, { taskId: task.id });
    const html = await page(`/app/counts/${task.id}`);
    expect(html).toContain("Stock sync for Los Angeles is paused");
    expect(html).toContain("3 line(s) not counted yet will count as 0");
    await post(action, `/app/counts/${task.id}`, { intent: "cancel", note: "Wrong day" }, { taskId: task.id });
    expect(await page(`/app/counts/${task.id}`)).not.toContain("Stock sync for Los Angeles is paused");
  });
});

describe("another shop", () => {
  it("its counts cannot be seen or moved", async () => {
    const response = await handle(await authenticated(RequestType.Admin, `/app/counts/${otherTaskId}`));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("SECRET");
    const { action } = await import("~/routes/app.counts_.$taskId");
    const moved = await post(action, `/app/counts/${otherTaskId}`, { intent: "cancel" }, { taskId: otherTaskId });
    expect(moved.data.problem).toMatchObject({ code: "count_not_found" });
    expect(await forShop(OTHER).countTask.findUniqueOrThrow({ where: { id: otherTaskId } })).toMatchObject({ status: "draft" });
    const progress = await handle(await authenticated(RequestType.Bearer, `/app/counts/${otherTaskId}/progress`));
    expect(progress.status).toBe(404);
  });
});

describe("a count's history says which staff member did what, in the admin's language", () => {
  const COUNTER = "2002";
  const REVIEWER = "9001";
  const zh = translator("zh-CN");
  let taskId = "";
  let taskAction: Action;
  const act = (userId: string, form: Record<string, string> | FormData) => post(taskAction, `/app/counts/${taskId}`, form, { taskId }, userId);

  /** Shopify's side of posting: every adjustment applied. */
  const shopify: CountShopifyGateway = {
    async readAvailable(_locationId, inventoryItemIds) {
      return new Map(inventoryItemIds.map((id) => [id, 7]));
    },
    async adjustAvailable(input) {
      return {
        adjustmentGroupId: "gid://shopify/InventoryAdjustmentGroup/1",
        applied: input.changes.map((change) => ({ inventoryItemId: change.inventoryItemId, delta: change.delta, quantityAfterChange: (change.changeFromQuantity ?? 0) + change.delta })),
        stale: [],
        errors: [],
      };
    },
  };
  /** A warehouse whose API cannot adjust stock. */
  const connectorFor = async () => ({ capabilities: { stockAdjustments: false } }) as unknown as WarehouseConnector;

  beforeAll(async () => {
    taskAction = (await import("~/routes/app.counts_.$taskId")).action;
  });

  it("a full count from made by hand to posted: every move is kept under the staff member who made it", async () => {
    const { action: newCount } = await import("~/routes/app.counts_.new");
    const created = await post(newCount, "/app/counts/new", { warehouseId: lax.warehouseId, kind: "full", skus: "", dueOn: "", dueTime: "", blind: "true" }, {}, REVIEWER);
    expect(created.status).toBe(302);
    taskId = (created.data as Response).headers.get("Location")!.replace("/app/counts/", "");
    // The counter opens the count and assigns it to themselves: the field says "Staff member 2002", the page sends their id.
    expect((await act(COUNTER, { intent: "assign", assignee: `staff:${COUNTER}` })).data).toEqual({ intent: "assign", done: true });
    await act(COUNTER, { intent: "start" });
    // A sheet saved by Excel on a Chinese Windows: GBK, a Chinese bin, one junk row skipped.
    const file = new FormData();
    file.set("intent", "import_csv");
    file.set("skipInvalid", "true");
    file.set("file", new File([gbkBytes("货号,库位,数量\r\nMUG-BLUE,货架A-01,20\r\nMUG-RED,,12\r\n未知货号,,3\r\n")], "盘点表.csv", { type: "text/csv" }));
    expect((await act(COUNTER, file)).data.sheet).toMatchObject({ imported: 2, goodRows: 2, errors: [{ fileLine: 4, code: "unknown_sku", row: "未知货号,,3" }] });
    expect(await forShop(SHOP).countLine.findFirstOrThrow({ where: { taskId, warehouseSku: "MUG-BLUE" } })).toMatchObject({ countedQuantity: 20, countedBy: `staff:${COUNTER}` });
    expect((await act(COUNTER, { intent: "submit" })).data).toEqual({ intent: "submit", uncountedAsZero: 1 });
    await act(REVIEWER, { intent: "start_review" });
    const lamp = await forShop(SHOP).countLine.findFirstOrThrow({ where: { taskId, warehouseSku: "LAMP-OAK" } });
    await act(REVIEWER, { intent: "request_recount", note: "请复盘台灯", lineId: lamp.id });
    await act(COUNTER, { intent: "start" });
    await act(COUNTER, { intent: "record", lineId: lamp.id, quantity: "0", mode: "set" });
    await act(COUNTER, { intent: "submit" });
    await act(REVIEWER, { intent: "start_review" });
    await act(REVIEWER, { intent: "reason", lineId: lamp.id, reason: "damaged", note: "摔坏了" });
    expect((await act(REVIEWER, { intent: "approve", note: "已核对" })).data).toEqual({ intent: "approve", done: true });
    await postCountTask(SHOP, taskId, { gateway: shopify, connectorFor });

    const events = await forShop(SHOP).countTaskEvent.findMany({ where: { taskId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(events.map((event) => [event.actor, event.fromStatus, event.toStatus])).toEqual([
      [`staff:${REVIEWER}`, null, "draft"],
      [`staff:${COUNTER}`, "draft", "assigned"],
      [`staff:${COUNTER}`, "assigned", "in_progress"],
      [`staff:${COUNTER}`, "in_progress", "in_progress"],
      [`staff:${COUNTER}`, "in_progress", "submitted"],
      [`staff:${REVIEWER}`, "submitted", "review"],
      [`staff:${REVIEWER}`, "review", "recount"],
      [`staff:${COUNTER}`, "recount", "in_progress"],
      [`staff:${COUNTER}`, "in_progress", "submitted"],
      [`staff:${REVIEWER}`, "submitted", "review"],
      [`staff:${REVIEWER}`, "review", "review"],
      [`staff:${REVIEWER}`, "review", "approved"],
      ["system", "approved", "posted"],
      ["system", "posted", "posted"],
    ]);
    const task = await forShop(SHOP).countTask.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ status: "posted", createdBy: `staff:${REVIEWER}`, assignee: `staff:${COUNTER}` });
  });

  it("the approval is recorded under the staff member who approved it, and the page says who in English", async () => {
    const approval = await forShop(SHOP).countTaskEvent.findFirstOrThrow({ where: { taskId, toStatus: "approved" } });
    expect(approval.actor).toBe(`staff:${REVIEWER}`);
    const html = await page(`/app/counts/${taskId}`);
    for (const text of [`Staff member ${REVIEWER}`, `Staff member ${COUNTER}`, `Assigned to Staff member ${COUNTER}`, "3 line(s) to count", "TallySync"]) expect(html, text).toContain(text);
    // On the page, that is: the loader's data under it keeps the ids.
    expect(html.replace(/<script[\s\S]*?<\/script>/g, "")).not.toContain(`staff:${COUNTER}`);
  });

  it("in Chinese, the history's notes are Chinese: created, started, counted, submitted, recount asked, approved, posted, imported", async () => {
    const html = await page(`/app/counts/${taskId}`, { locale: "zh-CN" });
    const moved = (from: string, to: string) => zh("counts.timeline.moved", { from: zh(`counts.status.${from}` as never), to: zh(`counts.status.${to}` as never) });
    for (const text of [
      zh("counts.timeline.created"),
      "待盘点 3 行",
      `分配给 员工 ${COUNTER}`,
      moved("assigned", "in_progress"),
      "从 盘点表.csv 导入了 2 个盘点数量；跳过 1 个有问题的行",
      moved("in_progress", "submitted"),
      "1 行未盘，按 0 计",
      "请复盘台灯 · 需复盘 1 行",
      "LAMP-OAK：原因：损坏，备注：“摔坏了”",
      moved("review", "approved"),
      "已核对",
      moved("approved", "posted"),
      "已向 Shopify 过账 1 / 1 项调整；仓库未调整（其 API 不支持）。",
      `员工 ${REVIEWER}`,
      `员工 ${COUNTER}`,
    ]) {
      expect(html, text).toContain(text);
    }
    const shown = html.replace(/<script[\s\S]*?<\/script>/g, "");
    for (const english of ["line(s) to count", "Assigned to", "Imported", "not counted, counted as 0", "to recount", "posted to Shopify", "Staff member"]) expect(shown, english).not.toContain(english);
  });
});
