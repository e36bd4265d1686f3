/**
 * The online side (src/auth) bundled under the board rules (source check, passes, final-bundle
 * check) with the Espruino adapters for SHA-256, clock, random and Storage, and run in the
 * Espruino 2v29 interpreter against a scripted HttpClient (the interpreter has no network
 * here): an approval, a timeout that leaves a reversal in flash Storage, and a second
 * TerminalAuth on the same Storage (a reboot) that delivers it. Every request's signature is
 * checked on Node with the test key, so the board signs byte for byte as the host does.
 */
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT, silentStdin } from "../../host/espruino-dir";
import { TEST_KEY_HEX } from "../../host/auth/test-terminal";

const NO_ESPRUINO = espruinoSkipReason("espruino");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A Visa record as a kernel gives it (values are what matters to the code, not the cryptogram). */
const RECORD = {
  kernel: 3,
  aid: "A0000000031010",
  pan: "4761739001010010",
  expiry: "2812",
  psn: "01",
  track2: "4761739001010010D28122011234567899999F",
  serviceCode: "201",
  cvm: "NO_CVM",
  icc: { "9F26": "1122334455667788", "9F27": "80", "9F10": "06010A03A00000", "9F37": "01020304", "9F36": "0007", "95": "0000000000", "9A": "261206", "9C": "00", "9F02": "000000001250", "5F2A": "0978", "82": "2000", "9F1A": "0250" },
  wallet: { formFactor: "PHONE" },
};

function entry(dir: string): string {
  const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
  return [
    `import { TerminalAuth } from ${src("auth/terminal-auth")};`,
    `import { maskRequest } from ${src("auth/request")};`,
    `import { settableWallClock } from ${src("auth/time")};`,
    `import { fromHex } from ${src("bytes/hex")};`,
    `import { espruinoSha256 } from ${src("hal/espruino/sha256")};`,
    `import { espruinoClock } from ${src("hal/espruino/clock")};`,
    `import { espruinoRandom } from ${src("hal/espruino/random")};`,
    `import { espruinoStore } from ${src("hal/espruino/storage")};`,
    "declare function print(s: string): void;",
    `const RECORD: any = ${JSON.stringify(RECORD)};`,
    "const clock = espruinoClock();",
    "const store = espruinoStore();",
    "let mode = 'approve';",
    "const http = { request: function (method: string, url: string, headers: any, body: string, t: any, cb: any) {",
    "  print('REQ ' + JSON.stringify({ method: method, url: url, headers: headers, body: body }));",
    "  if (mode === 'hold') return;",
    "  const b = body ? JSON.parse(body) : {};",
    "  const answer = url.endsWith('/v1/reversals') ? { clientTransactionId: b.clientTransactionId, reversed: true, message: 'reversed' }",
    "    : { clientTransactionId: b.clientTransactionId, approved: true, responseCode: '00', authCode: 'A1B2C3', message: 'approved' };",
    "  clock.setTimer(5, function () { cb(null, { status: 200, headers: {}, body: JSON.stringify(answer) }); });",
    "} };",
    "function make(): TerminalAuth {",
    "  const wall = settableWallClock(clock);",
    "  wall.set(1796501492000);",
    "  return new TerminalAuth({ url: 'https://acquirer.example:8443/base', terminalId: 'TAPPOS01', merchantId: 'MERCHANT0001', keyId: 'test-key-1',",
    `    key: fromHex(${JSON.stringify(TEST_KEY_HEX)}), country: 250, timeouts: { connectMs: 50, sendMs: 50, answerMs: 100 }, echoRequest: maskRequest },`,
    "    { http: http, sha: espruinoSha256(), random: espruinoRandom(), clock: clock, store: store, wall: wall });",
    "}",
    "const names = store.list('tp');",
    "for (let i = 0; i < names.length; i++) store.erase(names[i]);",
    "const a = make();",
    "a.boot().then(function () {",
    "  return a.authorize({ record: RECORD, amountMinor: 1250, currency: 978, time9f21: '201132' });",
    "}).then(function (r) {",
    "  print('RESULT ' + r.outcome + ' ' + r.responseCode + ' ' + r.authCode + ' ' + r.stan + ' ' + r.request.pan);",
    "  return a.sender.flush();",
    "}).then(function () {",
    "  mode = 'hold';",
    "  return a.authorize({ record: RECORD, amountMinor: 1291, currency: 978, time9f21: '201140' });",
    "}).then(function (r) {",
    "  print('RESULT ' + r.outcome + ' ' + r.reason + ' ' + r.error + ' ' + r.stan);",
    "  print('QUEUE ' + store.list('tprv').length + ' ' + (store.read('tppending') === undefined));",
    "  a.stop();",
    "  mode = 'approve';",
    "  const b = make();",
    "  return b.boot();",
    "}).then(function (boot) {",
    "  print('BOOT ' + boot.flush.acknowledged.length + ' ' + boot.flush.left + ' ' + store.list('tprv').length);",
    "  print('DONE');",
    "}).catch(function (e) { print('FAIL ' + (e && e.code) + ' ' + (e && e.message)); });",
  ].join("\n");
}

describe("src/auth in the Espruino interpreter", () => {
  let code = "";
  it("bundles under the board rules", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-auth-"));
    dirs.push(dir);
    writeFileSync(join(dir, "main.ts"), entry(dir));
    const r = await buildBoard({ entry: join(dir, "main.ts"), name: "auth-check", write: false, budget: 1 << 20 });
    expect(r.problems.map((p: { message: string; line: number; column: number }) => p.message)).toEqual([]);
    code = r.code;
  }, 60000);

  it.skipIf(NO_ESPRUINO)(`approves, times out into a Storage reversal, delivers it after a reboot${NO_ESPRUINO ? " (skipped: " + NO_ESPRUINO + ")" : ""}`, () => {
    expect(code).not.toBe("");
    const dir = mkdtempSync(join(tmpdir(), "tappos-auth-run-"));
    dirs.push(dir);
    writeFileSync(join(dir, "code.js"), code);
    const stdin = silentStdin();
    const run = spawnSync(espruinoBinary("espruino") as string, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: 60000, killSignal: "SIGKILL", encoding: "utf8" });
    stdin.close();
    const lines = run.stdout.replace(/\r/g, "").split("\n").map((l) => l.replace(/^>?(\x1b\[J)?/, "").trim()).filter((l) => /^(REQ|RESULT|QUEUE|BOOT|DONE|FAIL)/.test(l));
    expect(lines.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    const results = lines.filter((l) => !l.startsWith("REQ"));
    expect(results).toEqual([
      "RESULT approved 00 A1B2C3 000001 476173******0010",
      "RESULT not_authorised no_answer HTTP_TIMEOUT 000002",
      "QUEUE 1 true",
      "BOOT 1 0 0",
      "DONE",
    ]);
    const reqs = lines.filter((l) => l.startsWith("REQ ")).map((l) => JSON.parse(l.substring(4)));
    expect(reqs.map((q) => q.method + " " + q.url)).toEqual([
      "POST https://acquirer.example:8443/base/v1/authorizations",
      "POST https://acquirer.example:8443/base/v1/authorizations",
      // sent at once after the timeout (held too, so it stays queued), then at the reboot
      "POST https://acquirer.example:8443/base/v1/reversals",
      "POST https://acquirer.example:8443/base/v1/reversals",
    ]);
    for (const q of reqs) {
      const h = q.headers;
      const path = q.url.substring("https://acquirer.example:8443".length);
      const msg = `${q.method}\n${path}\n${h["X-Tappos-Timestamp"]}\n${h["X-Tappos-Nonce"]}\n${q.body}`;
      expect(h["X-Tappos-Signature"]).toBe(createHmac("sha256", Buffer.from(TEST_KEY_HEX, "hex")).update(msg, "latin1").digest("base64"));
      expect(h["X-Tappos-Timestamp"]).toBe("1796501492");
      // POSTs of an authorization: its id + "p" + retries left; reversals: 16 random bytes.
      expect(h["X-Tappos-Nonce"]).toMatch(q.url.endsWith("/v1/reversals") ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{32}p0$/);
    }
    const first = JSON.parse(reqs[0].body);
    expect(Object.keys(first)).toEqual(["terminalId", "merchantId", "stan", "clientTransactionId", "amountMinor", "currency", "country", "localDateTime", "posEntryMode", "aid", "kernel", "pan", "expiry", "psn", "track2", "iccData", "wallet"]);
    expect(first.localDateTime).toBe("2026-12-06T20:11:32");
    expect(reqs[3].body).toBe(reqs[2].body);
    expect(JSON.parse(reqs[3].body)).toMatchObject({ clientTransactionId: JSON.parse(reqs[1].body).clientTransactionId, reason: "no_answer", time: "2026-12-05T20:11:32Z", amountMinor: 1291 });
  }, 60000);
});
