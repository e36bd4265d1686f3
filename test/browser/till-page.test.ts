/**
 * The till page in a real browser (issue 10): Debian's chromium, headless, at a phone's
 * 360 × 740, driven by playwright-core against `npm start` headless (the simulated terminal,
 * the reference acquirer, the till server on loopback). The merchant keys an amount, starts
 * the sale, taps a virtual phone from the picker and sees Approved, the masked PAN in the last
 * results and its receipt; a decline (test amount .51, docs/acquirer-api.md "Test amounts");
 * a cancel; a void. Each state is screenshot into test-artifacts/browser/ (git-ignored).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, PHONE, shot, SKIP_BROWSER, waitText, type Browser } from "./chromium";
import { startTill, type StartedTill } from "./start-till";

const MASKED = /[0-9]{6}\*{2,9}[0-9]{4}/;
const T = 120000;

describe.skipIf(SKIP_BROWSER)("the till page in chromium", () => {
  let stateDir = "";
  let till: StartedTill;
  let browser: Browser;
  let page: Page;
  const requests: Request[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "tappos-till-page-"));
    till = await startTill(stateDir);
    browser = await openBrowser();
    page = browser.page;
    page.on("request", (r) => requests.push(r));
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, T);

  afterAll(async () => {
    await browser?.close();
    await till?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, T);

  async function key(digits: string): Promise<void> {
    for (const d of digits) await page.click(`#keys [data-k="${d}"]`);
  }

  async function sale(digits: string, amountText: string): Promise<void> {
    await key(digits);
    expect(await page.textContent("#amount")).toBe(amountText + " EUR");
    await page.click("#charge");
    await waitText(page, "#p-title", /^Present card$/);
    expect(await page.textContent("#p-amount")).toBe(amountText + " EUR");
  }

  async function tap(profile: string): Promise<void> {
    await page.selectOption("#sim-profile", profile);
    await page.click("#sim-tap");
  }

  it("opens from the printed URL: the token leaves the address bar for localStorage", async () => {
    await page.goto(till.url);
    await waitText(page, "#p-title", /^Ready$/);
    expect(page.url()).toBe(till.origin + "/");
    expect(await page.evaluate(() => localStorage.getItem("tappos.till.token"))).toBe(till.token);
    expect(page.viewportSize()).toEqual(PHONE);
    // The page fits the phone's width: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await page.isVisible("#sim")).toBe(true); // the host's virtual phone picker
    await shot(page, "01-ready");
  }, T);

  it("takes a payment: 1,2,5,0 → 12.50, a virtual phone, Approved, masked PAN in the results and on the receipt", async () => {
    await sale("1250", "12.50");
    await shot(page, "02-present-card");
    await tap("applepay-visa");
    const title = await waitText(page, "#p-title", /^(Approved|Declined|Error|Timed out|Refused)$/);
    await shot(page, "03-approved");
    expect(title).toBe("Approved");
    const first = page.locator("#list li").first();
    await first.filter({ hasText: "12.50 EUR" }).waitFor({ timeout: 30000 });
    const line = (await first.textContent()) ?? "";
    expect(line).toContain("Approved");
    expect(line).toMatch(MASKED);
    expect(line).toContain("Visa");
    const pan = MASKED.exec(line)![0];
    await first.locator("button").click();
    await waitText(page, "#r-lines", new RegExp(pan.replace(/\*/g, "\\*")));
    const receipt = (await page.textContent("#r-lines")) ?? "";
    expect(receipt).toContain("12.50");
    expect(receipt).not.toMatch(/\b[0-9]{13,19}\b/); // never a clear PAN (the AID is A0…)
    expect(receipt).toMatch(/VERIFIED BY DEVICE/i); // the CVM line of a phone
    expect(await page.isVisible("#void")).toBe(true); // approved today
    await shot(page, "04-receipt");
    await page.click("#r-close");
  }, T);

  it("shows a decline: test amount 20.51 (insufficient funds)", async () => {
    await sale("2051", "20.51");
    await tap("card-visa");
    await waitText(page, "#p-title", /^Declined$/);
    await shot(page, "05-declined");
    const first = page.locator("#list li").first();
    await first.filter({ hasText: "20.51 EUR" }).waitFor({ timeout: 30000 });
    expect(await first.textContent()).toContain("Declined");
    await first.locator("button").click();
    await waitText(page, "#r-lines", /\S/);
    expect(await page.isVisible("#void")).toBe(false); // only approved sales are voided
    await page.click("#r-close");
  }, T);

  it("cancels a sale waiting for a card", async () => {
    await sale("300", "3.00");
    expect(await page.isVisible("#cancel")).toBe(true);
    await page.click("#cancel");
    await waitText(page, "#p-title", /^Cancelled$/);
    await shot(page, "06-cancelled");
    expect(await page.isVisible("#cancel")).toBe(false);
    const first = page.locator("#list li").first();
    await first.filter({ hasText: "3.00 EUR" }).waitFor({ timeout: 30000 });
    expect(await first.textContent()).toContain("Cancelled");
  }, T);

  it("voids the approved sale from its receipt (two taps)", async () => {
    const approved = page.locator("#list li", { hasText: "12.50 EUR" }).first();
    await approved.locator("button").click();
    await page.locator("#void").waitFor({ state: "visible" });
    await page.click("#void");
    expect(await page.textContent("#void")).toBe("Confirm void");
    await page.click("#void");
    // 200: the acquirer (on loopback) took the reversal at once; nothing is left pending.
    await waitText(page, "#r-note", /^Voided: the acquirer reversed it\.$/);
    await waitText(page, "#warn", /^(?![\s\S]*reversal)/);
    await shot(page, "07-voided");
    await page.click("#r-close");
    await page.locator("#list li", { hasText: "12.50 EUR" }).first().filter({ hasText: "Voided" }).waitFor({ timeout: 30000 });
  }, T);

  it("sent the token only in the Authorization header, and each sale its own Idempotency-Key", async () => {
    expect(pageErrors).toEqual([]);
    for (const r of requests) expect(r.url()).not.toContain(till.token);
    const api = requests.filter((r) => new URL(r.url()).pathname.startsWith("/api/"));
    expect(api.length).toBeGreaterThan(5);
    for (const r of api) expect(r.headers()["authorization"]).toBe("Bearer " + till.token);
    const keys = requests.filter((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/sales").map((r) => r.headers()["idempotency-key"]);
    expect(keys.length).toBe(3);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(keys).size).toBe(3);
  }, T);

  it("a lost answer to POST /api/sales: sent again with the same Idempotency-Key, one sale", async () => {
    const keys: string[] = [];
    const answers: number[] = [];
    let retried: () => void = () => undefined;
    const retry = new Promise<void>((resolve) => (retried = resolve));
    await page.route("**/api/sales", async (route) => {
      keys.push(route.request().headers()["idempotency-key"]);
      const answer = await route.fetch(); // the terminal gets the request and starts the sale …
      if (keys.length === 1) return route.abort("connectionreset"); // … and its answer is lost
      answers.push(answer.status());
      await route.fulfill({ response: answer });
      retried();
    });
    try {
      await sale("777", "7.77");
      await retry;
    } finally {
      await page.unroute("**/api/sales");
    }
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(answers).toEqual([200]); // the same sale again, not a new one
    await page.click("#cancel");
    await waitText(page, "#p-title", /^Cancelled$/);
    const list = page.locator("#list li");
    await list.first().filter({ hasText: "7.77 EUR" }).waitFor({ timeout: 30000 });
    expect(await list.filter({ hasText: "7.77 EUR" }).count()).toBe(1);
  }, T);

  it("warns when reversals are pending, the acquirer is unreachable or the link dropped; reconnects", async () => {
    const other = await openBrowser();
    try {
      const p = other.page;
      const status = await (await fetch(till.origin + "/api/status", { headers: { Authorization: "Bearer " + till.token } })).json();
      // One status frame saying so, then the stream ends (as a dropped WiFi link would end it).
      await p.route("**/api/events", (route) =>
        route.fulfill({ status: 200, headers: { "Content-Type": "text/event-stream" }, body: "event: status\ndata: " + JSON.stringify({ ...status, reversalsPending: 2, online: false }) + "\n\n" }),
      );
      await p.goto(till.url);
      await waitText(p, "#warn", /2 reversals pending/);
      await waitText(p, "#warn", /acquirer cannot be reached/);
      await waitText(p, "#warn", /No link to the terminal: reconnecting/);
      await shot(p, "09-warnings");
      await p.unroute("**/api/events");
      // The next attempt reaches the terminal: its own status, nothing to warn about.
      await waitText(p, "#warn", /^$/);
    } finally {
      await other.close();
    }
  }, T);

  it("on a phone without the token: a field to type it once; a wrong one is refused", async () => {
    const other = await openBrowser();
    try {
      const p = other.page;
      await p.goto(till.origin + "/");
      await p.locator("#login").waitFor({ state: "visible" });
      await p.fill("#token", "not-the-token-at-all");
      await p.click("#login button");
      await waitText(p, "#login-why", /refused/);
      await shot(p, "08-token-refused");
      await p.fill("#token", till.token);
      await p.click("#login button");
      await waitText(p, "#p-title", /^(Ready|Cancelled|Approved|Declined)$/);
      // Kept: a reload opens the till without asking again.
      await p.reload();
      await waitText(p, "#p-title", /^(Ready|Cancelled|Approved|Declined)$/);
      expect(await p.isVisible("#login")).toBe(false);
    } finally {
      await other.close();
    }
  }, T);
});
