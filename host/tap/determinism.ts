/**
 * What makes a tap reproducible: a seeded random source (unpredictable numbers 9F37, phone
 * UIDs) and a calendar that starts at a fixed date and moves with the simulated clock.
 * Not for real transactions: the unpredictable number must be unpredictable there.
 */
import type { Calendar, Clock, Random } from "../../src/hal/types";

/** mulberry32: a small 32-bit PRNG; the same seed gives the same bytes. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  function next(): number {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  return {
    bytes(count: number): Uint8Array {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

/** Date and time `startMs` (UTC fields, see args.ts) plus the simulated time elapsed. */
export function simCalendar(startMs: number, clock: Clock): Calendar {
  return {
    today() {
      const d = new Date(startMs + Math.floor(clock.now()));
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      };
    },
  };
}

/** "2026-01-15 10:30:00" for headers and reports. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().substring(0, 19).replace("T", " ");
}
