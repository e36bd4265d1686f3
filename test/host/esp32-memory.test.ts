// The terminals' JsVars (host/bench/esp32-memory.ts, the bench's "esp32-memory" and
// "espruino-wifi-memory" tables): the real esp32 bundle and its Storage parts, and the
// espruino-wifi's as the modules its firmware carries, in espruino-esp32 (16,383 JsVars) with
// config.example.json, a simulated PN532 behind a stand-in I2C1, one sale per phone against a
// closed acquirer. This checks that the measurement measures: a figure per phone, in the order
// RAM goes through (idle < live peak ≤ peak), the sale's defined outcome with the PAN masked,
// and tpp.card let go again afterwards. Skipped, with the reason, without the interpreter.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchEsp32Memory, esp32MemoryTables, MEMORY_GOALS, PHONES } from "../../host/bench/esp32-memory";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { titled } from "../build/helpers";

const skip = espruinoSkipReason("espruino-esp32");

describe.skipIf(skip !== null)(titled("the terminals' memory in espruino-esp32", skip), () => {
  it.each(["esp32", "espruino-wifi"] as const)("%s: after boot, the peak of a sale and after it, per phone; the card part let go", async (board) => {
    const r = await benchEsp32Memory(board);
    expect(r.errors).toEqual([]);
    expect(r.skipped).toBeNull();
    expect(r.board).toBe(board);
    expect(r.total).toBe(16383);
    expect(r.rows.map((x) => x.phone)).toEqual(PHONES);
    for (const x of r.rows) {
      // The boot is the same whichever phone is tapped later.
      expect(x.afterBoot, x.phone).toBe(r.rows[0].afterBoot);
      expect(x.afterBoot, x.phone).toBeGreaterThan(1000);
      // tpp.card (~1,800 JsVars of code) and the tap's data are live during the sale.
      expect(x.livePeak - x.afterBoot, x.phone).toBeGreaterThan(1500);
      expect(x.peak, x.phone).toBeGreaterThanOrEqual(x.livePeak);
      expect(x.peak, x.phone).toBeLessThan(r.total);
      // Back to idle: the card part freed; what stays is the last result and, with a reversal
      // queued (no answer), the online side (tpp.auth, src/app/lazy-auth.ts) with its back-off
      // timer, until the reversal is delivered; without one it is let go too.
      expect(x.afterSale - x.afterBoot, x.phone).toBeGreaterThanOrEqual(0);
      expect(x.afterSale - x.afterBoot, x.phone).toBeLessThan(x.result.endsWith("(no_answer)") ? 900 : 400);
      expect(x.simulator, x.phone).toBeGreaterThan(0);
      // Not authorised either way: no connection (esp32's fake WiFi), or no answer with a reversal queued (the simulated ESP8266).
      expect(x.result, x.phone).toMatch(/^notAuthorised 12\.50 978 \d{6}\*{6}\d{4} \((no_connection|no_answer)\)$/);
    }
    const t = esp32MemoryTables(r);
    expect(t.map((x) => x.id)).toEqual([board + "-memory"]);
    expect(t[0].rows).toHaveLength(PHONES.length);
    const goal = MEMORY_GOALS[board];
    t[0].rows.forEach((row, i) => {
      const x = r.rows[i];
      expect(row[row.length - 1]).toBe((goal.idle === null || x.afterBoot <= goal.idle) && x.peak <= goal.peak ? "ok" : "OVER");
    });
  }, 240000);
});

describe("the memory bench without the interpreter", () => {
  it("no interpreter: skipped with the reason, a table that says so", async () => {
    const was = process.env.ESPRUINO_DIR;
    process.env.ESPRUINO_DIR = join(PROJECT_ROOT, "no-such-espruino");
    try {
      const r = await benchEsp32Memory();
      expect(r.skipped).toBe(`esp32 memory: espruino-esp32 not found in ${join(PROJECT_ROOT, "no-such-espruino")} (set $ESPRUINO_DIR), skipped`);
      const t = esp32MemoryTables(r);
      expect(t[0].rows).toEqual([]);
      expect(t[0].notes[0]).toBe(r.skipped);
    } finally {
      if (was === undefined) delete process.env.ESPRUINO_DIR;
      else process.env.ESPRUINO_DIR = was;
    }
  });
});
