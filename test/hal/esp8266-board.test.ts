/**
 * The espruino-wifi board with its own ESP8266 driver: its bundle requires only modules built
 * into the Espruino WiFi firmware (board/espruino-wifi/espruino-board.json: NetworkJS, http,
 * Storage, crypto; no downloaded EspruinoWiFi module, no board/espruino-wifi/modules/), so
 * `npm run flash -- --board espruino-wifi` takes it (against the fake espruino CLI, as
 * test/board-tools/flash.test.ts does) and uploads it with that board JSON.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { boardInfo, checkBundle } from "../../host/board/boards";
import { flashMain } from "../../host/board/flash-run";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { capture, FAKE_CLI, fakeRuns, tempDir } from "../board-tools/helpers";

const tmp = tempDir();
const log = join(tmp.dir, "cli.log");
const bundle = join(tmp.dir, "espruino-wifi.js");

beforeAll(async () => {
  const b = await buildBoard({ entry: "board/espruino-wifi/main.ts", write: false });
  expect(b.problems).toEqual([]);
  writeFileSync(bundle, b.code);
  writeFileSync(log, "");
  process.env.TAPPOS_ESPRUINO_CLI = FAKE_CLI;
  process.env.FAKE_ESPRUINO_LOG = log;
}, 120000);

afterAll(() => {
  delete process.env.TAPPOS_ESPRUINO_CLI;
  delete process.env.FAKE_ESPRUINO_LOG;
  tmp.cleanup();
});

describe("board espruino-wifi: only built-in modules", () => {
  it("requires NetworkJS, Storage, crypto, http, each built into the board (no EspruinoWiFi)", () => {
    const info = boardInfo("espruino-wifi");
    const c = checkBundle(info, bundle);
    expect(c.modules).toEqual(["NetworkJS", "Storage", "crypto", "http"]);
    // Built into the firmware npm run firmware makes: the bundle and its identity module.
    expect(info.builtinModules).toEqual(expect.arrayContaining(["tappos", "tapposid"]));
    for (const m of c.modules) expect(info.builtinModules).toContain(m);
    expect(info.localModules).toEqual([]);
  });

  it("npm run flash -- --board espruino-wifi checks the firmware carries it, then saves the code that evaluates it in place, with the board's JSON (fake CLI)", async () => {
    process.env.FAKE_ESPRUINO_FW = bundle;
    try {
      const io = capture();
      expect(await flashMain(["--board", "espruino-wifi", "--port", "tcp://127.0.0.1:2323", "--bundle", bundle, "--no-page", "--no-parts"], io)).toBe(0);
      expect(io.errors).toEqual([]);
      const runs = fakeRuns(log);
      for (const r of runs) expect(r).toContain(resolve(PROJECT_ROOT, "board/espruino-wifi/espruino-board.json"));
      expect(runs[0][runs[0].indexOf("-e") + 1]).toContain('require("tapposid")');
      expect(runs[1]).toContain("SAVE_ON_SEND=1");
      expect(io.lines.some((l) => /saved code: the bundle's text evaluated in place at 0x08040000 \(\d+ bytes\), at the root scope$/.test(l))).toBe(true);
    } finally {
      delete process.env.FAKE_ESPRUINO_FW;
    }
  });
});
