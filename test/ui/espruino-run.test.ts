// The UI modules in the Espruino 2v29 interpreter itself (espruino-esp32 from
// host/espruino-dir.ts; skipped, with the reason, only when it is missing), loaded from flash as
// a board would: the SSD1306 transcripts equal Node's, the real built-in Graphics draws into the
// page layout the simulated SSD1306 receives pixel for pixel, and the LED/buzzer timeline
// equals Node's. Found on the way: 2v29's vertical_byte buffers are MSB first unless
// `msb: false` is given (src/hal/espruino/ui-outputs.ts).
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { Ssd1306 } from "../../src/display/ssd1306";
import { Ssd1306Sim } from "../../src/sim/ssd1306-sim";
import { espruinoSkipReason, makeFixture, REPO, removeTempDirs, runInEspruinoFromFlash, titled } from "../build/helpers";
import { recordWrites } from "./ui-helpers";

const NO_ESPRUINO = espruinoSkipReason("espruino-esp32");

afterAll(removeTempDirs);

function harness(): string {
  const src = (p: string) => JSON.stringify(join(REPO, "src", p));
  return `import { Ssd1306 } from ${src("display/ssd1306")};
import { Ssd1306Sim } from ${src("sim/ssd1306-sim")};
import { openOled } from ${src("app/ui/oled")};
import { StatusIndicators } from ${src("app/ui/indicators")};
import { UiFanout } from ${src("app/ui/ui-port")};
import { espruinoGraphics } from ${src("hal/espruino/ui-outputs")};
import { ui, UiMessage, UiStatus } from ${src("emv/outcome")};
import { toHex } from ${src("bytes/hex")};
declare function print(a: string): void;

const sim = new Ssd1306Sim();
const bus = { write: (a: number, d: Uint8Array) => { print("W " + toHex(d)); sim.write(a, d); }, read: (a: number, n: number) => sim.read(a, n) };
const oled = new Ssd1306(bus);
oled.init();
const frame = new Uint8Array(1024);
for (let i = 0; i < 1024; i++) frame[i] = (i * 7 + (i >> 7) * 13 + 1) & 0xff;
oled.flush(frame);
print("RAM " + (toHex(sim.ram) === toHex(frame) ? "same" : "differs"));

const factory = espruinoGraphics();
if (!factory) print("NO GRAPHICS");
else {
  let g: any = null;
  const screen = openOled(sim, { create: (w: number, h: number) => (g = factory.create(w, h)) });
  screen.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), { amountMinor: 1250, currencyLabel: "EUR", currencyExponent: 2 });
  let lit = 0;
  let bad = 0;
  let firstX = -1;
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 128; x++) {
      const p = g.getPixel(x, y) ? true : false;
      if (p !== sim.pixel(x, y)) bad++;
      if (p) { lit++; if (y < 8 && (firstX < 0 || x < firstX)) firstX = x; }
    }
  }
  print("PIXELS lit " + lit + " mismatched " + bad + " firstX " + firstX);
}

let t = 0;
const timers: { at: number; fn: () => void; id: number }[] = [];
let nextId = 1;
const clock = {
  now: () => t,
  setTimer: (ms: number, fn: () => void) => { const id = nextId++; timers.push({ at: t + ms, fn: fn, id: id }); return id; },
  clearTimer: (id: number) => { for (let i = 0; i < timers.length; i++) if (timers[i].id === id) { timers.splice(i, 1); return; } },
};
function advance(ms: number): void {
  const end = t + ms;
  for (;;) {
    let k = -1;
    for (let i = 0; i < timers.length; i++) if (timers[i].at <= end && (k < 0 || timers[i].at < timers[k].at)) k = i;
    if (k < 0) break;
    const x = timers.splice(k, 1)[0];
    t = x.at;
    x.fn();
  }
  t = end;
}
function led(n: number) { return { write: (on: boolean) => print("T " + t + " LED" + n + " " + (on ? "on" : "off")) }; }
const ind = new StatusIndicators(clock, [led(1), led(2), led(3), led(4)], {
  tone: (hz: number, duty: number) => print("T " + t + " tone " + hz + " " + duty),
  off: () => print("T " + t + " silent"),
});
const port = new UiFanout(clock, [ind]);
port.show(ui(UiMessage.Welcome, UiStatus.Idle, 0));
advance(5300);
port.show(ui(UiMessage.Processing, UiStatus.Processing, 0));
port.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 750));
port.show(ui(UiMessage.Authorising, UiStatus.NotReady, 0));
advance(1000);
port.show(ui(UiMessage.NotAuthorised, UiStatus.NotReady, 0));
advance(1000);
print("TIMERS " + timers.length);
print("DONE");
`;
}

describe("UI in the Espruino interpreter", () => {
  it.skipIf(NO_ESPRUINO)(titled("SSD1306 transcripts, real Graphics pixels and the LED/buzzer timeline", NO_ESPRUINO), async () => {
    const dir = makeFixture({ "ui-run.ts": harness() });
    const built = await buildBoard({ entry: join(dir, "ui-run.ts"), name: "ui-run", root: REPO, write: false, budget: 1 << 20, checkSource: false });
    expect(built.problems).toEqual([]);
    const out = runInEspruinoFromFlash(built.code);
    expect(out).toContain("DONE");
    expect(out).not.toMatch(/Uncaught|ASSERT|OUT OF MEMORY|Error/);
    const lines = out.split("\n").map((l) => l.trim());

    // The same bytes as the driver writes on Node.
    const node: string[] = [];
    const oled = new Ssd1306(recordWrites(new Ssd1306Sim(), node));
    oled.init();
    const frame = new Uint8Array(1024);
    for (let i = 0; i < 1024; i++) frame[i] = (i * 7 + (i >> 7) * 13 + 1) & 0xff;
    oled.flush(frame);
    expect(lines.filter((l) => l.startsWith("W "))).toEqual(node.map((l) => "W " + l.slice(5).replace(/ /g, "")));
    expect(lines).toContain("RAM same");

    // Real Graphics: "Present Card" (12 × 6 px) centred from x = 28; every pixel where the SSD1306 has it.
    const px = lines.find((l) => l.startsWith("PIXELS")) ?? "";
    const m = /^PIXELS lit (\d+) mismatched (\d+) firstX (-?\d+)$/.exec(px);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(100);
    expect(Number(m![2])).toBe(0);
    expect(Number(m![3])).toBe(28);

    expect(lines.filter((l) => l.startsWith("T "))).toEqual([
      "T 0 LED1 on", "T 0 LED2 off", "T 0 LED3 off", "T 0 LED4 off",
      "T 200 LED1 off", "T 5000 LED1 on", "T 5200 LED1 off",
      "T 5300 LED1 on", "T 5300 LED2 on", // Processing
      "T 5300 LED3 on", "T 5425 LED4 on", "T 5425 tone 1500 0.5", "T 5925 silent", // Card Read OK
      "T 6050 LED1 off", "T 6050 LED2 off", "T 6050 LED3 off", "T 6050 LED4 off", // Authorising, after the 750 ms hold
      "T 6300 tone 750 0.5", "T 6500 silent", "T 6700 tone 750 0.5", "T 6900 silent", // Not Authorised
    ]);
    expect(lines).toContain("TIMERS 0");
  });
});
