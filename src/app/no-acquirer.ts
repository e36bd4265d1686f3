/**
 * The authorizer of a terminal with no acquirer configured (host runs, a board before its
 * configure step): every sale ends declined, reason "no_acquirer", message "no acquirer
 * configured". It never approves, sends nothing, writes nothing (no STAN spent, no pending
 * record, so nothing to reverse).
 */
import type { AuthResult, Sale } from "../auth/authorizer";
import type { Reversal } from "../auth/reversal-queue";
import type { AuthPort } from "./terminal-runner";

export const NO_ACQUIRER_MESSAGE = "no acquirer configured";

export function noAcquirer(): AuthPort {
  return {
    checkReady: function () {},
    authorize: function (sale: Sale): Promise<AuthResult> {
      return Promise.resolve({
        outcome: "declined",
        reason: "no_acquirer",
        responseCode: null,
        authCode: null,
        message: NO_ACQUIRER_MESSAGE,
        arpc: null,
        httpStatus: null,
        stan: "",
        clientTransactionId: "",
        request: null,
        reversal: null,
        error: null,
      } as AuthResult);
    },
    inFlight: function (): Reversal | null {
      return null;
    },
    reverseInFlight: function (): Reversal | null {
      return null;
    },
    queueReversal: function () {},
  };
}
