/**
 * Combination selection from the PPSE (EMV Contactless Book B v2.10 §3.3): the directory
 * entries (61 templates inside BF0C of the "2PAY.SYS.DDF01" FCI) matched against the
 * combinations that passed pre-processing, ordered by Application Priority Indicator.
 */
import type { Combination } from "./preprocessing";
import { hexOf } from "../bytes/hex";
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

// Default kernel per RID when an entry has no Kernel Identifier (Book B §3.3.2.5, Table 3-6),
// by the RID's last two bytes: A0 00 00 00 04 → 2, …03 → 3, …25 → 4, …65 → 5, A0 00 00 01 52 → 6,
// A0 00 00 03 33 → 7.
const RID_KERNEL: { [rid: number]: number } = { 0x04: 2, 0x03: 3, 0x25: 4, 0x65: 5, 0x152: 6, 0x333: 7 };

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
  if (adf.length < 5 || adf[0] !== 0xa0 || adf[1] !== 0 || adf[2] !== 0) return -1;
  return RID_KERNEL[adf[3] * 256 + adf[4]] ?? -1;
}

/** True when the card's ADF name matches a terminal AID fully or, if allowed, partially (Book B §3.3.2.5). */
export function aidMatches(adf: Uint8Array, comb: Combination): boolean {
  const aid = comb.aid;
  if (adf.length < aid.length) return false;
  if (adf.length > aid.length && comb.cfg.partial === false) return false;
  // Compared as text by the natives (join), not in a loop per byte.
  return adf.subarray(0, aid.length).join() === aid.join();
}

/**
 * Reads the directory entries of a PPSE FCI: 6F → A5 → BF0C → 61 (4F, 87, 9F2A, 9F29).
 * Only those templates are entered; other data is skipped, not interpreted.
 * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP
 */
export function readDirectory(fci: Uint8Array): DirEntry[] {
  const key = hexOf(fci); // native; join() costs the interpreter ~5,000 instructions a byte
  if (key === lastFci) return lastEntries.slice();
  // The FCI every PPSE seen has: 6F holding the whole answer; in it, objects whose templates
  // are A5; in A5, objects whose templates are BF0C; in BF0C, objects whose templates are 61
  // entries, which hold primitive objects only; every object with a 1- or 2-byte tag, a
  // one-byte length, no 00 padding, inside its template; at most 4 × MAX_CANDIDATES entries.
  // That is walkDirectory's walk and result in short loops (plainLevel: the interpreter lexes
  // a loop's body at every object, and a cursor's next() per object cost several times
  // more); anything else walkDirectory reads (and reports).
  const plain: DirEntry[] = [];
  const n = fci[1];
  const entries = fci[0] === 0x6f && n < 0x80 && n + 2 === fci.length && plainLevel(fci, 2, fci.length, 0, plain, null) ? plain : walkDirectory(fci);
  lastFci = key;
  lastEntries = entries;
  return entries.slice();
}

/**
 * The last FCI read (its bytes as hex) and its entries: a See Phone restart or the next tap of
 * the same phone gets the same PPSE answer, read once. The entries are only read by callers.
 */
let lastFci = "-";
let lastEntries: DirEntry[] = [];

/** The template plainLevel accepts inside 6F, A5, BF0C. */
const LEVEL_TAGS = [0xa5, 0xbf0c, 0x61];

/**
 * readDirectory's plain walk over the objects of b[p..end) inside the template of level `d` (0: 6F), `e`
 * the 61 entry they belong to (4F ADF name, 87 priority of 1 byte, 9F2A kernel, 9F29
 * extended selection; the last of each); false when they are not plain.
 */
function plainLevel(b: Uint8Array, p: number, end: number, d: number, out: DirEntry[], e: DirEntry | null): boolean {
  while (p < end) {
    const s = p;
    let t = b[p++];
    if ((t & 0x1f) === 0x1f) t = t * 256 + b[p++];
    const n = b[p++];
    // A read past the end is undefined: !(undefined < 0x80) catches a cut tag or length.
    if (!(n < 0x80) || !t || (t > 0xff && t & 0x80) || p + n > end) return false;
    if (b[s] & 0x20) {
      const x = d === 2 ? newEntry() : null;
      if (t !== LEVEL_TAGS[d] || (x !== null && out.push(x) > 4 * MAX_CANDIDATES) || !plainLevel(b, p, p + n, d + 1, out, x)) return false;
    } else if (e !== null) {
      if (t === 0x4f) e.adf = b.subarray(p, p + n);
      else if (t === 0x87) e.priority = n === 1 ? b[p] & 0x0f : e.priority;
      else if (t === 0x9f2a) e.kernelId = b.subarray(p, p + n);
      else if (t === 0x9f29) e.ext = b.subarray(p, p + n);
    }
    p += n;
  }
  return true;
}

function newEntry(): DirEntry {
  return { adf: null, priority: 0, kernelId: null, ext: null };
}

/** readDirectory over the TLV cursor: any FCI, every object it walks checked. */
function walkDirectory(fci: Uint8Array): DirEntry[] {
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
      cur = newEntry();
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
  return candidates(entries, combs, (c: Combination, j: number, kernel: number) => (c.cfg.kernel === kernel ? c : null));
}

/**
 * buildCandidates over the items of `list` (combinations, or AIDs worked out on demand):
 * `at(item, j, kernel)` is item j's combination, or null when it is not for `kernel` (or not
 * allowed). Arrays walked with for…of: an index walks an Espruino array from its start.
 */
export function candidates<T>(entries: DirEntry[], list: T[], at: (item: T, j: number, kernel: number) => Combination | null): Candidate[] {
  const out: Candidate[] = [];
  let i = -1; // e's place in the directory
  for (const e of entries) {
    i++;
    if (out.length >= MAX_CANDIDATES) break;
    const adf = e.adf;
    if (!adf || adf.length < 5 || adf.length > 16) continue;
    const kernel = requestedKernel(adf, e.kernelId);
    let j = -1;
    for (const x of list) {
      const comb = at(x, ++j, kernel);
      if (comb === null || !aidMatches(adf, comb)) continue;
      out.push({ adf: adf, ext: e.ext, priority: e.priority, kernel: kernel, comb: comb, order: i });
      break;
    }
  }
  if (out.length > 1) out.sort((a, b) => (a.priority || 16) - (b.priority || 16) || a.order - b.order);
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
