/**
 * The host terminal's state folder (`--state DIR`, default `.tappos/` in the project, git-
 * ignored): what a board keeps in flash Storage — STAN, pending transaction, reversal queue
 * (`terminal/`, host/auth/node-hal.ts folderStore) — and what a real card keeps in its chip:
 * each virtual card's ATC (`cards/<name>.json`), so every tap spends a new ATC and a second
 * run is not declined by the acquirer as an ATC replay.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { KeyValueStore } from "../../src/hal/types";
import type { CardProfile } from "../../src/sim/card-profile";
import { PROJECT_ROOT } from "../espruino-dir";
import { folderStore } from "../auth/node-hal";

export const DEFAULT_STATE_DIR = join(PROJECT_ROOT, ".tappos");

export function terminalStore(stateDir: string): KeyValueStore {
  return folderStore(join(stateDir, "terminal"));
}

/** A file name for a card: the profile name, or the .json file's base name. */
function cardFile(stateDir: string, label: string): string {
  const name = basename(label).replace(/[^A-Za-z0-9._-]/g, "_");
  return join(stateDir, "cards", name + ".atc.json");
}

/** The last ATC each application (by AID) of this card spent; {} for a new card. */
export function readCardAtc(stateDir: string, label: string): { [aid: string]: number } {
  try {
    const v = JSON.parse(readFileSync(cardFile(stateDir, label), "utf8")) as { atc?: { [aid: string]: number } };
    return v && v.atc ? v.atc : {};
  } catch {
    return {};
  }
}

/** Records that application `aid` spent `atc` (kept as the highest seen). */
export function writeCardAtc(stateDir: string, label: string, aid: string, atc: number): void {
  const all = readCardAtc(stateDir, label);
  if ((all[aid] ?? -1) >= atc) return;
  all[aid] = atc;
  const f = cardFile(stateDir, label);
  mkdirSync(join(stateDir, "cards"), { recursive: true });
  writeFileSync(f + ".tmp", JSON.stringify({ atc: all }, null, 2) + "\n");
  renameSync(f + ".tmp", f);
}

/**
 * The profile with each application's starting ATC moved past what it spent in earlier runs
 * (profile keys.atc is "the ATC before the first transaction"; the engine increments it).
 */
export function withSavedAtc(profile: CardProfile, saved: { [aid: string]: number }): CardProfile {
  const own = JSON.parse(JSON.stringify(profile)) as CardProfile;
  for (const app of own.apps) {
    const last = saved[app.aid.toUpperCase()];
    const mine = parseInt(app.keys.atc, 16);
    if (last !== undefined && last > mine && last < 0xffff) app.keys.atc = last.toString(16).toUpperCase().padStart(4, "0");
  }
  return own;
}
