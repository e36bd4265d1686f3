/**
 * Today's totals per scheme (GET /api/totals), kept apart from the 50-result history so that
 * a busy day counts every sale: one small Storage file, "tptot", `[day, scheme, count, sum,
 * scheme, count, sum, …]` (day: days since 1970 in the shop's time), rewritten on each
 * approved sale and each void; a new day starts from zero.
 */
import type { KeyValueStore } from "../../hal/types";

const FILE = "tptot";

export class Totals {
  private store: KeyValueStore;
  constructor(store: KeyValueStore) {
    this.store = store;
  }

  /** The flat array of `day`, or [day] when the file is of another day, absent or torn. */
  read(day: number): unknown[] {
    let a: unknown;
    try {
      a = JSON.parse(this.store.read(FILE) || "0");
    } catch (e) {
      a = 0;
    }
    return Array.isArray(a) && a[0] === day ? a : [day];
  }

  /** Adds `sign` (1 or -1) sale of `amount` to `scheme` on `day`. */
  add(day: number, scheme: string, amount: number, sign: number): void {
    const a = this.read(day);
    let i = 1;
    while (i < a.length && a[i] !== scheme) i += 3;
    if (i >= a.length) a.push(scheme, 0, 0);
    a[i + 1] = (a[i + 1] as number) + sign;
    a[i + 2] = (a[i + 2] as number) + sign * amount;
    this.store.write(FILE, JSON.stringify(a));
  }
}
