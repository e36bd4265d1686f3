/** Models of the Espruino natives a board hands to src/bytes/hex.ts (useNativeHex), for tests on Node. */

/**
 * E.mapInPlace as Espruino 2v29 does it for a Uint8Array `to`: every `bits`-bit group of
 * `from`, MSB first, looked up in `map`; refuses anything that is not an ArrayBuffer view
 * ("First 2 arguments should be array buffers", checked in espruino-esp32-rel and espruino-esp32).
 */
export function modelMapInPlace(from: Uint8Array, to: Uint8Array, map: Uint8Array, bits: number): void {
  if (!ArrayBuffer.isView(from) || !ArrayBuffer.isView(to)) throw new Error("First 2 arguments should be array buffers");
  let k = 0;
  for (let i = 0; i < from.length; i++) for (let s = 8 - bits; s >= 0; s -= bits) to[k++] = map[(from[i] >> s) & ((1 << bits) - 1)];
}
export const modelToString = (b: Uint8Array): string => Buffer.from(b).toString("latin1");

