// record.de55 in the Espruino 2v29 interpreter itself (espruino-esp32, loaded from flash as a
// board does; skipped, with the reason, only when it is missing): the three kernels' fixture
// taps, each record's request body with de55 and without it (iccDataHex of icc, in the
// interpreter's own key order, insertion order) byte for byte the same; natives handed over
// as every board does.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoSkipReason, makeFixture, REPO, removeTempDirs, runInEspruinoFromFlash, titled } from "../build/helpers";
import * as f from "../../host/fuzz/emv-fixtures";

const NO_ESPRUINO = espruinoSkipReason("espruino-esp32");

afterAll(removeTempDirs);

function harness(): string {
  const taps = [f.quickPassUnionPay(), f.applePayVisa(), f.googlePayMastercard()].map((t) => t.map((s) => s[1]));
  const src = (p: string) => JSON.stringify(join(REPO, "src", p));
  return `import { runEntryPoint } from ${src("emv/entry-point")};
import { buildAuthRequest, requestBody } from ${src("auth/request")};
import { fromHex, useNativeHex } from ${src("bytes/hex")};
declare function print(a: string): void;
declare const E: any;
useNativeHex(E.mapInPlace, E.toString);
const TAPS: string[][] = ${JSON.stringify(taps)};
const CFG: any[] = ${JSON.stringify([f.UNIONPAY, f.VISA, f.MASTERCARD])};
const terminal = { countryCode: 756, currencyCode: 756, currencyExponent: 2, terminalType: 21, terminalCapabilities: fromHex("0068C8"),
  additionalCapabilities: fromHex("6000F0A001"), merchantNameLocation: "TAPPOS TEST SHOP", ifdSerial: "TAPPOS01" };
const calendar = { today: () => ({ year: 2025, month: 3, day: 7, hour: 12, minute: 0, second: 0 }) };
const random = { bytes: (n: number) => new Uint8Array([0x11, 0x22, 0x33, 0x44]) };
const input = { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", stan: "000042", clientTransactionId: "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f",
  amountMinor: 1250, currency: 756, country: 756, time9f21: "103000" };
function one(k: number): Promise<void> {
  if (k >= TAPS.length) return Promise.resolve();
  let i = 0;
  const answers = TAPS[k];
  const channel = { transceive: (c: Uint8Array) => Promise.resolve(fromHex(answers[i++])) };
  return runEntryPoint(channel, { terminal: terminal, aids: [CFG[k]], cdcvm: true }, { amountMinor: 1250 }, calendar, random).then((o) => {
    const r: any = o.record;
    const fast = requestBody(buildAuthRequest(r, input));
    const copy: any = {};
    for (const key in r) if (key !== "de55") copy[key] = r[key];
    const slow = requestBody(buildAuthRequest(copy, input));
    print("OUT " + k + " " + JSON.stringify({ de55: typeof r.de55, same: fast === slow, iccData: JSON.parse(fast).iccData }));
    return one(k + 1);
  });
}
one(0).then(() => print("DONE"), (e) => print("REJECTED " + e));
`;
}

describe("the data record's DE 55 in the Espruino interpreter", () => {
  it.skipIf(NO_ESPRUINO)(titled("the request body from record.de55 is the one from icc, for the three kernels", NO_ESPRUINO), async () => {
    const dir = makeFixture({ "de55-tap.ts": harness() });
    const built = await buildBoard({ entry: join(dir, "de55-tap.ts"), name: "de55-tap", root: REPO, write: false, budget: 1 << 20, checkSource: false });
    expect(built.problems).toEqual([]);
    const out = runInEspruinoFromFlash(built.code);
    expect(out).toContain("DONE");
    expect(out).not.toMatch(/Uncaught|ASSERT|OUT OF MEMORY|REJECTED/);
    const results: { de55: string; same: boolean; iccData: string }[] = [];
    for (const line of out.split("\n")) {
      const m = line.indexOf("OUT ");
      if (m >= 0) results[Number(line.substring(m + 4, m + 5))] = JSON.parse(line.substring(m + 6));
    }
    expect(results.length).toBe(3);
    for (const r of results) expect(r).toMatchObject({ de55: "string", same: true });
    // Insertion order here (DE 55 order), where V8 lists "82", "84", "95" first.
    expect(results[1].iccData.startsWith("9F2608")).toBe(true);
    expect(results[1].iccData).toContain("9F360200429505");
  });
});
