/**
 * The Espruino WiFi's saved code (host/board/flash-firmware.ts bootCode) run in the Linux
 * interpreters, for the bench (host/bench/esp32-memory.ts) and the tests: there, E.memoryArea
 * has no flash behind it (jshFlashGetMemMapAddress is 0 on Linux: the lexer asserts on the
 * string it makes), so a stand-in maps the addresses `npm run flash` would have found to the
 * Storage files holding the texts as the firmware does (firmwareText): `tappos`, the bundle,
 * and each root part (`tpp.card`). Read from Storage, each is a string over the flash file,
 * evaluated in place as the board evaluates its firmware's text. Any other address reads as an
 * empty area (its CRC32 does not match).
 */
import { join } from "node:path";
import { bootCode, firmwareTexts, type Placed } from "./board/flash-firmware";
import { readFirmwareSpec } from "./board/firmware-board";
import { PROJECT_ROOT } from "./espruino-dir";

/** Where the stand-in's firmware holds the bundle's text; each root part's follows 64 KB apart. */
export const STANDIN_AT = 0x08040000;

export interface FirmwareBoot {
  /** Storage files: each text as built into the firmware, by its module's name. */
  files: Record<string, string>;
  /** The stand-in for E.memoryArea, then the saved code. */
  code: string;
}

/**
 * The saved code npm run flash writes for `bundle` and its `parts` (the root ones are placed),
 * had the board found each text; `moved`: the bundle's text has moved since (the saved code's
 * address 256 bytes off: the module fallback).
 */
export function firmwareBootOnLinux(bundle: string, parts: { storage: string; code: string }[], moved = false): FirmwareBoot {
  const spec = readFirmwareSpec(join(PROJECT_ROOT, "board/espruino-wifi"));
  if (spec === null) throw new Error("board/espruino-wifi has no firmware.json");
  const texts = firmwareTexts(spec, Buffer.from(bundle, "latin1"), parts.map((p) => ({ storage: p.storage, path: "", data: Buffer.from(p.code, "latin1") })));
  const files: Record<string, string> = {};
  const placed: Placed[] = [];
  const map: string[] = [];
  texts.forEach((t, i) => {
    const at = STANDIN_AT + i * 0x10000;
    files[t.module] = t.text.toString("latin1");
    map.push(`a===${at}&&l===${t.text.length}?S.read(${JSON.stringify(t.module)}):`);
    placed.push({ module: t.module, at: at + (moved && i === 0 ? 0x100 : 0), ...t.id });
  });
  const standIn = `E.memoryArea=function(a,l){var S=require("Storage");return ${map.join("")}"";};\n`;
  return { files, code: standIn + bootCode(spec, placed) };
}
