/**
 * The APDU stack of the bench taps: GET RESPONSE outermost, then resend-with-Le, then the
 * ISO-DEP channel (docs/architecture.md "The APDU stack": built in one place). Stand-in until src/nfc/apdu-stack.ts
 * (buildApduStack) exists; then this file goes and bench-tap.ts imports that builder.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { GetResponseChannel } from "../../src/apdu/get-response";
import { ResendLeChannel } from "../../src/apdu/resend-le";
import { IsoDepChannel } from "../../src/nfc/iso-dep-channel";
import type { Pn532Api, TargetA } from "../../src/pn532/api";

export function buildApduStack(pn: Pn532Api, target: TargetA): ApduChannel {
  return new GetResponseChannel(new ResendLeChannel(new IsoDepChannel(pn, target)));
}
