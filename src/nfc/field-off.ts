/**
 * The Field Off Request of an Outcome (EMV Contactless Book A §6.2: a hold time, in units of
 * 100 ms there; `Outcome.fieldOffMs` in ms here): the reader switches its RF field off for
 * that long before it polls again. A phone that said "see phone" (C-3 GPO 6986, C-2 DF4B)
 * stays in the field while its holder unlocks it and re-engages only on a new field; a field
 * reset also drops every target's ISO-DEP state, which InRelease alone does not do.
 */
import type { Clock } from "../hal/types";
import type { Pn532Api } from "../pn532/api";

/**
 * RFConfiguration CfgItem 01 (UM0701-02 §7.3.1): `D4 32 01 00` (field off), `holdMs` on the
 * injected clock, then `D4 32 01 01` (field on, AutoRFCA off). Every listed target is gone
 * afterwards: poll again (InListPassiveTarget) before any exchange.
 * Rejects with the driver's errors (PN532_*, LINK_*); the field may then be left off, which
 * the next InListPassiveTarget undoes (the PN532 switches the field on to poll).
 */
export function fieldOffFor(pn532: Pn532Api, clock: Clock, holdMs: number): Promise<void> {
  return pn532
    .setRfField(false)
    .then(function () {
      return new Promise<void>(function (resolve) {
        clock.setTimer(holdMs, resolve);
      });
    })
    .then(function () {
      return pn532.setRfField(true);
    });
}
