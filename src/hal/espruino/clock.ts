/**
 * Clock on Espruino's timers. getTime() is seconds as a float since boot (monotonic unless
 * setTime is called; tappos never calls it). A timer is the caller's function handed to
 * setTimeout as it is and its handle the timeout's id: no object or closure per timer (a
 * closure costs its tokens where it is made and again when it runs, docs/espruino-notes.md
 * "CPU"). clearTimeout(undefined) throws and clearTimeout() clears every timer
 * (docs/espruino-notes.md), so only a number is passed on; on 2v29 clearing an id that fired
 * or was never made is a no-op. The guard and the catch keep "unknown handles are ignored"
 * (src/hal/types.ts Clock) should a build throw there.
 */
import { Clock, TimerHandle } from "../types";

export function espruinoClock(): Clock {
  return {
    now: function () {
      return getTime() * 1000;
    },
    setTimer: function (ms: number, fn: () => void): TimerHandle {
      return setTimeout(fn, ms);
    },
    clearTimer: function (handle: TimerHandle) {
      if (typeof handle !== "number") return;
      try {
        clearTimeout(handle);
      } catch (e) {
        // Unknown or fired: ignored, as the Clock contract says.
      }
    },
  };
}
