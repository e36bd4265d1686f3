/**
 * A kernel's fault as an Outcome (Book A §8.1, Book B §3.1.1.13), apart from the kernels so
 * that the terminal's runner can turn a reader's failure into an Outcome without bringing the
 * kernels' tables with it (on the esp32 they are the part tpp.card: docs/architecture.md "Parts").
 */
import { isCoded } from "../bytes/coded-error";
import { makeOutcome, OutcomeType, Start, ui, UiMessage, UiStatus, type Outcome, type OutcomeDetail } from "./outcome";
import { tagHex } from "./tlv-cursor";

/** End Application: "Insert, swipe or try another card" (Book A §8.1), with the reason. */
export function endApplication(reason: string, detail: OutcomeDetail | undefined, holdMs: number): Outcome {
  return makeOutcome(OutcomeType.EndApplication, reason, Start.NA, ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, holdMs), null, detail);
}

function prefixed(code: string, prefix: string): boolean {
  return code.substring(0, prefix.length) === prefix;
}

/**
 * The Outcome for a fault. EMV_CARD_GONE → Try Again, Start B, "Present card again" on
 * restart (Book A §8.1; C-3, C-2 L1 errors). Malformed data → End Application with reason
 * EMV_TLV_INVALID (TLV_*), EMV_DOL_INVALID (DOL_*, APDU_BAD_LC), EMV_DATA_INVALID (BCD_*,
 * other APDU_*), the EMV_… code itself, or EMV_INTERNAL for anything uncoded.
 */
export function errorOutcome(e: unknown, holdMs: number): Outcome {
  const code = isCoded(e) ? e.code : "";
  const detail: OutcomeDetail = { code: code || "UNCODED" };
  if (isCoded(e)) {
    if (typeof e.tag === "number") detail.tag = tagHex(e.tag);
    else if (typeof e.tag === "string") detail.tag = e.tag;
    if (typeof e.offset === "number") detail.offset = e.offset;
    if (typeof e.sw === "number") detail.sw = e.sw;
    if (typeof e.step === "string") detail.step = e.step;
  }
  // A failed exchange (channel-faults.ts): the channel's own code is the detail.
  if (code === "EMV_CARD_GONE" || code === "EMV_PROTOCOL_ERROR") detail.code = (e as { cause?: string }).cause || "UNCODED";
  if (code === "EMV_CARD_GONE") {
    return makeOutcome(OutcomeType.TryAgain, code, Start.B, null, ui(UiMessage.PresentCardAgain, UiStatus.ReadyToRead, 0), detail);
  }
  let reason = "EMV_INTERNAL";
  if (prefixed(code, "EMV_")) reason = code;
  else if (prefixed(code, "TLV_")) reason = "EMV_TLV_INVALID";
  else if (prefixed(code, "DOL_") || code === "APDU_BAD_LC") reason = "EMV_DOL_INVALID";
  else if (prefixed(code, "BCD_") || prefixed(code, "APDU_")) reason = "EMV_DATA_INVALID";
  return endApplication(reason, detail, holdMs);
}
