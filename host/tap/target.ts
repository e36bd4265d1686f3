/**
 * What the tap puts in the simulated field: a named profile, a profile file (.json) played
 * by the card engine, or a transcript (.apdu) replayed by the transcript card.
 */
import { readFileSync } from "node:fs";
import { codedError, isCoded } from "../../src/bytes/coded-error";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { checkProfile } from "../../src/sim/profile-check";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";
import { createTranscriptCard, type TranscriptCard } from "../../src/sim/transcript-card";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import type { Random } from "../../src/hal/types";
import { nodeCardCrypto } from "../crypto";

export interface TapTarget {
  kind: "profile" | "transcript";
  /** Profile name, or the file as given. */
  label: string;
  target: VirtualTarget;
  /** The replayer, for transcripts. */
  replay: TranscriptCard | null;
  /** The transcript's text, for transcripts (stale.ts compares its terminal data). */
  text: string | null;
}

function usage(message: string): Error {
  return codedError("TAP_USAGE", message);
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw usage(`cannot read ${path}: ${(e as { code?: string }).code ?? String(e)}`);
  }
}

function playProfile(profile: CardProfile, label: string, random: Random, arriveAtMs: number): TapTarget {
  try {
    // A copy: the engine must not share state with the module-level profile objects.
    const own = JSON.parse(JSON.stringify(profile)) as CardProfile;
    const target = createCard(checkProfile(own), nodeCardCrypto, { random: random, arriveAtMs: arriveAtMs });
    return { kind: "profile", label: label, target: target, replay: null, text: null };
  } catch (e) {
    if (isCoded(e, "SIM_PROFILE")) throw usage(`${label}: not a valid card profile: ${e.message}`);
    throw e;
  }
}

/**
 * The target for `source`: a name from PROFILE_NAMES, a `.json` profile or an `.apdu`
 * transcript. It enters the field at `arriveAtMs` (simulated).
 * @throws TAP_USAGE for an unknown name, an unreadable or malformed file (a profile's
 *   message names the faulty field's path; a transcript's, the line)
 */
export function loadTarget(source: string, random: Random, arriveAtMs: number): TapTarget {
  const lower = source.toLowerCase();
  if (lower.endsWith(".apdu")) {
    let card: TranscriptCard;
    const text = readText(source);
    try {
      card = createTranscriptCard(text, { arriveAtMs: arriveAtMs });
    } catch (e) {
      // TRANSCRIPT_SYNTAX, _EMPTY, _NO_ANSWER, _TRUNCATED: all carry the line.
      if (isCoded(e) && e.code.startsWith("TRANSCRIPT_")) throw usage(`${source}: ${e.message}`);
      throw e;
    }
    return { kind: "transcript", label: source, target: card.target, replay: card, text: text };
  }
  if (lower.endsWith(".json")) {
    let profile: CardProfile;
    try {
      profile = JSON.parse(readText(source)) as CardProfile;
    } catch (e) {
      if (isCoded(e)) throw e;
      throw usage(`${source}: not JSON: ${(e as Error).message}`);
    }
    return playProfile(profile, source, random, arriveAtMs);
  }
  const profile = profileByName(source);
  if (!profile) throw usage(`unknown profile "${source}" (profiles: ${PROFILE_NAMES.join(", ")}; or a .json profile / .apdu transcript file)`);
  return playProfile(profile, source, random, arriveAtMs);
}
