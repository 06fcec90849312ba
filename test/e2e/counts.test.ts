// A count from plan to posted adjustment, in a browser, inside the simulated Shopify admin: the
// production build against the Shopify and warehouse simulators with the demo merchant (the
// sandbox's stack). Once in English (a campaign plan, the scheduler, a note on the variance) and
// once in Simplified Chinese (a count made by hand, a recount that confirms the variance). The
// counter uses the scanner field with the keyboard only, as a barcode scanner types. Screenshots
// land in test/output/.
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { translator, type Locale, type MessageKey } from "~/i18n";
import { DEMO_SHOP, DEMO_WAREHOUSES, demoCatalog } from "../sandbox/demo-data";
import { startStack, type Stack } from "../sandbox/stack";
import { openFromNav } from "./admin-nav";

const root = path.resolve(import.meta.dirname, "../..");
const output = path.join(root, "test", "output");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Headless Chromium announces itself as a bot, and shopify-app-remix refuses bots (410).
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const UNKNOWN_BARCODE = "0000000000017";
/** The variance counted on the last line: above the shop's 5-unit threshold, so it needs a recount or a note. */
const SHORT_BY = 8;

let stack: Stack;
let browser: Browser;
const databaseFile = path.join(os.tmpdir(), `tallysync-counts-e2e-${process.pid}.sqlite`);

interface Line {
  sku: string;
  barcode: string;
  inventoryItemId: string;
  productId: string;
  book: number;
}

/** SKUs of one product stocked at the first warehouse with enough units to count short. */
function productLines(skip: number): Line[] {
  const lax = stack.warehouses[0]!;
  const stockOf = new Map(lax.stock.map((row) => [row.sku, row]));
  const byProduct = new Map<string, Line[]>();
  for (const item of stack.items) {
    const stock = stockOf.get(item.sku);
    if (!stock) continue;
    byProduct.set(item.productId, [
      ...(byProduct.get(item.productId) ?? []),
      { sku: item.sku, barcode: item.barcode, inventoryItemId: item.inventoryItemId, productId: item.productId, book: stock.sellable },
    ]);
  }
  const products = [...byProduct.values()].filter((lines) => lines.length === 3 && lines.every((line) => line.book >= 20));
  return products[skip]!;
}

async function shopifyAvailable(inventoryItemId: string): Promise<number> {
  const state = (await (await fetch(`${stack.shopify.url}/sim/shops/${DEMO_SHOP}/state`)).json()) as {
    levels: Array<{ inventoryItemId?: string; sku: string; locationId: string; available: number }>;
  };
  const item = stack.items.find((i) => i.inventoryItemId === inventoryItemId)!;
  return state.levels.find((level) => level.sku === item.sku && level.locationId === stack.warehouses[0]!.shopifyLocationId)!.available;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

beforeAll(async () => {
  mkdirSync(output, { recursive: true });
  stack = await startStack({
    catalog: demoCatalog(),
    warehouses: DEMO_WAREHOUSES,
    databaseFile,
    appOutput: "ignore",
    // No buyers and no receipts: the books stay still, so the counts below know what to find.
    wmsAuto: { acknowledgeAfterMs: null, pickAfterMs: null, shipAfterMs: null },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // The first stock read has reached Shopify: counts can start from real positions.
  const lines = productLines(0);
  await until("the first stock sync", async () => (await shopifyAvailable(lines[0]!.inventoryItemId)) > 0, 60_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(databaseFile, { force: true });
  rmSync(`${databaseFile}-wal`, { force: true });
  rmSync(`${databaseFile}-shm`, { force: true });
});

async function openApp(locale: Locale): Promise<{ page: Page; app: FrameLocator; t: (key: MessageKey, vars?: Record<string, string | number>) => string }> {
  const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1440, height: 1500 } });
  const page = await context.newPage();
  const t = translator(locale);
  await page.goto(locale === "en" ? stack.adminUrl : `${stack.adminUrl}?locale=${locale}`);
  const app = page.frameLocator("iframe");
  await app.getByText(t("dashboard.countAccuracy.heading", { days: 30 })).waitFor({ timeout: 60_000 });
  return { page, app, t };
}

/** Runs a walk through the pages; on failure the page as it was is saved for the reader. */
async function walk(page: Page, name: string, steps: () => Promise<void>) {
  try {
    await steps();
  } catch (error) {
    await page.screenshot({ path: path.join(output, `${name}-failed.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await page.context().close();
  }
}

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  // The admin's toasts (checked where they matter) would cover the page.
  await page.locator("#toasts").evaluate((el) => ((el as HTMLElement).style.visibility = "hidden"));
  await page.screenshot({ path: path.join(output, `${name}.png`), fullPage: true });
  await page.locator("#toasts").evaluate((el) => ((el as HTMLElement).style.visibility = ""));
}

/** The counter's keyboard only: the scanner field keeps the focus between codes and quantities. */
async function scan(
  page: Page,
  app: FrameLocator,
  t: (key: MessageKey, vars?: Record<string, string | number>) => string,
  code: string,
  sku: string,
  quantity: number,
  recount = false
) {
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  await app.getByLabel(t("counts.scanner.quantityLabel", { sku })).waitFor();
  await page.keyboard.type(String(quantity));
  await page.keyboard.press("Enter");
  await app.getByText(t(recount ? "counts.scanner.savedRecount" : "counts.scanner.saved", { sku, quantity })).waitFor();
}

/** Start a count, scan its lines (one unknown barcode on the way), hand it in and open the review. */
async function countAndSubmit(page: Page, app: FrameLocator, t: ReturnType<typeof translator>, locale: Locale, lines: Line[], label: string) {
  await app.getByRole("button", { name: t("counts.task.counter.assign"), exact: true }).click();
  await app.getByRole("button", { name: t("counts.task.button.start"), exact: true }).click();
  const field = app.locator("#count-scanner-field");
  await field.waitFor();
  await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  const [byCode, byBarcode, short] = lines as [Line, Line, Line];
  await scan(page, app, t, byCode.sku, byCode.sku, byCode.book);
  await scan(page, app, t, byBarcode.barcode, byBarcode.sku, byBarcode.book);
  await page.keyboard.type(UNKNOWN_BARCODE);
  await page.keyboard.press("Enter");
  await app.getByText(t("counts.error.unknown_barcode", { code: UNKNOWN_BARCODE, label })).waitFor();
  await shot(page, `counts-scanner-${locale}`);
  await page.keyboard.press("Control+A");
  await scan(page, app, t, short.sku, short.sku, short.book - SHORT_BY);
  await app
    .getByText(t("counts.sheet.countedOf", { counted: 3, lines: 3 }))
    .first()
    .waitFor();
  await app.getByRole("button", { name: t("counts.task.button.submit"), exact: true }).click();
  await app.getByRole("button", { name: t("counts.task.button.start_review"), exact: true }).click();
  await app.getByText(t("counts.review.needs.title", { count: 1 })).waitFor();
}

async function approveAndWatchPosting(page: Page, app: FrameLocator, t: ReturnType<typeof translator>, short: Line, locale: Locale, before: number) {
  await app.getByRole("button", { name: t("counts.review.approve"), exact: true }).click();
  await app.getByText(t("counts.posting.heading")).waitFor();
  await app.getByText(t("counts.posting.status.posted"), { exact: true }).first().waitFor({ timeout: 60_000 });
  await app.getByRole("link", { name: t("counts.posting.report") }).waitFor();
  await shot(page, `counts-posted-${locale}`);
  // Shopify's available moved by the variance (cycle_count_available), and stays there.
  await until("Shopify's available to move by the count", async () => (await shopifyAvailable(short.inventoryItemId)) === before - SHORT_BY);
}

async function discrepancyReport(page: Page, app: FrameLocator, t: ReturnType<typeof translator>, locale: Locale, label: string) {
  await app.getByRole("link", { name: t("counts.posting.report") }).click();
  await app.getByText(t("discrepancies.scope.count", { label })).first().waitFor();
  await app.getByText(t("discrepancies.kpi.lineAccuracy")).first().waitFor();
  await shot(page, `discrepancies-count-${locale}`);
  await app.getByLabel(t("discrepancies.filter.count"), { exact: true }).selectOption("");
  await app
    .getByText(t("discrepancies.scope.period", { weeks: 12 }))
    .first()
    .waitFor();
  await app.getByText(t("discrepancies.worstSkus.heading")).waitFor();
  await shot(page, `discrepancies-${locale}`);
}

describe("counts in the admin", () => {
  it("English: a campaign plan, the scheduler's count, scanned with one unknown barcode, a note on the variance, approved, posted to Shopify, then the report", async () => {
    const { page, app, t } = await openApp("en");
    await walk(page, "counts-en", async () => {
      await shot(page, "counts-dashboard-en");
      const lines = productLines(0);
      const short = lines[2]!;
      const before = await shopifyAvailable(short.inventoryItemId);

      await openFromNav(page, t("nav.counts"));
      await app.getByText(t("counts.plans.heading")).waitFor();
      await shot(page, "counts-list-en");

      // The sandbox's own count waiting for review: one line over the threshold, the others as counted.
      await app
        .getByRole("row")
        .filter({ hasText: t("counts.status.review") })
        .first()
        .getByRole("link")
        .first()
        .click();
      await app.getByText(t("counts.review.needs.title", { count: 1 })).waitFor();
      await app.getByText(t("counts.resolution.explained_by_note")).first().waitFor();
      await shot(page, "counts-seeded-review-en");
      await openFromNav(page, t("nav.counts"));
      await app.getByText(t("counts.plans.heading")).waitFor();

      // A campaign plan: the product before tomorrow's live stream, due tomorrow at 18:00.
      await app.getByRole("link", { name: t("counts.plans.new") }).click();
      await app.getByLabel(t("counts.plan.field.name")).fill("Live stream: e2e mugs");
      await app.getByLabel(t("counts.kind.campaign")).check({ force: true });
      await app.getByLabel(t("counts.plan.field.warehouse")).selectOption({ label: DEMO_WAREHOUSES[0]!.name });
      await app.getByLabel(t("counts.plan.scope.products")).check({ force: true });
      await app.getByLabel(t("counts.plan.field.productSkus")).fill(lines[0]!.sku);
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await app.getByLabel(t("counts.plan.field.dueOn")).fill(tomorrow);
      await app.getByLabel(t("counts.plan.field.dueTime")).fill("18:00");
      await page.locator("#savebar.open").waitFor();
      await shot(page, "counts-plan-en");
      await page.locator("#savebar-buttons button", { hasText: t("counts.plan.save") }).click();
      await page.locator("#toasts .toast", { hasText: t("counts.plan.saved", { name: "Live stream: e2e mugs" }) }).waitFor();
      await app.getByText("Live stream: e2e mugs").first().waitFor();

      // The scheduler (queued when the plan was saved, and run now from the title bar) makes its count.
      await page.locator("#titlebar-buttons button", { hasText: t("counts.scheduler.run") }).click();
      await page.locator("#toasts .toast").first().waitFor();
      const row = app.getByRole("row").filter({ hasText: "Live stream: e2e mugs" }).first();
      await until("the plan's count in the list", async () => {
        if (await row.count()) return true;
        await openFromNav(page, t("nav.counts"));
        return false;
      });
      const label = (await row.getByRole("link").first().innerText()).trim();
      await row.getByRole("link").first().click();
      await app.getByRole("heading", { name: label }).first().waitFor();

      await countAndSubmit(page, app, t, "en", lines, label);
      // A note explains the variance: the line no longer needs a recount.
      await app.getByLabel(t("counts.review.reason")).first().selectOption("damaged");
      await app.getByPlaceholder(t("counts.review.notePlaceholder")).first().fill("Crushed cartons set aside for return");
      await app.getByPlaceholder(t("counts.review.notePlaceholder")).first().press("Enter");
      await app.getByText(t("counts.resolution.explained_by_note")).first().waitFor();
      await shot(page, "counts-review-en");
      await approveAndWatchPosting(page, app, t, short, "en", before);
      await discrepancyReport(page, app, t, "en", label);
    });
  }, 150_000);

  it("简体中文：手动新建盘点，扫码时有一个未知条码，要求复盘并确认差异，审批后过账到 Shopify，再查看差异报告", async () => {
    const { page, app, t } = await openApp("zh-CN");
    await walk(page, "counts-zh-CN", async () => {
      await shot(page, "counts-dashboard-zh-CN");
      const lines = productLines(1);
      const short = lines[2]!;
      const before = await shopifyAvailable(short.inventoryItemId);

      await openFromNav(page, t("nav.counts"));
      await app.getByText(t("counts.plans.heading")).waitFor();
      await shot(page, "counts-list-zh-CN");
      await page.locator("#titlebar-buttons button", { hasText: t("counts.newCount") }).click();
      await app.getByLabel(t("counts.new.skus")).fill(lines.map((line) => line.sku).join("\n"));
      await shot(page, "counts-new-zh-CN");
      await app.getByRole("button", { name: t("counts.new.create") }).click();
      const heading = app.getByRole("heading", { name: /^CC-\d+$/ }).first();
      await heading.waitFor();
      const label = (await heading.innerText()).trim();

      await countAndSubmit(page, app, t, "zh-CN", lines, label);
      // Sent back: the counter counts the line again and finds the same: two matching counts.
      await app.getByRole("button", { name: t("counts.review.requestRecount"), exact: true }).click();
      await app.getByRole("button", { name: t("counts.task.startRecount"), exact: true }).click();
      const field = app.locator("#count-scanner-field");
      await field.waitFor();
      await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
      await scan(page, app, t, short.sku, short.sku, short.book - SHORT_BY, true);
      await app.getByRole("button", { name: t("counts.task.button.submit"), exact: true }).click();
      await app.getByRole("button", { name: t("counts.task.button.start_review"), exact: true }).click();
      await app.getByText(t("counts.resolution.confirmed_by_recount")).first().waitFor();
      await shot(page, "counts-review-zh-CN");
      await approveAndWatchPosting(page, app, t, short, "zh-CN", before);
      await discrepancyReport(page, app, t, "zh-CN", label);
    });
  }, 150_000);
});
