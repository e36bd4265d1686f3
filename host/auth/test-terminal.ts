/**
 * The test terminal the reference acquirer knows out of the box (docs/acquirer-api.md
 * "The test terminal"). TEST ONLY: this key is public, in the repository on purpose, and
 * must never authorise a real payment. A real terminal's key lives in its Storage (board)
 * or in a key file outside the repository (host), never in a bundle.
 */
import { fromHex } from "../../src/bytes/hex";

export const TEST_TERMINAL_ID = "TAPPOS01";
export const TEST_MERCHANT_ID = "MERCHANT0001";
export const TEST_KEY_ID = "test-key-1";
/** ASCII "tappos test-only terminal key 01". */
export const TEST_KEY_HEX = "746170706f7320746573742d6f6e6c79207465726d696e616c206b6579203031";

export function testKey(): Uint8Array {
  return fromHex(TEST_KEY_HEX);
}
