/**
 * The end of a read: InRelease (PN532 UM0701-02 §7.3.11) for the target once the reading is
 * over, whatever it gave. The PN532 then drops the ISO-DEP session it keeps for the target
 * (block numbers, the card's CID; for a PICC it sends S(DESELECT), §7.3.11) and the next
 * InListPassiveTarget starts from a card in its idle state. A release that fails (the card
 * has left: status 29 or 2B) changes nothing for the tap: the reading's result stands.
 */
import type { Pn532Api, TargetA } from "../pn532/api";

/**
 * `reading`'s result (or rejection), after InRelease Tg has been answered or has failed.
 * @param needed false for a result after which the field is switched off anyway (a Field Off
 *   Request resets every target, §7.3.1): no InRelease then. Absent: always.
 */
export function releaseAfter<T>(pn532: Pn532Api, target: TargetA, reading: Promise<T>, needed?: (result: T) => boolean): Promise<T> {
  return reading.then(
    function (v) {
      if (needed && !needed(v)) return v;
      function back(): T {
        return v;
      }
      return pn532.inRelease(target.tg).then(back, back);
    },
    function (e) {
      function fail(): never {
        throw e;
      }
      return pn532.inRelease(target.tg).then(fail, fail);
    },
  );
}
