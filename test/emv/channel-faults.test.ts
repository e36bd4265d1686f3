// What a failed exchange ends in (src/emv/channel-faults.ts, Book A §6.2, Book B §3.5):
// communication errors → Try Again (Start B, "present card again"); a card breaking the APDU
// protocol → End Application with reason EMV_PROTOCOL_ERROR and the channel's code.
import { describe, expect, it } from "vitest";
import { codedError } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { CARD_PROTOCOL_ERRORS, channelFault } from "../../src/emv/channel-faults";
import { runEntryPoint } from "../../src/emv/entry-point";
import { errorOutcome } from "../../src/emv/kernel";
import { OutcomeType, Start, UiMessage, UiStatus } from "../../src/emv/outcome";
import type { Calendar, Random } from "../../src/hal/types";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { FakePn532, targetA } from "../nfc/fake-pn532";

const calendar: Calendar = { today: () => ({ year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 }) };
const random: Random = { bytes: (n: number) => new Uint8Array(n).fill(0x5a) };
const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";

function tapFailingWith(e: Error) {
  return runEntryPoint({ transceive: () => Promise.reject(e) }, defaultEntryPointConfig(), { amountMinor: 1250 }, calendar, random);
}

// [channel error code, its fields, Outcome, detail expected]
const TABLE: [string, Record<string, unknown>, OutcomeType, Record<string, unknown>][] = [
  // Communication errors (Book D: time-out, transmission, RF protocol errors; the card left).
  ["ISODEP_TIMEOUT", { waitedMs: 2500 }, OutcomeType.TryAgain, {}],
  ["ISODEP_CARD_GONE", { status: 0x29 }, OutcomeType.TryAgain, {}],
  ["ISODEP_PROTOCOL", { status: 0x02 }, OutcomeType.TryAgain, {}], // CRC error on the RF link
  ["PN532_TIMEOUT", {}, OutcomeType.TryAgain, {}],
  ["PN532_STATUS", { status: 0x27 }, OutcomeType.TryAgain, {}],
  ["LINK_TIMEOUT", {}, OutcomeType.TryAgain, {}],
  ["PN532_CHECKSUM", {}, OutcomeType.TryAgain, {}],
  // The card broke the APDU protocol (ISO/IEC 7816-4 §5): the next tap would do the same.
  ["APDU_GET_RESPONSE_LIMIT", { rounds: 16, bytes: 16, sw: 0x6101 }, OutcomeType.EndApplication, { sw: 0x6101 }],
  ["APDU_WRONG_LE", { sw: 0x6c08, ins: 0xae }, OutcomeType.EndApplication, { sw: 0x6c08 }],
  ["APDU_TOO_SHORT", { length: 1, offset: 1 }, OutcomeType.EndApplication, {}],
  ["PN532_TOO_LONG", { length: 4100, limit: 4096 }, OutcomeType.EndApplication, {}],
  ["ISODEP_COMMAND_TOO_LONG", { length: 263 }, OutcomeType.EndApplication, {}],
];

describe("a failed exchange at SELECT PPSE, by the channel's error code", () => {
  it("covers every card protocol error", () => {
    const ends = TABLE.filter((row) => row[2] === OutcomeType.EndApplication).map((row) => row[0]);
    expect(ends.sort()).toEqual([...CARD_PROTOCOL_ERRORS].sort());
  });

  for (const [code, fields, type, detail] of TABLE) {
    it(`${code} → ${type}`, async () => {
      const o = await tapFailingWith(codedError(code, "scripted", fields));
      expect(o.detail).toMatchObject(Object.assign({ code: code, step: "PPSE" }, detail));
      if (type === OutcomeType.TryAgain) {
        expect(o).toMatchObject({ type, reason: "EMV_CARD_GONE", start: Start.B, uiOnOutcome: null });
        expect(o.uiOnRestart).toMatchObject({ messageId: UiMessage.PresentCardAgain, status: UiStatus.ReadyToRead });
      } else {
        expect(o).toMatchObject({ type, reason: "EMV_PROTOCOL_ERROR", start: Start.NA, uiOnRestart: null });
        expect(o.uiOnOutcome).toMatchObject({ messageId: UiMessage.TryAnotherCard, status: UiStatus.ProcessingError });
      }
    });
  }

  it("an uncoded failure stays a communication error (detail UNCODED)", async () => {
    expect(await tapFailingWith(new Error("boom"))).toMatchObject({ type: OutcomeType.TryAgain, detail: { code: "UNCODED" } });
  });

  it("channelFault keeps the SW of a 6Cxx refusal for the outcome", () => {
    const e = channelFault(codedError("APDU_WRONG_LE", "x", { sw: 0x6c20, ins: 0xa8 }), "GPO");
    expect(e).toMatchObject({ code: "EMV_PROTOCOL_ERROR", cause: "APDU_WRONG_LE", sw: 0x6c20, step: "GPO" });
    expect(errorOutcome(e, 1300)).toMatchObject({ type: OutcomeType.EndApplication, detail: { code: "APDU_WRONG_LE", sw: 0x6c20, step: "GPO" } });
  });
});

describe("through the real APDU stack (buildApduStack over a scripted PN532)", () => {
  /** A phone whose every InDataExchange answer comes from `answer`. */
  function card(answer: (apdu: string) => string) {
    const pn = new FakePn532();
    const seen: string[] = [];
    pn.exchange = (tg, data) => {
      seen.push(toHex(data));
      return Promise.resolve(fromHex(answer(toHex(data))));
    };
    const channel = buildApduStack(pn, targetA(1, 0x20, "08A1B2C3", "0578807002"));
    return { seen, run: () => runEntryPoint(channel, defaultEntryPointConfig(), { amountMinor: 1250 }, calendar, random) };
  }

  it("a card that keeps answering 61xx ends the transaction, not 'present card again'", async () => {
    const c = card(() => "AA 61 01");
    const o = await c.run();
    expect(o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_PROTOCOL_ERROR", detail: { code: "APDU_GET_RESPONSE_LIMIT", step: "PPSE" } });
    expect(c.seen[0]).toBe(SELECT_PPSE);
    expect(c.seen.slice(1).every((x) => x === "00C0000001")).toBe(true);
    expect(c.seen.length).toBe(17); // SELECT + 16 GET RESPONSE rounds
  });

  it("an R-APDU without its status word ends the transaction", async () => {
    const o = await card(() => "90").run();
    expect(o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_PROTOCOL_ERROR", detail: { code: "APDU_TOO_SHORT", step: "PPSE" } });
  });
});
