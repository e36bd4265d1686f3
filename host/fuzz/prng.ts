/**
 * The one seeded PRNG of the project (mulberry32), shared by the bench and the tests: fuzz
 * cases, mutations, simulated unpredictable numbers and phone UIDs. Seeded so that a failing
 * case reproduces from (seed, case number); never for a real transaction, whose
 * unpredictable number must be unpredictable (the board uses its hardware RNG).
 *
 * `prng(seed)` is a function returning floats in [0, 1) that also carries `int(n)` and
 * `bytes(n)`; `below(rand, n)` and `randomBytes(rand, n)` do the same from the outside, so
 * either style draws the same sequence.
 */
import type { Random } from "../../src/hal/types";

/** Floats in [0, 1) from a seeded generator. */
export type Rand = () => number;

/** A seeded generator: call it for a float in [0, 1), or ask for integers and bytes. */
export interface Prng {
  (): number;
  /** Integer in 0..n-1. */
  int(n: number): number;
  /** `n` bytes, each `int(256)`. */
  bytes(n: number): Uint8Array;
}

/** The raw generator: unsigned 32-bit outputs (mulberry32, Tommy Ettinger's public-domain constants). */
export function uint32s(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Seeded floats in [0, 1), with `int` and `bytes` (see Prng). */
export function prng(seed: number): Prng {
  const u = uint32s(seed);
  const rand = (() => u() / 4294967296) as Prng;
  rand.int = (n: number) => below(rand, n);
  rand.bytes = (n: number) => randomBytes(rand, n);
  return rand;
}

/** Integer in 0..n-1. */
export function below(rand: Rand, n: number): number {
  return Math.floor(rand() * n);
}

/** `n` random bytes. */
export function randomBytes(rand: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = below(rand, 256);
  return out;
}

/**
 * A `Random` (src/hal) whose bytes repeat for a seed: the low byte of each 32-bit output.
 * For reproducible taps on the host (unpredictable numbers 9F37, phone UIDs).
 */
export function seededRandom(seed: number): Random {
  const u = uint32s(seed);
  return {
    bytes(count: number): Uint8Array {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = u() & 0xff;
      return out;
    },
  };
}
