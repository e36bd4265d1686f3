/** Seeded randomness for the fuzz tests (mulberry32): a failing case reproduces from its seed. */
export type Rand = () => number;

export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in 0..n-1. */
export function below(rand: Rand, n: number): number {
  return Math.floor(rand() * n);
}
