// The order side as a merchant sees it, in headless Chromium inside the simulated Shopify admin: the
// stack the sandbox runs (production build, both warehouses registered as fulfillment services),
// demo orders placed through the simulated checkout, and the Orders page showing a routed, a
// shipped, a delivered and a failed order (and one waiting for stock), in English and in Chinese;
// one order's timeline and its Retry; a delivered order's timeline; the routing rules editor; the disconnect dialog's account of open orders.
// Screenshots: test/output/orders-*.png.
import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from "playwright-core";
import { createDatabaseClient, type Database } from "../../app/db/client.server";
import { DEMO_SHOP, DEMO_WAREHOUSES, demoCatalog } from "../sandbox/demo-data";
import { placeDemoOrders, type DemoOrders } from "../sandbox/demo-orders";
import { startStack, type Stack } from "../sandbox/stack";
import { openFromNav } from "./admin-nav";

const root = path.resolve(import.meta.dirname, "../..");
const output = path.join(root, "test", "output");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Headless Chromium announces itself as a bot, and shopify-app-remix refuses bots: browse as Chrome.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

let stack: Stack;
let db: Database;
let browser: Browser;
let orders: DemoOrders;

async function statusOf(fulfillmentOrderId: string): Promise<string | null> {
  // A moved fulfillment order keeps its id in Shopify; the allocation follows it either way.
  const allocation = await db.allocation.findFirst({ where: { fulfillmentOrderId }, select: { status: true } });
  return allocation?.status ?? null;
}

async function admin(locale?: "zh-CN"): Promise<{ context: BrowserContext; page: Page; app: FrameLocator }> {
  const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(locale ? `${stack.adminUrl}?locale=${locale}` : stack.adminUrl);
  return { context, page, app: page.frameLocator("iframe") };
}

/** The whole app page in one picture: the viewport grows to the iframe's content. */
async function screenshot(page: Page, name: string) {
  await page.waitForTimeout(600);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const height = frame ? await frame.evaluate(() => document.documentElement.scrollHeight) : 1000;
  await page.setViewportSize({ width: 1360, height: Math.min(2600, Math.max(900, height + 110)) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(output, `${name}.png`) });
}

beforeAll(async () => {
  mkdirSync(output, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), "tallysync-e2e-orders-"));
  stack = await startStack({
    catalog: demoCatalog(),
    warehouses: DEMO_WAREHOUSES,
    databaseFile: path.join(dir, "orders.sqlite"),
    history: false,
    fulfillmentServices: true,
    appOutput: "ignore",
  });
  db = createDatabaseClient(stack.databaseUrl);
  orders = await placeDemoOrders(stack);
  const deadline = Date.now() + 90_000;
  const want = { shipped: "shipped", delivered: "delivered", routed: "sent", failed: "error", waiting: "waiting" } as const;
  for (;;) {
    const seen = await Promise.all(Object.entries(want).map(async ([key, status]) => (await statusOf(orders[key as keyof DemoOrders].fulfillmentOrderId)) === status));
    if (seen.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error(`The demo orders did not reach their states: ${JSON.stringify(await db.allocation.findMany({ select: { fulfillmentOrderId: true, status: true } }))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await stack?.stop();
});

describe("the Orders page", () => {
  it("shows a routed, a shipped and a failed order with their warehouses, why they went there, and the waiting queue", async () => {
    const { context, page, app } = await admin();
    await openFromNav(page, "Orders");
    await app.getByText(orders.failed.name, { exact: true }).waitFor({ timeout: 60_000 });
    for (const text of [
      orders.shipped.name,
      orders.delivered.name,
      orders.routed.name,
      orders.waiting.name,
      "Shipped",
      "Delivered",
      "Sent to warehouse",
      "Error",
      "Rotterdam and Los Angeles (Ontario, CA) have the same priority; Rotterdam is in the destination country",
      "The carrier could not verify the street address",
      "DEC-ATL-PLANTER-PRE: 1 needed, 0 available across your warehouses",
      "Orders waiting for stock: 1",
      "Orders with errors: 1",
    ]) {
      await app.getByText(text).first().waitFor({ timeout: 10_000 });
    }
    // Tracking from the warehouse's shipment, and Retry where there is something to retry.
    await app.locator('a[href*="ups.com"], a[href*="usps.com"], a[href*="fedex.com"], a[href*="dhl.com"]').first().waitFor();
    expect(await app.getByRole("button", { name: /^Retry / }).count()).toBe(2);
    await screenshot(page, "orders-en");

    await app.getByRole("tab", { name: /Waiting for stock/ }).click();
    await app.getByText(orders.waiting.name, { exact: true }).waitFor();
    await expect.poll(() => app.getByText(orders.shipped.name, { exact: true }).count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, "orders-waiting-queue");
    await context.close();
  });

  it("is in Simplified Chinese when the admin's locale is zh-CN", async () => {
    const { context, page, app } = await admin("zh-CN");
    await openFromNav(page, "订单");
    await app.getByText(orders.failed.name, { exact: true }).waitFor({ timeout: 60_000 });
    for (const text of ["已发货", "已送达", "已发往仓库", "出错", "等待库存", "Rotterdam 与 Los Angeles (Ontario, CA) 优先级相同；Rotterdam 位于目的地国家"]) {
      await app.getByText(text).first().waitFor({ timeout: 10_000 });
    }
    await screenshot(page, "orders-zh-CN");
    await context.close();
  });
});

describe("one order", () => {
  it("a failed order shows the warehouse's reason, its timeline, and Retry asks again", async () => {
    const { context, page, app } = await admin();
    await openFromNav(page, "Orders");
    await app.getByText(orders.failed.name, { exact: true }).click({ timeout: 60_000 });
    await app.getByText("This order needs your attention").waitFor({ timeout: 30_000 });
    for (const text of ["Routing decision", "Los Angeles (Ontario, CA) is the only warehouse that can ship the whole order", "Rotterdam does not ship to US-TX", "On hold at the warehouse", "Sent to the warehouse", "Fulfillment requested by Shopify"]) {
      await app.getByText(text).first().waitFor({ timeout: 10_000 });
    }
    await app.getByRole("button", { name: `Retry ${orders.failed.name}` }).click();
    await page.locator("#toasts .toast", { hasText: `Order ${orders.failed.name} will be tried again` }).waitFor({ timeout: 15_000 });
    await app.getByText("Retry requested").first().waitFor({ timeout: 15_000 });
    await screenshot(page, "orders-detail-failed");
    await context.close();
  });

  it("a delivered order shows the delivery on its timeline and its parcel, and Shopify shows it delivered too", async () => {
    const { context, page, app } = await admin();
    await openFromNav(page, "Orders");
    await app.getByText(orders.delivered.name, { exact: true }).click({ timeout: 60_000 });
    await app.getByText(/^Delivered .* \(reported by the warehouse\)$/).waitFor({ timeout: 30_000 });
    await app.getByText(/delivered; reported by the warehouse$/).first().waitFor({ timeout: 10_000 });
    await screenshot(page, "orders-detail-delivered");
    // What TallySync told Shopify: the fulfillment's display status follows the DELIVERED event.
    const shop = stack.shopify.shop(DEMO_SHOP);
    const foId = Number(orders.delivered.fulfillmentOrderId.split("/").pop());
    const fulfillments = [...shop.fulfillments.values()].filter((f) => f.fulfillmentOrderIds.includes(foId));
    expect(fulfillments.flatMap((f) => f.events.map((e) => e.status))).toEqual(["DELIVERED"]);
    await context.close();
  });

  it("a routed order tells, in Chinese, why it was moved to the warehouse that ships it", async () => {
    const { context, page, app } = await admin("zh-CN");
    await openFromNav(page, "订单");
    await app.getByText(orders.routed.name, { exact: true }).click({ timeout: 60_000 });
    for (const text of ["分配决定", "已转到 Rotterdam", "Shopify 原先把它分配到了另一个地点", "已转到其他仓库", "仓库已确认，库存已预留"]) {
      await app.getByText(text).first().waitFor({ timeout: 15_000 });
    }
    await screenshot(page, "orders-detail-routed-zh-CN");
    await context.close();
  });
});

describe("Settings", () => {
  it("routing rules are edited in order and saved with the save bar", async () => {
    const { context, page, app } = await admin();
    await openFromNav(page, "Settings");
    await app.getByRole("link", { name: "Edit routing rules" }).click({ timeout: 60_000 });
    await app.getByText("Rules, in order").waitFor({ timeout: 30_000 });
    await app.getByRole("button", { name: "Add rule" }).click();
    await app.getByLabel("Markets").fill("nl, be");
    await page.locator("#savebar.open").waitFor({ timeout: 10_000 });
    await app.getByRole("button", { name: "Add rule" }).click();
    await app.getByLabel("Markets").nth(1).fill("Holland");
    await page.locator("#savebar-buttons button", { hasText: "Save" }).click();
    // The second rule's market is no market: the error stands under it, nothing is saved.
    await app.getByText("Use country codes like US, regions like US-CA, or * for everywhere.").waitFor({ timeout: 15_000 });
    await screenshot(page, "orders-routing-errors");
    await app.getByRole("button", { name: "Remove rule 2" }).click();
    await page.locator("#savebar-buttons button", { hasText: "Save" }).click();
    await page.locator("#toasts .toast", { hasText: "Routing rules saved" }).waitFor({ timeout: 15_000 });
    const settings = await db.shopSettings.findFirstOrThrow({ select: { routingRules: true } });
    expect(JSON.parse(settings.routingRules)).toEqual([{ kind: "prefer_warehouse", warehouseId: expect.any(String), markets: ["NL", "BE"] }]);
    await screenshot(page, "orders-routing-settings");
    await context.close();
  });

  it("removing a warehouse connection first tells what happens to its open orders", async () => {
    const { context, page, app } = await admin();
    await openFromNav(page, "Settings");
    await app.getByRole("link", { name: "Manage warehouse connections" }).click({ timeout: 60_000 });
    await app.getByText("Fulfillment service registered: Shopify sends this warehouse's orders to TallySync.").first().waitFor({ timeout: 30_000 });
    await app.getByRole("button", { name: "Remove", exact: true }).first().click();
    await app.getByText(/may still ship #\d+, but their tracking will no longer reach Shopify/).waitFor({ timeout: 30_000 });
    await app.getByText("Some orders are at the warehouse and not shipped yet").waitFor();
    await screenshot(page, "orders-remove-preview");
    await context.close();
  });
});
