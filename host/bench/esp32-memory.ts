/**
 * The esp32 terminal's JsVars (issue 9: ≤ 3,000 after boot, ≤ 6,000 at the peak of a sale, of
 * the ESP32's 16,383): the real esp32 bundle and its parts (board/esp32, build/parts.mjs) run
 * from Storage in `espruino-esp32` with config.example.json, a WiFi module that connects, and
 * the PN532 simulated behind a stand-in I2C1 (test/board-entries/esp32-sim-bus.ts) with one
 * transcript phone per row. The acquirer's address is closed: the authorization fails at once
 * (notAuthorised, no_connection) and the request goes to the reversal queue, the worst case a
 * sale leaves held. Figures:
 *   after boot   process.memory() after a GC, the terminal idle;
 *   peak         process.memory(false) (garbage included, as RAM really is) sampled at each
 *                I2C read (every PN532 answer: after each APDU and poll) and every 5 ms, less
 *                what the simulator holds then beyond its size at boot (E.getSizeOf: the
 *                answer it prepares and its queue, ~75-90 JsVars just after each command;
 *                on a board that is the PN532's own RAM);
 *   live peak    the most held after a GC at those I2C reads (less the simulator's growth too);
 *   after sale   after a GC once tpp.card is let go (the card read) and the terminal is idle again.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildBoard } from "../../build.mjs";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT } from "../espruino-dir";
import { runFromFlash } from "../flash-run";
import { esp8266BoardPrelude } from "../esp8266-prelude";
import { firmwareBootOnLinux } from "../firmware-standin";
import { num, type BenchTable } from "./table";

export const PHONES = ["quickpass-unionpay", "applepay-visa", "googlepay-mastercard"];

export interface Esp32MemoryRow {
  phone: string;
  /** The PN532 simulator's and phone's own JsVars (taken off the figures below). */
  simulator: number;
  afterBoot: number;
  peak: number;
  /** The most held after a GC, at a PN532 answer during the sale. */
  livePeak: number;
  afterSale: number;
  result: string;
}

export type MemoryBoard = "esp32" | "espruino-wifi";

/** Each board's goals (issue 9): JsVars after boot (null: none set) and at the peak of a sale. */
export const MEMORY_GOALS: Record<MemoryBoard, { idle: number | null; peak: number }> = {
  esp32: { idle: 3000, peak: 6000 },
  "espruino-wifi": { idle: null, peak: 5000 },
};

export interface Esp32Memory {
  board: MemoryBoard;
  skipped: string | null;
  rows: Esp32MemoryRow[];
  total: number;
  errors: string[];
}

const WIFI =
  'Modules.addCached("Wifi",function(){exports.connect=function(s,o,cb){setTimeout(function(){cb(null);},50);};' +
  "exports.disconnect=function(){};exports.setSNTP=function(){};exports.on=function(){};});\n";

/**
 * Samples the peak; once the boot is over (2.5 s after load, and the simulated ESP8266's join
 * settled where there is one) a GC figure, a sale, then once tpp.card is let go again (as the
 * authorization starts) and the terminal is idle (the authorization and the result shown) the
 * last figures. status() prints its line: only asked once the part is gone.
 */
const WATCH =
  "var $pk=0,$lv=0,$on=false;function $sm(){var u=process.memory(false).usage-$sz();if(u>$pk)$pk=u;}" +
  // At each PN532 answer during the sale also what is live (after a GC).
  "var $rd=I2C1.readFrom;I2C1.readFrom=function(a,n){$sm();if($on){var l=process.memory(true).usage-$sz();if(l>$lv)$lv=l;}return $rd(a,n);};" +
  'var $go=function(){if(global.__esp8266&&!__esp8266.settled())return setTimeout($go,100);process.memory(true);$sb=E.getSizeOf(simHeld);print("MEM boot "+process.memory().usage+" total "+process.memory().total);$pk=0;$on=true;' +
  'setInterval($sm,5);sale(1250);var seen=false;setInterval(function(){var c=global["tpp.card"]!==undefined||Modules.getCached().indexOf("tpp.card")>=0;if(c)seen=true;' +
  'if(seen&&!c&&status().indexOf("idle")===0){$on=false;process.memory(true);print("MEM after "+(process.memory().usage-$sz())+" peak "+$pk+" live "+$lv);clearTimeout();clearInterval();clearWatch();}},50);};setTimeout($go,2500);\n';

/**
 * The board's JsVars per phone. esp32: its bundle load()ed from Storage (its saved code) with a
 * WiFi module that connects. espruino-wifi: its saved code as npm run flash writes it, the
 * bundle's text in the firmware evaluated in place at the root scope and the card reader's run
 * there when a sale polls (host/firmware-standin.ts), the config check as a module, WiFi
 * through its own ESP8266 driver against the simulated module (host/esp8266-prelude.ts).
 */
export async function benchEsp32Memory(board: MemoryBoard = "esp32"): Promise<Esp32Memory> {
  const r: Esp32Memory = { board, skipped: null, rows: [], total: 0, errors: [] };
  const bin = espruinoBinary("espruino-esp32");
  if (!bin) {
    r.skipped = board + " memory: " + espruinoSkipReason("espruino-esp32") + ", skipped";
    return r;
  }
  const b = await buildBoard({ entry: `board/${board}/main.ts`, write: false });
  const sim = await buildBoard({ entry: "test/board-entries/esp32-sim-bus.ts", name: "esp32-sim-bus", write: false, budget: 1 << 20, checkSource: false });
  if (!b.ok || !sim.ok) {
    r.skipped = board + " memory: build failed, skipped";
    return r;
  }
  const config = JSON.parse(readFileSync(join(PROJECT_ROOT, "config.example.json"), "utf8"));
  config.pins.pn532Irq = null; // the stand-in bus has no IRQ line
  config.acquirer.url = "http://127.0.0.1:9"; // closed: the authorization fails at once
  const wifi = board === "esp32" ? WIFI : await esp8266BoardPrelude({ [config.wifi.ssid]: config.wifi.password });
  // The simulators' own JsVars, measured as they load, are taken off every figure; $sz: the
  // PN532 simulator's JsVars beyond its size at boot (simHeld: test/board-entries/esp32-sim-bus.ts),
  // defined with the simulator so that its own JsVars count as the simulator's.
  // espruino-wifi: its saved code (npm run flash), the bundle's text in the firmware's flash
  // evaluated in place at the root scope (host/firmware-standin.ts).
  const fw = board === "esp32" ? null : firmwareBootOnLinux(b.code, b.parts ?? []);
  // The sampling code (WATCH) is the bench's, not the terminal's: loaded before the simulators'
  // figure is taken, it counts with them.
  const app =
    'var I2C1;process.memory(true);var $s0=process.memory().usage;var $sb=0;function $sz(){return E.getSizeOf(simHeld)-$sb;}(function(){' + sim.code + "})();" + wifi + WATCH +
    'process.memory(true);print("MEM sim "+(process.memory().usage-$s0));\n' + (fw === null ? b.code : fw.code);
  for (const phone of PHONES) {
    const files: Record<string, string> = { tpconf: JSON.stringify(config), simphone: readFileSync(join(PROJECT_ROOT, "src/sim/transcripts", phone + ".apdu"), "utf8") };
    // The example config has a display fitted: on the esp32 one answers at 0x3C (the espruino-wifi has none).
    if (board === "esp32") files.simoled = "1";
    for (const p of b.parts ?? []) files[p.storage] = p.code;
    if (fw !== null) Object.assign(files, fw.files);
    let out = "";
    try {
      out = runFromFlash(bin, app, files, 120000);
    } catch (e) {
      r.errors.push(phone + ": " + (e as Error).message.split("\n")[0]);
      continue;
    }
    const simVars = Number(/MEM sim (\d+)/.exec(out)?.[1] ?? "0");
    const boot = /MEM boot (\d+) total (\d+)/.exec(out);
    const after = /MEM after (\d+) peak (\d+) live (\d+)/.exec(out);
    const result = /result: (.*)$/m.exec(out);
    if (!boot || !after) {
      r.errors.push(phone + ": no figures" + (/Uncaught.*|OUT OF MEMORY/.exec(out)?.[0] ? " (" + /Uncaught.*|OUT OF MEMORY/.exec(out)?.[0] + ")" : ""));
      continue;
    }
    r.total = Number(boot[2]);
    r.rows.push({ phone, simulator: simVars, afterBoot: Number(boot[1]) - simVars, peak: Number(after[2]) - simVars, livePeak: Number(after[3]) - simVars, afterSale: Number(after[1]) - simVars, result: result ? result[1].replace(/ stan \d+.*$/, "") : "-" });
  }
  return r;
}

export function esp32MemoryTables(r: Esp32Memory): BenchTable[] {
  const goal = MEMORY_GOALS[r.board];
  const how = r.board === "esp32" ? "the esp32 bundle and parts from Storage" : "the espruino-wifi bundle evaluated in place at the root scope as its saved code does, the card reader at the root, the config check as a module; the ESP8266 simulated";
  const t: BenchTable = {
    id: r.board + "-memory",
    title: `${r.board} terminal JsVars (espruino-esp32, ${how}; goals ${goal.idle === null ? "" : num(goal.idle) + " idle, "}${num(goal.peak)} peak)`,
    columns: ["phone", "after boot", "peak in the sale", "live peak", "after the sale", "result", "simulator", "budget"],
    rows: [],
    notes: [],
  };
  for (const x of r.rows) {
    t.rows.push([x.phone, num(x.afterBoot), num(x.peak), num(x.livePeak), num(x.afterSale), x.result, num(x.simulator), (goal.idle === null || x.afterBoot <= goal.idle) && x.peak <= goal.peak ? "ok" : "OVER"]);
  }
  if (r.skipped) t.notes.push(r.skipped);
  t.notes.push(`of ${num(r.total)} JsVars; config.example.json (${r.board === "esp32" ? "an OLED fitted that answers at 0x3C, " : ""}no till), the PN532 simulated behind a stand-in I2C1, the acquirer closed (the request queued for reversal); after boot and after the sale: after a GC; peak: process.memory(false) at each PN532 answer and every 5 ms, garbage included; live peak: the most held after a GC at a PN532 answer; every figure less the simulators' and the sampling code's own JsVars as they loaded (column "simulator") and, from the boot figure on, less what the PN532 simulator holds beyond that (E.getSizeOf: the answer it prepares, its queue)`);
  for (const e of r.errors) t.notes.push("ERROR " + e);
  return [t];
}
