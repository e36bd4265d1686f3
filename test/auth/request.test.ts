/**
 * The pure parts of src/auth: the request body from a data record (wire order, DE 55 without
 * card data, optional fields), its masked copy, civil time without Date (checked against
 * Date), the HTTP Date header, the wall clock and calendar, STAN, the reversal queue files.
 */
import { describe, expect, it } from "vitest";
import { prng } from "../../host/fuzz/prng";
import { buildAuthRequest, iccDataHex, maskRequest, requestBody } from "../../src/auth/request";
import { nextStan, PendingStore, ReversalQueue, type Reversal } from "../../src/auth/reversal-queue";
import { civilFromUnixMs, isoUtc, parseHttpDate, settableWallClock, wallCalendar } from "../../src/auth/time";
import { isCoded } from "../../src/bytes/coded-error";
import type { DataRecord } from "../../src/emv/data-record";
import type { KeyValueStore } from "../../src/hal/types";
import { FakeClock } from "../helpers/fake-clock";
import { folderStore } from "../../host/auth/node-hal";
import { tempDir, removeTempDirs } from "./acquirer-rig";
import { afterAll } from "vitest";

afterAll(removeTempDirs);

function record(over: Partial<DataRecord> = {}): DataRecord {
  return {
    kernel: 3,
    aid: "A0000000031010",
    pan: "4761739001010010",
    expiry: "2812",
    psn: "01",
    track2: "4761739001010010D28122011234567899999F",
    serviceCode: "201",
    cvm: "NO_CVM" as DataRecord["cvm"],
    icc: { "9F26": "1122334455667788", "9F36": "0001", "95": "0000000000", "9A": "260115", "82": "2000", "9F02": "000000001250" },
    wallet: {},
    ...over,
  };
}

const INPUT = { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", stan: "000042", clientTransactionId: "0f".repeat(16), amountMinor: 1250, currency: 36, country: 250, time9f21: "103000" };

describe("authorization request", () => {
  it("is one JSON text in wire order with 3-digit codes and the transaction's own date and time", () => {
    const body = requestBody(buildAuthRequest(record(), INPUT));
    expect(body).toBe(
      '{"terminalId":"TAPPOS01","merchantId":"MERCHANT0001","stan":"000042","clientTransactionId":"' + "0f".repeat(16) +
        '","amountMinor":1250,"currency":"036","country":"250","localDateTime":"2026-01-15T10:30:00","posEntryMode":"07","aid":"A0000000031010","kernel":3,' +
        '"pan":"4761739001010010","expiry":"2812","psn":"01","track2":"4761739001010010D28122011234567899999F",' +
        // DE 55 in the record's key order: V8 lists integer-like keys ("82", "95") first.
        '"iccData":"82022000' + '95050000000000' + '9F26081122334455667788' + '9F36020001' + '9A03260115' + '9F0206000000001250"}',
    );
  });

  it("leaves out absent PSN, Track 2 and wallet, and carries the wallet hints under the wire names", () => {
    const r = buildAuthRequest(record({ psn: null, track2: null, wallet: { tokenRequestor: "40010030273", par: "V001", formFactor: "PHONE", deviceType: "30" } }), INPUT);
    expect(r.psn).toBeUndefined();
    expect(r.track2).toBeUndefined();
    expect(r.wallet).toEqual({ tokenRequestorId: "40010030273", par: "V001", formFactor: "PHONE", deviceType: "30" });
    expect(buildAuthRequest(record(), INPUT).wallet).toBeUndefined();
    expect(buildAuthRequest(record({ icc: { "9A": "261206", "9F21": "201132" } }), INPUT).localDateTime).toBe("2026-12-06T20:11:32");
  });

  it("never puts card data tags in DE 55, whatever the record holds; long values get a long-form length", () => {
    const icc = { "57": "4761", "5A": "4761", "56": "42", "5F20": "41", "5F24": "281231", "9F0B": "41", "9F6B": "4761", "9F26": "11", "9F7C": "AB".repeat(130) };
    expect(iccDataHex(icc)).toBe("9F2601119F7C8182" + "AB".repeat(130));
  });

  it("masks PAN and Track 2 in the copy for printing, leaving the request alone", () => {
    const r = buildAuthRequest(record(), INPUT);
    const m = maskRequest(r);
    expect(m.pan).toBe("476173******0010");
    expect(m.track2).toBe("476173FFFFFF0010D28122011234567899999F");
    expect(r.pan).toBe("4761739001010010");
    expect(JSON.stringify(m)).not.toContain("739001");
  });
});

describe("wall-clock time without Date", () => {
  it("agrees with Date for civil fields, ISO text and HTTP dates over 1970–2099", () => {
    const rand = prng(99);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(rand() * 4102444800000) + (i % 7) * 86399999;
      const d = new Date(ms);
      expect(civilFromUnixMs(ms)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() });
      expect(isoUtc(ms)).toBe(d.toISOString().substring(0, 19) + "Z");
      expect(parseHttpDate(d.toUTCString())).toBe(Math.floor(ms / 1000) * 1000);
    }
    expect(parseHttpDate("Sun, 06 Dec 2026 20:11:32 UTC")).toBeNull();
    expect(parseHttpDate("Sun, 06 Dek 2026 20:11:32 GMT")).toBeNull();
    expect(parseHttpDate("garbage")).toBeNull();
  });

  it("has no valid time until told one after 2024; the calendar refuses to sell without it and applies the zone offset", () => {
    const clock = new FakeClock(5000);
    const wall = settableWallClock(clock);
    const cal = wallCalendar(wall, 60);
    expect(wall.unixMs()).toBeNull();
    let err: unknown = null;
    try {
      cal.today();
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, "AUTH_NO_CLOCK")).toBe(true);
    expect(wall.set(1000)).toBe(false);
    expect(wall.set(Date.UTC(2026, 11, 6, 23, 30, 0))).toBe(true);
    clock.advance(1000);
    expect(wall.unixMs()).toBe(Date.UTC(2026, 11, 6, 23, 30, 1));
    expect(cal.today()).toEqual({ year: 2026, month: 12, day: 7, hour: 0, minute: 30, second: 1 });
  });
});

function memoryStore(): KeyValueStore & { files: Record<string, string> } {
  const files: Record<string, string> = {};
  return {
    files,
    read: (n) => files[n],
    write: (n, d) => void (files[n] = d),
    erase: (n) => void delete files[n],
    list: (p) => Object.keys(files).filter((n) => n.startsWith(p)).sort(),
  };
}

const rev = (id: string): Reversal => ({ terminalId: "TAPPOS01", clientTransactionId: id, stan: "000001", amountMinor: 100, currency: "978", reason: "no_answer", time: "2026-12-06T20:11:32Z" });

describe("terminal storage", () => {
  it("counts the STAN 000001…999999 and wraps to 000001", () => {
    const s = memoryStore();
    expect(nextStan(s)).toBe("000001");
    expect(nextStan(s)).toBe("000002");
    s.write("tpstan", "999999");
    expect(nextStan(s)).toBe("000001");
  });

  it("keeps one reversal per id under 28-character names, and stops sales at its bound without dropping any", () => {
    const s = folderStore(tempDir("tappos-q-"));
    const q = new ReversalQueue(s, 3);
    q.add(rev("a".repeat(32)));
    q.add(rev("a".repeat(32)));
    expect(q.size()).toBe(1);
    q.add(rev("b".repeat(32)));
    q.add(rev("c".repeat(32)));
    expect(s.list("").every((n) => n.length <= 28)).toBe(true);
    let err: unknown = null;
    try {
      q.checkRoom();
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, "AUTH_REVERSAL_QUEUE_FULL")).toBe(true);
    expect(err).toMatchObject({ size: 3, max: 3 });
    q.add(rev("d".repeat(32))); // an unknown outcome is still recorded past the bound
    expect(q.list().map((r) => r.clientTransactionId[0])).toEqual(["a", "b", "c", "d"]);
    q.remove("a".repeat(32));
    expect(q.size()).toBe(3);
  });

  it("turns a pending transaction found at boot into a reversal, and skips a torn file", () => {
    const s = memoryStore();
    const q = new ReversalQueue(s, 8);
    const p = new PendingStore(s);
    p.write(rev("e".repeat(32)));
    expect(p.recover(q)).toMatchObject({ clientTransactionId: "e".repeat(32) });
    expect(p.read()).toBeNull();
    expect(q.size()).toBe(1);
    s.write("tprv" + "f".repeat(24), '{"clientTransac');
    expect(q.list()).toHaveLength(1);
  });
});
