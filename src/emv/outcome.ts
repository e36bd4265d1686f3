/**
 * Outcomes and UI requests, EMV Contactless Book A v2.10 §6.2 (Outcome Parameter Set) and
 * §7.1 (User Interface Request). Every tap ends in exactly one Outcome with a `reason` code
 * that says why (EMV_… codes for faults).
 */
import type { DataRecord } from "./data-record";

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
  /**
   * tappos's own id, outside Book A Table 9-3: "Amount over the contactless limit". Shown with
   * Try Another Interface when the amount is over every contactless limit: this terminal has
   * no contact reader, so Book A's "Please insert or swipe card" would send the customer nowhere.
   */
  OverContactlessLimit = 0xe0,
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

/** Where a fault was seen: the tag, status word, offset or underlying error code. */
export interface OutcomeDetail {
  /** Tag hex ("9F26") for EMV_MISSING_TAG, EMV_TLV_INVALID… */
  tag?: string;
  /** SW1 SW2 of the answer that ended the step. */
  sw?: number;
  /** Byte offset in the answer where parsing stopped. */
  offset?: number;
  /** The underlying CodedError code (TLV_TRUNCATED, ISODEP_TIMEOUT…). */
  code?: string;
  /** The command (INS) or step the fault belongs to: "SELECT", "GPO", "READ", "GAC"… */
  step?: string;
}

/**
 * The one result of a tap (Book A §6.2 Outcome Parameter Set, plus the kernel's data record).
 * `reason` is a stable code: "OK" for a normal end, EMV_… for everything else.
 */
export interface Outcome {
  type: OutcomeType;
  reason: string;
  detail?: OutcomeDetail;
  /** Book A §6.2: UI Request on Outcome (shown now), or null. */
  uiOnOutcome: UiRequest | null;
  /** Book A §6.2: UI Request on Restart (shown when Entry Point restarts), or null. */
  uiOnRestart: UiRequest | null;
  /** Book A §6.2: where Entry Point restarts (B: poll for the card again). */
  start: Start;
  /**
   * Book A §6.2 Field Off Request (a hold time, in units of 100 ms there): ms to keep the RF
   * field off before polling again, null for none. Set on "see phone" (kernel.ts seePhone);
   * carried out by nfc/field-off.ts.
   */
  fieldOffMs: number | null;
  cvm: Cvm;
  /** Kernel ID that produced it (2, 3, 7), null before kernel activation. */
  kernel: number | null;
  /** Selected AID (DF name, hex), null before final selection. */
  aid: string | null;
  /** Data record: present with ONLINE_REQUEST only. Holds the clear PAN (RAM only, mask before printing). */
  record: DataRecord | null;
}

/** A UI request (Book A §7.1). */
export function ui(messageId: UiMessage, status: UiStatus, holdMs: number): UiRequest {
  return { messageId: messageId, status: status, holdMs: holdMs };
}

/** An Outcome with no kernel, AID, record or CVM yet; callers fill in the rest. */
export function makeOutcome(type: OutcomeType, reason: string, start: Start, uiOnOutcome: UiRequest | null, uiOnRestart: UiRequest | null, detail?: OutcomeDetail): Outcome {
  const o: Outcome = {
    type: type,
    reason: reason,
    uiOnOutcome: uiOnOutcome,
    uiOnRestart: uiOnRestart,
    start: start,
    fieldOffMs: null,
    cvm: Cvm.NA,
    kernel: null,
    aid: null,
    record: null,
  };
  if (detail) o.detail = detail;
  return o;
}
