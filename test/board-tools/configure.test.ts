// npm run configure against the fake CLI: validation by field path (config-store.ts), the
// Storage script and its CRC check, secrets never printed, --rotate-key (acquirer.key) and
// --rotate-token (the till's bearer token: printed once, masked in the CLI's output).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureMain, storageText, writeScript } from "../../host/board/configure-run";
import { capture, FAKE_CLI, fakeRuns, HMAC_KEY, tempDir, WIFI_PASSWORD, writeConfig } from "./helpers";

const tmp = tempDir();
const log = join(tmp.dir, "cli.log");
const conf = join(tmp.dir, "config.json");
const PORT = ["--board", "esp32", "--port", "tcp://127.0.0.1:2323"];

beforeAll(() => {
  process.env.TAPPOS_ESPRUINO_CLI = FAKE_CLI;
  process.env.FAKE_ESPRUINO_LOG = log;
});

afterEach(() => {
  delete process.env.FAKE_ESPRUINO_MODE;
  writeFileSync(log, "");
});

afterAll(() => {
  delete process.env.TAPPOS_ESPRUINO_CLI;
  delete process.env.FAKE_ESPRUINO_LOG;
  tmp.cleanup();
});

function noSecrets(text: string, key = HMAC_KEY): void {
  expect(text).not.toContain(WIFI_PASSWORD);
  expect(text).not.toContain(key);
  expect(text).not.toContain(Buffer.from(WIFI_PASSWORD).toString("base64").slice(0, 16));
}

describe("npm run configure (fake CLI)", () => {
  it("writes tpconf without reset or save, checks the CRC, prints no secret, exit 0", async () => {
    writeConfig(conf);
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(0);
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toContain("RESET_BEFORE_SEND=0");
    expect(runs[0]).toContain("SAVE_ON_SEND=0");
    noSecrets(io.all());
    noSecrets(JSON.stringify(runs)); // secrets never in the CLI's argv (ps shows it)
    expect(io.lines[0]).toMatch(/^configuration written to esp32 Storage "tpconf" \(\d+ bytes, CRC32 checked\)$/);
    expect(io.lines[1]).toContain(`password **** (${WIFI_PASSWORD.length} characters)`);
    expect(io.lines[1]).toContain("key **** (64 characters)");
  });

  it("the board echoing the uploaded script (secrets) shows *** in the output", async () => {
    writeConfig(conf);
    process.env.FAKE_ESPRUINO_MODE = "echo";
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(0);
    noSecrets(io.all());
  });

  it("a bad config: every bad field by its path, no value, no upload, exit 1", async () => {
    writeConfig(conf, (c) => {
      (c.wifi as Record<string, unknown>).password = "short";
      (c.acquirer as Record<string, unknown>).key = "zz" + HMAC_KEY.slice(2);
      (c.acquirer as Record<string, unknown>).url = "http://acquirer.example";
      c.currency = 12345;
    });
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    const e = io.errors[0];
    expect(e).toMatch(/^error: .*config\.json: 4 bad field\(s\): /);
    for (const f of ["wifi.password: ", "acquirer.url: ", "acquirer.key: ", "currency: "]) expect(e).toContain(f);
    expect(e).not.toContain("short");
    noSecrets(e, "zz" + HMAC_KEY.slice(2));
    expect(fakeRuns(log)).toEqual([]);
  });

  it("a missing file and a file that is not JSON: one line each", async () => {
    let io = capture();
    expect(await configureMain([...PORT, "--config", join(tmp.dir, "nope.json")], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: cannot read .*nope\.json \(copy config\.example\.json/);
    writeFileSync(conf, "{ wifi: ");
    io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: .*config\.json is not JSON: /);
  });

  it("a missing port: one line, exit 1, nothing sent", async () => {
    writeConfig(conf);
    const io = capture();
    expect(await configureMain(["--board", "esp32", "--port", "/dev/ttyUSB_nope", "--config", conf], io)).toBe(1);
    expect(io.errors).toEqual(["error: port /dev/ttyUSB_nope does not exist: is the board plugged in? (ls /dev/ttyUSB* /dev/ttyACM*)"]);
    expect(fakeRuns(log)).toEqual([]);
  });

  it("the CLI failing (Unable to connect, exit 0) fails configure", async () => {
    writeConfig(conf);
    process.env.FAKE_ESPRUINO_MODE = "unable";
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(1);
    expect(io.errors).toEqual(["error: configure failed: serial port tcp://127.0.0.1:2323 not found by the espruino CLI (it opens only ports that serialport lists: a USB serial device, udev)"]);
  });

  it("--rotate-key: a fresh 32-byte key in config.json and on the board, never printed", async () => {
    writeConfig(conf);
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf, "--rotate-key"], io)).toBe(0);
    const after = JSON.parse(readFileSync(conf, "utf8")) as { acquirer: { key: string }; wifi: { password: string } };
    expect(after.acquirer.key).toMatch(/^[0-9a-f]{64}$/);
    expect(after.acquirer.key).not.toBe(HMAC_KEY);
    expect(after.wifi.password).toBe(WIFI_PASSWORD);
    noSecrets(io.all(), after.acquirer.key);
    expect(io.lines[0]).toMatch(/^acquirer\.key rotated: .* key id tpos0001-k1\)$/);
  });

  it("--rotate-token: a fresh till token in config.json and on the board, printed once and only by the tool", async () => {
    writeConfig(conf, (c) => {
      c.till = { token: "old-till-token-0123456789" };
    });
    process.env.FAKE_ESPRUINO_MODE = "echo";
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf, "--rotate-token"], io)).toBe(0);
    const after = JSON.parse(readFileSync(conf, "utf8")) as { till: { token: string }; acquirer: { key: string } };
    expect(after.till.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(after.acquirer.key).toBe(HMAC_KEY);
    const shown = io.lines.filter((l) => l.includes(after.till.token));
    expect(shown).toEqual([`till token (shown once; also in ${conf}): ${after.till.token}`]);
    expect(io.lines).toContain("  till on: the page at http://<board address>/ asks for the till token once");
    noSecrets(io.all());
    // Never in the CLI's argv (ps shows it): the script file carries it.
    const runs = fakeRuns(log);
    expect(runs).toHaveLength(1);
    expect(JSON.stringify(runs)).not.toContain(after.till.token);
  });

  it("a config without till.token: the till is off, and configure says how to turn it on", async () => {
    writeConfig(conf);
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(0);
    expect(io.lines).toContain("  till off: no till.token (npm run configure -- … --rotate-token makes one)");
  });

  it("espruino-wifi: no HTTP till, configure says the token is not used there", async () => {
    writeConfig(conf);
    const io = capture();
    expect(await configureMain(["--board", "espruino-wifi", "--port", "tcp://127.0.0.1:2323", "--config", conf], io)).toBe(0);
    expect(io.lines).toContain("  no HTTP till on espruino-wifi (its till is the console): till.token is not used there");
  });

  it("a till.token under 16 characters is refused by its path, without its value", async () => {
    writeConfig(conf, (c) => {
      c.till = { token: "short-tok" };
    });
    const io = capture();
    expect(await configureMain([...PORT, "--config", conf], io)).toBe(1);
    expect(io.errors[0]).toContain("till.token: text of 16..128 printable ASCII characters");
    expect(io.errors[0]).not.toContain("short-tok");
    expect(fakeRuns(log)).toEqual([]);
  });

  it("the Storage script writes in chunks with offsets and reports CRC32 and length", () => {
    const text = storageText({ a: "x".repeat(2500), b: "é" });
    expect(text).toContain('"b":"\\u00e9"');
    const s = writeScript(text, 1024);
    expect(s.match(/s\.write\("tpconf"/g)).toHaveLength(3);
    expect(s).toContain(`,2048,${text.length});`);
    expect(s).toMatch(/print\("TPCONF_CRC "/);
  });
});
