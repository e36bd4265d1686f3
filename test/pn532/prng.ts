/** Seeded randomness for the PN532 fuzz tests (mulberry32): a failure reproduces from its seed. */
import { below, type Rand } from "../helpers/prng";

export { below, prng, type Rand } from "../helpers/prng";

export function randomBytes(rand: Rand, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = below(rand, 256);
  return out;
}

/** One to three edits: change a byte, insert one, delete one, or cut the tail. */
export function mutate(rand: Rand, input: Uint8Array): Uint8Array {
  const b = [...input];
  const edits = 1 + below(rand, 3);
  for (let e = 0; e < edits; e++) {
    const at = below(rand, b.length + 1);
    switch (below(rand, 4)) {
      case 0:
        if (at < b.length) b[at] = below(rand, 256);
        break;
      case 1:
        b.splice(at, 0, below(rand, 256));
        break;
      case 2:
        b.splice(at, 1);
        break;
      default:
        b.length = at;
    }
  }
  return Uint8Array.from(b);
}
