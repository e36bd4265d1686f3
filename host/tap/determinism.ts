/**
 * What makes a tap reproducible: a seeded random source (unpredictable numbers 9F37, phone
 * UIDs) and a calendar that starts at a fixed date and moves with the simulated clock.
 * Not for real transactions: the unpredictable number must be unpredictable there.
 */
import type { Calendar, Clock } from "../../src/hal/types";

/** The project's seeded PRNG (host/fuzz/prng.ts): the same seed gives the same bytes. */
export { seededRandom } from "../fuzz/prng";

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
