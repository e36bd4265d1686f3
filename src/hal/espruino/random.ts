/** Hardware RNG: E.hwRand() gives 32 random bits from the chip's noise source. */
import { Random } from "../types";

export function espruinoRandom(): Random {
  return {
    bytes: function (count: number): Uint8Array {
      const out = new Uint8Array(count);
      let word = 0;
      for (let i = 0; i < count; i++) {
        if ((i & 3) === 0) word = E.hwRand();
        out[i] = (word >> ((i & 3) * 8)) & 0xff;
      }
      return out;
    },
  };
}
