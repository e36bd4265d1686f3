// End to end with the real espruino CLI and the 64-bit Linux interpreter as the board: its
// `--telnet` console (port 2323, fixed) in a fresh folder (its flash is a file there).
// `npm run flash` uploads a tiny bundle saved to flash and the till page into Storage, says
// there is no configuration; `npm run configure` writes tpconf (and again with --rotate-key,
// then --rotate-token); then the test reads Storage back over telnet itself: tpconf is the
// config byte for byte, .bootcde the bundle, till.html.gz the page's bytes.
// Skipped, with the reason, only when the interpreter is missing.
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { titled } from "../build/helpers";
import { HMAC_KEY, tempDir, WIFI_PASSWORD, writeConfig } from "./helpers";

const skip = espruinoSkipReason("espruino");
const TELNET = 2323;
const PORT = `tcp://127.0.0.1:${TELNET}`;
const tmp = tempDir();
let interp: ChildProcess | null = null;

afterAll(() => {
  if (interp?.pid && interp.exitCode === null) process.kill(interp.pid, "SIGKILL");
  tmp.cleanup();
});

/** True when something accepts on the telnet port (the connection is closed at once). */
function listening(): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(TELNET, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      done(true);
    });
    s.once("error", () => done(false));
  });
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

/** `npm run <script> -- args`, bounded; stdout+stderr and the exit status. */
function npmRun(script: string, args: string[], ms = 90000): Promise<{ status: number | null; out: string }> {
  return new Promise((done) => {
    const env = { ...process.env };
    delete env.TAPPOS_ESPRUINO_CLI;
    const c = spawn("npm", ["run", script, "--", ...args], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    c.stdout.on("data", (d: Buffer) => (out += d.toString()));
    c.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => c.kill("SIGKILL"), ms);
    c.on("close", (status) => {
      clearTimeout(t);
      done({ status, out });
    });
  });
}

/** Sends one line to the interpreter over telnet: `expr`'s value, as the JSON it prints after "RB". */
function telnetJson<T>(expr: string): Promise<T> {
  return new Promise((done, fail) => {
    const s = connect(TELNET, "127.0.0.1");
    let got = "";
    const t = setTimeout(() => {
      s.destroy();
      fail(new Error("no read-back over telnet in 15 s: " + got));
    }, 15000);
    s.on("connect", () => {
      s.write(`\x10print("RB"+JSON.stringify(${expr}))\n`);
    });
    s.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      const m = /RB(\{.*\}|".*"|null)\r?\n/.exec(got);
      if (m) {
        clearTimeout(t);
        s.destroy();
        done(JSON.parse(m[1]) as T);
      }
    });
    s.on("error", (e) => fail(e));
  });
}

/** The config, the saved code, whether the tiny bundle ran, the page. */
function readBack(): Promise<{ c: string | null; b: string | null; t: string; p: string | null }> {
  return telnetJson('(function(){var S=require("Storage");return {c:S.read("tpconf")||null,b:S.read(".bootcde")||null,t:typeof TINY,p:S.read("till.html.gz")||null};})()');
}

/** One Storage file's text, or null. */
function readStorage(name: string): Promise<string | null> {
  return telnetJson(`require("Storage").read(${JSON.stringify(name)})||null`);
}

/** Starts `espruino --telnet` with its flash in `dir`, once nothing else listens on 2323. */
async function startInterpreter(dir: string): Promise<void> {
  if (interp?.pid && interp.exitCode === null) process.kill(interp.pid, "SIGKILL");
  if (await listening()) {
    // Another interpreter on 2323 would share the port (it binds with reuse): wait for it.
    expect(await waitFor(async () => !(await listening()), 60000), `port ${TELNET} stays taken by another process`).toBe(true);
  }
  interp = spawn(espruinoBinary("espruino") as string, ["--telnet"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  interp.stdout?.resume();
  interp.stderr?.resume();
  expect(await waitFor(listening, 15000), "the interpreter's telnet console did not open").toBe(true);
}

const firmware = join(PROJECT_ROOT, "dist/esp32.js");
const noFirmware = skip ?? (existsSync(firmware) ? null : "dist/esp32.js not built (npm run build)");

describe("flash and configure an Espruino over TCP (Linux interpreter)", () => {
  it.skipIf(skip !== null)(titled("npm run flash, npm run configure, Storage read back over telnet", skip), async () => {
    await startInterpreter(tmp.dir);

    const bundle = join(tmp.dir, "tiny.js");
    writeFileSync(bundle, 'print("tappos tiny bundle");var TINY=1;\n');
    // Every byte value, some of them in runs, in a gzip member: what a page's bytes may be.
    const page = join(tmp.dir, "till.html.gz");
    const pageBytes = gzipSync(Buffer.from(Array.from({ length: 4000 }, (_, i) => (i % 7 === 0 ? 255 - (i & 0xff) : (i * 31) & 0xff))), { level: 1 });
    writeFileSync(page, pageBytes);
    const flash1 = await npmRun("flash", ["--board", "esp32", "--port", PORT, "--bundle", bundle, "--page", page, "--no-parts"]);
    expect(flash1.out).toContain(`uploaded and saved to flash (.bootcde, ${readFileSync(bundle, "utf8").length} bytes)`);
    expect(flash1.out).toContain(`till page written to Storage "till.html.gz" (${pageBytes.length} bytes, CRC32 checked)`);
    expect(flash1.out).toContain('the board has no configuration yet (no "tpconf" in Storage)');
    expect(flash1.status, flash1.out).toBe(0);

    const conf = join(tmp.dir, "config.json");
    const config = writeConfig(conf);
    const cfg = await npmRun("configure", ["--board", "esp32", "--port", PORT, "--config", conf]);
    expect(cfg.status, cfg.out).toBe(0);
    expect(cfg.out).toMatch(/configuration written to esp32 Storage "tpconf" \(\d+ bytes, CRC32 checked\)/);
    expect(cfg.out).not.toContain(WIFI_PASSWORD);
    expect(cfg.out).not.toContain(HMAC_KEY);

    let rb = await readBack();
    expect(rb.c).toBe(JSON.stringify(config));
    expect(rb.b).toBe(readFileSync(bundle, "utf8"));
    expect(rb.t).toBe("number"); // the saved code ran
    expect(Buffer.from(rb.p ?? "", "latin1").equals(pageBytes)).toBe(true);

    const rot = await npmRun("configure", ["--board", "esp32", "--port", PORT, "--config", conf, "--rotate-key"]);
    expect(rot.status, rot.out).toBe(0);
    const rotated = JSON.parse(readFileSync(conf, "utf8")) as { acquirer: { key: string } };
    expect(rotated.acquirer.key).not.toBe(HMAC_KEY);
    expect(rot.out).not.toContain(rotated.acquirer.key);
    rb = await readBack();
    expect(rb.c).toBe(JSON.stringify(rotated));
    expect(rb.b).toBe(readFileSync(bundle, "utf8")); // configure left the code alone

    const tok = await npmRun("configure", ["--board", "esp32", "--port", PORT, "--config", conf, "--rotate-token"]);
    expect(tok.status, tok.out).toBe(0);
    const withToken = JSON.parse(readFileSync(conf, "utf8")) as { till: { token: string } };
    expect(withToken.till.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(tok.out.split(withToken.till.token).length - 1).toBe(1); // printed once
    rb = await readBack();
    expect(rb.c).toBe(JSON.stringify(withToken));

    const flash2 = await npmRun("flash", ["--board", "esp32", "--port", PORT, "--bundle", bundle, "--no-page", "--no-parts"]);
    expect(flash2.status, flash2.out).toBe(0);
    expect(flash2.out).toContain('the board has a configuration ("tpconf" in Storage)');
  }, 240000);

  it.skipIf(noFirmware !== null)(titled("the real esp32 bundle (dist/esp32.js) and its parts: the parts written to Storage first, the code saved to flash byte for byte, no configuration reported", noFirmware), async () => {
    const dir = join(tmp.dir, "fw");
    mkdirSync(dir);
    await startInterpreter(dir);
    const r = await npmRun("flash", ["--board", "esp32", "--port", PORT, "--bundle", firmware, "--no-page"]);
    expect(r.status, r.out).toBe(0);
    const parts = ["card", "conf", "hsu", "oled", "spi", "till"];
    for (const p of parts) expect(r.out).toMatch(new RegExp(`part written to Storage "tpp\\.${p}" \\(\\d+ bytes, CRC32 checked\\)`));
    expect(r.out.indexOf('"tpp.till"')).toBeLessThan(r.out.indexOf("uploaded and saved to flash"));
    expect(r.out).toContain('the board has no configuration yet (no "tpconf" in Storage)');
    const rb = await readBack();
    expect(rb.b).toBe(readFileSync(firmware, "utf8"));
    for (const p of parts) expect(await readStorage("tpp." + p)).toBe(readFileSync(join(PROJECT_ROOT, "dist/esp32", p + ".js"), "utf8"));
  }, 240000);
});
