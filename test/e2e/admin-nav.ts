import type { Page } from "playwright-core";

/**
 * Opens an app page from the admin's navigation and waits until the app is on it. A click that
 * lands before the app has hydrated finds no App Bridge listener for shopify:navigate and does
 * nothing (the admin already marks the link active), so the click is repeated until the app's
 * frame shows the page.
 */
export async function openFromNav(page: Page, label: string, timeoutMs = 30_000): Promise<void> {
  const link = page.locator("#app-nav a", { hasText: label });
  const href = await link.getAttribute("data-href", { timeout: timeoutMs });
  if (!href) throw new Error(`The admin's navigation link "${label}" has no target`);
  const there = () => page.frames().some((frame) => frame !== page.mainFrame() && new URL(frame.url()).pathname === href);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await link.click();
    for (const stop = Date.now() + 2_000; Date.now() < stop; ) {
      if (there()) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`The app did not open ${href} from the navigation link "${label}" within ${timeoutMs / 1000} s`);
}
