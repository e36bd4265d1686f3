/**
 * Every named profile, played through a whole transaction the way a terminal would (PPSE,
 * SELECT, GPO with its PDOL filled, the AFL's records, GENERATE AC with CDOL1): answers
 * parse as BER-TLV, hold what the kernels need, agree with each other (PAN, PSN, expiry,
 * no repeated tag: EMV Book 3 §10.2), and carry the cryptogram recomputed apart from the
 * engine. See-phone and removal quirks are switched off here (card-quirks.test.ts).
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { isCoded } from "../../src/bytes/coded-error";
import { buildDolData, parseDol, recordSource } from "../../src/emv/dol";
import { collectTlv, parseTlv, TlvCursor, type TlvRecord } from "../../src/emv/tlv";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";
import { card, expectedAc, genAc, gpo, luhnOk, profile, readRecord, send, SELECT_PPSE, selectAid, tags, TXN } from "./card-helpers";

const terminal: TlvRecord = {
  "9F66": fromHex(TXN.ttq as string),
  "9F02": fromHex(TXN.amount),
  "9F03": fromHex(TXN.other),
  "9F1A": fromHex(TXN.country),
  "95": fromHex(TXN.tvr),
  "5F2A": fromHex(TXN.currency),
  "9A": fromHex(TXN.date),
  "9C": fromHex(TXN.type),
  "9F37": fromHex(TXN.un),
  "9F35": fromHex("21"),
  "9F34": fromHex("3F0000"),
  "9F21": fromHex("101530"),
};
const source = recordSource([terminal]);

/** ISO/IEC 14443-4 §5.2: FWT = 256 · 16 · 2^FWI / fc, fc = 13.56 MHz; FWI in TB(1) b8-b5. */
function fwtMs(ats: Uint8Array): number {
  const t0 = ats[1];
  const tb = t0 & 0x20 ? ats[t0 & 0x10 ? 3 : 2] : 0x40;
  return (4096 * 2 ** (tb >> 4)) / 13560;
}

describe("profile list", () => {
  it("has the docs/architecture.md names and broken-* ones, each name matching its file", () => {
    for (const n of ["applepay-visa", "googlepay-mastercard", "quickpass-unionpay", "jd-flashpay", "card-visa", "card-mastercard", "card-unionpay", "cobadged"]) {
      expect(PROFILE_NAMES).toContain(n);
    }
    for (const n of PROFILE_NAMES) expect(profileByName(n)?.name).toBe(n);
    expect(PROFILE_NAMES.filter((n) => n.startsWith("broken-")).sort()).toEqual([
      "broken-bad-tlv",
      "broken-early-removal",
      "broken-missing-tag",
      "broken-no-ppse",
      "broken-wrong-aid",
    ]);
    expect(profileByName("nope")).toBeUndefined();
  });
});

for (const name of PROFILE_NAMES) {
  describe("profile " + name, () => {
    const p = profile(name);
    delete p.quirks;

    it("has a consistent RF identity: ATS TL, ISO-DEP SAK, UID size by form factor", () => {
      const t = card(p);
      const ats = t.ats as Uint8Array;
      expect(ats[0]).toBe(ats.length);
      const t0 = ats[1];
      const interfaceBytes = ((t0 >> 4) & 1) + ((t0 >> 5) & 1) + ((t0 >> 6) & 1);
      expect(2 + interfaceBytes).toBeLessThanOrEqual(ats.length);
      expect(t.sak & 0x20).toBe(0x20);
      if (p.formFactor === "phone") {
        expect(t.uid.length).toBe(4);
        expect(t.uid[0]).toBe(0x08);
        expect(toHex(t.atqa)).toBe("0004");
      } else {
        expect(t.uid.length).toBe(7);
        expect(toHex(t.atqa)).toBe("0044");
      }
    });

    it("needs S(WTX) wherever its processing time exceeds the ATS frame waiting time", () => {
      const fwt = fwtMs(fromHex(p.rf.ats));
      const ins = Object.keys(p.timing.insMs ?? {});
      for (const i of ins) {
        const ms = (p.timing.insMs ?? {})[i];
        const wtx = (p.timing.wtx ?? {})[i] ?? 0;
        expect(ms, "INS " + i).toBeLessThanOrEqual(fwt * (1 + wtx));
      }
    });

    it("lists its applications in the PPSE (or has none: 6A82)", () => {
      const t = card(p);
      const r = send(t, SELECT_PPSE);
      if (!p.ppse) {
        expect(r.sw).toBe("6A82");
        return;
      }
      expect(r.sw).toBe("9000");
      const v = tags(r.data);
      expect(v["84"]).toBe(toHex(new TextEncoder().encode("2PAY.SYS.DDF01")));
      // Directory entries repeat tags: walk them (EMV Book B §3.3).
      const aids: string[] = [];
      const priorities: string[] = [];
      const c = new TlvCursor(fromHex(r.data));
      while (c.next(true)) {
        if (c.tag === 0x4f) aids.push(toHex(c.value()));
        if (c.tag === 0x87) priorities.push(toHex(c.value()));
      }
      expect(aids.sort()).toEqual(p.apps.map((a) => a.aid).sort());
      expect(new Set(priorities).size).toBe(priorities.length);
    });

    for (let i = 0; i < p.apps.length; i++) {
      const app = p.apps[i];
      it("app " + app.aid + ": a whole transaction with the ARQC computed for it", () => {
        const t = card(p);
        const sel = send(t, selectAid(app.aid));
        expect(sel.sw).toBe("9000");
        const fci = tags(sel.data);
        if (name !== "broken-wrong-aid") expect(fci["84"]).toBe(app.aid);
        expect(fci["50"]).toBeDefined();
        const pdol = fci["9F38"] ? fromHex(fci["9F38"]) : new Uint8Array(0);
        parseDol(pdol);
        const g = send(t, gpo(toHex(buildDolData(pdol, source))));
        expect(g.sw).toBe("9000");
        expect(g.data.length).toBeLessThanOrEqual(512);
        if (name === "broken-bad-tlv") {
          let caught: unknown = null;
          try {
            parseTlv(fromHex(g.data));
          } catch (e) {
            caught = e;
          }
          expect(isCoded(caught, "TLV_INVALID")).toBe(true);
          return;
        }
        const all = collectTlv(fromHex(g.data));
        let aip = "";
        let afl = "";
        if (app.gpo.format === 1) {
          expect(g.data.slice(0, 2)).toBe("80");
          const body = toHex(all["80"]);
          aip = body.slice(0, 4);
          afl = body.slice(4);
        } else {
          expect(g.data.slice(0, 2)).toBe("77");
          aip = toHex(all["82"]);
          afl = all["94"] ? toHex(all["94"]) : "";
        }
        for (let k = 0; k < afl.length; k += 8) {
          const sfi = parseInt(afl.slice(k, k + 2), 16) >> 3;
          const first = parseInt(afl.slice(k + 2, k + 4), 16);
          const last = parseInt(afl.slice(k + 4, k + 6), 16);
          expect(first).toBeGreaterThan(0);
          expect(last).toBeGreaterThanOrEqual(first);
          for (let rn = first; rn <= last; rn++) {
            const rec = send(t, readRecord(sfi, rn));
            expect(rec.sw, "SFI " + sfi + " record " + rn).toBe("9000");
            expect(rec.data.slice(0, 2)).toBe("70");
            collectTlv(fromHex(rec.data), all);
          }
        }
        const keys = app.keys;
        const track2 = toHex(all["57"]);
        const d = track2.indexOf("D");
        expect(track2.slice(0, d)).toBe(keys.pan);
        expect(luhnOk(keys.pan)).toBe(true);
        if (all["5A"]) expect(toHex(all["5A"]).replace(/F+$/, "")).toBe(keys.pan);
        if (all["5F24"]) expect(toHex(all["5F24"]).slice(0, 4)).toBe(track2.slice(d + 1, d + 5));
        if (all["5F34"]) expect(toHex(all["5F34"])).toBe(keys.psn);
        if (all["9F24"]) expect(all["9F24"].length).toBe(29);
        // 9F69 (C-3 Annex A): fDDA version, card UN (4), then the copy of the CTQ the card gives.
        if (all["9F69"]) {
          expect(all["9F69"].length).toBeGreaterThanOrEqual(7);
          expect(toHex(all["9F69"].subarray(5, 7))).toBe(toHex(all["9F6C"]));
        }
        // 9F63 is Kernel 7's Product Identification Information: UnionPay applications only.
        if (all["9F63"]) expect(app.aid.startsWith("A000000333")).toBe(true);
        let answer = all;
        if (app.cryptogramIn === "generateAc") {
          const cdol1 = all["8C"];
          const r = send(t, genAc("80", toHex(buildDolData(cdol1, source))));
          expect(r.sw).toBe("9000");
          expect(r.data.slice(0, 2)).toBe("77");
          answer = collectTlv(fromHex(r.data));
        }
        const atc = toHex(answer["9F36"]);
        expect(parseInt(atc, 16)).toBe(parseInt(keys.atc, 16) + 1);
        expect(toHex(answer["9F27"])).toBe("80");
        const iad = toHex(answer["9F10"]);
        expect(iad.length).toBe(keys.iad.length);
        if (name === "broken-missing-tag") {
          expect(answer["9F26"]).toBeUndefined();
          return;
        }
        expect(toHex(answer["9F26"])).toBe(expectedAc(keys.version, keys.imk, keys.pan, keys.psn, TXN, aip, atc, iad));
      });
    }
  });
}
