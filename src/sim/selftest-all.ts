/**
 * The selftest as the `selftest` board and `npm start` run it: the PN532 foundation steps,
 * then one full tap per kernel from the sample transcripts (recorded with `npm run tap`).
 */
import { defaultEntryPointConfig } from "../app/terminal-config";
import { Calendar } from "../hal/types";
import { runSelftest, SelftestEnv } from "./selftest";
import { tapSteps } from "./selftest-taps";
import applepayVisa from "./transcripts/applepay-visa.apdu";
import googlepayMastercard from "./transcripts/googlepay-mastercard.apdu";
import quickpassUnionpay from "./transcripts/quickpass-unionpay.apdu";

/** The date the transcripts were recorded on (their header); the kernels put it in 9A. */
const CALENDAR: Calendar = {
  today: function () {
    return { year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 };
  },
};

export function runFullSelftest(env: SelftestEnv): Promise<boolean> {
  const taps = [
    { name: "Apple Pay Visa (C-3)", text: applepayVisa },
    { name: "Google Pay Mastercard (C-2)", text: googlepayMastercard },
    { name: "QuickPass UnionPay (C-7)", text: quickpassUnionpay },
  ];
  return runSelftest(env, tapSteps(env, taps, defaultEntryPointConfig(), 1250, CALENDAR));
}
