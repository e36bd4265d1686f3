/**
 * Kernel 2, Mastercard M/Chip, EMV mode, online (EMV Contactless Book C-2 v2.10): GET
 * PROCESSING OPTIONS → READ RECORD of the AFL → CVM selection → GENERATE AC asking for an
 * ARQC with the CDOL1 data (P1 = 80; no CDA, since tappos performs no offline data
 * authentication) → Online Request.
 *
 * "See phone" (C-2 S910.70–S910.81): the phone answers GENERATE AC with POS Cardholder
 * Interaction Information DF4B (Annex A; byte 1 version; byte 2 b5 OD-CVM verification
 * successful, b4 context is conflicting, b3 offline change PIN required, b2 ACK required,
 * b1 PIN required). When DF4B AND 00 03 0F ≠ 0 the kernel ends with End Application, Start B,
 * and the message of the Phone Message Table (DF8131, default: 000800, 000400, 000100 and
 * 000200 → "See phone", otherwise "Declined").
 *
 * Simplified against C-2 (documented): no mag-stripe mode, no data exchange (DEK/DET), no
 * balance reading, no torn transactions, no relay resistance, no IAC/TAC terminal action
 * analysis (an online-only terminal asks for an ARQC), 9F33 byte 2 is not swapped for the
 * CVM capability.
 */
import { generateAc } from "../../apdu/emv-commands";
import { codedError } from "../../bytes/coded-error";
import { cloneBytes, fromHex } from "../../bytes/hex";
import { dolFromRecords } from "../dol";
import type { More, Step } from "../flow";
import { collect, cryptogramType, declined, endApplication, gpo, keepGpo, need, onlineRequest, readAfl, selectNext, seePhone, send, type KernelContext, type Rapdu } from "../kernel";
import { Cvm, OutcomeType, UiMessage, type Outcome } from "../outcome";
import { keepSet, type TlvRecord } from "../tlv";

const KEEP = keepSet([0x82, 0x94, 0x57, 0x5a, 0x5f24, 0x5f34, 0x8c, 0x8e, 0x9f42, 0x9f6b, 0x9f6e, 0x9f19, 0x9f24]);
const KEEP_GAC = keepSet([0x9f27, 0x9f36, 0x9f26, 0x9f10, 0xdf4b]);

/**
 * Condition of a CVM rule for a purchase (Book 3 Annex C3): 00 always, 02 not cash nor
 * cashback, 03 terminal supports the method, 06–09 amount under/over X/Y when the
 * transaction is in the application currency (9F42). Cash and cashback conditions are false.
 */
function conditionMet(cond: number, supported: boolean, amount: number, list: Uint8Array, sameCurrency: boolean): boolean {
  if (cond === 0 || cond === 2) return true;
  if (cond === 3) return supported;
  if (cond < 6 || cond > 9 || !sameCurrency) return false;
  // The binary amount X (06, 07) or Y (08, 09): the CVM List's first or second 4 bytes.
  const at = cond < 8 ? 0 : 4;
  const limit = ((list[at] << 24) >>> 0) + (list[at + 1] << 16) + (list[at + 2] << 8) + list[at + 3];
  return cond & 1 ? amount > limit : amount < limit;
}

/**
 * CVM selection (C-2 §7.5). On-device cardholder verification (AIP byte 1 b2, and accepted
 * by the terminal): CDCVM above the CVM required limit, else no CVM (CVM.1–CVM.4). Card
 * without cardholder verification (AIP byte 1 b5) or without CVM List: no CVM (CVM.5–CVM.8).
 * Else the CVM List rules in order (CVM.9–CVM.14). Fills 9F34 and TVR byte 1 b6 / byte 3 b8.
 */
function selectCvm(ctx: KernelContext, odcv: boolean, tvr: Uint8Array): Cvm {
  const card = ctx.card;
  const cfg = ctx.comb.cfg;
  const amount = ctx.amountMinor;
  const required = cfg.cvmLimitMinor !== undefined && amount > cfg.cvmLimitMinor; // C-2 S456.30
  const results = new Uint8Array([0x3f, 0, 0]);
  ctx.term["9F34"] = results;
  if (odcv) {
    results[2] = 2;
    if (!required) return Cvm.NoCvm;
    results[0] = 1;
    return Cvm.ConfirmationCodeVerified;
  }
  const list = card["8E"];
  if ((card["82"][0] & 0x10) === 0) return Cvm.NoCvm;
  if (!list || list.length < 10) {
    tvr[0] |= 0x20; // ICC data missing
    return Cvm.NoCvm;
  }
  const pin = ctx.config.onlinePin === true && required;
  const sign = ctx.config.signature === true && required;
  const currency = card["9F42"];
  const term = ctx.term["5F2A"];
  const sameCurrency = !!currency && currency.length === 2 && currency[0] === term[0] && currency[1] === term[1];
  for (let i = 8; i + 1 < list.length; i += 2) {
    const method = list[i] & 0x3f;
    const supported = method === 0x02 ? pin : method === 0x1e ? sign : method === 0x1f ? !required : false;
    if (!conditionMet(list[i + 1], supported, amount, list, sameCurrency)) continue;
    if (supported) {
      results[0] = list[i];
      results[1] = list[i + 1];
      results[2] = method === 0x1f ? 2 : 0;
      return method === 0x02 ? Cvm.OnlinePin : method === 0x1e ? Cvm.ObtainSignature : Cvm.NoCvm;
    }
    if ((list[i] & 0x40) === 0) break;
  }
  results[2] = 1; // failed (CVM.14)
  tvr[2] |= 0x80; // cardholder verification was not successful
  return Cvm.NoCvm;
}

/** GENERATE AC answer (Book 3 §6.5.5.4): 77 template, or 80 with CID, ATC, AC, IAD. */
function keepGac(card: TlvRecord, data: Uint8Array): void {
  if (data.length === 0 || data[0] !== 0x80) {
    collect(card, data, 0x77, KEEP_GAC);
    return;
  }
  const n = data.length > 1 ? data[1] : 0;
  if (data.length !== n + 2 || n < 11 || n > 43) throw codedError("TLV_INVALID", "format 1 GENERATE AC answer", { tag: 0x80, offset: 0 });
  if (card["9F27"] || card["9F36"] || card["9F26"] || card["9F10"]) throw codedError("TLV_DUPLICATE", "cryptogram data repeated", { tag: 0x9f26, offset: 0 });
  card["9F27"] = cloneBytes(data, 2, 3);
  card["9F36"] = cloneBytes(data, 3, 5);
  card["9F26"] = cloneBytes(data, 5, 13);
  if (n > 11) card["9F10"] = cloneBytes(data, 13, n + 2);
}

function generate(ctx: KernelContext, odcv: boolean): More {
  const card = ctx.card;
  need(card, ["5A", "5F24", "8C"]); // C-2 S456.16–S456.17
  const tvr = new Uint8Array(5);
  tvr[0] = 0x80; // offline data authentication was not performed
  if (ctx.comb.floorLimitExceeded) tvr[3] |= 0x80; // C-2 S456.36–S456.38
  const cvm = selectCvm(ctx, odcv, tvr);
  ctx.term["95"] = tvr;
  const cdol = dolFromRecords(card["8C"], ctx.term, card);
  return send(ctx.flow, generateAc(0x80, cdol), "GAC", generated.bind(null, ctx, cvm));
}

/** generate, on the GENERATE AC answer (bound, not a closure: a closure's body is lexed where it is made). */
function generated(ctx: KernelContext, cvm: Cvm, r: Rapdu): Outcome {
  const card = ctx.card;
  if (r.sw !== 0x9000) return endApplication("EMV_STATUS_WORD", { sw: r.sw, step: "GAC" }, ctx.holdMs);
  keepGac(card, r.data);
  need(card, ["9F27", "9F36", "9F26"]);
  const pcii = card["DF4B"];
  if (pcii && pcii.length === 3 && ((pcii[1] & 0x03) !== 0 || (pcii[2] & 0x0f) !== 0)) {
    const message = (pcii[1] & 0x0f) !== 0 ? UiMessage.SeePhone : UiMessage.NotAuthorised;
    return seePhone(OutcomeType.EndApplication, message, { tag: "DF4B", step: "GAC" }, ctx.holdMs);
  }
  const type = cryptogramType(card);
  if (type === 2) return onlineRequest(ctx, cvm);
  if (type === 0) return declined("EMV_CARD_DECLINED", cvm, ctx.holdMs);
  // A TC answers an ARQC request with more than was asked (Book 3 §6.5.5.1): invalid, as is RFU.
  return endApplication("EMV_CID_INVALID", { tag: "9F27", step: "GAC" }, ctx.holdMs);
}

/**
 * Terminal Risk Management Data 9F1D (C-2 Annex A; 8 bytes), which the card's risk management
 * reads through the PDOL or CDOL1: the configured value (`AidConfig.terminalRiskData`), else
 * the reader's contactless CVM capabilities: byte 1 b7 enciphered PIN verified online (when
 * `onlinePin`), b6 signature (when `signature`), b4 no CVM required, b3 CDCVM (unless `cdcvm`
 * is false); contact CVMs 0 (no contact reader). Byte 2 b8 "CVM limit exceeded" is set for this
 * transaction when the amount is above the Reader CVM Required Limit (as `selectCvm`), else cleared.
 * @throws EMV_CONFIG_INVALID (`field`) for a configured value that is not 8 bytes of hex
 */
export function terminalRiskData(ctx: KernelContext): Uint8Array {
  const cfg = ctx.comb.cfg;
  let trmd: Uint8Array;
  if (cfg.terminalRiskData !== undefined) {
    const v = typeof cfg.terminalRiskData === "string" ? fromHex(cfg.terminalRiskData) : null;
    if (!v || v.length !== 8) throw codedError("EMV_CONFIG_INVALID", "terminalRiskData must be 8 bytes", { field: "terminalRiskData" });
    trmd = v;
  } else {
    trmd = new Uint8Array(8);
    trmd[0] = 0x08 | (ctx.config.onlinePin === true ? 0x40 : 0) | (ctx.config.signature === true ? 0x20 : 0) | (ctx.config.cdcvm !== false ? 0x04 : 0);
  }
  const exceeded = cfg.cvmLimitMinor !== undefined && ctx.amountMinor > cfg.cvmLimitMinor;
  trmd[1] = exceeded ? trmd[1] | 0x80 : trmd[1] & 0x7f;
  return trmd;
}

/**
 * Kernel 2. GPO status other than 9000 → Select Next (C-2 S3.8–S3.9, also 6986: Mastercard
 * phones say "see phone" with DF4B instead). AIP without EMV mode (byte 2 b8) → End
 * Application (no mag-stripe mode). Amount above the Reader Contactless Transaction Limit
 * (on-device CVM or not, S3.33–S3.35) → Select Next (S456.14–S456.15), checked before the
 * records are read.
 */
export function runC2(ctx: KernelContext): More {
  ctx.term["9F1D"] = terminalRiskData(ctx);
  return gpo(ctx, afterGpo.bind(null, ctx));
}

/** runC2 on the GPO answer. */
function afterGpo(ctx: KernelContext, r: Rapdu): Step<Outcome> {
  if (r.sw !== 0x9000) return selectNext("EMV_STATUS_WORD", { sw: r.sw, step: "GPO" });
  keepGpo(ctx.card, r.data, KEEP);
  need(ctx.card, ["82", "94"]);
  const aip = ctx.card["82"];
  if (aip.length !== 2) throw codedError("EMV_DATA_INVALID", "AIP must be 2 bytes", { tag: "82" });
  if ((aip[1] & 0x80) === 0) return endApplication("EMV_MAGSTRIPE_NOT_SUPPORTED", { tag: "82" }, ctx.holdMs);
  const cfg = ctx.comb.cfg;
  const odcv = (aip[0] & 0x02) !== 0 && ctx.config.cdcvm !== false;
  const limit = odcv ? cfg.txnLimitOdcvMinor ?? cfg.txnLimitMinor : cfg.txnLimitMinor;
  if (limit !== undefined && ctx.amountMinor > limit) return selectNext("EMV_LIMIT_EXCEEDED");
  return readAfl(ctx, KEEP, generate.bind(null, ctx, odcv));
}
