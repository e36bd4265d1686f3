/**
 * Wall-clock time without `Date` (src/ may not name it; docs/architecture.md "Decisions, and why"): civil dates from Unix
 * time and back (H. Hinnant's days-from-civil algorithm, proleptic Gregorian), the HTTP
 * `Date` header (RFC 9110 §5.6.7 IMF-fixdate), and a wall clock set once from SNTP or from an
 * acquirer's `Date` header on top of the injected monotonic Clock. Kept in UTC; the
 * configured time-zone offset applies only to the transaction's local date and time (9A, 9F21).
 */
import { find } from "../bytes/find";
import { codedError } from "../bytes/coded-error";
import type { Calendar, Clock, WallClock } from "../hal/types";

const DAY_MS = 86400000;
/** Earliest time accepted as valid: 2024-01-01T00:00:00Z (a board's clock starts at 1970). */
export const MIN_VALID_UNIX_MS = 1704067200000;

export interface CivilTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** UTC fields of a Unix time in ms. */
export function civilFromUnixMs(ms: number): CivilTime {
  const days = Math.floor(ms / DAY_MS);
  const secs = Math.floor((ms - days * DAY_MS) / 1000);
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month: month,
    day: day,
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
  };
}

/** Two decimal digits of 0..99 (dates, times, 9F21). */
export function two(n: number): string {
  return (n < 10 ? "0" : "") + n;
}

/** "2026-12-06T20:11:32Z" (ISO 8601 UTC, whole seconds). */
export function isoUtc(ms: number): string {
  const c = civilFromUnixMs(ms);
  return c.year + "-" + two(c.month) + "-" + two(c.day) + "T" + two(c.hour) + ":" + two(c.minute) + ":" + two(c.second) + "Z";
}

function num(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** An HTTP `Date` (IMF-fixdate, "Sun, 06 Dec 2026 20:11:32 GMT") as Unix ms; null if not one. */
export function parseHttpDate(text: string): number | null {
  if (text.length !== 29 || text.substring(25) !== " GMT") return null;
  const day = num(text, 5, 2);
  // The month names as one literal in the code (flash on a board), not a constant held in RAM.
  const mi = find("JanFebMarAprMayJunJulAugSepOctNovDec", text.substring(8, 11), 0);
  const year = num(text, 12, 4);
  const h = num(text, 17, 2);
  const m = num(text, 20, 2);
  const s = num(text, 23, 2);
  if (mi < 0 || mi % 3 || day < 1 || day > 31 || year < 0 || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return null;
  // Days since 1970-01-01 of the civil date (the inverse of civilFromUnixMs), written here:
  // its one caller, and a boot-time one (JsVars at idle).
  const mo = mi / 3 + 1;
  const yy = mo <= 2 ? year - 1 : year;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return ((era * 146097 + doe - 719468) * 86400 + h * 3600 + m * 60 + s) * 1000;
}

/** A wall clock that knows the time once told (SNTP result, HTTP `Date`), then follows `clock`. */
export interface SettableWallClock extends WallClock {
  /** Sets the time now; ignored when before MIN_VALID_UNIX_MS. Returns whether it was taken. */
  set(unixMs: number): boolean;
}

/**
 * A wall clock on the monotonic `clock`; `base`, when given, is consulted first (the board's
 * own clock once SNTP has set it) and counts only when it reads a valid time.
 */
export function settableWallClock(clock: Clock, base?: WallClock): SettableWallClock {
  let offset: number | null = null;
  return {
    unixMs: function () {
      const b = base ? base.unixMs() : null;
      if (b !== null && b >= MIN_VALID_UNIX_MS) return b;
      return offset === null ? null : clock.now() + offset;
    },
    set: function (unixMs: number) {
      if (!(unixMs >= MIN_VALID_UNIX_MS)) return false;
      offset = unixMs - clock.now();
      return true;
    },
  };
}

/**
 * The terminal's Calendar (9A, 9F21): wall-clock UTC plus `tzOffsetMinutes`.
 * @throws AUTH_NO_CLOCK when the wall clock has no valid time: the terminal refuses to sell.
 */
export function wallCalendar(wall: WallClock, tzOffsetMinutes: number): Calendar {
  return {
    today: function () {
      const ms = wall.unixMs();
      if (ms === null) throw codedError("AUTH_NO_CLOCK", "no valid date and time yet (SNTP or acquirer Date header)");
      return civilFromUnixMs(ms + tzOffsetMinutes * 60000);
    },
  };
}
