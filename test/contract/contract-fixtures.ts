// Helpers for the driver contract suite: answer frames, phones, byte ramps, a long PPSE FCI.
import { expect } from "vitest";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import type { TargetA } from "../../src/pn532/api";
import { decodeFrame, encodeFrame, TFI_PN532 } from "../../src/pn532/frame";
import { simpleTarget } from "../../src/sim/simple-target";
import type { SimpleTargetOptions } from "../../src/sim/simple-target";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import type { Rig } from "./contract-rig";

const ACK = "0000FF00FF00";

/** The PN532 → host frame carrying `data` (answer code first). */
export function ans(data: string): string {
  return toHex(encodeFrame(TFI_PN532, fromHex(data)));
}

/** `count` bytes from..from+count-1 (mod 256). */
export function ramp(count: number, from: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (from + i) & 0xff;
  return out;
}

/** A phone: random UID 08 A1 B2 C3, ATS with TA TB TC (FSCI 8, FWI 7) and historical bytes 80 73 01 C0. */
export function phone(o?: SimpleTargetOptions): VirtualTarget {
  return simpleTarget(Object.assign({ uid: fromHex("08A1B2C3"), ats: fromHex("0978807002807301C0") }, o));
}

export function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    (v) => expect.fail("resolved with " + String(v)),
    (e) => e,
  );
}

export function count(list: string[], item: string): number {
  return list.filter((x) => x === item).length;
}

/** Answer frames (not ACKs) the link delivered, decoded: [status byte, data length]. */
export function exchangeParts(frames: string[]): number[][] {
  return frames.filter((f) => f !== ACK).map((f) => {
    const d = decodeFrame(fromHex(f)).data;
    return [d[1], d.length - 2];
  });
}

export function activate(r: Rig): Promise<TargetA> {
  return r.pn.inListPassiveTarget(1, 1000).then((t) => {
    expect(t.length).toBe(1);
    return t[0];
  });
}

/** A PPSE FCI of `entries` directory entries (EMV Book 1 §11.3.4), long enough to need 61xx. */
export function bigFci(entries: number): Uint8Array {
  const tlv = (tag: string, value: ArrayLike<number>): Uint8Array => {
    const n = value.length;
    const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return concat([fromHex(tag), len, value]);
  };
  const apps: Uint8Array[] = [];
  for (let i = 0; i < entries; i++) {
    const label = new TextEncoder().encode("TAPPOS APP " + String(i).padStart(5, "0"));
    apps.push(tlv("61", concat([tlv("4F", fromHex("A00000000310" + toHex([0x10 + i]))), tlv("50", label), tlv("87", [1 + i])])));
  }
  const fci = tlv("BF0C", concat(apps));
  return tlv("6F", concat([tlv("84", new TextEncoder().encode("2PAY.SYS.DDF01")), tlv("A5", fci)]));
}
