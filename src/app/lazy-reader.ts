/**
 * A card reader whose code is loaded when a sale needs it and let go once the sale needs it no
 * more: the terminal authorising, or back to idle (terminal-compose.ts calls `sleep`): on the esp32 the reader is the board part
 * `tpp.card` (card-reader.ts and everything the tap runs: Poller, ISO-DEP, APDU stack, Entry
 * Point, kernels, TLV, data record), so an idle terminal holds none of it
 * (docs/architecture.md "Parts: code loaded from Storage").
 *
 * The PN532 driver stays the terminal's: a reader made again after a sleep queues its
 * commands behind whatever the last one left in flight (an aborted poll), on the same driver.
 * `load` may throw (the part missing from Storage): the sale then ends in the runner's
 * error for a reader that throws, with that code.
 */
import type { ReaderMaker } from "./terminal-compose";
import type { ReaderEvent, ReaderPort } from "./terminal-runner";

export function lazyReader(load: () => ReaderMaker, unload: () => void): ReaderMaker {
  return function (pn532, clock, calendar, random, config, tuning) {
    // Each AID's parsed bytes (preprocessing.ts `aidParsed`, ~8 JsVars an AID) are let go at
    // idle: the part parses them again when a sale loads it (board/esp32/parts/card.ts). The
    // loop written out twice, not a function: one more function is JsVars held at idle.
    const aids = config.aids;
    for (let i = 0; i < aids.length; i++) delete aids[i].aidParsed;
    let inner: ReaderPort | null = null;
    function get(): ReaderPort {
      if (inner === null) inner = load()(pn532, clock, calendar, random, config, tuning);
      return inner;
    }
    return {
      startPolling: function (l: (e: ReaderEvent) => void) {
        get().startPolling(l);
      },
      stopPolling: function () {
        if (inner !== null) inner.stopPolling();
      },
      readCard: function (amountMinor: number) {
        return get().readCard(amountMinor);
      },
      fieldOff: function (ms: number) {
        return get().fieldOff(ms);
      },
      sleep: function () {
        if (inner === null) return;
        // The runner reports idle before it runs the transition's effects (its stopPolling
        // would find no reader): stop here, so nothing polls once the code is let go.
        inner.stopPolling();
        inner = null;
        unload();
        for (let i = 0; i < aids.length; i++) delete aids[i].aidParsed;
      },
    };
  };
}
