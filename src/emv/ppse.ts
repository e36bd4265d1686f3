/**
 * Combination selection from the PPSE (EMV Contactless Book B v2.10 §3.3): the directory
 * entries (61 templates inside BF0C of the "2PAY.SYS.DDF01" FCI) matched against the
 * combinations that passed pre-processing, ordered by Application Priority Indicator.
 */
import { bytesEqual, toHex } from "../bytes/hex";
import type { Combination } from "./preprocessing";
import { TlvCursor } from "./tlv";

/** "2PAY.SYS.DDF01", the Proximity Payment System Environment (Book B §3.3.2.2). */
export const PPSE_NAME = new Uint8Array([0x32, 0x50, 0x41, 0x59, 0x2e, 0x53, 0x59, 0x53, 0x2e, 0x44, 0x44, 0x46, 0x30, 0x31]);

/** At most this many candidates are kept (a phone lists 1–3 cards; bounds the Select Next loop). */
export const MAX_CANDIDATES = 8;

/** An entry of the candidate list. */
export interface Candidate {
  /** ADF name (4F), or the configured AID in the AID list method. */
  adf: Uint8Array;
  /** 9F29 Extended Selection, appended to the ADF name in the final SELECT; null when absent. */
  ext: Uint8Array | null;
  /** Application Priority Indicator b4–b1 (1 highest); 0 = none. */
  priority: number;
  kernel: number;
  comb: Combination;
  /** Position in the directory, for the stable order. */
  order: number;
}

/** One 61 entry as read. */
interface DirEntry {
  adf: Uint8Array | null;
  priority: number;
  kernelId: Uint8Array | null;
  ext: Uint8Array | null;
}

// Default kernel per RID when an entry has no Kernel Identifier (Book B §3.3.2.5, Table 3-6):
// pairs of RID (5 bytes, hex) and kernel ID.
const RID_KERNEL = ["A000000004", 2, "A000000003", 3, "A000000025", 4, "A000000065", 5, "A000000152", 6, "A000000333", 7];

/**
 * The Requested Kernel ID of an entry (Book B §3.3.2.5): when 9F2A byte 1 has b8–b7 = 00 or
 * 01 (an international or EMVCo kernel) the Requested Kernel ID is that whole byte, so 43 is
 * kernel 0x43, not kernel 3; a value of 0 or no 9F2A gives the default for the RID. Domestic
 * kernels (b8–b7 = 10, 11: bytes 1–3) give -1: tappos has none.
 */
export function requestedKernel(adf: Uint8Array, kernelId: Uint8Array | null): number {
  if (kernelId && kernelId.length > 0 && kernelId[0] !== 0) {
    return (kernelId[0] & 0x80) !== 0 ? -1 : kernelId[0];
  }
  const rid = toHex(adf.subarray(0, 5));
  for (let i = 0; i < RID_KERNEL.length; i += 2) if (RID_KERNEL[i] === rid) return RID_KERNEL[i + 1] as number;
  return -1;
}

/** True when the card's ADF name matches a terminal AID fully or, if allowed, partially (Book B §3.3.2.5). */
export function aidMatches(adf: Uint8Array, comb: Combination): boolean {
  const aid = comb.aid;
  if (adf.length < aid.length) return false;
  if (adf.length > aid.length && comb.cfg.partial === false) return false;
  return bytesEqual(adf.subarray(0, aid.length), aid);
}

/**
 * Reads the directory entries of a PPSE FCI: 6F → A5 → BF0C → 61 (4F, 87, 9F2A, 9F29).
 * Only those templates are entered; other data is skipped, not interpreted.
 * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP
 */
export function readDirectory(fci: Uint8Array): DirEntry[] {
  const entries: DirEntry[] = [];
  const c = new TlvCursor(fci);
  let cur: DirEntry | null = null;
  let entryDepth = -1;
  let enter = false;
  while (c.next(enter)) {
    const tag = c.tag;
    if (cur && c.depth <= entryDepth) cur = null;
    enter = c.constructed && (tag === 0x6f || tag === 0xa5 || tag === 0xbf0c || tag === 0x61) && c.depth < 4;
    if (tag === 0x61 && c.constructed) {
      cur = { adf: null, priority: 0, kernelId: null, ext: null };
      entries.push(cur);
      entryDepth = c.depth;
    } else if (cur && c.depth === entryDepth + 1) {
      if (tag === 0x4f) cur.adf = c.value();
      else if (tag === 0x87 && c.length === 1) cur.priority = c.value()[0] & 0x0f;
      else if (tag === 0x9f2a) cur.kernelId = c.value();
      else if (tag === 0x9f29) cur.ext = c.value();
    }
    if (entries.length > 4 * MAX_CANDIDATES) break;
  }
  return entries;
}

/**
 * The candidate list (Book B §3.3.2.5–3.3.2.7): per directory entry with a valid ADF name
 * (5–16 bytes), the first combination whose AID matches and whose kernel is the requested
 * one; ordered by priority (1 highest, none last), then directory order.
 */
export function buildCandidates(entries: DirEntry[], combs: Combination[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < entries.length && out.length < MAX_CANDIDATES; i++) {
    const e = entries[i];
    const adf = e.adf;
    if (!adf || adf.length < 5 || adf.length > 16) continue;
    const kernel = requestedKernel(adf, e.kernelId);
    for (let j = 0; j < combs.length; j++) {
      const comb = combs[j];
      if (comb.cfg.kernel !== kernel || !aidMatches(adf, comb)) continue;
      out.push({ adf: adf, ext: e.ext, priority: e.priority, kernel: kernel, comb: comb, order: i });
      break;
    }
  }
  out.sort((a, b) => (a.priority || 16) - (b.priority || 16) || a.order - b.order);
  return out;
}

/** The AID list method: one candidate per combination, in configuration order. */
export function aidListCandidates(combs: Combination[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < combs.length && i < MAX_CANDIDATES; i++) {
    out.push({ adf: combs[i].aid, ext: null, priority: 0, kernel: combs[i].cfg.kernel, comb: combs[i], order: i });
  }
  return out;
}
