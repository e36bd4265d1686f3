/**
 * The APDU stack and the Field Off Request end to end: `npm run tap` (runTap / runSession) and
 * the bench rig over the PN532 simulator, with transcripts edited from the samples (a card
 * answering GENERATE AC 61xx then 6Cxx to its GET RESPONSE) and the see-phone phones.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTap } from "../../host/tap/run-tap";
import { ARRIVE_MS, runSession } from "../../host/tap/session";
import { loadTarget } from "../../host/tap/target";
import { seededRandom } from "../../host/tap/determinism";
import { I2C_400, simulateTaps } from "../../host/bench/tap-rig";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { profileByName } from "../../src/sim/profiles";

const TRANSCRIPTS = fileURLToPath(new URL("../../src/sim/transcripts/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "tappos-tap-stack-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/* eslint-disable @typescript-eslint/no-explicit-any */
async function tapJson(...args: string[]): Promise<{ code: number; j: any }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTap([...args, "--json"], (l) => out.push(l), (l) => err.push(l));
  expect(err.join("\n")).toBe("");
  return { code: code, j: JSON.parse(out.join("\n")) };
}

describe("tap: the APDU stack (src/nfc/apdu-stack.ts)", () => {
  /**
   * The second tap of the Google Pay transcript (one tap, Online Request) with its GENERATE AC
   * answer replaced by `gacAnswer` lines (`<=` / `=>`); `answer` stands for the recorded one.
   */
  function gacTranscript(name: string, gacAnswer: string[]): string {
    const lines = readFileSync(join(TRANSCRIPTS, "googlepay-mastercard.apdu"), "utf8").trimEnd().split("\n");
    const tap2 = lines.indexOf(lines.find((l) => l.startsWith("# tap 2"))!);
    const answer = lines[lines.length - 1];
    expect(answer.startsWith("<= 77 2F")).toBe(true); // 0x31 bytes of data, then 90 00
    const text = [...lines.slice(0, 8), ...lines.slice(tap2 + 1, lines.length - 1), ...gacAnswer.map((l) => (l === "answer" ? answer : l)), ""];
    const path = join(tmp, name);
    writeFileSync(path, text.join("\n"));
    return path;
  }

  it("a card answering GENERATE AC 6110, then 6C31 to the GET RESPONSE: GET RESPONSE resent with Le 31, GENERATE AC sent once", async () => {
    // ISO/IEC 7816-4 §5.3.4 61xx, §5.6 6Cxx. The old stack resent the GENERATE AC here.
    const path = gacTranscript("gac-6110-6c31.apdu", ["<= 61 10", "=> 00 C0 00 00 10", "<= 6C 31", "=> 00 C0 00 00 31", "answer"]);
    const { code, j } = await tapJson(path);
    expect(j.replay.ok).toBe(true);
    expect([code, j.outcome, j.reason]).toEqual([0, "ONLINE_REQUEST", "OK"]);
    expect(j.trace.filter((t: any) => t.command.startsWith("80AE")).length).toBe(1);
    expect(j.trace.slice(-3).map((t: any) => t.command)).toEqual([expect.stringMatching(/^80AE/), "00C0000010", "00C0000031"]);
  });

  it("6C20 to GENERATE AC: not resent; End Application EMV_PROTOCOL_ERROR with the SW, not Try Again", async () => {
    const path = gacTranscript("gac-6c20.apdu", ["<= 6C 20"]);
    const { code, j } = await tapJson(path);
    expect([code, j.outcome, j.reason, j.taps.length]).toEqual([1, "END_APPLICATION", "EMV_PROTOCOL_ERROR", 1]);
    expect(j.detail).toMatchObject({ code: "APDU_WRONG_LE", step: "GAC" });
    expect([0x6c20, "6C20"]).toContain(j.detail.sw);
    expect(j.trace.filter((t: any) => t.command.startsWith("80AE")).length).toBe(1);
    expect(j.replay.ok).toBe(true);
  });
});

describe("tap: Field Off Request after see phone (Book A §6.2; src/nfc/field-off.ts)", () => {
  it("the bench rig (host/bench/tap-rig.ts) honours it too: tap 2 comes after 1300 ms of field off", async () => {
    const r = await simulateTaps(profileByName("applepay-visa")!, I2C_400);
    expect(r.map((t) => [t.tap, t.reason, t.fieldOffMs])).toEqual([
      [1, "EMV_SEE_PHONE", 0],
      [2, "OK", 1300],
    ]);
  });

  const session = (name: string, fieldOff: boolean) =>
    runSession({
      tapTarget: loadTarget(name, seededRandom(7), ARRIVE_MS),
      config: defaultEntryPointConfig(),
      amountMinor: 1250,
      startMs: Date.UTC(2026, 0, 15, 10, 30),
      random: seededRandom(1),
      mask: null,
      header: [],
      fieldOff: fieldOff,
    });

  // C-3 GPO 6986 and C-2 DF4B: the phone stays in the field and re-engages on a new field only.
  for (const name of ["applepay-visa", "googlepay-mastercard"]) {
    it(`${name}: the field goes off 1300 ms, then the phone is polled and pays`, async () => {
      const r = await session(name, true);
      expect(r.attempts.map((a) => a.outcome.reason)).toEqual(["EMV_SEE_PHONE", "OK"]);
      expect(r.attempts[0].outcome.fieldOffMs).toBe(1300);
      expect(r.fieldOffs).toEqual([{ tap: 1, atMs: r.attempts[0].endedAtMs, holdMs: 1300 }]);
      expect(r.attempts[1].detectedAtMs - r.fieldOffs[0].atMs).toBeGreaterThanOrEqual(1300);
      expect(r.transcript).toMatch(/^# tap 2: card presented again after the field was off 1300 ms, /m);
      expect(r.pendingTimers).toBe(0);
    });

    it(`${name}: a reader that ignores the Field Off Request never sees the phone again`, async () => {
      const r = await session(name, false);
      expect(r.fieldOffs).toEqual([]);
      expect(r.attempts.map((a) => a.outcome.reason)).toEqual(["EMV_SEE_PHONE"]);
      expect(r.outcome!.type).not.toBe("ONLINE_REQUEST");
    });
  }
});
