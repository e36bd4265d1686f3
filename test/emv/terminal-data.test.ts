import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { buildDolData, recordSource } from "../../src/emv/dol";
import { buildTerminalData, type TerminalConfig, type TransactionInput } from "../../src/emv/terminal-data";
import { findTag } from "../../src/emv/tlv";
import type { Calendar, Random } from "../../src/hal/types";
import { amountToN12, dateToBcd, timeToBcd } from "../../src/bytes/bcd";
import { VISA_FCI } from "../../host/fuzz/answers";
import { prng } from "../../host/fuzz/prng";

const CONFIG: TerminalConfig = {
  countryCode: 756,
  currencyCode: 978,
  currencyExponent: 2,
  terminalType: 21,
  terminalCapabilities: fromHex("E0 08 C8"),
  additionalCapabilities: fromHex("60 00 00 10 01"),
  merchantNameLocation: "TAPPOS CAFE ZURICH",
  ifdSerial: "TP000001",
};
const TTQ = fromHex("36 00 40 80");
const CALENDAR: Calendar = { today: () => ({ year: 2025, month: 3, day: 7, hour: 9, minute: 5, second: 0 }) };

/** A Random that counts calls and hands out 01 02 03 04, 05 06 07 08, … */
function counter(): Random & { calls: number } {
  let next = 1;
  const r = {
    calls: 0,
    bytes(count: number): Uint8Array {
      r.calls++;
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = next++;
      return out;
    },
  };
  return r;
}

function build(txn: Partial<TransactionInput>, config: Partial<TerminalConfig> = {}) {
  return buildTerminalData({ ...CONFIG, ...config }, { amountMinor: 1250, ttq: TTQ, ...txn }, CALENDAR, counter());
}

function thrown(f: () => unknown): { code?: unknown; field?: unknown } {
  try {
    f();
  } catch (e) {
    if (!isCoded(e)) throw e;
    return { code: e.code, field: e.field };
  }
  throw new Error("did not throw");
}

describe("amounts: n12 BCD from integer minor units", () => {
  const amounts: [number, string, string | undefined][] = [
    [0, "000000000000", "00000000"],
    [1, "000000000001", "00000001"],
    [1250, "000000001250", "000004E2"],
    [4294967295, "004294967295", "FFFFFFFF"],
    [4294967296, "004294967296", undefined],
    [999999999999, "999999999999", undefined],
  ];
  for (const [minor, n12, b4] of amounts) {
    it(`${minor} → 9F02 ${n12}`, () => {
      const d = build({ amountMinor: minor });
      expect(toHex(d["9F02"])).toBe(n12);
      expect(d["81"] && toHex(d["81"])).toBe(b4);
      expect(toHex(d["9F03"])).toBe("000000000000");
    });
  }
  it("amount other (cashback) 9F03, and 9F04 in binary", () => {
    const d = build({ amountMinor: 2000, amountOtherMinor: 500, transactionType: 9 });
    expect(toHex(d["9F03"])).toBe("000000000500");
    expect(toHex(d["9F04"])).toBe("000001F4");
    expect(toHex(d["9C"])).toBe("09");
  });
  for (const bad of [-1, -0.5, 12.5, 1e12, NaN, Infinity]) {
    it(`${bad} → EMV_AMOUNT_INVALID`, () => {
      expect(thrown(() => build({ amountMinor: bad })).code).toBe("EMV_AMOUNT_INVALID");
      expect(thrown(() => build({ amountOtherMinor: bad })).code).toBe("EMV_AMOUNT_INVALID");
    });
  }
});

describe("the record for one transaction", () => {
  it("holds every terminal tag a contactless PDOL or CDOL asks for", () => {
    const d = build({});
    const hex: { [k: string]: string } = {};
    for (const k of Object.keys(d)) hex[k] = toHex(d[k]);
    expect(hex).toEqual({
      "9F02": "000000001250",
      "9F03": "000000000000",
      "81": "000004E2",
      "9F04": "00000000",
      "5F2A": "0978",
      "5F36": "02",
      "9F1A": "0756",
      "9A": "250307",
      "9F21": "090500",
      "9C": "00",
      "9F35": "21",
      "9F39": "07",
      "9F37": "01020304",
      "9F66": "36004080",
      "9F33": "E008C8",
      "9F40": "6000001001",
      "9F4E": "544150504F532043414645205A5552494348",
      "9F1E": "5450303030303031",
      "95": "0000000000",
      "9B": "0000",
      "9F7A": "00",
      "DF60": "00",
      "DF69": "00",
    });
  });
  it("9F35 is an online-only type: 21 attended, 24 unattended (Book 4 Annex A1)", () => {
    expect(toHex(build({})["9F35"])).toBe("21");
    expect(toHex(build({}, { terminalType: 24 })["9F35"])).toBe("24");
    expect(toHex(build({}, { terminalType: 11 })["9F35"])).toBe("11");
  });
  it("optional config: 9F1C terminal id, 9F16 merchant id, 9F15 MCC", () => {
    const d = build({}, { terminalId: "T0000042", merchantId: "MERCHANT0000001", merchantCategoryCode: 5812 });
    expect(toHex(d["9F1C"])).toBe("5430303030303432");
    expect(toHex(d["9F16"])).toBe("4D45524348414E5430303030303031");
    expect(toHex(d["9F15"])).toBe("5812");
  });
  it("a fresh unpredictable number for every transaction", () => {
    const random = counter();
    const a = buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, CALENDAR, random);
    const b = buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, CALENDAR, random);
    expect(random.calls).toBe(2);
    expect(toHex(a["9F37"])).toBe("01020304");
    expect(toHex(b["9F37"])).toBe("05060708");
  });
  it("refund: 9C 20; date across the year", () => {
    const cal: Calendar = { today: () => ({ year: 2031, month: 12, day: 31, hour: 23, minute: 59, second: 59 }) };
    const d = buildTerminalData(CONFIG, { amountMinor: 1, transactionType: 20, ttq: TTQ }, cal, counter());
    expect(toHex(d["9C"])).toBe("20");
    expect(toHex(d["9A"])).toBe("311231");
    expect(toHex(d["9F21"])).toBe("235959");
  });
});

describe("answering card DOLs", () => {
  it("the Visa PDOL of VISA_FCI", () => {
    const pdol = findTag(VISA_FCI, 0x9f38)!;
    const data = buildDolData(pdol, recordSource([build({})]));
    // 9F66 | 9F02 | 9F03 | 9F1A | 95 | 5F2A | 9A | 9C | 9F37
    expect(toHex(data)).toBe("36004080" + "000000001250" + "000000000000" + "0756" + "0000000000" + "0978" + "250307" + "00" + "01020304");
  });
  it("a PDOL or CDOL asking for 9F35 gets the online-only terminal type", () => {
    // Google Pay Mastercard PDOL: 9F1D 08, 9F1A 02, 9F35 01.
    const data = buildDolData(fromHex("9F1D 08 9F1A 02 9F35 01"), recordSource([build({}, { terminalType: 24 })]));
    expect(toHex(data)).toBe("0000000000000000" + "0756" + "24");
  });
  it("a UnionPay qPBOC PDOL with 9F7A, DF60, DF69 and time", () => {
    const pdol = fromHex("9F7A 01 9F02 06 5F2A 02 DF60 01 DF69 01 9F66 04 9F37 04 9F21 03 9F4E 14");
    const data = buildDolData(pdol, recordSource([build({ amountMinor: 56399 })]));
    expect(toHex(data)).toBe(
      "00" + "000000056399" + "0978" + "00" + "00" + "36004080" + "01020304" + "090500" + "544150504F532043414645205A555249434800" + "00",
    );
  });
});

describe("config errors are EMV_CONFIG_INVALID with the field", () => {
  const bad: [Partial<TerminalConfig> | Partial<TransactionInput>, string, boolean][] = [
    [{ ifdSerial: "TP00001" }, "ifdSerial", false],
    [{ ifdSerial: "TP0000012" }, "ifdSerial", false],
    [{ terminalId: "T1" }, "terminalId", false],
    [{ merchantNameLocation: "" }, "merchantNameLocation", false],
    [{ merchantNameLocation: "CAFÉ" }, "merchantNameLocation", false],
    [{ countryCode: 1000 }, "countryCode", false],
    [{ currencyCode: -1 }, "currencyCode", false],
    [{ currencyExponent: 10 }, "currencyExponent", false],
    [{ terminalType: 100 }, "terminalType", false],
    // Book 4 Annex A1: x2 and x5 are "offline with online capability", x3 and x6 offline only.
    [{ terminalType: 22 }, "terminalType", false],
    [{ terminalType: 25 }, "terminalType", false],
    [{ terminalType: 23 }, "terminalType", false],
    [{ terminalType: 41 }, "terminalType", false],
    [{ terminalCapabilities: fromHex("E008") }, "terminalCapabilities", false],
    [{ additionalCapabilities: fromHex("600000100100") }, "additionalCapabilities", false],
    [{ merchantCategoryCode: 12345 }, "merchantCategoryCode", false],
    [{ ttq: fromHex("360040") }, "ttq", true],
    [{ transactionType: 100 }, "transactionType", true],
  ];
  for (const [patch, field, isTxn] of bad) {
    it(field + " " + JSON.stringify(patch), () => {
      const e = thrown(() => (isTxn ? build(patch as Partial<TransactionInput>) : build({}, patch as Partial<TerminalConfig>)));
      expect(e).toEqual({ code: "EMV_CONFIG_INVALID", field });
    });
  }
  it("a Random that gives the wrong count", () => {
    const short: Random = { bytes: () => new Uint8Array(3) };
    expect(thrown(() => buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, CALENDAR, short))).toEqual({ code: "EMV_CONFIG_INVALID", field: "random" });
  });
  it("an impossible calendar date is BCD_RANGE", () => {
    const cal: Calendar = { today: () => ({ year: 2025, month: 13, day: 1, hour: 0, minute: 0, second: 0 }) };
    expect(thrown(() => buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, cal, counter())).code).toBe("BCD_RANGE");
  });
});

describe("merchant fields converted once (merchantData)", () => {
  it("a record owns its bytes, and a changed merchant field is converted again", () => {
    const a = buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, CALENDAR, counter());
    a["9F4E"][0] = 0x21;
    const b = buildTerminalData(CONFIG, { amountMinor: 1, ttq: TTQ }, CALENDAR, counter());
    expect(b["9F4E"][0]).toBe(CONFIG.merchantNameLocation.charCodeAt(0));
    expect(b["9F4E"]).not.toBe(a["9F4E"]);
    const c = buildTerminalData({ ...CONFIG, merchantNameLocation: "OTHER SHOP", terminalId: "TERM0002" }, { amountMinor: 1, ttq: TTQ }, CALENDAR, counter());
    expect(String.fromCharCode(...c["9F4E"])).toBe("OTHER SHOP");
    expect(String.fromCharCode(...c["9F1C"])).toBe("TERM0002");
    expect(Object.keys(b).indexOf("9F4E")).toBe(Object.keys(b).indexOf("9F40") + 1);
  });
});

describe("amounts (n12 from the BCD table), date and time: the bytes and errors of src/bytes/bcd.ts", () => {
  it("random amounts (cashback too), dates and times, in range or not", () => {
    const r = prng(0x7d);
    const pick = (lo: number, hi: number) => (r.int(10) === 0 ? [lo - 1, hi + 1, lo + 0.5, NaN][r.int(4)] : lo + r.int(hi - lo + 1));
    for (let i = 0; i < 3000; i++) {
      const amount = [0, 1, 99, 100, 1250, 999999999999, r.int(1e6), Math.floor(r() * 1e12)][r.int(8)];
      const other = r.int(3) === 0 ? Math.floor(r() * 1e12) : 0;
      const now = { year: pick(2000, 2099), month: pick(1, 12), day: pick(1, 31), hour: pick(0, 23), minute: pick(0, 59), second: pick(0, 59) };
      const cal: Calendar = { today: () => now };
      const what = `case ${i} ${amount} ${other} ${JSON.stringify(now)}`;
      let want: string;
      try {
        want = [toHex(amountToN12(amount)), toHex(amountToN12(other)), toHex(dateToBcd(now.year, now.month, now.day)), toHex(timeToBcd(now.hour, now.minute, now.second))].join(" ");
      } catch (e) {
        if (!isCoded(e)) throw e;
        want = `${e.code} ${e.message}`;
      }
      let got: string;
      try {
        const d = buildTerminalData(CONFIG, { amountMinor: amount, amountOtherMinor: other, ttq: TTQ }, cal, counter());
        got = [toHex(d["9F02"]), toHex(d["9F03"]), toHex(d["9A"]), toHex(d["9F21"])].join(" ");
      } catch (e) {
        if (!isCoded(e)) throw e;
        got = `${e.code} ${e.message}`;
      }
      expect(got, what).toBe(want);
    }
  });
});
