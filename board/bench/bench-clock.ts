/**
 * The bench board's clock: virtual milliseconds on Espruino's own timers. A timer of `ms`
 * runs at the next turn of the event loop (setTimeout 0) and moves the time to its due time,
 * so a replayed tap never waits in real time and no deadline fires because the interpreter
 * runs slowly under callgrind. The recorded bytes, not the time, decide what happens next:
 * replayed time never runs ahead of the recording's, so no timeout fires that did not then.
 * Fired timers are tracked: clearTimeout of one throws on Espruino (as in espruinoClock).
 */
import type { Clock, TimerHandle } from "../../src/hal/types";

export function benchClock(): Clock {
  let t = 0;
  const live: { [id: number]: boolean } = {};
  return {
    now: function () {
      return t;
    },
    setTimer: function (ms: number, fn: () => void): TimerHandle {
      const due = t + (ms > 0 ? ms : 0);
      const box = { id: 0 };
      box.id = setTimeout(function () {
        delete live[box.id];
        if (due > t) t = due;
        fn();
      }, 0);
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
