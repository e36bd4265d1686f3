// What the board's till costs in JsVars (host/bench/till-memory.ts, the bench's "till-memory"
// table) in espruino-esp32 (the ESP32 layout, 16,383 JsVars): serving the page from Storage
// and an API call stay within a few hundred JsVars and leave nothing held; an open event
// stream holds ~100, so the board's cap of 2 costs ~200. Skipped, with the reason, without
// the interpreter; the bench then prints no till table.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchTillMemory, tillMemoryTables } from "../../host/bench/till-memory";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { titled } from "../build/helpers";

const skip = espruinoSkipReason("espruino-esp32");

describe("the till's memory in espruino-esp32", () => {
  it.skipIf(skip !== null)(titled("page and API calls: a few hundred JsVars at the peak, none held after; ~100 per event stream", skip), async () => {
    const r = await benchTillMemory("espruino-esp32");
    expect(r.errors).toEqual([]);
    expect(r.total).toBe(16383);
    const step = (prefix: string) => r.steps.find((s) => s.name.startsWith(prefix)) ?? { name: prefix, before: 0, peak: 0, after: 0 };
    for (const name of ["GET / ", "GET /api/status", "GET /api/results"]) {
      const s = step(name);
      expect(s.peak - s.before, name).toBeGreaterThan(0);
      expect(s.peak - s.before, name).toBeLessThan(800);
      expect(Math.abs(s.after - s.before), name).toBeLessThan(40); // nothing held once answered
    }
    expect(r.perStream).toBeGreaterThan(20);
    expect(r.perStream).toBeLessThan(400);
    const t = tillMemoryTables(r);
    expect(t.map((x) => x.id)).toEqual(["till-memory"]);
    expect(t[0].rows).toHaveLength(r.steps.length);
  }, 180000);

  it("no interpreter: skipped with the reason, no table", async () => {
    const was = process.env.ESPRUINO_DIR;
    process.env.ESPRUINO_DIR = join(PROJECT_ROOT, "no-such-espruino");
    try {
      const r = await benchTillMemory("espruino-esp32");
      expect(r.skipped).toBe(`espruino-esp32 not found in ${join(PROJECT_ROOT, "no-such-espruino")} (set $ESPRUINO_DIR)`);
      expect(tillMemoryTables(r)).toEqual([]);
    } finally {
      if (was === undefined) delete process.env.ESPRUINO_DIR;
      else process.env.ESPRUINO_DIR = was;
    }
  });
});
