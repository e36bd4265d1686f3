/**
 * The card reader over the PN532 driver (terminal-compose.ts ReaderMaker), the runner's
 * card-reader port (terminal-runner.ts `ReaderPort`):
 *
 *   polling   src/nfc/poller.ts, tuned for phones (150 ms from one poll to the next, the
 *             terminal's default, terminal-compose.ts): each InListPassiveTarget searches up to
 *             `pollTimeoutMs` (300 ms) before the driver aborts it, the next one starts at
 *             once. Phones answer late (an iPhone skips the first activations, a wallet
 *             behind biometrics comes seconds later, a phone that just left the field and
 *             comes back answers only after its own ~300 ms): a short poll window misses
 *             them. Two targets: `collision` (polling goes on). A non-ISO-DEP target is ignored.
 *   reading   the APDU stack from `buildApduStack` over the target just found, then
 *             `runEntryPoint`; its Outcome goes to the runner, which decides (machine):
 *             See Phone (Start B with a Field Off Request) → `fieldOff(ms)` (nfc/field-off.ts)
 *             → polling again, with the amount kept; Online Request → the authorizer.
 *
 * Everything the tap runs is reached from here: on the esp32 this is the board part
 * `tpp.card`, loaded when a sale starts (lazy-reader.ts).
 */
import { codedError } from "../bytes/coded-error";
import { runEntryPoint } from "../emv/entry-point";
import { errorOutcome } from "../emv/kernel";
import { Start, type Outcome } from "../emv/outcome";
import type { EntryPointConfig } from "../emv/preprocessing";
import type { Calendar, Clock, Random } from "../hal/types";
import { buildApduStack } from "../nfc/apdu-stack";
import { releaseAfter } from "../nfc/release";
import { fieldOffFor } from "../nfc/field-off";
import { Poller, type PollEvent } from "../nfc/poller";
import type { TargetA } from "../pn532/api";
import type { Pn532 } from "../pn532/driver";
import type { ReaderTuning } from "./terminal-compose";
import type { ReaderEvent, ReaderPort } from "./terminal-runner";

/**
 * The card-reader port over the driver: one poller, one target at a time. A polling error (a
 * driver fault) is only kept in `lastError`: the poller backs off by itself.
 */
export function pn532Reader(pn532: Pn532, clock: Clock, calendar: Calendar, random: Random, config: EntryPointConfig, tuning: ReaderTuning): ReaderPort & { lastError: string | null } {
  let listener: ((e: ReaderEvent) => void) | null = null;
  let target: TargetA | null = null;
  const poller = new Poller(
    pn532,
    clock,
    function (e: PollEvent) {
      const l = listener;
      if (e.type === "target") {
        target = e.target;
        listener = null;
        if (l) l({ type: "card" });
      } else if (e.type === "collision") {
        if (l) l({ type: "collision", targets: e.targets.length });
      } else if (e.type === "error") port.lastError = e.error.code;
    },
    tuning,
  );
  const port = {
    lastError: null as string | null,
    startPolling: function (l: (e: ReaderEvent) => void) {
      listener = l;
      target = null;
      poller.start();
    },
    stopPolling: function () {
      listener = null;
      poller.stop();
    },
    readCard: function (amountMinor: number): Promise<Outcome> {
      const t = target;
      target = null;
      if (t === null) return Promise.resolve(errorOutcome(codedError("TERMINAL_NO_TARGET", "no card detected"), 0));
      // InRelease once the read is over (PN532 UM0701-02 §7.3.11), unless a Field Off Request
      // follows (the field reset releases the target).
      return releaseAfter(pn532, t, runEntryPoint(buildApduStack(pn532, t), config, { amountMinor: amountMinor }, calendar, random), (o: Outcome) => !(o.start === Start.B && o.fieldOffMs !== null));
    },
    fieldOff: (ms: number) => fieldOffFor(pn532, clock, ms),
  };
  return port;
}

