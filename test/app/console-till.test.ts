/**
 * The console till (src/app/console-till.ts): `sale(1250)`, `cancel()`, `status()`, `last()`
 * as one short printed line each, amounts by the currency exponent, PAN masked 6/4.
 */
import { describe, expect, it } from "vitest";
import { consoleTill, describeResult, formatAmount } from "../../src/app/console-till";
import { CFG, MASKED, OUTCOMES, PAN } from "./fixtures";
import { rig, settle } from "./ports";

describe("formatAmount", () => {
  it("integer minor units by exponent, no float", () => {
    const rows: [number, number, string][] = [
      [1250, 2, "12.50"],
      [5, 2, "0.05"],
      [100000, 2, "1000.00"],
      [1250, 0, "1250"],
      [1, 3, "0.001"],
      [999999999999, 2, "9999999999.99"],
    ];
    for (const r of rows) expect(formatAmount(r[0], r[1])).toBe(r[2]);
  });
});

describe("console till", () => {
  it("sale, status, last through an approved sale; every line masked", async () => {
    const r = rig();
    const printed: string[] = [];
    const till = consoleTill(r.runner, 2, (l) => printed.push(l));
    expect(till.last()).toBe("no sale yet");
    expect(till.sale(1250)).toBe("sale 12.50: presentCard 12.50");
    r.reader.present();
    r.reader.answer(OUTCOMES.online());
    await settle();
    expect(till.status()).toBe("authorising 12.50 " + MASKED);
    r.acquirer.reply(true, "00");
    await settle();
    expect(till.status()).toBe("approved 12.50 " + MASKED + ": approved 12.50 978 " + MASKED + " stan 000001 auth A1B2C3");
    r.clock.advance(CFG.resultMs);
    expect(till.status()).toBe("idle");
    expect(till.last()).toBe("approved 12.50 978 " + MASKED + " stan 000001 auth A1B2C3");
    expect(printed.length).toBe(6);
    for (const l of printed) expect(l).not.toContain(PAN);
  });

  it("cancel: accepted while polling, refused during the read, with the code", () => {
    const r = rig();
    const till = consoleTill(r.runner, 2, null);
    expect(till.cancel()).toBe("cancel: idle");
    expect(till.sale(12.5)).toBe("refused SALE_BAD_AMOUNT: amount must be whole minor units, 1..999999999999");
    till.sale(1250);
    expect(till.cancel()).toBe("cancel: idle");
    expect(till.last()).toBe("cancelled 12.50 978 (CANCELLED)");
    till.sale(1250);
    r.reader.present();
    expect(till.cancel()).toBe("refused CANCEL_DURING_READ: card being read: cancel in a moment");
    expect(till.sale(1)).toBe("refused SALE_BUSY: a sale is in progress (reading)");
  });

  it("describeResult names the reason and a queued reversal", () => {
    expect(describeResult({ id: null, time: null, card: null, outcome: "notAuthorised", reason: "AUTH_TIMEOUT", amountMinor: 700, currency: 978, maskedPan: MASKED, stan: "000003", clientTransactionId: "x", authCode: null, responseCode: null, reversal: true }, 2)).toBe(
      "notAuthorised 7.00 978 " + MASKED + " (AUTH_TIMEOUT) stan 000003 reversal queued",
    );
  });
});
