/**
 * The acquirer's CA read from Storage when an https request is made, not held in RAM
 * (src/hal/espruino/storage.ts storedJsonString, http.ts `ca` as a function), in the Espruino
 * 2v29 Linux interpreter: the slice of tpconf read back is the PEM itself; a short value, or
 * one the file does not hold as JSON.stringify writes it, is kept as a string (null); the
 * request hands the PEM to http.request (a stand-in module: the Linux build has no TLS); a CA
 * that cannot be read any more is a request never sent (HTTP_CONNECT).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crc32 } from "node:zlib";
import { buildBoard } from "../../build.mjs";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { runInEspruino, titled } from "../build/helpers";

const NO_ESPRUINO = espruinoSkipReason("espruino");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PEM = "-----BEGIN CERTIFICATE-----\n" + "MIIB".padEnd(64, "A") + "\n" + "x/y+z=".repeat(40) + "\n-----END CERTIFICATE-----\n";

function entry(dir: string): string {
  const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
  const conf = JSON.stringify({ wifi: { ssid: "shop" }, acquirer: { url: "https://acquirer.example", ca: PEM, terminalId: "T1" } });
  return [
    `import { espruinoHttp } from ${src("hal/espruino/http")};`,
    `import { espruinoClock } from ${src("hal/espruino/clock")};`,
    `import { storedJsonString } from ${src("hal/espruino/storage")};`,
    "declare function print(s: string): void;",
    `const PEM = ${JSON.stringify(PEM)};`,
    `require("Storage").write("tpconf", ${JSON.stringify(conf)});`,
    "const read = storedJsonString('tpconf', PEM);",
    "print('read ' + typeof read + ' ' + (read !== null && read() === PEM));",
    "print('short ' + storedJsonString('tpconf', 'T1'));",
    "print('absent ' + storedJsonString('tpconf', PEM + 'x') + ' ' + storedJsonString('nofile', PEM));",
    "const T = { connectMs: 300, sendMs: 300, answerMs: 400 };",
    "const show = function (name: string) { return function (e: any) { print(name + ' ' + e.code + ' sent=' + e.sent); }; };",
    "espruinoHttp(espruinoClock(), { ca: read as () => string }).request('POST', 'https://acquirer.example/x', {}, '{}', T, show('tls'));",
    "espruinoHttp(espruinoClock(), { ca: function () { return JSON.parse('{') as string; } }).request('POST', 'https://acquirer.example/x', {}, '{}', T, show('unreadable'));",
    "print('DONE');",
  ].join("\n");
}

describe("the acquirer's CA read from Storage when a request is made", () => {
  it.skipIf(NO_ESPRUINO)(titled("the PEM read back from its slice of tpconf and handed to http.request; kept as a string otherwise", NO_ESPRUINO), async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-eca-"));
    dirs.push(dir);
    writeFileSync(join(dir, "main.ts"), entry(dir));
    const b = await buildBoard({ entry: join(dir, "main.ts"), name: "http-ca-check", write: false, budget: 1 << 20, checkSource: false });
    expect(b.problems).toEqual([]);
    // The stand-in http module (its text is evaluated as a module: it names nothing of the bundle).
    const stub = `Modules.addCached("http", ${JSON.stringify('exports.request=function(o){print("handed "+typeof o.ca+" "+E.CRC32(o.ca));throw new Error("no TLS here");};')});\n`;
    const raw = runInEspruino(stub + b.code + "\n");
    const lines = raw.split("\n").map((l) => l.trim()).filter((l) => /^(read|short|absent|handed|tls|unreadable|DONE)/.test(l));
    expect(lines).toEqual([
      "read function true",
      "short null",
      "absent null null",
      "handed string " + crc32(PEM),
      "tls HTTP_CONNECT sent=false",
      "unreadable HTTP_CONNECT sent=false",
      "DONE",
    ]);
  }, 60000);
});
