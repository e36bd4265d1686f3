import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { runEntryPoint } from "../../src/emv/entry-point";
import { OutcomeType } from "../../src/emv/outcome";
import { readDirectory } from "../../src/emv/ppse";
import { combinationOf, plainTransaction, prepareEntryPointConfig, preprocess, type EntryPointConfig } from "../../src/emv/preprocessing";
import { buildTerminalData } from "../../src/emv/terminal-data";
import { calendar, config, entry, googlePayMastercard, MASTERCARD, PPSE, ppse, random, t, UNIONPAY, type Exchange } from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

/** Preprocess's combinations of a plain transaction, AID by AID through combinationOf. */
function onDemand(c: EntryPointConfig, amountMinor: number) {
  return c.aids.map((a) => combinationOf(c, a, amountMinor)).filter((x) => x !== null);
}
const show = (x: unknown) => JSON.stringify(x, (k, v) => (v instanceof Uint8Array ? toHex(v) : k === "aidParsed" ? undefined : v));

describe("pre-processing on demand (plainTransaction, combinationOf)", () => {
  it("a purchase with the default AIDs is plain; each AID's combination is preprocess's", () => {
    const c = defaultEntryPointConfig();
    for (const amount of [1, 1250, 4999, 5000, 5001, 99999, 100000, 250000]) {
      expect(plainTransaction(c, { amountMinor: amount })).toBe(true);
      expect(show(onDemand(c, amount)), String(amount)).toBe(show(preprocess(c, { amountMinor: amount })));
    }
    const pin = prepareEntryPointConfig(Object.assign(defaultEntryPointConfig(), { onlinePin: true, signature: true, cdcvm: false }));
    expect(show(onDemand(pin, 6000))).toBe(show(preprocess(pin, { amountMinor: 6000 })));
  });

  it("not plain: zero amount, another transaction type, an AID not parsed or changed, its own TTQ, types or status check", () => {
    const c = defaultEntryPointConfig();
    expect(plainTransaction(c, { amountMinor: 0 })).toBe(false);
    expect(plainTransaction(c, { amountMinor: 100, transactionType: 9 })).toBe(false);
    expect(plainTransaction(config([MASTERCARD]), { amountMinor: 100 })).toBe(false); // not parsed yet
    for (const patch of [{ aid: "A0000000032010" }, { ttq: "20000000" }, { txnTypes: [0] }, { statusCheck: true }]) {
      const d = defaultEntryPointConfig();
      Object.assign(d.aids[1], patch);
      expect(plainTransaction(d, { amountMinor: 100 }), JSON.stringify(patch)).toBe(false);
    }
  });

  const plainMc = () => prepareEntryPointConfig(config([Object.assign({}, MASTERCARD), Object.assign({}, UNIONPAY, { txnLimitMinor: 1000 })]));

  it("a card offering only an AID over its limit: EMV_LIMIT_EXCEEDED, as with the full list", async () => {
    const script = new Script([[PPSE, ppse(entry("A000000333010102", "UNIONPAY", "01", "07"))]]);
    const o = await runEntryPoint(script, plainMc(), { amountMinor: 2000 }, calendar, random);
    expect(script.report()).toBe("");
    expect(o).toMatchObject({ type: OutcomeType.TryAnotherInterface, reason: "EMV_LIMIT_EXCEEDED" });
  });

  it("no directory: the AID list method selects each allowed AID in configuration order", async () => {
    const script = new Script([
      [PPSE, "6A82"],
      ["00A4040007A000000004101000", "6A82"],
    ]);
    const o = await runEntryPoint(script, plainMc(), { amountMinor: 2000 }, calendar, random);
    expect(script.report()).toBe("");
    expect(o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE" });
  });

  it("a Mastercard phone on a plain configuration goes online, as before", async () => {
    const steps: Exchange[] = googlePayMastercard();
    const script = new Script(steps);
    const o = await runEntryPoint(script, plainMc(), { amountMinor: 1250 }, calendar, random);
    expect(script.report()).toBe("");
    expect(o.type).toBe(OutcomeType.OnlineRequest);
  });
});

describe("readDirectory: plain FCIs read in one loop, the others by the cursor, the last answer kept", () => {
  const fci = (dir: string) => fromHex(t("6F", t("84", "325041592E5359532E4444463031"), t("A5", t("BF0C", dir))));
  it("padding, a long-form length or a 3-byte tag give the cursor's result", () => {
    const plain = readDirectory(fci(t("61", t("4F", "A0000000041010"), t("87", "01"))));
    const padded = readDirectory(fci(t("61", t("4F", "A0000000041010"), "00", t("87", "01"))));
    const inner = t("A5", t("BF0C", t("61", t("4F", "A0000000041010"), t("87", "01"), t("DF8101", ""))));
    const long = readDirectory(fromHex("6F81" + (inner.length / 2).toString(16).padStart(2, "0") + inner));
    expect(show(padded)).toBe(show(plain));
    expect(show(long)).toBe(show(plain));
  });
  it("the same answer twice: equal entries, and a caller's change to the list does not reach the next", () => {
    const a = fci(t("61", t("4F", "A0000000031010"), t("87", "02")));
    const first = readDirectory(a);
    first.push(first[0]);
    const again = readDirectory(fromHex(toHex(a)));
    expect(again).toHaveLength(1);
    expect(show(again[0])).toBe(show(readDirectory(a)[0]));
  });
  it("more than 32 entries: the walk stops after the 33rd, as before", () => {
    let dir = "";
    for (let i = 0; i < 40; i++) dir += t("61", t("4F", "A00000000410" + (16 + i).toString(16).padStart(2, "0")));
    expect(readDirectory(fci(dir))).toHaveLength(33);
  });
});

describe("terminal data: the configuration's constants follow changes made in place", () => {
  it("a changed country, name or capability byte is in the next record; a broken one is reported", () => {
    const c = defaultEntryPointConfig().terminal;
    const ttq = fromHex("20804000");
    expect(toHex(buildTerminalData(c, { amountMinor: 1, ttq }, calendar, random)["9F1A"])).toBe("0250");
    c.countryCode = 756;
    c.merchantNameLocation = "SHOP";
    c.terminalCapabilities[0] = 0xe0;
    const d = buildTerminalData(c, { amountMinor: 1, ttq }, calendar, random);
    expect([toHex(d["9F1A"]), toHex(d["9F4E"]), toHex(d["9F33"])]).toEqual(["0756", "53484F50", "E00800"]);
    c.ifdSerial = "SHORT";
    expect(() => buildTerminalData(c, { amountMinor: 1, ttq }, calendar, random)).toThrow(/ifdSerial/);
  });
});
