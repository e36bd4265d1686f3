/**
 * The bench board's clock: virtual milliseconds on Espruino's own timers. A timer of `ms`
 * runs at the next turn of the event loop (setTimeout 0) and moves the time to its due time,
 * so a replayed tap never waits in real time and no deadline fires because the interpreter
 * runs slowly under callgrind. The recorded bytes, not the time, decide what happens next:
 * replayed time never runs ahead of the recording's, so no timeout fires that did not then.
 * As espruinoClock: no object or closure per timer — one `fire` made with the clock gets the
 * caller's function and due time as setTimeout's extra arguments; the handle is the timeout's
 * id, and clearTimer passes only an id (> 0) to clearTimeout (clearTimeout() clears every timer).
 * A timer of `ms` ≤ 0 is due now: its due time `t + ms` is not after `t`, and fire only moves
 * the time forward. The bench's own functions run per timer and per now(): kept to few tokens.
 */
import type { Clock, TimerHandle } from "../../src/hal/types";

/** Espruino's setTimeout passes its arguments after `ms` to the callback. */
type Later = (fn: (f: () => void, due: number) => void, ms: number, f: () => void, due: number) => number;

export function benchClock(): Clock {
  let t = 0;
  const fire = function (fn: () => void, due: number) {
    if (due > t) t = due;
    fn();
  };
  return {
    now: function () {
      return t;
    },
    setTimer: function (ms: number, fn: () => void): TimerHandle {
      return (setTimeout as unknown as Later)(fire, 0, fn, t + ms);
    },
    clearTimer: function (handle: TimerHandle) {
      // Timeout ids are numbers from 1; clearing one that fired is a no-op in 2v29 (the
      // interpreter the bench runs in), so no catch (its tokens are lexed at every call).
      if (handle > 0) clearTimeout(handle);
    },
  };
}
