// The entry point and kernels in the Espruino 2v29 interpreter itself (espruino-esp32 from
// host/espruino-dir.ts; skipped, with the reason, only when it is missing), loaded from flash
// as a board would: the hex transcripts
// of emv-fixtures.ts replayed, outcomes printed. Found on the way: Uint8Array#slice returns a
// plain Array there, and Object.assign aborts the interpreter on integer-like keys ("95").
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoSkipReason, makeFixture, REPO, removeTempDirs, runInEspruinoFromFlash, titled } from "../build/helpers";
import * as f from "../../host/fuzz/emv-fixtures";

const NO_ESPRUINO = espruinoSkipReason("espruino-esp32");

afterAll(removeTempDirs);

const SCENARIOS: { [name: string]: [f.Exchange[], string] } = {
  visa: [f.applePayVisa(), "visa"],
  express: [[f.applePayVisa()[0], f.applePayVisa()[1], [f.VISA_GPO_CMD, "6986"]], "visa"],
  unionpay: [f.quickPassUnionPay(), "up"],
  mastercard: [f.googlePayMastercard(), "mc"],
  seephone: [f.googlePayMastercard(f.mcGacAnswer("00", "000100")), "mc"],
  gone: [f.applePayVisa().slice(0, 3).concat([["00B2011C00", "error:ISODEP_CARD_GONE"]]), "visa"],
};

function harness(): string {
  const scripts: { [k: string]: string[] } = {};
  const aids: { [k: string]: string } = {};
  for (const name of Object.keys(SCENARIOS)) {
    scripts[name] = SCENARIOS[name][0].map((s) => s[1]);
    aids[name] = SCENARIOS[name][1];
  }
  const src = (p: string) => JSON.stringify(join(REPO, "src", p));
  return `import { runEntryPoint } from ${src("emv/entry-point")};
import { maskRecord } from ${src("emv/data-record")};
import { fromHex } from ${src("bytes/hex")};
import { codedError } from ${src("bytes/coded-error")};
declare function print(a: string): void;
const SCRIPTS: { [k: string]: string[] } = ${JSON.stringify(scripts)};
const AIDS: { [k: string]: string } = ${JSON.stringify(aids)};
const CFG: any = ${JSON.stringify({ visa: f.VISA, mc: f.MASTERCARD, up: f.UNIONPAY })};
function channel(answers: string[]) {
  let i = 0;
  return { transceive: (c: Uint8Array) => {
    const a = answers[i++];
    if (a === undefined) return Promise.reject(codedError("ISODEP_TIMEOUT", "end"));
    if (a.indexOf("error:") === 0) return Promise.reject(codedError(a.substring(6), "scripted"));
    return Promise.resolve(fromHex(a));
  } };
}
const terminal = { countryCode: 756, currencyCode: 756, currencyExponent: 2, terminalType: 21, terminalCapabilities: fromHex("0068C8"),
  additionalCapabilities: fromHex("6000F0A001"), merchantNameLocation: "TAPPOS TEST SHOP", ifdSerial: "TAPPOS01" };
const calendar = { today: () => ({ year: 2025, month: 3, day: 7, hour: 12, minute: 0, second: 0 }) };
const random = { bytes: (n: number) => new Uint8Array([0x11, 0x22, 0x33, 0x44]) };
const names = Object.keys(SCRIPTS);
function one(k: number): Promise<void> {
  if (k >= names.length) return Promise.resolve();
  const name = names[k];
  return runEntryPoint(channel(SCRIPTS[name]), { terminal: terminal, aids: [CFG[AIDS[name]]], cdcvm: true }, { amountMinor: 1250 }, calendar, random)
    .then((o) => {
      print("OUT " + name + " " + JSON.stringify({ type: o.type, reason: o.reason, start: o.start, cvm: o.cvm, kernel: o.kernel,
        restart: o.uiOnRestart && o.uiOnRestart.messageId, record: o.record ? maskRecord(o.record) : null }));
      return one(k + 1);
    });
}
one(0).then(() => print("DONE"), (e) => print("REJECTED " + e));
`;
}

describe("EMV in the Espruino interpreter", () => {
  it.skipIf(NO_ESPRUINO)(titled("the transcripts end in the same outcomes as on Node", NO_ESPRUINO), async () => {
    const dir = makeFixture({ "emv-tap.ts": harness() });
    const entry = join(dir, "emv-tap.ts");
    const built = await buildBoard({ entry: entry, name: "emv-tap", root: REPO, write: false, budget: 1 << 20, checkSource: false });
    expect(built.problems).toEqual([]);
    const out = runInEspruinoFromFlash(built.code);
    expect(out).toContain("DONE");
    expect(out).not.toMatch(/Uncaught|ASSERT|OUT OF MEMORY|REJECTED/);
    const results: { [name: string]: any } = {};
    for (const line of out.split("\n")) {
      const m = line.indexOf("OUT ");
      if (m >= 0) {
        const rest = line.substring(m + 4);
        const sp = rest.indexOf(" ");
        results[rest.substring(0, sp)] = JSON.parse(rest.substring(sp + 1));
      }
    }
    expect(results.visa).toMatchObject({ type: "ONLINE_REQUEST", reason: "OK", kernel: 3, cvm: "CDCVM", record: { pan: "476173******0010", expiry: "2512" } });
    expect(results.visa.record.icc).toMatchObject({ "95": "0000000000", "82": "2000", "9F66": "32804000", "9F37": "11223344" });
    expect(results.express).toMatchObject({ type: "TRY_AGAIN", reason: "EMV_SEE_PHONE", start: "B", restart: 0x20 });
    expect(results.unionpay).toMatchObject({ type: "ONLINE_REQUEST", kernel: 7, record: { pan: "621483******5678", expiry: "2812", psn: "01" } });
    expect(results.mastercard).toMatchObject({ type: "ONLINE_REQUEST", kernel: 2, cvm: "CDCVM" });
    expect(results.mastercard.record.icc).toMatchObject({ "95": "8000008000", "9F34": "010002" });
    expect(results.seephone).toMatchObject({ type: "END_APPLICATION", reason: "EMV_SEE_PHONE", start: "B" });
    expect(results.gone).toMatchObject({ type: "TRY_AGAIN", reason: "EMV_CARD_GONE", restart: 0x21 });
  });
});
