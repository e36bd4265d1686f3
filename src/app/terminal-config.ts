/**
 * The default terminal and AID configuration (EMV Contactless Book B §3.1 combinations;
 * EMV 4.4 Book 4 Annex A for the terminal data). What a board or the host tools start from
 * until a configuration is written to Storage; `npm run tap` overrides currency and country.
 *
 * Defaults, decided here: an attended, online-only, contactless-only terminal in France,
 * paying in euros (country 250, currency 978, exponent 2). Limits are in minor units of the
 * configured currency and follow common European practice: no floor limit (every tap goes
 * online), CVM required from 50.00, no contactless above 1000.00. Change the currency and
 * the limits together: 5000 minor units are 50.00 EUR but 5000 JPY.
 */
import { fromHex } from "../bytes/hex";
import { prepareEntryPointConfig, type AidConfig, type EntryPointConfig } from "../emv/preprocessing";

/** ISO 3166-1 numeric: France. */
export const DEFAULT_COUNTRY = 250;
/** ISO 4217 numeric: euro, two minor digits. */
export const DEFAULT_CURRENCY = 978;
export const DEFAULT_CURRENCY_EXPONENT = 2;

/** Reader CVM Required Limit, minor units (50.00). */
const CVM_LIMIT_MINOR = 5000;
/** Reader Contactless Transaction Limit, minor units (1000.00). */
const TXN_LIMIT_MINOR = 100000;

/**
 * A fresh default configuration (callers may change it).
 * - Visa A0000000031010, Kernel 3 (qVSDC online).
 * - Mastercard A0000000041010, Kernel 2: the transaction limit without on-device CVM equals
 *   the CVM limit (a plain card cannot verify the holder here: no PIN pad, no signature);
 *   with on-device CVM (a phone) the general limit applies (C-2 S456.14).
 * - UnionPay A000000333010101/02/03/06/08, Kernel 7 (qUICS online).
 * Terminal: type 21 (merchant, attended, online only, Book 4 Annex A1; 24 for an unattended
 * kiosk; never 22, which claims offline capability); capabilities 9F33 00 08 00 (no
 * contact or magnetic stripe input; CVM "no CVM required" only; no offline data
 * authentication); 9F40 60 00 F0 A0 01 (goods and services; keys; display; code table 1).
 */
export function defaultEntryPointConfig(): EntryPointConfig {
  const aids: AidConfig[] = [
    { aid: "A0000000031010", kernel: 3, floorLimitMinor: 0, cvmLimitMinor: CVM_LIMIT_MINOR, txnLimitMinor: TXN_LIMIT_MINOR },
    {
      aid: "A0000000041010",
      kernel: 2,
      floorLimitMinor: 0,
      cvmLimitMinor: CVM_LIMIT_MINOR,
      txnLimitMinor: CVM_LIMIT_MINOR,
      txnLimitOdcvMinor: TXN_LIMIT_MINOR,
    },
  ];
  // UnionPay application suffixes (A000000333 01 01 xx): debit, credit, quasi-credit, electronic
  // cash, US common debit. One literal in the code, not a table held in RAM.
  const unionpay = "0102030608";
  for (let i = 0; i < unionpay.length; i += 2) {
    aids.push({ aid: "A0000003330101" + unionpay.substring(i, i + 2), kernel: 7, floorLimitMinor: 0, cvmLimitMinor: CVM_LIMIT_MINOR, txnLimitMinor: TXN_LIMIT_MINOR });
  }
  return prepareEntryPointConfig({
    terminal: {
      countryCode: DEFAULT_COUNTRY,
      currencyCode: DEFAULT_CURRENCY,
      currencyExponent: DEFAULT_CURRENCY_EXPONENT,
      terminalType: 21,
      terminalCapabilities: fromHex("000800"),
      additionalCapabilities: fromHex("6000F0A001"),
      merchantNameLocation: "TAPPOS DEMO SHOP",
      ifdSerial: "TAPPOS01",
      terminalId: "TPOS0001",
    },
    aids: aids,
    onlinePin: false,
    signature: false,
    cdcvm: true,
    holdMs: 1300,
    aidListFallback: true,
  });
}
