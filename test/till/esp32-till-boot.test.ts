// The real esp32 bundle (board/esp32: compose.ts, till.ts) with the till on, in espruino-esp32
// (16,383 JsVars, the ESP32 layout) run from Storage: a fake Wifi module that connects after
// 50 ms (the Linux build has none), tpconf = config.example.json plus till.token and a free
// till.port, the page in Storage. Once WiFi is up the board prints its till URL and answers
// over loopback: the status with the token, 401 without, the page byte for byte. Without a
// token the boot says the till is off. Skipped, with the reason, without the interpreter.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { freePort, startFromFlash, type FlashRun } from "../../host/bench/till-memory";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { titled } from "../build/helpers";

const skip = espruinoSkipReason("espruino-esp32");
const EXAMPLE = JSON.parse(readFileSync(join(PROJECT_ROOT, "config.example.json"), "utf8")) as Record<string, unknown>;
const TOKEN = "esp32-boot-till-token-0123";
const PAGE = gzipSync("<!doctype html><title>till</title>" + "<p>tappos</p>".repeat(300));
const WIFI =
  'Modules.addCached("Wifi",function(){exports.connect=function(s,o,cb){setTimeout(function(){cb(null);},50);};' +
  'exports.disconnect=function(){};exports.setSNTP=function(){};exports.on=function(){};exports.getIP=function(){return {ip:"127.0.0.1"};};});\n';
const runs: FlashRun[] = [];
afterAll(() => runs.forEach((r) => r.stop()));

async function boot(till: Record<string, unknown> | null, ready: string): Promise<FlashRun> {
  const b = await buildBoard({ entry: "board/esp32/main.ts", write: false });
  expect(b.problems).toEqual([]);
  const conf = till === null ? EXAMPLE : { ...EXAMPLE, till };
  const files: { [name: string]: Buffer } = { tpconf: Buffer.from(JSON.stringify(conf)), "till.html.gz": PAGE };
  for (const p of b.parts ?? []) files[p.storage] = Buffer.from(p.code); // the till is part tpp.till
  const run = await startFromFlash(WIFI + b.code, { bin: "espruino-esp32", files: files, ready });
  runs.push(run);
  return run;
}

describe("board esp32 with its till (espruino-esp32, from Storage)", () => {
  it.skipIf(skip !== null)(titled("till.token and a port: the URL once WiFi is up; status with the token, 401 without, the page", skip), async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const run = await boot({ token: TOKEN, port }, `till: ${base}/`);
    const st = await fetch(base + "/api/status", { headers: { Authorization: "Bearer " + TOKEN } });
    expect(st.status).toBe(200);
    expect(await st.json()).toMatchObject({ currency: "978", currencyLabel: "EUR", exponent: 2 });
    const no = await fetch(base + "/api/status");
    expect([no.status, await no.text()]).toEqual([401, '{"error":"UNAUTHORIZED"}']);
    const page = await fetch(base + "/");
    expect(page.headers.get("content-encoding")).toBe("gzip");
    expect(await page.text()).toBe("<!doctype html><title>till</title>" + "<p>tappos</p>".repeat(300));
    expect(run.output()).not.toContain(TOKEN);
    expect(run.output().split("\n").filter((l) => /Uncaught|ASSERT|MEMORY/.test(l))).toEqual([]);
  }, 120000);

  it.skipIf(skip !== null)(titled("no till.token: the boot says the till is off", skip), async () => {
    const run = await boot(null, "boot: idle");
    expect(run.output()).toContain("till: off (no till.token in tpconf: npm run configure -- --rotate-token)");
  }, 120000);
});
