/**
 * The masked types (issue 6 item 23): a MaskedRecord only comes from maskRecord, a
 * MaskedApdu only from maskResponseApdu, and what prints (recordView, the trace) takes only
 * those. The `@ts-expect-error` lines are the test: `npm run typecheck` (tsc -p test) fails
 * if the compiler ever accepts a clear record or answer there. The runtime checks below keep
 * vitest honest about the same calls.
 */
import { describe, expect, it } from "vitest";
import { printable, recordView, tapJson, tapText, type TapContext } from "../../host/tap/report";
import type { SessionResult } from "../../host/tap/session";
import { decodeTrace, type TraceEntry } from "../../host/tap/trace";
import { fromHex } from "../../src/bytes/hex";
import { maskRecord, type DataRecord, type MaskedRecord } from "../../src/emv/data-record";
import { maskResponseApdu, type MaskedApdu } from "../../src/emv/mask-apdu";
import { Cvm } from "../../src/emv/outcome";

const clear: DataRecord = {
  kernel: 3,
  aid: "A0000000031010",
  pan: "4761739001010010",
  expiry: "2512",
  psn: "01",
  track2: "4761739001010010D25122011234567890123F",
  serviceCode: "201",
  cvm: Cvm.NoCvm,
  icc: {},
  wallet: {},
};

const RECORD_ANSWER = "70 0A 5A 08 47 61 73 90 01 01 00 10 90 00";

describe("masked types", () => {
  it("recordView takes a MaskedRecord, not a clear DataRecord", () => {
    // @ts-expect-error a clear DataRecord is no MaskedRecord: printing it does not compile
    const leaked = recordView(clear);
    expect(leaked.token).toBe("4761739001010010"); // what the compiler prevents
    expect(recordView(maskRecord(clear)).token).toBe("476173******0010");
  });

  it("a MaskedRecord cannot be made by hand, only by maskRecord", () => {
    // @ts-expect-error an object literal lacks the brand
    const forged: MaskedRecord = { ...clear };
    expect(forged.pan).toBe(clear.pan);
    const masked: MaskedRecord = maskRecord(clear);
    const asClear: DataRecord = masked; // the other way round is fine
    expect(asClear.track2).toBe("476173FFFFFF0010D25122011234567890123F");
  });

  it("tapJson and tapText take a PrintableResult, not the session's clear result", () => {
    const outcome = { type: "ONLINE_REQUEST", reason: "OK", start: "NA", cvm: Cvm.NoCvm, kernel: 3, aid: clear.aid, uiOnOutcome: null, uiOnRestart: null, record: clear };
    const session = { firmware: "PN532 v1.6", attempts: [], outcome: outcome, ui: [], trace: [], transcript: "", totalMs: 0, notes: [], pendingTimers: 0 } as unknown as SessionResult;
    const ctx = { tapTarget: { kind: "profile", label: "card-visa", replay: null, text: null }, amountMinor: 1250, currency: { code: 978, alpha: "EUR", exponent: 2 }, country: 250, startMs: 0, seed: 1, stale: null } as unknown as TapContext;
    // @ts-expect-error a SessionResult holds the clear record: printing it does not compile
    expect(JSON.stringify(tapJson(ctx, session, 0))).toContain("4761739001010010"); // what the compiler prevents
    // @ts-expect-error the same for the text
    expect(() => tapText(ctx, session)).toBeDefined();
    const shown = printable(session);
    expect(JSON.stringify(tapJson(ctx, shown, 0))).not.toContain("4761739001010010");
    expect(tapText(ctx, shown).join("\n")).toContain("476173******0010");
  });

  it("the trace holds only MaskedApdu answers", () => {
    const raw = fromHex(RECORD_ANSWER);
    const entry = (response: MaskedApdu): TraceEntry => ({ tap: 1, atMs: 0, ms: 0, command: fromHex("00B2010C00"), response: response, error: null });
    // @ts-expect-error a clear Uint8Array is no MaskedApdu
    const leaked = entry(raw);
    expect(decodeTrace([leaked])[0].response).toContain("4761739001010010");
    expect(decodeTrace([entry(maskResponseApdu(raw))])[0].response).toContain("476173FFFFFF0010");
  });
});
