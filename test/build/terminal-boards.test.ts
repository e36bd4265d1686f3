// The terminal boards (board/esp32, board/espruino-wifi): both build under every dialect
// check within their budget, and each bundle, written to Storage and load()ed as a board runs
// saved code, boots in espruino-esp32 (16,383 JsVars, the ESP32 layout; host/espruino-dir.ts)
// with a fake WiFi module and no I2C device: without tpconf it says what is missing and
// refuses a sale into notConfigured; with config.example.json in Storage it boots to idle, the
// PN532 init failing with its coded error (no chip on Linux). No Uncaught error, no ASSERT,
// no OUT OF MEMORY; the JsVars after boot are printed (process.memory(false)) and after a GC.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBoard, formatProblem } from "../../build.mjs";
import { BUDGETS } from "../../build/budgets.mjs";
import { espruinoBinary, espruinoSkipReason } from "../../host/espruino-dir";
import { runFromFlash } from "../../host/flash-run";
import { esp8266BoardPrelude } from "../../host/esp8266-prelude";
import { firmwareBootOnLinux } from "../../host/firmware-standin";
import { partFiles, REPO, titled } from "./helpers";

const NO_ESP32 = espruinoSkipReason("espruino-esp32");

const EXAMPLE = readFileSync(join(REPO, "config.example.json"), "utf8");

/**
 * A WiFi module that connects after 50 ms (espruino-wifi: its own ESP8266 driver against the
 * simulated module, host/esp8266-prelude.ts), then a sale at 2.5 s; then every timer and
 * watch cleared so the interpreter exits.
 */
function prelude(wifiModule: string): string {
  const sale = 'function(){status();print("till> "+sale(1250));print("gc "+process.memory().usage);print("cached "+JSON.stringify(Modules.getCached()));clearTimeout();clearInterval();clearWatch();}';
  // espruino-wifi: the join through the simulated module takes its own time; wait for it (at most 20 s more).
  if (wifiModule === "") return modem + `var __n=0,__w=function(){if(!__esp8266.settled()&&++__n<200)return setTimeout(__w,100);setTimeout(${sale},300);};setTimeout(__w,2500);\n`;
  return (
    `Modules.addCached(${JSON.stringify(wifiModule)},function(){exports.connect=function(s,o,cb){setTimeout(function(){cb(null);},50);};` +
    "exports.disconnect=function(){};exports.setSNTP=function(){};exports.on=function(){};});\n" +
    `setTimeout(${sale},2500);\n`
  );
}

/** Writes `code`, the board's parts (and tpconf when given) to Storage, load()s it, returns what it printed. */
function bootFromFlash(code: string, config: string | null, parts: Record<string, string> = {}): string {
  const files: Record<string, string> = { ...parts };
  if (config !== null) files.tpconf = config;
  return runFromFlash(espruinoBinary("espruino-esp32")!, code, files);
}

function noTrouble(out: string): void {
  expect(out.split("\n").filter((l) => /Uncaught|ASSERT|MEMORY|Error/.test(l)), out).toEqual([]);
}

const boards = [
  { name: "esp32", wifi: "Wifi" },
  { name: "espruino-wifi", wifi: "" },
];
let modem = "";
beforeAll(async () => {
  const c = JSON.parse(EXAMPLE);
  modem = await esp8266BoardPrelude({ [c.wifi.ssid]: c.wifi.password });
}, 120000);

describe.each(boards)("board $name", ({ name, wifi }) => {
  const built = buildBoard({ entry: `board/${name}/main.ts`, write: false });

  it("builds under every dialect check, within its budget", async () => {
    const b = await built;
    expect(b.problems.map(formatProblem)).toEqual([]);
    expect(b.bytes).toBeLessThanOrEqual(BUDGETS[name as keyof typeof BUDGETS]);
    console.log(`${name}: ${b.bytes} bytes minified, ${b.gzipBytes} gzip; requires ${b.modules.join(", ")}`);
  });

  it.skipIf(NO_ESP32)(titled("without tpconf: NOT CONFIGURED with what is missing, a sale refused into notConfigured", NO_ESP32), async () => {
    const b = await built;
    const out = bootFromFlash(prelude(wifi) + b.code, null, partFiles(b));
    noTrouble(out);
    expect(out).toContain("NOT CONFIGURED: sales are refused until tpconf is written:");
    expect(out).toContain("(file): no tpconf in Storage; required: wifi.ssid, wifi.password, acquirer.url");
    expect(out).toMatch(/reader: TERMINAL_READER_INIT: PN532 init failed: PN532_NO_ACK/);
    expect(out).toMatch(/^boot: notConfigured, memory free \d+ usage \d+ total 16383$/m);
    expect(out).toContain("idle, not configured: (file): no tpconf in Storage");
    expect(out).toContain("till> sale 12.50: notConfigured 12.50: refused 12.50 978 (TERMINAL_NOT_CONFIGURED)");
    console.log(name + " without config: " + out.split("\n").filter((l) => /^(boot|gc)/.test(l)).join("; "));
  }, 90000);

  it.skipIf(NO_ESP32)(titled("with config.example.json in Storage: WiFi, idle, the PN532 init's coded error, a sale ends in error", NO_ESP32), async () => {
    const b = await built;
    const out = bootFromFlash(prelude(wifi) + b.code, EXAMPLE, partFiles(b));
    noTrouble(out);
    expect(out).not.toMatch(/NOT CONFIGURED|not configured/);
    expect(out).toMatch(/(^|\[J)idle$/m); // status(), after the REPL prompt's clear-line
    expect(out).toContain("wifi: connected");
    expect(out).toMatch(/reader: TERMINAL_READER_INIT: PN532 init failed: PN532_NO_ACK: GetFirmwareVersion: no ACK/);
    expect(out).toMatch(/^boot: idle, memory free \d+ usage \d+ total 16383$/m);
    expect(out).toContain("till> sale 12.50: error 12.50: error 12.50 978 (TERMINAL_READER_NOT_READY)");
    // No secret of the config is printed.
    for (const secret of ["change-me-wifi-password", "00112233445566778899aabbccddeeff"]) expect(out).not.toContain(secret);
    console.log(name + " with config: " + out.split("\n").filter((l) => /^(boot|gc)/.test(l)).join("; "));
  }, 90000);

  // The Espruino WiFi's bundle is built into its firmware (npm run firmware); its saved code
  // (npm run flash, host/board/flash-firmware.ts bootCode) checks the text where flash found it
  // and evaluates it there at the root scope, or, the text moved, requires it as a module
  // (src/jswrap_modules.c: jspEvaluateModule of a string in flash). E.memoryArea has no flash on
  // Linux: a stand-in maps the address to the text in Storage (host/firmware-standin.ts).
  if (name === "espruino-wifi") it.skipIf(NO_ESP32)(titled("as its saved code runs it: evaluated in place at the root scope; the text moved: as a module; the same boot and sale", NO_ESP32), async () => {
    const b = await built;
    const usage: number[] = [];
    for (const moved of [false, true]) {
      const fw = firmwareBootOnLinux(b.code, b.parts ?? [], moved);
      const out = runFromFlash(espruinoBinary("espruino-esp32")!, prelude(wifi) + fw.code, { ...partFiles(b), ...fw.files, tpconf: EXAMPLE });
      noTrouble(out);
      expect(out).toContain("wifi: connected");
      expect(out).toMatch(/^boot: idle, memory free \d+ usage \d+ total 16383$/m);
      expect(out).toContain("till> sale 12.50: error 12.50: error 12.50 978 (TERMINAL_READER_NOT_READY)");
      const said = out.includes("tappos: not at 0x08040100 in this firmware: npm run flash again (running as a module meanwhile)");
      expect(said).toBe(moved);
      // As a module it is in the module cache; evaluated at the root it is not.
      expect(/^cached \[.*"tappos"\]$/m.test(out)).toBe(moved);
      usage.push(Number(/^gc (\d+)$/m.exec(out)?.[1]));
      console.log(name + (moved ? " as a module: " : " at the root: ") + out.split("\n").filter((l) => /^(boot|gc)/.test(l)).join("; "));
    }
    // Each function at a module's top level holds the module's scope: one JsVar more each.
    expect(usage[1] - usage[0]).toBeGreaterThan(400);
  }, 120000);

  // The config check is the same code on both boards: run once, on the esp32 bundle.
  if (name === "esp32") it.skipIf(NO_ESP32)(titled("with a bad tpconf: one line per bad field, by its path, no value printed", NO_ESP32), async () => {
    const b = await built;
    const c = JSON.parse(EXAMPLE);
    delete c.wifi.ssid;
    c.acquirer.key = "not-hex-" + "x".repeat(40);
    c.reader.link = "usb";
    const out = bootFromFlash(prelude(wifi) + b.code, JSON.stringify(c), partFiles(b));
    noTrouble(out);
    expect(out).toContain("NOT CONFIGURED: sales are refused until these fields are fixed:");
    expect(out).toContain("  wifi.ssid: missing");
    expect(out).toContain("  acquirer.key: 16..64 bytes of hex");
    expect(out).toContain("  reader.link: i2c, spi or hsu");
    expect(out).not.toContain("not-hex-");
    expect(out).toMatch(/^boot: notConfigured, memory free \d+ usage \d+ total 16383$/m);
  }, 90000);

  // The esp32's parts (board/esp32/parts, build/parts.mjs): each loaded from Storage only when
  // the config asks for it; the config check freed once the boot is over.
  if (name === "esp32") {
    const cached = (out: string): string[] => JSON.parse(/^cached (\[.*\])$/m.exec(out)?.[1] ?? "null") as string[];
    it.skipIf(NO_ESP32)(titled("config.example.json: the OLED part loaded; the config check freed; no till, SPI, HSU or card part (no PN532 here: the sale is refused before polling)", NO_ESP32), async () => {
      const b = await built;
      expect((b.parts ?? []).map((p) => p.storage)).toEqual(["tpp.auth", "tpp.card", "tpp.conf", "tpp.hsu", "tpp.oled", "tpp.spi", "tpp.till"]);
      const out = bootFromFlash(prelude(wifi) + b.code, EXAMPLE, partFiles(b));
      noTrouble(out);
      expect(out).toMatch(/^boot: idle, /m);
      expect(cached(out).filter((m) => m.startsWith("tpp."))).toEqual(["tpp.oled"]);
    }, 90000);

    it.skipIf(NO_ESP32)(titled("a sale on a simulated PN532 (a stand-in I2C1): the card part loaded when the sale polls, the phone read, the part let go as the authorization starts", NO_ESP32), async () => {
      const b = await built;
      const sim = await buildBoard({ entry: "test/board-entries/esp32-sim-bus.ts", name: "esp32-sim-bus", write: false, budget: 1 << 20, checkSource: false });
      expect(sim.problems.map(formatProblem)).toEqual([]);
      const c = JSON.parse(EXAMPLE);
      c.pins.pn532Irq = null; // the stand-in bus has no IRQ line: the link polls
      c.acquirer.url = "http://127.0.0.1:9"; // nothing listens: the authorization fails at once
      // Every 50 ms: the parts loaded. CARD IN once tpp.card is (run at the root scope: its
      // unloader is global "tpp.card", build/root-part.mjs), CARD OUT once it is let go again,
      // with the modules cached then; the end once the terminal is idle too (the authorization after the card part).
      const watch =
        'setTimeout(function(){var g0=Object.keys(global);print("till> "+sale(1250));var seen=false,out=false;var iv=setInterval(function(){' +
        'var c=Modules.getCached().filter(function(n){return n.indexOf("tpp.")===0;});' +
        'var card=global["tpp.card"]!==undefined;if(card&&!seen){seen=true;print("CARD IN "+JSON.stringify(c)+" "+typeof _a);}' +
        'if(seen&&!card&&!out){out=true;print("CARD OUT "+JSON.stringify(c)+" "+typeof _a);print("NEW GLOBALS "+JSON.stringify(Object.keys(global).filter(function(k){return g0.indexOf(k)<0&&(k[0]==="_"||k.indexOf("tp")===0);})));}' +
        'if(out&&status().indexOf("idle")===0){process.memory(true);print("gc "+process.memory().usage);clearTimeout();clearInterval();clearWatch();}' +
        "},50);},2500);\n";
      const wifiModule =
        'Modules.addCached("Wifi",function(){exports.connect=function(s,o,cb){setTimeout(function(){cb(null);},50);};' +
        "exports.disconnect=function(){};exports.setSNTP=function(){};exports.on=function(){};});\n";
      const files = partFiles(b);
      files.simphone = readFileSync(join(REPO, "src/sim/transcripts/quickpass-unionpay.apdu"), "utf8");
      const out = bootFromFlash("var I2C1;(function(){" + sim.code + "})();\n" + wifiModule + watch + b.code, JSON.stringify(c), files);
      noTrouble(out);
      // Lines may follow the REPL prompt's clear-line.
      expect(out).toMatch(/(^|\[J)reader: PN532 v1\.6$/m);
      // Nothing answers at the OLED's address on the stand-in bus: the display part is let go at boot.
      expect(out).toContain("display: none at the I2C address");
      // At the root, not a module: its top-level names are globals (_a…) while it is loaded;
      // no other part is cached then: the online side (tpp.auth) was let go as it loaded.
      expect(out).toMatch(/(^|\[J)CARD IN \[\] function$/m);
      // The phone's token read and masked; nothing listens at the acquirer's address.
      expect(out).toMatch(/(^|\[J)result: notAuthorised 12\.50 978 623456\*{6}\d{4} \(no_connection\) stan \d{6}$/m);
      expect(out).toMatch(/(^|\[J)CARD OUT \[\] undefined$/m);
      // Every global the part made (_a…, its hook, its unloader) is gone with it.
      expect(out).toMatch(/(^|\[J)NEW GLOBALS \[\]$/m);
      // The terminal idle again after the part was let go (when: test/app/lazy-reader.test.ts).
      expect(out).toMatch(/(^|\[J)gc \d+$/m);
    }, 120000);

    it.skipIf(NO_ESP32)(titled("no part in Storage: the boot stops and says which file is missing", NO_ESP32), async () => {
      const b = await built;
      const out = bootFromFlash(b.code, EXAMPLE);
      noTrouble(out);
      expect(out).toContain("BOOT STOPPED: BOARD_PART_MISSING: tpp.conf is not in Storage: npm run flash writes it");
      expect(out).not.toMatch(/^boot: /m);
    }, 90000);

    /** The example config booted with every part in Storage but `name`. */
    const bootWithout = async (name: string): Promise<string> => {
      const b = await built;
      const parts = partFiles(b);
      delete parts[name];
      const out = bootFromFlash(prelude(wifi) + b.code, EXAMPLE, parts);
      noTrouble(out);
      return out;
    };

    it.skipIf(NO_ESP32)(titled("the online side's part missing: the terminal boots refusing sales as not configured, and says which file", NO_ESP32), async () => {
      const out = await bootWithout("tpp.auth");
      expect(out).toContain("NOT CONFIGURED: sales are refused until these fields are fixed:");
      expect(out).toContain("  acquirer: BOARD_PART_MISSING: tpp.auth is not in Storage: npm run flash writes it");
      expect(out).toMatch(/^boot: notConfigured, /m);
    }, 90000);

    it.skipIf(NO_ESP32)(titled("the OLED part missing: the display is off with the reason, the terminal boots to idle", NO_ESP32), async () => {
      const out = await bootWithout("tpp.oled");
      expect(out).toContain("display: BOARD_PART_MISSING: tpp.oled is not in Storage: npm run flash writes it");
      expect(out).toMatch(/^boot: idle, /m);
      expect(out).toContain("till> sale 12.50: error 12.50: error 12.50 978 (TERMINAL_READER_NOT_READY)");
    }, 90000);
  }
});
