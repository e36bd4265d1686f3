/**
 * The Espruino WiFi's saved code (host/board/flash-firmware.ts bootCode) run in the Linux
 * interpreters, for the bench (host/bench/esp32-memory.ts) and the tests: there, E.memoryArea
 * has no flash behind it (jshFlashGetMemMapAddress is 0 on Linux: the lexer asserts on the
 * string it makes), so a stand-in maps the one address `npm run flash` would have found to the
 * Storage file `tappos` holding the bundle's text as the firmware does (firmwareText). Read
 * from Storage it is a string over the flash file, evaluated in place as the board evaluates
 * its firmware's text. Any other address reads as an empty area (its CRC32 does not match).
 */
import { join } from "node:path";
import { bootCode } from "./board/flash-firmware";
import { bundleId, firmwareText, readFirmwareSpec } from "./board/firmware-board";
import { PROJECT_ROOT } from "./espruino-dir";

/** Where the stand-in's firmware holds the bundle's text. */
export const STANDIN_AT = 0x08040000;

export interface FirmwareBoot {
  /** Storage files: `tappos`, the bundle's text as built into the firmware. */
  files: Record<string, string>;
  /** The stand-in for E.memoryArea, then the saved code. */
  code: string;
}

/**
 * The saved code npm run flash writes for `bundle` had the board answered `savedAt` (default:
 * where the stand-in holds it; another address: the text has moved, the module fallback).
 */
export function firmwareBootOnLinux(bundle: string, savedAt: number | null = STANDIN_AT): FirmwareBoot {
  const spec = readFirmwareSpec(join(PROJECT_ROOT, "board/espruino-wifi"));
  if (spec === null) throw new Error("board/espruino-wifi has no firmware.json");
  const text = firmwareText(Buffer.from(bundle, "latin1"));
  const standIn = `E.memoryArea=function(a,l){return a===${STANDIN_AT}&&l===${text.length}?require("Storage").read("tappos"):"";};\n`;
  return { files: { tappos: text.toString("latin1") }, code: standIn + bootCode(spec, savedAt, bundleId(text)) };
}

