/**
 * A card reader whose code is loaded when a sale needs it and let go once the sale needs it no
 * more: the terminal authorising, or back to idle (terminal-compose.ts calls `sleep`): on the
 * boards the reader is the part `tpp.card` (card-reader.ts and everything the tap runs: Poller,
 * ISO-DEP, APDU stack, Entry Point, kernels, TLV, data record), so an idle terminal holds none
 * of it (docs/architecture.md "Parts").
 *
 * `load` hands over the reader's maker and what lets it go again, at once or later (a part run
 * at the root scope is evaluated on the next turn of the event loop: src/hal/espruino/parts.ts
 * runRootPart): polling starts once it is there, unless the sale stopped polling meanwhile (the
 * code is then let go at once). `load` may throw (the part missing): the sale then ends in the
 * runner's error for a reader that throws, with that code. The code may also fail to arrive
 * (`failed`: its top level threw, out of memory): nothing polls, the sale ends at its tap
 * deadline (nothing read, nothing charged) and the next sale loads it again.
 *
 * The PN532 driver stays the terminal's: a reader made again after a sleep queues its
 * commands behind whatever the last one left in flight (an aborted poll), on the same driver.
 */
import type { ReaderMaker } from "./terminal-compose";
import type { ReaderEvent, ReaderPort } from "./terminal-runner";

/** Loads the card reader's code: `ready` gets its maker and its unloader, or `failed` is called. */
export type CardLoader = (ready: (make: ReaderMaker, unload: () => void) => void, failed: () => void) => void;

export function lazyReader(load: CardLoader): ReaderMaker {
  return function (pn532, clock, calendar, random, config, tuning) {
    // Each AID's parsed bytes (preprocessing.ts `aidParsed`, ~8 JsVars an AID) are let go at
    // idle: the part parses them again when a sale loads it (board/esp32/parts/card.ts). The
    // loop written out twice, not a function: one more function is JsVars held at idle.
    const aids = config.aids;
    for (let i = 0; i < aids.length; i++) delete aids[i].aidParsed;
    let inner: ReaderPort | null = null;
    let unload: (() => void) | null = null;
    let loading = false;
    // The listener of a startPolling that waits for the code.
    let waiting: ((e: ReaderEvent) => void) | null = null;
    function sleep(): void {
      waiting = null;
      if (inner === null) return;
      // The runner reports idle before it runs the transition's effects (its stopPolling
      // would find no reader): stop here, so nothing polls once the code is let go.
      inner.stopPolling();
      inner = null;
      const u = unload as () => void;
      unload = null;
      u();
      for (let i = 0; i < aids.length; i++) delete aids[i].aidParsed;
    }
    return {
      startPolling: function (l: (e: ReaderEvent) => void) {
        if (inner !== null) return inner.startPolling(l);
        waiting = l;
        if (loading) return;
        loading = true;
        try {
          load(function (make, u) {
            loading = false;
            inner = make(pn532, clock, calendar, random, config, tuning);
            unload = u;
            const w = waiting;
            waiting = null;
            // The sale stopped polling (cancel, a deadline) while the code loaded: let it go.
            if (w === null) sleep();
            else inner.startPolling(w);
          }, function () {
            loading = false;
            waiting = null;
          });
        } catch (e) {
          loading = false;
          waiting = null;
          throw e;
        }
      },
      stopPolling: function () {
        waiting = null;
        if (inner !== null) inner.stopPolling();
      },
      // Only after a card event (readCard) or a read's See Phone (fieldOff): the code is there.
      readCard: function (amountMinor: number) {
        return (inner as ReaderPort).readCard(amountMinor);
      },
      fieldOff: function (ms: number) {
        return (inner as ReaderPort).fieldOff(ms);
      },
      sleep: sleep,
    };
  };
}
