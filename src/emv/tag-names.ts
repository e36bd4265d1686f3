/**
 * Tag names for traces (EMV 4.4 Book 3 Annex A; Books C-2 Mastercard, C-3 Visa; UnionPay
 * qPBOC/PBOC 3.0 for 9F7A, DF60, DF69). Only traces use them, so this file stands alone and
 * a firmware board may leave it out; formats, which the firmware needs, are in
 * tag-formats.ts. Where kernels give one tag two meanings, both are named, the C-2 one
 * marked. Short forms: Appl = Application, Txn = Transaction, Tmpl = Template, Term =
 * Terminal, Amt = Amount, PK = Public Key, Ind = Indicator, Discr = Discretionary.
 * One "|"-separated string (about 2.7 KB) rather than an object per tag, for bundle size.
 */
import { find } from "../bytes/find";
import { tagHex } from "./tlv";

const NAMES =
  "|" +
  "42 Issuer Id No|4F AID|50 Appl Label|56 Track 1 Data|57 Track 2 Equivalent Data|5A PAN|" +
  "5F20 Cardholder Name|5F24 Expiration Date|5F25 Effective Date|5F28 Issuer Country Code|" +
  "5F2A Txn Currency Code|5F2D Language Preference|5F30 Service Code|5F34 PAN Sequence No|" +
  "5F36 Txn Currency Exp|5F50 Issuer URL|61 Appl Tmpl|6F FCI Tmpl|70 Record Tmpl|" +
  "71 Issuer Script Tmpl 1|72 Issuer Script Tmpl 2|73 Directory Discr Tmpl|" +
  "77 Response Tmpl Format 2|80 Response Tmpl Format 1|81 Amt Authorised (binary)|82 AIP|" +
  "83 Command Tmpl|84 DF Name|86 Issuer Script Command|87 Appl Priority Ind|88 SFI|" +
  "8A Auth Response Code|8C CDOL1|8D CDOL2|8E CVM List|8F CA PK Index|90 Issuer PK Cert|" +
  "91 Issuer Auth Data|92 Issuer PK Rem|93 Signed Static Appl Data|94 AFL|95 TVR|97 TDOL|" +
  "9A Txn Date|9B TSI|9C Txn Type|9D DDF Name|9F01 Acquirer Id|9F02 Amt Authorised|9F03 Amt Other|" +
  "9F04 Amt Other (binary)|9F06 AID (terminal)|9F07 Appl Usage Control|9F08 Appl Version No (card)|" +
  "9F09 Appl Version No (terminal)|9F0A ASRPD|9F0B Cardholder Name Extended|9F0D IAC Default|" +
  "9F0E IAC Denial|9F0F IAC Online|9F10 Issuer Appl Data|9F11 Issuer Code Table Index|" +
  "9F12 Appl Preferred Name|9F13 Last Online ATC Register|9F15 Merchant Category Code|" +
  "9F16 Merchant Id|9F17 PIN Try Counter|9F19 Token Requestor ID|9F1A Term Country Code|" +
  "9F1B Term Floor Limit|9F1C Term Id|9F1E IFD Serial No|9F1F Track 1 Discr Data|" +
  "9F20 Track 2 Discr Data|9F21 Txn Time|9F24 Payment Account Reference|9F25 Last 4 Digits of PAN|" +
  "9F26 Appl Cryptogram|9F27 CID|9F29 Extended Selection|9F2A Kernel Id|9F32 Issuer PK Exp|" +
  "9F33 Term Caps|9F34 CVM Results|9F35 Term Type|9F36 ATC|9F37 Unpredictable No|9F38 PDOL|" +
  "9F39 POS Entry Mode|9F40 Additional Term Caps|9F41 Txn Sequence Counter|9F42 Appl Currency Code|" +
  "9F44 Appl Currency Exp|9F45 Data Auth Code|9F46 ICC PK Cert|9F47 ICC PK Exp|9F48 ICC PK Rem|" +
  "9F49 DDOL|9F4A SDA Tag List|9F4B Signed Dynamic Appl Data|9F4C ICC Dynamic No|9F4D Log Entry|" +
  "9F4E Merchant Name and Location|9F53 Txn Category Code|9F5D AOSA /Appl Caps (C-2)|" +
  "9F62 PCVC3 Track 1|9F63 PUNATC Track 1 /Card Product ID (UPI)|9F64 NATC Track 1|" +
  "9F65 PCVC3 Track 2|9F66 TTQ /PUNATC Track 2 (C-2)|9F67 NATC Track 2|" +
  "9F68 Card Additional Processes|9F69 Card Auth Related Data /UDOL (C-2)|" +
  "9F6A Unpredictable No (numeric)|9F6B Track 2 Data|9F6C CTQ /Mag-stripe Version (C-2)|" +
  "9F6E Form Factor Ind /Third Party Data (C-2)|9F74 VLP Issuer Auth Code|" +
  "9F7A VLP /EC Term Support Ind|9F7C Customer Exclusive Data /Merchant Custom Data (C-2)|" +
  "9F7E Mobile Support Ind|A5 FCI Proprietary Tmpl|BF0C FCI Issuer Discr Data|" +
  "DF4B POS Cardholder Interaction Info|DF60 CAPP Txn Ind (UPI) /DS Input (C-2)|" +
  "DF69 SM Algorithm Supported (UPI)|DF8115 Error Indication|DF8129 Outcome Parameter Set|";

/** The name of a tag, or undefined: tagName(0x9F26) → "Appl Cryptogram". */
export function tagName(tag: number): string | undefined {
  const hex = tagHex(tag);
  const at = find(NAMES, "|" + hex + " ", 0);
  if (at < 0) return undefined;
  const from = at + hex.length + 2;
  return NAMES.substring(from, NAMES.indexOf("|", from));
}
