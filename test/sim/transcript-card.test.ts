// The transcript card (docs/architecture.md "Transcript"; src/sim/transcript-card.ts): replays a `.apdu`
// transcript through VirtualTarget.handle() and reports every surprise.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fromHex, toHex } from "../../src/bytes/hex";
import { RecordingChannel } from "../../src/apdu/recorder";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import type { ApduChannel } from "../../src/apdu/channel";
import { createTranscriptCard } from "../../src/sim/transcript-card";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { prng, below, mutate, codeOrNull } from "../apdu/fuzz";

const VISA = readFileSync(new URL("./fixtures/visa-like.apdu", import.meta.url), "utf8");

// The terminal's side of the fixture. The GPO carries another UN (9F37) and date (9A) than
// the recorded one (1A2B3C4D, 250307): it must still match, on its header.
const SELECT_PPSE = "00A404000E325041592E535953 2E444446303100";
const SELECT_VISA = "00A4040007A000000003101000";
const GPO_OTHER_UN = "80A80000 13 8311 36004000 000000001250 DEADBEEF 260101 00";
const READ_SFI1_REC1 = "00B2010C00";

const PPSE_FCI = "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000031010870101 9000";
const GPO_RECORDED = "772D 82022000 940408010100 9F3602002A 9F26088E1F3A5B7C9D0E21 9F270180 9F100706011203A00000 9F6C020080 9000";
const RECORD_CLEAR = "7029571347617390010100 10D25122010000000000000F5A0847617390010100105F24032512315F3401019000";

function send(t: VirtualTarget, hex: string, atMs?: number) {
  return t.handle(fromHex(hex), atMs ?? 0);
}

function responseHex(t: VirtualTarget, hex: string): string {
  const a = send(t, hex);
  return a ? toHex(a.response) : "no answer";
}

describe("transcript card: replay", () => {
  it("replays a Visa-like tap: SELECT PPSE, SELECT AID, GPO with a new UN, READ RECORD", () => {
    const card = createTranscriptCard(VISA);
    const t = card.target;
    const ppse = send(t, SELECT_PPSE);
    expect(ppse).toEqual({ response: fromHex(PPSE_FCI), processingMs: 20, wtx: 0 });
    expect(responseHex(t, SELECT_VISA)).toBe("6F268407A0000000031010A51B500B56495341204352454449549F380B9F66049F02069F37049A039000");
    expect(responseHex(t, GPO_OTHER_UN)).toBe(toHex(fromHex(GPO_RECORDED)));
    expect(responseHex(t, READ_SFI1_REC1)).toBe(toHex(fromHex(RECORD_CLEAR)));
    expect(card.report()).toEqual({ ok: true, failures: [], replayed: 4, leftovers: 0, leftoverLine: 0 });
    expect(() => card.check()).not.toThrow();
  });

  it("takes ATQA, SAK, UID, ATS and latency from the header comments", () => {
    const t = createTranscriptCard(VISA).target;
    expect([toHex(t.atqa), t.sak, toHex(t.uid), t.ats && toHex(t.ats)]).toEqual(["0004", 0x20, "08AABBCC", "0578807002"]);
    expect(t.arriveAtMs).toBe(0);
    expect(t.leaveAtMs).toBeUndefined();
  });

  it("defaults to a phone with 15 ms per APDU when the header says nothing", () => {
    const t = createTranscriptCard("# no target info here\n=> 00A40400\n<= 9000\n").target;
    expect([toHex(t.atqa), t.sak, t.uid.length, t.uid[0], t.ats && toHex(t.ats)]).toEqual(["0004", 0x20, 4, 0x08, "0578807002"]);
    expect(send(t, "00A40400")).toEqual({ response: fromHex("9000"), processingMs: 15, wtx: 0 });
  });

  it("lets options win over the header", () => {
    const card = createTranscriptCard(VISA, { latencyMs: 0, uid: fromHex("08010203"), sak: 0x28, ats: null, arriveAtMs: 500, leaveAtMs: 900 });
    const t = card.target;
    expect([toHex(t.uid), t.sak, t.ats, t.arriveAtMs, t.leaveAtMs]).toEqual(["08010203", 0x28, null, 500, 900]);
    expect(send(t, SELECT_PPSE)?.processingMs).toBe(0);
  });

  it("reads header keys case-insensitively with an optional colon, and `# ats none`", () => {
    const t = createTranscriptCard("# ATQA: 00 44\n# Uid: 04 11 22 33 44 55 66\n# ats none\n=> 00A40400\n<= 9000").target;
    expect([toHex(t.atqa), toHex(t.uid), t.ats]).toEqual(["0044", "04112233445566", null]);
  });

  it("ignores target comments after the first command", () => {
    const t = createTranscriptCard("# uid 08000001\n=> 00A40400\n# uid zz\n<= 9000\n# latency-ms soon").target;
    expect(toHex(t.uid)).toBe("08000001");
  });

  it("asks for S(WTX) when the latency exceeds the FWT of its ATS", () => {
    // ATS 05 75 80 40 02: TB(1) 40, FWI 4, FWT = 4096 × 16 / 13.56 MHz ≈ 4.83 ms (ISO/IEC
    // 14443-4 §7.2); 20 ms needs ceil(20 / 4.83) = 5 frame waiting times, so 4 extensions.
    const t = createTranscriptCard("# ats 0575804002\n# latency-ms 20\n=> 00A40400\n<= 9000").target;
    expect(send(t, "00A40400")).toEqual({ response: fromHex("9000"), processingMs: 20, wtx: 4 });
  });

  it("replays a command recorded without an answer as silence", () => {
    const card = createTranscriptCard("=> 00A40400\n<= 9000\n=> 80A8000002830000\n# error ISODEP_CARD_GONE\n");
    expect(responseHex(card.target, "00A40400")).toBe("9000");
    expect(send(card.target, "80A8000002830000")).toBeNull();
    expect(card.report()).toMatchObject({ ok: true, replayed: 2, leftovers: 0 });
  });

  it("leaves the field leaveWhenDoneMs after answering the last exchange", () => {
    const card = createTranscriptCard(VISA, { leaveWhenDoneMs: 50 });
    const t = card.target;
    send(t, SELECT_PPSE, 10);
    send(t, SELECT_VISA, 40);
    send(t, GPO_OTHER_UN, 70);
    expect(t.leaveAtMs).toBeUndefined();
    send(t, READ_SFI1_REC1, 100);
    expect(t.leaveAtMs).toBe(100 + 20 + 50);
  });

  it("hands out a copy of the recorded answer", () => {
    const card = createTranscriptCard("=> 00A40400\n<= 9000\n=> 00A40400\n<= 9000");
    send(card.target, "00A40400")!.response[0] = 0;
    expect(responseHex(card.target, "00A40400")).toBe("9000");
  });
});

describe("transcript card: matching rule", () => {
  const CDOL_AC = "80AE8000 06 112233445566 00";
  const INT_AUTH = "00880000 04 11223344 00";
  const TEXT = [
    "=> 80A8000004830211 22 00",
    "<= 9000",
    "=> " + CDOL_AC,
    "<= 9000",
    "=> " + INT_AUTH + "   # INTERNAL AUTHENTICATE, DDOL with the UN: match header",
    "<= 9000",
    "=> 00880000 04 11223344 00",
    "<= 9000",
    "=> 00A4040007A000000003101000",
    "<= 9000",
  ].join("\n");
  // [what, exchange index 0..4, command, matches]
  const cases: [string, number, string, boolean][] = [
    ["GPO, other PDOL data", 0, "80A8000004830299AA00", true],
    ["GPO, other Lc", 0, "80A800000583039900AA00", false],
    ["GPO, other P1", 0, "80A8010004830299AA00", false],
    ["GPO, other CLA", 0, "00A8000004830299AA00", false],
    ["GPO without Le", 0, "80A8000004830299AA", false],
    ["GENERATE AC, other CDOL data", 1, "80AE800006FFEEDDCCBBAA00", true],
    ["GENERATE AC, TC instead of ARQC (P1 40)", 1, "80AE400006112233445566 00", false],
    ["`# match header`, other data", 2, "0088000004A1B2C3D400", true],
    ["same INS without the note, other data", 3, "0088000004A1B2C3D400", false],
    ["same INS without the note, same data", 3, INT_AUTH, true],
    ["SELECT, exact", 4, "00A4040007A000000003101000", true],
    ["SELECT, last AID byte differs", 4, "00A4040007A000000003101100", false],
    ["SELECT without Le", 4, "00A4040007A0000000031010", false],
  ];
  for (const c of cases) {
    it(c[0] + (c[3] ? " matches" : " does not match"), () => {
      const card = createTranscriptCard(TEXT);
      const want = ["80A8000004830211 2200", CDOL_AC, INT_AUTH, INT_AUTH, "00A4040007A000000003101000"];
      for (let i = 0; i < c[1]; i++) send(card.target, want[i]);
      expect(responseHex(card.target, c[2])).toBe(c[3] ? "9000" : "6F00");
      expect(card.report().failures.map((f) => f.code)).toEqual(c[3] ? [] : ["SIM_TRANSCRIPT_MISMATCH"]);
    });
  }
});

describe("transcript card: surprises", () => {
  it("answers 6F00 to an unexpected command and reports line, expected and got", () => {
    const card = createTranscriptCard(VISA);
    const t = card.target;
    send(t, SELECT_PPSE);
    const a = send(t, "00A4040007A000000004101000", 33); // Mastercard, not the recorded Visa AID
    expect(a).toEqual({ response: fromHex("6F00"), processingMs: 20, wtx: 0 });
    const r = card.report();
    expect(r.ok).toBe(false);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({
      code: "SIM_TRANSCRIPT_MISMATCH",
      line: 11,
      expected: "00 A4 04 00 07 A0 00 00 00 03 10 10 00",
      got: "00 A4 04 00 07 A0 00 00 00 04 10 10 00",
      atMs: 33,
    });
    expect(r.failures[0].message).toContain("line 11");
    // The recorded exchange is used up: the tap goes on from the next one.
    expect(responseHex(t, GPO_OTHER_UN)).toBe(toHex(fromHex(GPO_RECORDED)));
    expect(responseHex(t, READ_SFI1_REC1)).toBe(toHex(fromHex(RECORD_CLEAR)));
    expect(card.report()).toMatchObject({ replayed: 3, leftovers: 0 });
    expect(() => card.check()).toThrow(expect.objectContaining({ code: "SIM_TRANSCRIPT_MISMATCH", line: 11 }));
  });

  it("answers 6F00 to commands after the end and reports SIM_TRANSCRIPT_EXHAUSTED", () => {
    const card = createTranscriptCard(VISA);
    const t = card.target;
    for (const c of [SELECT_PPSE, SELECT_VISA, GPO_OTHER_UN, READ_SFI1_REC1]) send(t, c);
    expect(responseHex(t, "00B2020C00")).toBe("6F00");
    expect(responseHex(t, "00B2030C00")).toBe("6F00");
    const r = card.report();
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => [f.code, f.line, f.got])).toEqual([
      ["SIM_TRANSCRIPT_EXHAUSTED", 16, "00 B2 02 0C 00"],
      ["SIM_TRANSCRIPT_EXHAUSTED", 16, "00 B2 03 0C 00"],
    ]);
    expect(() => card.check()).toThrow(expect.objectContaining({ code: "SIM_TRANSCRIPT_EXHAUSTED" }));
  });

  it("reports leftovers when the tap ends early", () => {
    const card = createTranscriptCard(VISA);
    send(card.target, SELECT_PPSE);
    send(card.target, SELECT_VISA);
    expect(card.report()).toEqual({ ok: false, failures: [], replayed: 2, leftovers: 2, leftoverLine: 13 });
    expect(() => card.check()).toThrow(expect.objectContaining({ code: "SIM_TRANSCRIPT_LEFTOVER", line: 13, leftovers: 2 }));
  });

  it("reports every exchange as a leftover when nothing was sent", () => {
    expect(createTranscriptCard(VISA).report()).toMatchObject({ ok: false, leftovers: 4, leftoverLine: 9 });
  });

});

describe("transcript card: masked transcripts", () => {
  function channel(t: VirtualTarget): ApduChannel {
    return {
      transceive(c) {
        const a = t.handle(c, 0);
        return a ? Promise.resolve(a.response) : Promise.reject(Object.assign(new Error("mute"), { code: "TEST_MUTE" }));
      },
    };
  }

  it("replays a transcript recorded with PAN masking, answering the masked bytes", async () => {
    // Record a replay of the clear fixture the way the terminal records a tap.
    const rec = new RecordingChannel(channel(createTranscriptCard(VISA).target), (apdu, isResponse) => (isResponse ? maskResponseApdu(apdu) : apdu));
    rec.comment("uid 08AABBCC");
    for (const c of [SELECT_PPSE, SELECT_VISA, GPO_OTHER_UN, READ_SFI1_REC1]) await rec.transceive(fromHex(c));
    const masked = rec.text();
    expect(masked).toContain("5A 08 47 61 73 FF FF FF 00 10");
    expect(masked).not.toContain("47 61 73 90 01 01 00 10");

    const card = createTranscriptCard(masked);
    const ch = channel(card.target);
    await ch.transceive(fromHex(SELECT_PPSE));
    await ch.transceive(fromHex(SELECT_VISA));
    await ch.transceive(fromHex("80A80000138311 36004000 000000009999 01020304 260202 00"));
    const record = toHex(await ch.transceive(fromHex(READ_SFI1_REC1)));
    expect(record).toContain("5713476173FFFFFF0010D2512201");
    expect(record).toContain("5A08476173FFFFFF0010");
    expect(record.length).toBe(toHex(fromHex(RECORD_CLEAR)).length);
    expect(card.report().ok).toBe(true);
    expect(toHex(card.target.uid)).toBe("08AABBCC");
  });
});

describe("transcript card: syntax", () => {
  it("rejects a transcript that does not parse with TRANSCRIPT_SYNTAX at its line", () => {
    const bad = VISA.replace("=> 00 B2 01 0C 00", "=> 00 B2 01 0C 0");
    expect(() => createTranscriptCard(bad)).toThrow(expect.objectContaining({ code: "TRANSCRIPT_SYNTAX", line: 15 }));
    expect(() => createTranscriptCard("=> 00A40400\n<= 9000\n<= 9000")).toThrow(expect.objectContaining({ code: "TRANSCRIPT_SYNTAX", line: 3 }));
  });

  // [header line, key]
  const headers: [string, string][] = [
    ["# uid 08AABB", "uid"],
    ["# uid 08AABBCCDD", "uid"],
    ["# uid 08 AA BB CC (random)", "uid"],
    ["# atqa 000400", "atqa"],
    ["# sak 2", "sak"],
    ["# sak 2020", "sak"],
    ["# ats 0578", "ats"],
    ["# ats", "ats"],
    ["# latency-ms fast", "latency-ms"],
    ["# latency-ms -5", "latency-ms"],
    ["# latency-ms 2.5", "latency-ms"],
    ["# latency-ms", "latency-ms"],
  ];
  for (const h of headers) {
    it("rejects the header `" + h[0] + "` with TRANSCRIPT_SYNTAX at its line", () => {
      const text = "# tappos transcript\n" + h[0] + "\n=> 00A40400\n<= 9000\n";
      expect(() => createTranscriptCard(text)).toThrow(expect.objectContaining({ code: "TRANSCRIPT_SYNTAX", line: 2, key: h[1] }));
    });
  }

  // [what, text, code, line]: refused at load, not replayed into a confusing outcome.
  const cut: [string, string, string, number][] = [
    ["an empty file", "", "TRANSCRIPT_EMPTY", 1],
    ["comments only", "# tappos transcript\n# uid 08AABBCC\n", "TRANSCRIPT_EMPTY", 3],
    ["commands without any answer", "# x\n=> 00A40400\n# error ISODEP_TIMEOUT\n=> 00B2010C00\n# error ISODEP_TIMEOUT\n", "TRANSCRIPT_NO_ANSWER", 2],
    ["a last => with no <=", "=> 00A40400\n<= 9000\n=> 00B2010C00\n", "TRANSCRIPT_TRUNCATED", 3],
    ["a => followed by another =>", "=> 00A40400\n=> 00B2010C00\n<= 9000\n", "TRANSCRIPT_TRUNCATED", 1],
    ["a command cut before the end of its data (Lc 0E)", "=> 00 A4 04 00 0E 32 50 41 59\n<= 9000\n", "TRANSCRIPT_TRUNCATED", 1],
    ["a response cut before its status word", "=> 00A40400\n<= 9000\n=> 00B2010C00\n<= 70 29 57 13 47 61\n", "TRANSCRIPT_TRUNCATED", 4],
    ["odd hex digits at the end of a line", "=> 00A40400\n<= 900", "TRANSCRIPT_SYNTAX", 2],
    ["a => with no bytes", "=> 00A40400\n<= 9000\n=>\n", "TRANSCRIPT_SYNTAX", 3],
  ];
  for (const [what, text, code, line] of cut) {
    it("refuses " + what + " with " + code + " at line " + line, () => {
      expect(() => createTranscriptCard(text)).toThrow(expect.objectContaining({ code: code, line: line }));
    });
  }

  it("takes a => answered by # error CODE (a transport failure) as a whole exchange", () => {
    expect(() => createTranscriptCard("=> 00A40400\n<= 9000\n=> 00B2010C00\n# error ISODEP_TIMEOUT\n")).not.toThrow();
  });

  it("refuses the sample fixture cut anywhere inside its last answer, with the last line", () => {
    const end = VISA.trimEnd();
    const lastLine = end.split("\n").length;
    for (let cutAt = end.lastIndexOf("<=") + 3; cutAt < end.length - 2; cutAt += 3) {
      expect(() => createTranscriptCard(end.substring(0, cutAt)), "cut at " + cutAt).toThrow(expect.objectContaining({ line: lastLine }));
    }
  });

  it("fuzz: random and mutated transcripts load or throw TRANSCRIPT_*; handle() never throws", () => {
    const rand = prng(0x7ca2d);
    const alphabet = "=<># 0123456789ABCDEFaG\n\t:-uidatsqklenyms";
    const source = new TextEncoder().encode(VISA);
    let loaded = 0;
    for (let i = 0; i < 3000; i++) {
      let text = "";
      if (i % 3 === 0) {
        const n = below(rand, 80);
        for (let k = 0; k < n; k++) text += alphabet.charAt(below(rand, alphabet.length));
      } else {
        text = new TextDecoder().decode(mutate(rand, source));
      }
      let card: ReturnType<typeof createTranscriptCard> | null = null;
      const code = codeOrNull(() => (card = createTranscriptCard(text)), "TRANSCRIPT_", JSON.stringify(text));
      if (code || !card) continue;
      loaded++;
      const c: ReturnType<typeof createTranscriptCard> = card;
      for (let k = 0; k < 6; k++) {
        const cmd = new Uint8Array(below(rand, 12));
        for (let j = 0; j < cmd.length; j++) cmd[j] = below(rand, 256);
        const a = c.target.handle(k & 1 ? fromHex(SELECT_PPSE) : cmd, k);
        if (a) expect(a.response.length).toBeGreaterThanOrEqual(2);
      }
      const r = c.report();
      expect(r.ok).toBe(r.failures.length === 0 && r.leftovers === 0);
    }
    expect(loaded).toBeGreaterThan(100);
  });
});
