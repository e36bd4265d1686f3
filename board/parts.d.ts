/**
 * The marker a board part's entry calls once, last (build/parts.mjs): the build turns
 * `tpPart("till", esp32Till)` into `module.exports=esp32Till`, so that require("tpp.till")
 * returns it (src/hal/espruino/parts.ts), or, for a part run at the root scope (the card reader,
 * build/root-part.mjs), into the loader's hook `tpReady`. Typed by board/esp32/compose.ts PartTypes.
 */
import type { PartTypes } from "./esp32/compose";

declare global {
  function tpPart<K extends keyof PartTypes>(name: K, make: PartTypes[K]): void;
}
