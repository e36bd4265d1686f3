/**
 * The data record reads "9F19 is not BCD" from the value itself (no exception); any exception
 * while decoding it is a bug and must reach the entry point, where the kernel fuzz counts it
 * (host/fuzz/kernel-fuzz.ts). Before the fix, a TypeError there was swallowed. The 9F19
 * digits go through the native nibble maps of src/bytes/hex.ts (nibbleText), where the fault
 * is injected.
 */
import { describe, expect, it, vi } from "vitest";
import { fromHex } from "../../src/bytes/hex";
import { buildRecord } from "../../src/emv/data-record";
import { Cvm } from "../../src/emv/outcome";
import type { TlvRecord } from "../../src/emv/tlv";

const fault = vi.hoisted(() => ({ on: false }));
vi.mock("../../src/bytes/hex", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/bytes/hex")>();
  return Object.assign({}, real, {
    nibbleText: (v: Uint8Array, map: Uint8Array) => {
      if (fault.on && v.length === 6) throw new TypeError("injected");
      return real.nibbleText(v, map);
    },
  });
});

function card(): TlvRecord {
  const c: TlvRecord = {};
  const v: { [tag: string]: string } = { "5A": "6234560000000123", "5F24": "301231", "9F26": "1122334455667788", "9F27": "80", "9F10": "07010103A00000", "9F36": "0001", "9F19": "040010030273" };
  for (const k of Object.keys(v)) c[k] = fromHex(v[k]);
  return c;
}
const wallet = (c: TlvRecord) => buildRecord(7, "A000000333010101", c, { "9F37": fromHex("11223344") }, Cvm.NoCvm).wallet;

describe("9F19 token requestor id", () => {
  it("reads it when the decoder works", () => {
    fault.on = false;
    expect(wallet(card()).tokenRequestor).toBe("40010030273");
  });
  it("lets an exception from the decoding go on up", () => {
    fault.on = true;
    try {
      expect(() => wallet(card())).toThrow("injected");
    } finally {
      fault.on = false;
    }
  });
  it("'not BCD' still means no requestor id, with the hint kept", () => {
    const c = card();
    c["9F19"] = fromHex("0400100302AB");
    const w = wallet(c);
    expect(w.tokenRequestor).toBeUndefined();
    expect(w.tokenHint).toBe("9F19");
  });
});
