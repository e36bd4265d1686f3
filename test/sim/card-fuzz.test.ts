/**
 * Fuzz: whatever bytes a terminal sends, a virtual card answers with a status word from its
 * vocabulary and never throws; whatever a profile file holds, createCard either refuses it
 * with SIM_PROFILE or makes a card that never throws. Seeded (prng) so failures reproduce.
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { isCoded } from "../../src/bytes/coded-error";
import { parseTlv } from "../../src/emv/tlv";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { nodeCardCrypto } from "../../host/crypto";
import { mutateTlv as mutate } from "../../host/fuzz/mutate";
import { prng } from "../../host/fuzz/prng";
import { genAc, gpo, profile, readRecord, SELECT_PPSE, selectAid } from "./card-helpers";

const SWS = ["9000", "6700", "6985", "6986", "6A80", "6A82", "6A83", "6A86", "6A88", "6D00", "6E00"];

/** Commands a terminal would send to `p`, with random values where the data are free. */
function commands(p: CardProfile, r: ReturnType<typeof prng>): string[] {
  const out = [SELECT_PPSE, "80A8000002830000", "80CA9F3600", "80CA9F1700"];
  for (const app of p.apps) {
    out.push(selectAid(app.aid), selectAid(app.aid.slice(0, 10)), selectAid(app.aid.slice(0, 10), true));
    out.push(gpo(toHex(r.bytes(app.aid.startsWith("A000000004") ? 11 : 33 + r.int(2)))));
    out.push(genAc(["00", "40", "80", "90"][r.int(4)], toHex(r.bytes(66))));
    for (const rec of app.records) out.push(readRecord(rec.sfi, rec.record));
  }
  out.push(readRecord(1 + r.int(30), r.int(4)));
  return out;
}

function play(t: VirtualTarget, command: Uint8Array, name: string, where: string): void {
  const a = t.handle(command, 0);
  if (a === null) {
    expect(name, where).toBe("broken-early-removal");
    return;
  }
  const res = a.response;
  expect(res.length, where).toBeGreaterThanOrEqual(2);
  expect(res.length, where).toBeLessThanOrEqual(258);
  const sw = toHex(res.subarray(res.length - 2));
  expect(SWS, where + " SW " + sw).toContain(sw);
  if (sw !== "9000") expect(res.length, where).toBe(2);
  else if (name !== "broken-bad-tlv") parseTlv(res.subarray(0, res.length - 2));
  expect(a.processingMs, where).toBeGreaterThanOrEqual(0);
}

describe("card engine fuzz: random and mutated command APDUs", () => {
  for (const name of PROFILE_NAMES) {
    it(name + ": 300 commands, answers stay well-formed", () => {
      const seed = 0x5eed + name.length * 977 + name.charCodeAt(0);
      const r = prng(seed);
      const p = profile(name);
      const t = createCard(p, nodeCardCrypto);
      const valid = commands(p, r);
      for (let i = 0; i < 300; i++) {
        const where = name + " seed " + seed + " case " + i;
        const kind = r.int(10);
        if (kind === 0) t.reset?.();
        let c: Uint8Array;
        if (kind < 5) c = fromHex(valid[r.int(valid.length)]);
        else if (kind < 8) c = mutate(fromHex(valid[r.int(valid.length)]), r);
        else c = r.bytes(r.int(40));
        play(t, c, name, where + " " + toHex(c));
      }
    });
  }
});

/** One random change to a JSON value: a leaf replaced, a key dropped, a list emptied. */
function mutateJson(v: unknown, r: ReturnType<typeof prng>, depth: number): unknown {
  const odd = ["", "00", "ZZ", "$AC", "$ATC", "$NOPE", "'x", "9F", "FFFF", "8101", 0, -1, 1.5, 1e9, null, true, [], {}, [["", "77"]]];
  if (Array.isArray(v) && v.length && depth < 12 && r.int(8) > 0) {
    const copy = v.slice();
    const i = r.int(copy.length);
    copy[i] = mutateJson(copy[i], r, depth + 1);
    return copy;
  }
  if (v && typeof v === "object" && !Array.isArray(v) && depth < 12) {
    const o = { ...(v as { [k: string]: unknown }) };
    const keys = Object.keys(o);
    if (keys.length) {
      const k = keys[r.int(keys.length)];
      if (r.int(10) === 0) delete o[k];
      else o[k] = mutateJson(o[k], r, depth + 1);
      return o;
    }
  }
  return odd[r.int(odd.length)];
}

describe("card engine fuzz: mutated profiles", () => {
  it("createCard refuses with SIM_PROFILE or makes a card that never throws (1500 profiles)", () => {
    const seed = 0xca4d;
    const r = prng(seed);
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const name = PROFILE_NAMES[i % PROFILE_NAMES.length];
      const base = profile(name);
      const p = mutateJson(base, r, 0) as CardProfile;
      const where = "seed " + seed + " case " + i + " (" + name + ")";
      let t: VirtualTarget | null = null;
      try {
        t = createCard(p, nodeCardCrypto);
      } catch (e) {
        expect(isCoded(e, "SIM_PROFILE"), where + ": " + String(e)).toBe(true);
        refused++;
        continue;
      }
      const valid = commands(base, r);
      for (let k = 0; k < 12; k++) {
        const a = t.handle(fromHex(valid[r.int(valid.length)]), 0);
        if (a) expect(a.response.length, where).toBeGreaterThanOrEqual(2);
      }
    }
    // Both outcomes occur: the mutations do reach the checks and the engine.
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(1500);
  });
});
