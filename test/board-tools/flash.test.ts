// npm run flash: the checks that refuse before any upload (port, budget, modules, usage),
// and the upload's judgement, against the fake CLI (TAPPOS_ESPRUINO_CLI).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { budgetFor } from "../../build/budgets.mjs";
import { flashMain } from "../../host/board/flash-run";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { capture, FAKE_CLI, fakeRuns, tempDir } from "./helpers";

const tmp = tempDir();
const log = join(tmp.dir, "cli.log");
const tiny = join(tmp.dir, "tiny.js");
const fifo = join(tmp.dir, "ttyFAKE0");
let holder: ChildProcess | null = null;

beforeAll(() => {
  writeFileSync(tiny, 'print("tappos tiny bundle");var TINY=1;\n');
  spawnSync("mkfifo", [fifo]);
  process.env.TAPPOS_ESPRUINO_CLI = FAKE_CLI;
  process.env.FAKE_ESPRUINO_LOG = log;
});

afterEach(() => {
  delete process.env.FAKE_ESPRUINO_MODE;
  delete process.env.FAKE_ESPRUINO_CONF;
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
    expect(await flashMain(["--board", "esp32", "--port", fifo, "--bundle", tiny], io)).toBe(0);
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
    expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", tiny], io)).toBe(0);
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
      expect(await flashMain(["--board", "esp32", "--port", "tcp://127.0.0.1:2323", "--bundle", tiny], io)).toBe(1);
      expect(io.errors).toHaveLength(1);
      expect(io.errors[0].startsWith(`error: ${why}`)).toBe(true);
      expect(fakeRuns(log)).toHaveLength(1);
    });
  }
});
