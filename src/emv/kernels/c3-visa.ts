/**
 * Kernel 3, Visa qVSDC, online (EMV Contactless Book C-3 v2.10), and the "quick" flow it
 * shares with Kernel 7 (UnionPay qUICS, Book C-7, a sibling of qVSDC): GET PROCESSING
 * OPTIONS with the PDOL (TTQ inside) → the cryptogram in the format 2 answer → READ RECORD
 * of the AFL → checks → Online Request. No GENERATE AC.
 *
 * Status words to GPO (C-3 Req 5.2.2.2): 6986 "see phone" (the phone wants the customer to
 * unlock it; restart at Start B); 6985 Select Next; 6984 Try Another Interface when the
 * reader has a contact chip interface (TTQ byte 1 b5), else End Application like any other.
 *
 * CTQ 9F6C (C-3 Annex A; C-7 Annex A): byte 1 b8 online PIN required, b7 signature required,
 * b6 go online if ODA fails, b5 switch interface if ODA fails, b4 go online if expired,
 * b3/b2 switch interface for cash/cashback; byte 2 b8 consumer device CVM performed,
 * b7 issuer update processing.
 */
import { codedError } from "../../bytes/coded-error";
import type { More, Step } from "../flow";
import { cryptogramType, declined, endApplication, gpo, keepGpo, need, onlineRequest, readAfl, selectNext, seePhone, tryAnotherInterface, type KernelContext, type Rapdu } from "../kernel";
import { Cvm, OutcomeType, UiMessage, type Outcome } from "../outcome";
import { keepSet, type KeepSet, type TlvRecord } from "../tlv";

/** What differs between the quick kernels. */
export interface QuickSpec {
  /** Tags kept from the GPO answer and the records (keepSet, made once). */
  keep: KeepSet;
  /** Card tags an authorization needs; PAN and expiry are checked by the data record too. */
  mandatory: string[];
}

/**
 * C-3 §5.4.2 mandatory data for an online authorization: AIP, ATC, IAD, the cryptogram and
 * Track 2 (84 and the PDOL came with the FCI). CID 9F27 is optional (derived, §5.4.3.1).
 */
export const C3_SPEC: QuickSpec = {
  keep: keepSet([0x82, 0x94, 0x57, 0x5a, 0x5f24, 0x5f34, 0x9f10, 0x9f26, 0x9f27, 0x9f36, 0x9f6c, 0x9f6e, 0x9f69, 0x9f19, 0x9f24]),
  mandatory: ["82", "9F36", "9F10", "9F26", "57"],
};

/** Outcome for a GPO status word other than 9000 (C-3 Req 5.2.2.2). */
function gpoStatus(ctx: KernelContext, sw: number): Outcome {
  const d = { sw: sw, step: "GPO" };
  if (sw === 0x6986) return seePhone(OutcomeType.TryAgain, UiMessage.SeePhone, d, ctx.holdMs);
  if (sw === 0x6985) return selectNext("EMV_STATUS_WORD", d);
  if (sw === 0x6984 && (ctx.comb.ttq[0] & 0x10) !== 0) return tryAnotherInterface("EMV_STATUS_WORD", d, ctx.holdMs);
  return endApplication("EMV_STATUS_WORD", d, ctx.holdMs);
}

/**
 * The CVM of a quick kernel (C-3 §5.7.1.1–5.7.1.2; C-7 has the same CTQ rules).
 *
 * Without CTQ, and CVM required by the reader (TTQ byte 2 b7): signature when the reader
 * captures one (TTQ byte 1 b2), else online PIN when it has PIN entry (byte 1 b3).
 *
 * With CTQ, the first that applies:
 * 1. online PIN required (CTQ byte 1 b8) and the reader has PIN entry → online PIN;
 * 2. consumer device CVM performed (CTQ byte 2 b8) → CDCVM when Card Authentication Related
 *    Data (9F69: fDDA version 1 byte, card unpredictable number 4, CTQ 2, so the CTQ copy is at
 *    offset 5–6) repeats the CTQ, or when 9F69 is absent and the cryptogram is an ARQC; a 9F69
 *    that disagrees or is too short to hold the copy → null (declined);
 * 3. signature required (CTQ byte 1 b7), or online PIN required on a reader without PIN entry
 *    (the fallback after CDCVM), and the reader captures signatures → signature.
 * Nothing chosen: no CVM, or null (declined) when the reader requires a CVM.
 * @throws EMV_DATA_INVALID (`tag` 9F6C) for a CTQ that is not 2 bytes
 */
export function quickCvm(card: TlvRecord, ttq: Uint8Array, acType: number): Cvm | null {
  const ctq = card["9F6C"];
  const required = (ttq[1] & 0x40) !== 0;
  const pinPad = (ttq[0] & 0x04) !== 0;
  const signature = (ttq[0] & 0x02) !== 0;
  let cvm: Cvm | null = null;
  if (!ctq) {
    if (required && signature) cvm = Cvm.ObtainSignature;
    else if (required && pinPad) cvm = Cvm.OnlinePin;
  } else {
    if (ctq.length !== 2) throw codedError("EMV_DATA_INVALID", "CTQ must be 2 bytes", { tag: "9F6C" });
    const pinRequired = (ctq[0] & 0x80) !== 0;
    const signatureRequired = (ctq[0] & 0x40) !== 0;
    if (pinRequired && pinPad) cvm = Cvm.OnlinePin;
    else if ((ctq[1] & 0x80) !== 0) {
      const auth = card["9F69"];
      const confirmed = auth ? auth.length >= 7 && auth[5] === ctq[0] && auth[6] === ctq[1] : acType === 2;
      if (!confirmed) return null;
      cvm = Cvm.ConfirmationCodeVerified;
    } else if ((signatureRequired || pinRequired) && signature) cvm = Cvm.ObtainSignature;
  }
  if (cvm === null) return required ? null : Cvm.NoCvm;
  return cvm;
}

/**
 * After the card data is read (C-3 §5.4–§5.8): CID (derived from IAD byte 5 b6–b5 when
 * absent, §5.4.3.1); AAC or RFU → Declined (§5.4.3.2); mandatory data; a TC without "online
 * cryptogram required" would need offline data authentication, which tappos does not perform
 * (§5.6 as if ODA failed: go online if CTQ b6, switch interface if CTQ b5 and contact, else
 * decline); CVM; Online Request with the data record.
 */
function decide(ctx: KernelContext, spec: QuickSpec): Outcome {
  const card = ctx.card;
  const ttq = ctx.comb.ttq;
  if (!card["9F27"]) {
    need(card, ["9F10"]);
    const iad = card["9F10"];
    if (iad.length < 5) throw codedError("EMV_MISSING_TAG", "no CID and IAD too short to derive it", { tag: "9F27" });
    card["9F27"] = new Uint8Array([(iad[4] & 0x30) << 2]);
  }
  const acType = cryptogramType(card);
  if (acType === 0) return declined("EMV_CARD_DECLINED", Cvm.NA, ctx.holdMs);
  if (acType === 3) return declined("EMV_CID_INVALID", Cvm.NA, ctx.holdMs, { tag: "9F27" });
  need(card, spec.mandatory);
  if (acType === 1 && (ttq[1] & 0x80) === 0) {
    const ctq = card["9F6C"];
    const b1 = ctq && ctq.length === 2 ? ctq[0] : 0;
    if ((b1 & 0x20) === 0) {
      if ((b1 & 0x10) !== 0 && (ttq[0] & 0x10) !== 0) return tryAnotherInterface("EMV_ODA_NOT_PERFORMED", undefined, ctx.holdMs);
      return declined("EMV_ODA_NOT_PERFORMED", Cvm.NA, ctx.holdMs);
    }
  }
  const cvm = quickCvm(card, ttq, acType);
  if (cvm === null) return declined("EMV_CVM_FAILED", Cvm.NoCvm, ctx.holdMs);
  return onlineRequest(ctx, cvm);
}

/** The quick flow with a kernel's spec. A format 1 GPO answer carries no cryptogram: 9F26 is then missing. */
export function runQuick(ctx: KernelContext, spec: QuickSpec): More {
  return gpo(ctx, afterGpo.bind(null, ctx, spec));
}

/** runQuick on the GPO answer (bound, not a closure: a closure's body is lexed where it is made). */
function afterGpo(ctx: KernelContext, spec: QuickSpec, r: Rapdu): Step<Outcome> {
  if (r.sw !== 0x9000) return gpoStatus(ctx, r.sw);
  keepGpo(ctx.card, r.data, spec.keep);
  return readAfl(ctx, spec.keep, decide.bind(null, ctx, spec));
}

/** Kernel 3 (Visa). */
export function runC3(ctx: KernelContext): More {
  return runQuick(ctx, C3_SPEC);
}
