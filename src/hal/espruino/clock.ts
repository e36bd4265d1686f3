/**
 * Clock on Espruino's timers. getTime() is seconds as a float since boot (monotonic unless
 * setTime is called; tappos never calls it). clearTimeout(undefined) throws and clearing a
 * timer that already fired throws "Unknown Timeout" on Espruino, so fired timers are tracked.
 */
import { Clock, TimerHandle } from "../types";

export function espruinoClock(): Clock {
  const live: { [id: number]: boolean } = {};
  return {
    now: function () {
      return getTime() * 1000;
    },
    setTimer: function (ms: number, fn: () => void): TimerHandle {
      const box = { id: 0 };
      box.id = setTimeout(function () {
        delete live[box.id];
        fn();
      }, ms);
      live[box.id] = true;
      return box.id;
    },
    clearTimer: function (handle: TimerHandle) {
      if (!live[handle]) return;
      delete live[handle];
      clearTimeout(handle);
    },
  };
}
