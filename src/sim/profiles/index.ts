/**
 * The named card and phone profiles (docs/architecture.md "Profile names": one list for everything).
 * JSON modules: esbuild inlines them, so a board bundle that imports this file carries all
 * of them (~30 KB of source); the selftest imports the one or two JSON files it plays instead.
 */
import type { CardProfile } from "../card-profile";
import { checkProfile } from "../profile-check";
import applepayVisa from "./applepay-visa.json";
import brokenBadTlv from "./broken-bad-tlv.json";
import brokenEarlyRemoval from "./broken-early-removal.json";
import brokenMissingTag from "./broken-missing-tag.json";
import brokenNoPpse from "./broken-no-ppse.json";
import brokenWrongAid from "./broken-wrong-aid.json";
import cardMastercard from "./card-mastercard.json";
import cardUnionpay from "./card-unionpay.json";
import cardVisa from "./card-visa.json";
import cobadged from "./cobadged.json";
import googlepayMastercard from "./googlepay-mastercard.json";
import jdFlashpay from "./jd-flashpay.json";
import quickpassUnionpay from "./quickpass-unionpay.json";

// JSON imports are typed from their content (string where the type says "gpo" | …), so they
// are cast here; profileByName checks the one it hands out field by field (profile-check.ts)
// and createCard checks its bytes when it compiles it (SIM_PROFILE).
const ALL = [
  applepayVisa,
  googlepayMastercard,
  quickpassUnionpay,
  jdFlashpay,
  cardVisa,
  cardMastercard,
  cardUnionpay,
  cobadged,
  brokenBadTlv,
  brokenMissingTag,
  brokenWrongAid,
  brokenNoPpse,
  brokenEarlyRemoval,
] as unknown as CardProfile[];

/** Every profile name, in docs/architecture.md order then the broken ones. */
export const PROFILE_NAMES: string[] = ALL.map((p) => p.name);

/**
 * The profile called `name`, or undefined. Shared objects: copy before changing one.
 * @throws SIM_PROFILE (`path`) when the named profile is malformed (a broken build, not a user's mistake)
 */
export function profileByName(name: string): CardProfile | undefined {
  const p = ALL.find((x) => x.name === name);
  return p ? checkProfile(p) : undefined;
}
