/**
 * Outcomes and UI requests, EMV Contactless Book A v2.10 §6.2 (Outcome Parameter Set) and
 * §7.1 (User Interface Request). Every tap ends in exactly one Outcome with a `reason` code
 * that says why (EMV_… codes for faults).
 */

/** Book A §6.2.1 Outcome. */
export const enum OutcomeType {
  Approved = "APPROVED",
  Declined = "DECLINED",
  OnlineRequest = "ONLINE_REQUEST",
  TryAgain = "TRY_AGAIN",
  SelectNext = "SELECT_NEXT",
  TryAnotherInterface = "TRY_ANOTHER_INTERFACE",
  EndApplication = "END_APPLICATION",
}

/** Book A Table 7.1 message identifiers (the subset a contactless-only terminal shows). */
export const enum UiMessage {
  Approved = 0x03,
  NotAuthorised = 0x07,
  EnterPin = 0x09,
  ProcessingError = 0x0f,
  RemoveCard = 0x10,
  Welcome = 0x14,
  PresentCard = 0x15,
  Processing = 0x16,
  CardReadOk = 0x17,
  InsertOrSwipe = 0x18,
  PresentOneCardOnly = 0x19,
  ApprovedSign = 0x1a,
  Authorising = 0x1b,
  TryAnotherCard = 0x1c,
  InsertCard = 0x1d,
  ClearDisplay = 0x1e,
  SeePhone = 0x20,
  PresentCardAgain = 0x21,
}

/** Book A §7.1 Status. */
export const enum UiStatus {
  NotReady = "NOT_READY",
  Idle = "IDLE",
  ReadyToRead = "READY_TO_READ",
  Processing = "PROCESSING",
  CardReadSuccessfully = "CARD_READ_OK",
  ProcessingError = "PROCESSING_ERROR",
}

export interface UiRequest {
  messageId: UiMessage;
  status: UiStatus;
  /** Book A §7.1 Hold Time, ms. */
  holdMs: number;
}

/** Book A §6.2.1 Start: where Entry Point restarts for this outcome. */
export const enum Start {
  A = "A",
  B = "B",
  C = "C",
  D = "D",
  NA = "NA",
}

/** Book A §6.2.1 CVM. */
export const enum Cvm {
  OnlinePin = "ONLINE_PIN",
  ConfirmationCodeVerified = "CDCVM",
  ObtainSignature = "SIGNATURE",
  NoCvm = "NO_CVM",
  NA = "NA",
}
