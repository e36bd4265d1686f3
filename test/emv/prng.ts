/** Seeded PRNG (mulberry32) so fuzz failures reproduce: print the seed and case number. */
export function prng(seed: number): { int(n: number): number; bytes(n: number): Uint8Array } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    int,
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
  };
}

/** One random mutation of `src`: flip, overwrite, insert, delete, cut, or poke a length-like byte. */
export function mutate(src: Uint8Array, r: ReturnType<typeof prng>): Uint8Array {
  const b = Array.from(src);
  const at = b.length ? r.int(b.length) : 0;
  switch (r.int(6)) {
    case 0:
      if (b.length) b[at] ^= 1 << r.int(8);
      break;
    case 1:
      if (b.length) b[at] = r.int(256);
      break;
    case 2:
      b.splice(at, 0, r.int(256));
      break;
    case 3:
      b.splice(at, 1 + r.int(3));
      break;
    case 4:
      b.length = at;
      break;
    default:
      if (b.length) b[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff][r.int(8)];
  }
  return new Uint8Array(b);
}
