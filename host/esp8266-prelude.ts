/**
 * For booting the espruino-wifi bundle in the Linux interpreter: a script to put before it
 * that stands the simulated ESP8266 (src/sim/esp8266-sim.ts) on the board's wiring. It defines
 * the globals the board's main.ts names (Serial2 and the pins A2, A3, A13, A14) as stand-ins
 * (and `__esp8266.settled()`, for a test to wait for the join):
 * Serial2 carries the driver's AT bytes to the simulated module, A14 (CH_PD) powers it. The
 * simulated network has the given access points; every TCP connection is refused. Wrapped in
 * a function so that its top-level names cannot meet the bundle's; the stand-ins leave it as
 * top-level vars.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { buildBoard, formatProblem } from "../build.mjs";
import { PROJECT_ROOT } from "./espruino-dir";

export async function esp8266BoardPrelude(aps: { [ssid: string]: string }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tappos-esp-prelude-"));
  try {
    const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
    writeFileSync(
      join(dir, "main.ts"),
      `import { espruinoClock } from ${src("hal/espruino/clock")};
import { Esp8266Sim } from ${src("sim/esp8266-sim")};
declare var global: any;
const sim = new Esp8266Sim(espruinoClock(), { aps: ${JSON.stringify(aps)}, connect: function () { return "refused"; } }, { bootMs: 50, joinMs: 200 });
const port = sim.port();
const used = { serial: false };
global.__esp8266 = {
  Serial2: {
    setup: function () { used.serial = true; },
    write: function (d: string) { port.write(d); },
    on: function (event: string, fn: (d: string) => void) { port.onData(fn); },
    removeAllListeners: function () { port.onData(null); },
  },
  A14: { write: function (v: boolean) { port.power(!!v); } },
  /** True once the module joined, or when the board never set up its UART (no tpconf: no WiFi). */
  settled: function () { return sim.joined() || !used.serial; },
  A13: { write: function () {} },
  A2: {},
  A3: {},
};
`,
    );
    // No source check here: the same src/ files are checked by every board build (and it doubles the time).
    const b = await buildBoard({ entry: join(dir, "main.ts"), name: "esp8266-prelude", write: false, budget: 1 << 20, checkSource: false });
    if (b.problems.length) throw new Error(b.problems.map(formatProblem).join("\n"));
    // Top-level vars shadow the interpreter's own Serial2 (a property set on `global` does not).
    return "(function(){\n" + b.code + "\n})();\nvar Serial2=__esp8266.Serial2,A2=__esp8266.A2,A3=__esp8266.A3,A13=__esp8266.A13,A14=__esp8266.A14;\n";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
