/**
 * Part `tpp.card`: the card reader and everything a tap runs (src/app/card-reader.ts: Poller,
 * ISO-DEP, APDU stack, Entry Point, kernels, TLV, data record), loaded when a sale polls and
 * freed once the card is read (authorising) or the terminal is back to idle
 * (src/app/lazy-reader.ts).
 */
import { pn532Reader } from "../../../src/app/card-reader";
import { useNativeHex } from "../../../src/bytes/hex";
import { prepareEntryPointConfig } from "../../../src/emv/preprocessing";

tpPart("card", function (pn532, clock, calendar, random, config, tuning) {
  // This part's own copy of src/bytes/hex.ts: hex through E.mapInPlace here too (the data record).
  useNativeHex(E.mapInPlace, E.toString);
  // The AIDs' bytes, which the idle terminal does not hold (src/app/lazy-reader.ts): parsed
  // once for this sale, ahead of its taps, as the boot did for the first one.
  prepareEntryPointConfig(config);
  return pn532Reader(pn532, clock, calendar, random, config, tuning);
});
