/**
 * The selftest as the `selftest` board and `npm start` run it: the PN532 foundation steps,
 * then one full tap per kernel from the sample transcripts (recorded with `npm run tap`), then
 * the terminal composition (src/app/terminal.ts) selling to those phones: declined by the
 * no-acquirer stub, approved by a stub authorizer.
 */
import { defaultEntryPointConfig } from "../app/terminal-config";
import { Calendar } from "../hal/types";
import { runSelftest, SelftestEnv } from "./selftest";
import { tapSteps, type TranscriptTap } from "./selftest-taps";
import { terminalSteps, type SelftestSale } from "./selftest-terminal";
import applepayVisa from "./transcripts/applepay-visa.apdu";
import googlepayMastercard from "./transcripts/googlepay-mastercard.apdu";
import quickpassUnionpay from "./transcripts/quickpass-unionpay.apdu";

/** The date the transcripts were recorded on (their header); the kernels put it in 9A. */
const CALENDAR: Calendar = {
  today: function () {
    return { year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 };
  },
};

/** Sales to the transcript phones, by index. */
const SALES: SelftestSale[] = [
  { tap: 0, amountMinor: 1250, approve: false, expect: "declined" },
  { tap: 1, amountMinor: 1250, approve: true, expect: "approved" },
  { tap: 2, amountMinor: 1250, approve: true, expect: "approved" },
];

function transcriptTaps(): TranscriptTap[] {
  return [
    { name: "Apple Pay Visa (C-3)", text: applepayVisa },
    { name: "Google Pay Mastercard (C-2)", text: googlepayMastercard },
    { name: "QuickPass UnionPay (C-7)", text: quickpassUnionpay },
  ];
}

/** `npm start --selftest` and the Node test: the foundation, the bare taps, then the terminal's sales. */
export function runFullSelftest(env: SelftestEnv): Promise<boolean> {
  const taps = transcriptTaps();
  const config = defaultEntryPointConfig();
  return runSelftest(env, tapSteps(env, taps, config, 1250, CALENDAR).concat(terminalSteps(env, taps, SALES, config, CALENDAR)));
}

/**
 * The `selftest` board: the foundation, then the terminal's sales; the bare taps are left
 * out (each sale repeats its tap through the whole terminal, field off checked) so that the
 * bundle stays within its budget (build/budgets.mjs).
 */
export function runBoardSelftest(env: SelftestEnv): Promise<boolean> {
  return runSelftest(env, terminalSteps(env, transcriptTaps(), SALES, defaultEntryPointConfig(), CALENDAR));
}
