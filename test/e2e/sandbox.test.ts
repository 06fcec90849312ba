// The sandbox as a newcomer uses it: `npm run sandbox`, open the printed URL in a browser, see the
// app's Dashboard inside the (simulated) Shopify admin; Ctrl-C stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Locator } from "playwright-core";
import { openFromNav } from "./admin-nav";

// playwright-core has no test runner: a small retrying expectation in its place.
const eventually = (actual: Locator) => ({
    async toHaveCount(count: number, options: { timeout?: number } = {}) {
      const deadline = Date.now() + (options.timeout ?? 5_000);
      let seen = -1;
      while (Date.now() < deadline) {
        seen = await actual.count();
        if (seen === count) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Expected ${count} element(s), found ${seen}`);
    },
    async toHaveValue(value: string, options: { timeout?: number } = {}) {
      const deadline = Date.now() + (options.timeout ?? 5_000);
      let seen: string | null = null;
      while (Date.now() < deadline) {
        seen = await actual.inputValue().catch(() => null);
        if (seen === value) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`Expected value ${value}, found ${seen}`);
    },
});

const root = path.resolve(import.meta.dirname, "../..");
const output = path.join(root, "test", "output");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Headless Chromium announces itself as a bot, and shopify-app-remix refuses bots (410):
// browse as a desktop Chrome would.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const PORTS = { app: 3190, shopify: 8191, wms: [4191, 4192] };

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run sandbox", () => {
  let sandbox: ChildProcess;
  let printed = "";
  let browser: Browser | undefined;
  let adminUrl = "";

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install chromium)`).toBe(true);
    mkdirSync(output, { recursive: true });
    sandbox = spawn("npm", ["run", "sandbox", "--silent"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // as a newcomer's shell would have it; vitest's "test" must not leak into the sandbox
        NODE_ENV: "development",
        VITEST: "",
        PORT: String(PORTS.app),
        SANDBOX_SHOPIFY_PORT: String(PORTS.shopify),
        SANDBOX_WMS_PORTS: PORTS.wms.join(","),
        SANDBOX_TRAFFIC_MS: "1000",
      },
    });
    sandbox.stdout!.on("data", (d) => (printed += String(d)));
    sandbox.stderr!.on("data", (d) => (printed += String(d)));
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline && !/Open this URL in a browser:\s+(\S+)/.test(printed)) {
      if (sandbox.exitCode !== null) throw new Error(`The sandbox exited:\n${printed}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    adminUrl = /Open this URL in a browser:\s+(\S+)/.exec(printed)?.[1] ?? "";
    if (!adminUrl) throw new Error(`The sandbox printed no URL:\n${printed}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (sandbox?.pid && groupAlive(sandbox.pid)) process.kill(-sandbox.pid, "SIGKILL");
  });

  it("prints one URL, on this machine, to the simulated Shopify admin", () => {
    expect(adminUrl).toBe(`http://localhost:${PORTS.shopify}/admin/shops/tallysync-demo.myshopify.com/apps/tallysync`);
  });

  it("the warehouses' stock reaches Shopify through TallySync, never above what they can ship", async () => {
    const shopUrl = `http://127.0.0.1:${PORTS.shopify}/sim/shops/tallysync-demo.myshopify.com/state`;
    const wmsSellable = async () => {
      const sellable = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const response: Response = await fetch(`http://127.0.0.1:${PORTS.wms[0]}/v1/inventory?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, {
          headers: { Authorization: "Bearer sk_sandbox_pacific_4f1c" },
        });
        const page = (await response.json()) as { data: Array<{ sku: string; sellable: number }>; next_cursor: string | null };
        for (const row of page.data) sellable.set(row.sku, row.sellable);
        cursor = page.next_cursor;
      } while (cursor);
      return sellable;
    };
    type Level = { sku: string; locationId: string; available: number };
    let synced = 0;
    let levels: Level[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const state = (await (await fetch(shopUrl)).json()) as { locations: Array<{ id: string; name: string }>; levels: Level[] };
      const la = state.locations.find((l) => l.name.startsWith("Pacific Fulfillment"))!;
      levels = state.levels.filter((l) => l.locationId === la.id);
      synced = levels.filter((l) => l.available > 0).length;
      if (synced >= 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(synced).toBeGreaterThanOrEqual(200);
    const sellable = await wmsSellable();
    const above = levels.filter((l) => l.available > Math.max(0, (sellable.get(l.sku) ?? 0) - 2));
    expect(above).toEqual([]);
  });

  it("shows the app's Dashboard inside the admin shell, with nothing fetched from the internet", async () => {
    const context = await browser!.newContext({ userAgent: USER_AGENT, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    const outside: string[] = [];
    page.on("request", (request) => {
      const host = new URL(request.url()).hostname;
      if (!["localhost", "127.0.0.1"].includes(host) && !request.url().startsWith("data:")) outside.push(request.url());
    });
    await page.goto(adminUrl);
    const app = page.frameLocator("iframe");
    await app.getByText("Warehouse connections").first().waitFor({ timeout: 60_000 });
    await app.getByText("Shopify events in the last 24 hours").first().waitFor();
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(output, "sandbox-dashboard.png") });
    expect(outside).toEqual([]);
    await context.close();
  });

  it("shows the app in Simplified Chinese when the admin's locale is zh-CN", async () => {
    const context = await browser!.newContext({ userAgent: USER_AGENT, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${adminUrl}?locale=zh-CN`);
    await page.frameLocator("iframe").getByText("仓库").first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(output, "sandbox-dashboard-zh-CN.png") });
    await context.close();
  });

  it("Settings: the save bar appears in the admin when the form changes, and saving shows a toast and keeps the value", async () => {
    const context = await browser!.newContext({ userAgent: USER_AGENT, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(adminUrl);
    await page.frameLocator("iframe").getByText("Warehouse connections").first().waitFor({ timeout: 60_000 });
    await openFromNav(page, "Settings");
    const app = page.frameLocator("iframe");
    const safetyStock = app.getByLabel("Default safety stock (units)");
    await safetyStock.waitFor({ timeout: 30_000 });
    // The save bar's buttons belong to the admin, not to the page, and show only when something changed.
    await eventually(app.getByRole("button", { name: "Save" })).toHaveCount(0);
    await eventually(page.locator("#savebar.open")).toHaveCount(0);
    await safetyStock.fill("4");
    await page.locator("#savebar.open").waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(output, "sandbox-settings-save-bar.png") });
    await page.locator("#savebar-buttons button", { hasText: "Save" }).click();
    await page.locator("#toasts .toast", { hasText: "Settings saved" }).waitFor({ timeout: 10_000 });
    await eventually(page.locator("#savebar.open")).toHaveCount(0);
    await page.reload();
    await openFromNav(page, "Settings");
    await eventually(page.frameLocator("iframe").getByLabel("Default safety stock (units)")).toHaveValue("4", { timeout: 30_000 });
    await context.close();
  });

  it("stops everything on Ctrl-C", async () => {
    process.kill(-sandbox.pid!, "SIGINT");
    const deadline = Date.now() + 20_000;
    let open = [true];
    while (Date.now() < deadline) {
      open = await Promise.all([PORTS.app, PORTS.shopify, ...PORTS.wms].map(portOpen));
      if (!open.some(Boolean) && !groupAlive(sandbox.pid!)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(open).toEqual([false, false, false, false]);
    expect(groupAlive(sandbox.pid!)).toBe(false);
  }, 30_000);
});
