/** Seeded randomness for the fuzz tests (mulberry32): a failing case reproduces from its seed. */
import { expect } from "vitest";

import { below, type Rand } from "../../host/fuzz/prng";

export { below, prng, type Rand } from "../../host/fuzz/prng";

export function randomBytes(rand: Rand, maxLength: number): Uint8Array {
  const out = new Uint8Array(below(rand, maxLength + 1));
  for (let i = 0; i < out.length; i++) out[i] = below(rand, 256);
  return out;
}

/** One to three random edits: flip a byte, insert, delete, truncate. */
export function mutate(rand: Rand, input: Uint8Array): Uint8Array {
  let b = Array.from(input);
  const edits = 1 + below(rand, 3);
  for (let k = 0; k < edits; k++) {
    const op = below(rand, 4);
    const at = below(rand, b.length + 1);
    if (op === 0 && b.length) b[at % b.length] = below(rand, 256);
    else if (op === 1) b.splice(at, 0, below(rand, 256));
    else if (op === 2 && b.length) b.splice(at % b.length, 1);
    else b = b.slice(0, at);
  }
  return new Uint8Array(b);
}

/**
 * Runs `fn`; it may return, or throw a coded error whose code starts with `prefix`. Anything
 * else (TypeError, RangeError, an uncoded Error) fails the test with the input shown.
 * Returns the code thrown, or null.
 */
export function codeOrNull(fn: () => unknown, prefix: string, input: string): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string" || !code.startsWith(prefix)) {
      expect.fail("input " + input + " threw " + String(e));
    }
    return code as string;
  }
}
