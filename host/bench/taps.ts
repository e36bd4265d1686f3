/**
 * Table 2: simulated tap time, the "physical limit" table of docs/architecture.md "Timing model". Every
 * named profile tapped once over I2C 400 kHz (a second tap after "see phone"), then one
 * profile over every host link. Figures come from tap-rig.ts; all simulated milliseconds.
 */
import { profileByName, PROFILE_NAMES } from "../../src/sim/profiles";
import { ms, type BenchTable, type Cell } from "./table";
import { I2C_400, LINKS, simulateTaps, type LinkSpec, type TapResult } from "./tap-rig";

export interface TapOptions {
  /** Profiles for the per-profile table (default: every name in PROFILE_NAMES). */
  profiles?: string[];
  /** The profile of the per-link table (default card-mastercard: the longest clean tap, 7 APDUs with GENERATE AC). */
  linkProfile?: string;
  links?: LinkSpec[];
}

export interface TapBench {
  /** Per profile over I2C 400 kHz. */
  profiles: TapResult[];
  /** `linkProfile` over each link. */
  links: TapResult[];
  linkProfile: string;
}

export const DEFAULT_LINK_PROFILE = "card-mastercard";

function profile(name: string) {
  const p = profileByName(name);
  if (!p) throw new Error("unknown profile " + name + " (known: " + PROFILE_NAMES.join(", ") + ")");
  return p;
}

/** Runs the taps one after the other (each on its own simulated clock). */
export function benchTaps(opts?: TapOptions): Promise<TapBench> {
  const o = opts ?? {};
  const names = o.profiles ?? PROFILE_NAMES;
  const linkProfile = o.linkProfile ?? DEFAULT_LINK_PROFILE;
  const links = o.links ?? LINKS;
  const out: TapBench = { profiles: [], links: [], linkProfile };
  let chain: Promise<void> = Promise.resolve();
  for (const n of names) {
    const name = n;
    chain = chain.then(() => simulateTaps(profile(name), I2C_400).then((r) => void out.profiles.push(...r)));
  }
  for (const l of links) {
    const link = l;
    chain = chain.then(() => simulateTaps(profile(linkProfile), link).then((r) => void out.links.push(...r)));
  }
  return chain.then(() => out);
}

function outcome(r: TapResult): string {
  return r.outcome + (r.reason === "OK" ? "" : " " + r.reason) + (r.kernel ? " (C-" + r.kernel + ")" : "");
}

const COLUMNS = ["APDUs", "total ms", "RF ms", "card ms", "limit ms", "overhead ms", "link ms", "outcome"];

function cells(r: TapResult): Cell[] {
  return [r.apdus, ms(r.totalMs), ms(r.rfMs), ms(r.cardMs), ms(r.limitMs), ms(r.overheadMs), ms(r.linkMs), outcome(r)];
}

const NOTES = [
  "simulated time from InListPassiveTarget to the Outcome; real driver, link, ISO-DEP channel, entry point and kernel",
  "RF = ISO 14443 air time at 106 kbit/s (activation, I-blocks, R(ACK), S(WTX), FDT); card = the profile's processing time",
  "limit = RF + card (the physical limit); overhead = total − limit (host link, PN532 firmware, waiting for RDY)",
  "link = host bus busy moving frames, ready polls not counted; it overlaps RF in part (the ACK is read while the PN532 is on air)",
  "firmware CPU time is not simulated (see the host CPU table)",
];

export function tapTables(t: TapBench): BenchTable[] {
  const perProfile: BenchTable = {
    id: "taps",
    title: "Simulated tap time per profile (PN532 on I2C 400 kHz, ready-bit polling every 1 ms)",
    columns: ["profile"].concat(COLUMNS),
    rows: t.profiles.map((r) => ([r.tap > 1 ? r.profile + " (tap " + r.tap + ")" : r.profile] as Cell[]).concat(cells(r))),
    notes: NOTES.concat(['"(tap 2)": the tap after "see phone", once the holder has unlocked the phone']),
  };
  const perLink: BenchTable = {
    id: "links",
    title: "Simulated tap time per host link (" + t.linkProfile + ")",
    columns: ["link"].concat(COLUMNS),
    rows: t.links.map((r) => ([r.tap > 1 ? r.link + " (tap " + r.tap + ")" : r.link] as Cell[]).concat(cells(r))),
    notes: ["HSU 921600: SetSerialBaudRate before the tap (not counted); P70_IRQ: no status polling, the link waits for the IRQ edge"],
  };
  return [perProfile, perLink];
}
