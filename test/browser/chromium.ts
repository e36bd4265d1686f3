/// <reference lib="dom" />
// (DOM types: playwright-core's declarations name them, and page functions run in the page.)
/**
 * The real browser for the till page's tests: Debian's chromium driven by playwright-core
 * (which downloads no browser of its own). Missing chromium skips the tests, unless
 * TAPPOS_REQUIRE_BROWSER is set (CI: .ci/run installs chromium), where it fails them.
 * Screenshots go to test-artifacts/browser/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { PROJECT_ROOT } from "../../host/espruino-dir";

export const CHROMIUM = process.env.TAPPOS_CHROMIUM || "/usr/bin/chromium";
export const BROWSER_REQUIRED = !!process.env.TAPPOS_REQUIRE_BROWSER;
/** Skip only when the browser is missing and not required. */
export const SKIP_BROWSER = !existsSync(CHROMIUM) && !BROWSER_REQUIRED;
export const ARTIFACTS = join(PROJECT_ROOT, "test-artifacts", "browser");

/** A phone-sized window: 360 × 740. */
export const PHONE = { width: 360, height: 740 };

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh browser profile (its own user-data dir, so its own localStorage) with one page. */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (apt-get install chromium), and TAPPOS_REQUIRE_BROWSER is set`);
  const dir = mkdtempSync(join(tmpdir(), "tappos-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PHONE,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Screenshot of the whole page into test-artifacts/browser/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name + ".png"), fullPage: true });
}

/** Waits until the text of `selector` matches `re` (the page follows the terminal's events). */
export async function waitText(page: Page, selector: string, re: RegExp, timeoutMs = 60000): Promise<string> {
  try {
    await page.waitForFunction(
      (a: { s: string; src: string; flags: string }) => {
        const n = document.querySelector(a.s); // runs in the page
        return !!n && new RegExp(a.src, a.flags).test(n.textContent || "");
      },
      { s: selector, src: re.source, flags: re.flags },
      { timeout: timeoutMs },
    );
  } catch (e) {
    const now = await page.locator(selector).first().textContent().catch(() => null);
    throw new Error(`${selector} never matched ${re} (now: ${JSON.stringify(now)}): ${(e as Error).message}`);
  }
  return (await page.locator(selector).first().textContent()) ?? "";
}
