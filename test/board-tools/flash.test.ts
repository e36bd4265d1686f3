// npm run flash: the checks that refuse before any upload (port, budget, modules, usage, the
// till page), the upload's judgement and the till page written to Storage, against the fake
// CLI (TAPPOS_ESPRUINO_CLI).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { budgetFor, PART_BUDGET } from "../../build/budgets.mjs";
import { TILL_PAGE_FILE } from "../../host/board/boards";
import { flashMain } from "../../host/board/flash-run";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { capture, FAKE_CLI, fakeRuns, tempDir } from "./helpers";

const tmp = tempDir();
const log = join(tmp.dir, "cli.log");
const tiny = join(tmp.dir, "tiny.js");
const fifo = join(tmp.dir, "ttyFAKE0");
const page = join(tmp.dir, "till.html.gz");
const NO_PAGE = "--no-page";
const NO_PARTS = "--no-parts";
let holder: ChildProcess | null = null;

beforeAll(() => {
  writeFileSync(tiny, 'print("tappos tiny bundle");var TINY=1;\n');
  // 3,072 bytes starting with gzip's magic: four Storage.write lines of 768 bytes.
  writeFileSync(page, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(Array.from({ length: 3070 }, (_, i) => (i * 7919 + 13) & 0xff))]));
  spawnSync("mkfifo", [fifo]);
  process.env.TAPPOS_ESPRUINO_CLI = FAKE_CLI;
  process.env.FAKE_ESPRUINO_LOG = log;
});

afterEach(() => {
  delete process.env.FAKE_ESPRUINO_MODE;
  delete process.env.FAKE_ESPRUINO_CONF;
  delete process.env.FAKE_ESPRUINO_FILE_DROP;
  delete process.env.FAKE_ESPRUINO_FW;
  writeFileSync(log, "");
});

afterAll(() => {
  if (holder?.pid) process.kill(holder.pid, "SIGKILL");
  delete process.env.TAPPOS_ESPRUINO_CLI;
  delete process.env.FAKE_ESPRUINO_LOG;
  tmp.cleanup();
});

describe("npm run flash: refused before any upload", () => {
  it("a missing port fails fast: one line on stderr, exit 1, no build, no CLI (real process)", () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ["host/run.mjs", "host/flash.ts", "--board", "esp32", "--port", "/dev/ttyUSB_nope"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 60000,
      env: { ...process.env, TAPPOS_ESPRUINO_CLI: FAKE_CLI, FAKE_ESPRUINO_LOG: log },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toEqual(["error: port /dev/ttyUSB_nope does not exist: is the board plugged in? (ls /dev/ttyUSB* /dev/ttyACM*)"]);
    expect(fakeRuns(log)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(30000);
  });

  it("a port another process holds open is busy (pid named)", async () => {
    holder = spawn("bash", ["-c", 'exec 3<>"$0"; sleep 60', fifo], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", fifo, "--bundle", tiny], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(new RegExp(`^error: port .*ttyFAKE0 is busy: held open by pid .*\\d`));
    process.kill(holder.pid as number, "SIGKILL");
    holder = null;
    expect(fakeRuns(log)).toEqual([]);
  });

  it("a regular file is not a serial device", async () => {
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", tiny, "--bundle", tiny], io)).toBe(1);
    expect(io.errors).toEqual([`error: port ${tiny} is not a serial device`]);
  });

  it("a bundle over the board's budget (build/budgets.mjs) is refused, nothing uploaded", async () => {
    const big = join(tmp.dir, "big.js");
    const budget = budgetFor("esp32");
    writeFileSync(big, "var A=" + JSON.stringify("x".repeat(budget - 9)) + ";\n"); // budget + 1 bytes
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", big], io)).toBe(1);
    expect(io.errors).toEqual([`error: bundle ${big} is ${budget + 1} bytes, over the esp32 budget of ${budget} (build/budgets.mjs): nothing flashed`]);
    expect(fakeRuns(log)).toEqual([]);
  });

  it("a bundle requiring a module the board does not have built in is refused", async () => {
    const b = join(tmp.dir, "needs-module.js");
    writeFileSync(b, 'var W=require("EspruinoWiFi");\n');
    const io = capture();
    expect(await flashMain(["--board", "espruino-wifi", "--port", "tcp://127.0.0.1:2323", "--bundle", b], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: bundle requires EspruinoWiFi, neither built into espruino-wifi .* nor in .*board\/espruino-wifi\/modules\/: nothing flashed$/);
    expect(fakeRuns(log)).toEqual([]);
  });

  it("a missing bundle is refused", async () => {
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", join(tmp.dir, "none.js")], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: bundle .*none\.js does not exist/);
  });

  it("usage errors exit 2 with the usage; --help exits 0", async () => {
    for (const argv of [["--board", "esp32"], ["--port", "/dev/ttyUSB0"], ["--board", "esp8266", "--port", "x"], ["--board", "esp32", "--port", "x", "--config", "c.json"], ["--bogus"]]) {
      const io = capture();
      expect(await flashMain(argv, io)).toBe(2);
      expect(io.errors[0]).toMatch(/^error: /);
    }
    const io = capture();
    expect(await flashMain(["--help"], io)).toBe(0);
    expect(io.lines[0]).toMatch(/^usage: npm run flash/);
  });
});

describe("npm run flash: upload (fake CLI)", () => {
  it("serial port: -b, the repo's board JSON, SAVE_ON_SEND=1, then the Storage question; no config → says how to configure, exit 0", async () => {
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", fifo, "--bundle", tiny, NO_PAGE, NO_PARTS], io)).toBe(0);
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(2);
    const boardJson = resolve(PROJECT_ROOT, "board/esp32/espruino-board.json");
    const modulesCwd = `MODULES_CWD=${resolve(PROJECT_ROOT, "board/esp32")}`;
    expect(runs[0]).toEqual(["--no-ble", "-p", fifo, "-b", "115200", "--board", boardJson, "--config", modulesCwd, "--config", "SAVE_ON_SEND=1", tiny]);
    expect(runs[1].slice(0, 6)).toEqual(["--no-ble", "-p", fifo, "-b", "115200", "--board"]);
    expect(runs[1][9]).toBe("-e");
    expect(io.errors).toEqual([]);
    expect(io.lines).toContain("uploaded and saved to flash (.bootcde, 41 bytes)");
    expect(io.all()).toContain('the board has no configuration yet (no "tpconf" in Storage)');
    expect(io.all()).toContain(`npm run configure -- --board esp32 --port ${fifo} --config config.json`);
  });

  it("a configured board says so", async () => {
    process.env.FAKE_ESPRUINO_CONF = "1";
    const io = capture();
    expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", tiny, NO_PAGE, NO_PARTS], io)).toBe(0);
    expect(fakeRuns(log)[0]).not.toContain("-b");
    expect(io.all()).toContain('the board has a configuration ("tpconf" in Storage)');
  });

  for (const [mode, why] of [
    ["module", "flash failed: module FooMod not found"],
    ["unable", "flash failed: serial port tcp://127.0.0.1:2323 not found by the espruino CLI (it opens only ports that serialport lists: a USB serial device, udev)"],
    ["refused", "flash failed: cannot connect: ECONNREFUSED"],
    ["uncaught", "flash failed: the board reported: Uncaught Error"],
  ]) {
    it(`the CLI's "${mode}" output (exit 0) fails the flash: one line, exit 1`, async () => {
      process.env.FAKE_ESPRUINO_MODE = mode;
      const io = capture();
      expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", tiny, NO_PAGE, NO_PARTS], io)).toBe(1);
      expect(io.errors).toHaveLength(1);
      expect(io.errors[0].startsWith(`error: ${why}`)).toBe(true);
      expect(fakeRuns(log)).toHaveLength(1);
    });
  }
});

describe("npm run flash: the till page in Storage (fake CLI)", () => {
  const T = ["--port", "tcp://127.0.0.1:2323", "--bundle", tiny, NO_PARTS];

  it("esp32: after the code, the page goes to Storage as till.html.gz (no reset, not saved as code), CRC32 checked", async () => {
    const io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--page", page], io)).toBe(0);
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(3);
    expect(runs[0]).toContain("SAVE_ON_SEND=1");
    expect(runs[1]).toContain("RESET_BEFORE_SEND=0");
    expect(runs[1]).toContain("SAVE_ON_SEND=0");
    expect(runs[2]).toContain("-e");
    const size = readFileSync(page).length;
    expect(io.lines).toContain(`till page written to Storage "till.html.gz" (${size} bytes, CRC32 checked)`);
    expect(io.errors).toEqual([]);
  });

  it("the board storing fewer bytes than sent fails the flash: one line, exit 1", async () => {
    process.env.FAKE_ESPRUINO_FILE_DROP = "1";
    const io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--page", page], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(/^error: writing till\.html\.gz to Storage failed: the board stored 2304 bytes with CRC32 \d+, expected \d+ bytes with CRC32 \d+$/);
  });

  it("a missing or non-gzip page is refused before any upload", async () => {
    let io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--page", join(tmp.dir, "none.gz")], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: till page .*none\.gz does not exist: run npm run build \(or pass --page FILE, or --no-page\): nothing flashed$/);
    io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--page", tiny], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: till page .*tiny\.js is not gzip: nothing flashed$/);
    expect(fakeRuns(log)).toEqual([]);
  });

  it("the Storage name flash writes is the one the esp32 firmware serves", () => {
    expect(TILL_PAGE_FILE).toBe("till.html.gz");
    expect(readFileSync(join(PROJECT_ROOT, "board/esp32/till.ts"), "utf8")).toContain(`const PAGE = "${TILL_PAGE_FILE}";`);
  });

  it("espruino-wifi serves no page: nothing written, it says so; --page there is a usage error", async () => {
    process.env.FAKE_ESPRUINO_FW = tiny;
    const io = capture();
    expect(await flashMain(["--board", "espruino-wifi", ...T, NO_PARTS], io)).toBe(0);
    expect(fakeRuns(log)).toHaveLength(3); // the firmware question, the boot line, the Storage question
    expect(io.lines).toContain("no till page on espruino-wifi (no room in its Storage): its till is the console, sale(1250)");
    const bad = capture();
    expect(await flashMain(["--board", "espruino-wifi", ...T, "--page", page], bad)).toBe(2);
    expect(bad.errors[0]).toBe("error: --page: espruino-wifi does not serve the till page (no room in its Storage)");
  });
});

describe("npm run flash: the board's parts in Storage (fake CLI)", () => {
  const T = ["--port", "tcp://127.0.0.1:2323", "--bundle", tiny, NO_PAGE];
  const PARTS = ["auth", "card", "conf", "hsu", "oled", "spi", "till"];
  const partsDir = (name: string, sizes: Record<string, number> = {}): string => {
    const dir = join(tmp.dir, name);
    mkdirSync(dir, { recursive: true });
    for (const p of PARTS) writeFileSync(join(dir, `${p}.js`), `module.exports=function(){return ${JSON.stringify(p)};};` + " ".repeat(sizes[p] ?? 0));
    return dir;
  };

  it("esp32: each part written to Storage as tpp.<part> (no reset, not saved as code), CRC32 checked, before the code", async () => {
    const dir = partsDir("parts-ok");
    const io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--parts", dir], io)).toBe(0);
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(PARTS.length + 2); // the parts, the code, the Storage question
    for (let i = 0; i < PARTS.length; i++) {
      expect(runs[i]).toContain("RESET_BEFORE_SEND=0");
      expect(runs[i]).toContain("SAVE_ON_SEND=0");
      const bytes = readFileSync(join(dir, `${PARTS[i]}.js`)).length;
      expect(io.lines).toContain(`part written to Storage "tpp.${PARTS[i]}" (${bytes} bytes, CRC32 checked)`);
    }
    expect(runs[PARTS.length]).toContain("SAVE_ON_SEND=1");
    expect(io.errors).toEqual([]);
  });

  it("a part missing or over its budget is refused before any upload", async () => {
    const dir = partsDir("parts-missing");
    rmSync(join(dir, "till.js"));
    let io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--parts", dir], io)).toBe(1);
    expect(io.errors).toEqual([`error: part ${join(dir, "till.js")} does not exist: run npm run build (or pass --parts DIR, or --no-parts): nothing flashed`]);
    const big = partsDir("parts-big", { oled: PART_BUDGET });
    io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--parts", big], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: part .*oled\.js is \d+ bytes, over the part budget of 16384 \(build\/budgets\.mjs\): nothing flashed$/);
    expect(fakeRuns(log)).toEqual([]);
  });

  it("a part the board stores short fails the flash before the code goes up", async () => {
    process.env.FAKE_ESPRUINO_FILE_DROP = "1";
    const dir = partsDir("parts-drop", { card: 2000 });
    const io = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--parts", dir], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(/^error: writing tpp\.auth to Storage failed: the board stored \d+ bytes/);
    expect(fakeRuns(log)).toHaveLength(1);
  });

  it("espruino-wifi: its parts are in its firmware but the config check, written to Storage once the firmware is checked; --parts with --no-parts is a usage error", async () => {
    const dir = partsDir("parts-wifi");
    process.env.FAKE_ESPRUINO_FW = [tiny, join(dir, "auth.js"), join(dir, "card.js")].join(",");
    const io = capture();
    expect(await flashMain(["--board", "espruino-wifi", ...T, "--parts", dir], io)).toBe(0);
    expect(io.errors).toEqual([]);
    const conf = readFileSync(join(dir, "conf.js")).length;
    expect(io.lines.filter((l) => l.startsWith("part "))).toEqual([`part written to Storage "tpp.conf" (${conf} bytes, CRC32 checked)`]);
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(4); // the firmware question, tpp.conf, the boot line, the Storage question
    expect(runs[1]).not.toContain("SAVE_ON_SEND=1");
    expect(runs[2]).toContain("SAVE_ON_SEND=1");
    const bad = capture();
    expect(await flashMain(["--board", "esp32", ...T, "--parts", tmp.dir, NO_PARTS], bad)).toBe(2);
    expect(bad.errors[0]).toBe("error: --parts and --no-parts together");
  });

  it("the part names flash writes are the ones the esp32 firmware loads", () => {
    // main.ts loads most; compose.ts coreParts the config check and the card reader.
    const main = readFileSync(join(PROJECT_ROOT, "board/esp32/main.ts"), "utf8") + readFileSync(join(PROJECT_ROOT, "board/esp32/compose.ts"), "utf8");
    for (const p of PARTS) expect(main).toContain(`"${p}"`);
    expect(readdirSync(join(PROJECT_ROOT, "board/esp32/parts")).sort()).toEqual(PARTS.map((p) => `${p}.ts`));
  });
});
