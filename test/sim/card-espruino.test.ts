/**
 * The card engine and every profile, bundled as a board bundle is (build.mjs: subset checks,
 * passes, final-bundle check) and run in the Espruino 2v29 interpreter when it is present
 * (skipped otherwise), must answer byte for byte what they answer on Node: two taps per
 * profile, every application, record and GENERATE AC. The cryptogram is a deterministic
 * stand-in here (DES is the host's), so the comparison covers the engine's own code.
 */
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fromHex, toHex } from "../../src/bytes/hex";
import { buildDolData, recordSource } from "../../src/emv/dol";
import { createCard } from "../../src/sim/card-engine";
import type { CardCrypto, CryptogramRequest } from "../../src/sim/card-crypto";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { buildBoard } from "../../build.mjs";
import { espruinoSkipReason, REPO, runInEspruinoFromFlash, runInVm, titled } from "../build/helpers";
import { genAc, gpo, profile, readRecord, SELECT_PPSE, selectAid, specValue, TXN } from "./card-helpers";

const NO_ESPRUINO = espruinoSkipReason("espruino-esp32");

/** Not a cryptogram: a fold of the request, the same in both interpreters. */
const FOLD_SOURCE = `function fold(req) {
  var out = new Uint8Array(8);
  var d = req.data;
  for (var i = 0; i < d.length; i++) out[i & 7] = (out[i & 7] * 31 + d[i]) & 255;
  out[0] ^= req.atc[1];
  out[1] ^= req.un[0];
  out[2] ^= req.pan.length;
  return out;
}`;
const fold = new Function(FOLD_SOURCE + "; return fold;")() as (r: CryptogramRequest) => Uint8Array;
const foldCrypto: CardCrypto = { applicationCryptogram: fold, verifyArqc: () => false, arpc: () => new Uint8Array(8) };

const terminal = recordSource([
  {
    "9F66": fromHex("32804000"),
    "9F02": fromHex(TXN.amount),
    "9F1A": fromHex(TXN.country),
    "5F2A": fromHex(TXN.currency),
    "9A": fromHex(TXN.date),
    "9F37": fromHex(TXN.un),
    "9F35": fromHex("21"),
  },
]);

/** Two taps' worth of commands for a profile, plus a few refusals. */
function script(name: string): string[] {
  const p = profile(name);
  const tap: string[] = [SELECT_PPSE];
  for (const app of p.apps) {
    tap.push(selectAid(app.aid));
    const pdol = specValue(app.fci, "9F38");
    tap.push(gpo(toHex(buildDolData(fromHex(pdol ?? ""), terminal))));
    for (const r of app.records) tap.push(readRecord(r.sfi, r.record));
    let cdol1: string | undefined;
    for (const r of app.records) cdol1 = cdol1 ?? specValue(r.data, "8C");
    if (cdol1) tap.push(genAc("80", toHex(buildDolData(fromHex(cdol1), terminal))));
    tap.push("80CA9F3600");
  }
  return tap.concat(["reset"], tap, ["00A4", "80A8000002830000", "0084000008", readRecord(9, 9)]);
}

function runNode(name: string, commands: string[]): string {
  const t = createCard(profile(name), foldCrypto);
  let line = name;
  for (let k = 0; k < commands.length; k++) {
    if (commands[k] === "reset") {
      t.reset?.();
      line += " R";
      continue;
    }
    const a = t.handle(fromHex(commands[k]), k);
    line += " " + (a ? toHex(a.response) + "/" + a.processingMs + "/" + (a.wtx || 0) : "null");
  }
  return line;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("card engine in the Espruino interpreter", () => {
  const scripts = PROFILE_NAMES.map((n) => [n, script(n)] as [string, string[]]);
  const expected = scripts.map((s) => runNode(s[0], s[1]));

  let bundle = ""; // built by the first test, run in the interpreter by the second

  it("bundles under the board rules and answers as on Node (vm)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-card-"));
    dirs.push(dir);
    const entry = join(dir, "main.ts");
    const src = (m: string): string => relative(dir, join(REPO, "src", m)).split(sep).join("/");
    writeFileSync(
      entry,
      [
        `import { fromHex, toHex } from ${JSON.stringify(src("bytes/hex"))};`,
        `import { createCard } from ${JSON.stringify(src("sim/card-engine"))};`,
        `import { profileByName } from ${JSON.stringify(src("sim/profiles/index"))};`,
        "declare function print(s: string): void;",
        FOLD_SOURCE,
        "const crypto = { applicationCryptogram: fold, verifyArqc: function () { return false; }, arpc: function () { return new Uint8Array(8); } };",
        `const SCRIPTS: any[] = ${JSON.stringify(scripts)};`,
        "for (let i = 0; i < SCRIPTS.length; i++) {",
        "  const name = SCRIPTS[i][0];",
        "  const cmds = SCRIPTS[i][1];",
        "  const t = createCard(profileByName(name) as any, crypto);",
        "  let line = name;",
        "  for (let k = 0; k < cmds.length; k++) {",
        '    if (cmds[k] === "reset") { if (t.reset) t.reset(); line += " R"; continue; }',
        "    const a = t.handle(fromHex(cmds[k]), k);",
        '    line += " " + (a ? toHex(a.response) + "/" + a.processingMs + "/" + (a.wtx || 0) : "null");',
        "  }",
        "  print(line);",
        "}",
        'print("done");',
      ].join("\n"),
    );
    const r = await buildBoard({ entry, name: "card-engine", write: false, budget: 1 << 20 });
    expect(r.problems).toEqual([]);
    expect(runInVm(r.code)).toEqual(expected.concat(["done"]));
    bundle = r.code;
  }, 60000);

  it.skipIf(NO_ESPRUINO)(titled("answers as on Node in espruino-esp32, loaded from flash", NO_ESPRUINO), () => {
    expect(bundle).not.toBe("");
    const out = runInEspruinoFromFlash(bundle).split("\n").map((l) => l.trim()).filter((l) => l.length);
    expect(out).toEqual(expected.concat(["done"]));
  }, 60000);
});
