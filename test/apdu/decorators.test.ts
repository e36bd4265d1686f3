// The ApduChannel decorators: GET RESPONSE for 61xx (ISO/IEC 7816-4 §7.6.1), resend with Le
// for 6Cxx (§5.6), and the recorder. Scripts are transcripts (script-channel.ts).
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { GetResponseChannel } from "../../src/apdu/get-response";
import { ResendLeChannel, withLe } from "../../src/apdu/resend-le";
import { RecordingChannel } from "../../src/apdu/recorder";
import type { ApduMask } from "../../src/apdu/recorder";
import { parseTranscript } from "../../src/apdu/transcript";
import { ScriptChannel } from "./script-channel";
import { decodeCommand, encodeCommand } from "../../src/apdu/command";
import { below, mutate, prng, randomBytes } from "./fuzz";

const SELECT_VISA = fromHex("00A4040007A000000003101000");

function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail("resolved"),
    (e) => e,
  );
}

describe("GET RESPONSE decorator (61xx)", () => {
  it("passes a plain answer through as the same bytes", async () => {
    const s = new ScriptChannel("=> 00A4040007A000000003101000\n<= 6F0184 9000");
    const r = await new GetResponseChannel(s).transceive(SELECT_VISA);
    expect(toHex(r)).toBe("6F01849000");
    s.done();
  });

  it("fetches and concatenates while 61xx, keeping the last SW", async () => {
    const s = new ScriptChannel(`
      # a T=0-style card: the FCI in three parts
      => 00 A4 04 00 07 A0 00 00 00 03 10 10 00
      <= 61 04
      => 00 C0 00 00 04
      <= 6F 08 84 07 61 03
      => 00 C0 00 00 03
      <= A0 00 00 62 83
    `);
    const r = await new GetResponseChannel(s).transceive(SELECT_VISA);
    expect(toHex(r)).toBe("6F088407A00000" + "6283");
    s.done();
  });

  it("keeps data that came with the 61xx and asks 00 for 256 bytes", async () => {
    const s = new ScriptChannel(`
      => 80CA9F3600
      <= 0102 6100
      => 00C0000000
      <= 0304 9000
    `);
    const r = await new GetResponseChannel(s).transceive(fromHex("80CA9F3600"));
    expect(toHex(r)).toBe("010203049000");
    s.done();
  });

  it("gives up after maxRounds with APDU_GET_RESPONSE_LIMIT", async () => {
    let script = "=> 80CA9F3600\n<= 6101\n";
    for (let i = 0; i < 3; i++) script += "=> 00C0000001\n<= AA 6101\n";
    const s = new ScriptChannel(script);
    const e = await rejection(new GetResponseChannel(s, { maxRounds: 3 }).transceive(fromHex("80CA9F3600")));
    expect(e.code).toBe("APDU_GET_RESPONSE_LIMIT");
    expect(e.rounds).toBe(3);
    expect(e.bytes).toBe(3);
    s.done();
  });

  it("gives up past maxBytes (default 4096)", async () => {
    const big = "AA".repeat(256);
    let script = "=> 80CA9F3600\n<= 6100\n";
    for (let i = 0; i < 16; i++) script += "=> 00C0000000\n<= " + big + " 6100\n";
    const s = new ScriptChannel(script);
    const e = await rejection(new GetResponseChannel(s).transceive(fromHex("80CA9F3600")));
    expect(e.code).toBe("APDU_GET_RESPONSE_LIMIT");
    expect(e.bytes).toBe(4096);
    expect(e.rounds).toBe(16);
  });

  it("passes a transport error through unchanged", async () => {
    const s = new ScriptChannel("=> 80CA9F3600\n<= 6102\n=> 00C0000002\n# error ISODEP_CARD_GONE");
    const e = await rejection(new GetResponseChannel(s).transceive(fromHex("80CA9F3600")));
    expect(e.code).toBe("ISODEP_CARD_GONE");
    expect(e.step).toBe(2);
  });
});

describe("resend-with-Le decorator (6Cxx)", () => {
  it("resends once with Le = SW2, replacing the Le of a case 2 command", async () => {
    const s = new ScriptChannel(`
      => 00 B2 01 0C 00
      <= 6C 1A
      => 00 B2 01 0C 1A
      <= 70 18 ${"00".repeat(24)} 90 00
    `);
    const r = await new ResendLeChannel(s).transceive(fromHex("00B2010C00"));
    expect(r.length).toBe(28);
    s.done();
  });

  it("returns a second 6Cxx as the answer", async () => {
    const s = new ScriptChannel("=> 00B2010C00\n<= 6C10\n=> 00B2010C10\n<= 6C11");
    const r = await new ResendLeChannel(s).transceive(fromHex("00B2010C00"));
    expect(toHex(r)).toBe("6C11");
    s.done();
  });

  it("replaces or appends Le for every case, and leaves an undecodable command alone", () => {
    expect(toHex(withLe(fromHex("80CA9F36"), 0x05)!)).toBe("80CA9F3605"); // case 1 → 2
    expect(toHex(withLe(fromHex("80CA9F3600"), 0x05)!)).toBe("80CA9F3605"); // case 2
    expect(toHex(withLe(fromHex("80AE800002AAAA"), 0x20)!)).toBe("80AE800002AAAA20"); // case 3 → 4
    expect(toHex(withLe(fromHex("80AE800002AAAA00"), 0x00)!)).toBe("80AE800002AAAA00"); // case 4, 00 = 256
    expect(toHex(withLe(fromHex("00B00000000001AA0000"), 0x10)!)).toBe("00B00000000001AA0010"); // extended stays extended
    expect(withLe(fromHex("80AE8000"+"05AA"), 0x10)).toBe(null);
  });

  it("gives the bytes of the decoded command re-encoded with Ne = SW2, for any command (fuzz)", () => {
    // ISO/IEC 7816-4 §5.1 as decodeCommand / encodeCommand read and write it: short and
    // extended forms, every case, and byte strings that are no command at all.
    const rand = prng(0x6c);
    const reference = (c: Uint8Array, sw2: number): string | null => {
      let d;
      try {
        d = decodeCommand(c);
      } catch {
        return null;
      }
      d.ne = sw2 || 256;
      return toHex(encodeCommand(d));
    };
    for (let n = 0; n < 20000; n++) {
      const kind = below(rand, 4);
      let c: Uint8Array;
      if (kind === 0) c = randomBytes(rand, 12);
      else {
        // A well-formed command of a random case and form, sometimes mutated.
        const nc = below(rand, 3) === 0 ? 0 : 1 + below(rand, kind === 3 ? 300 : 20);
        const ne = below(rand, 2) ? 0 : 1 + below(rand, 300);
        const d = { cla: below(rand, 256), ins: below(rand, 256), p1: below(rand, 256), p2: below(rand, 256), data: randomBytes(rand, 0), ne, extended: kind === 3 };
        d.data = new Uint8Array(nc).fill(below(rand, 256));
        c = encodeCommand(d);
        if (kind === 2) c = mutate(rand, c);
      }
      const sw2 = below(rand, 4) === 0 ? 0 : below(rand, 256);
      const got = withLe(c, sw2);
      expect(got === null ? null : toHex(got), toHex(c) + " / " + sw2).toBe(reference(c, sw2));
    }
  });

  // EMV Book 3 §6.5.5, §6.5.8: GENERATE AC and GPO change the card's state (ATC, cryptogram).
  const NEVER_TWICE: [string, string, number][] = [
    ["GENERATE AC", "80AE8000040000125000", 0xae],
    ["GET PROCESSING OPTIONS", "80A80000028300" + "00", 0xa8],
  ];
  for (const [name, command, ins] of NEVER_TWICE) {
    it(`does not resend ${name} on 6Cxx: APDU_WRONG_LE with the SW`, async () => {
      const s = new ScriptChannel(`=> ${command}\n<= 6C 20`);
      const e = await rejection(new ResendLeChannel(s).transceive(fromHex(command)));
      expect(e).toMatchObject({ code: "APDU_WRONG_LE", sw: 0x6c20, ins: ins });
      expect(s.sent.length).toBe(1);
      s.done();
    });
  }

  it("passes a transport error through unchanged", async () => {
    const s = new ScriptChannel("=> 00B2010C00\n<= 6C10\n=> 00B2010C10\n# error ISODEP_TIMEOUT");
    const e = await rejection(new ResendLeChannel(s).transceive(fromHex("00B2010C00")));
    expect(e.code).toBe("ISODEP_TIMEOUT");
  });
});

describe("recorder", () => {
  // A stand-in for the EMV layer's mask: F-fills the value of tag 5A in a response (lengths kept).
  const maskPan: ApduMask = (apdu, isResponse) => {
    const out = apdu.slice();
    if (isResponse && out[0] === 0x5a) out.fill(0xff, 2 + 3, 2 + out[1] - 2);
    return out;
  };

  it("writes => / <= lines, header comments and errors, and hands each line out", async () => {
    const s = new ScriptChannel(`
      => 00B2010C00
      <= 5A 08 47 61 73 90 01 01 00 10 90 00
      => 00B2020C00
      # error ISODEP_CARD_GONE
    `);
    const got: string[] = [];
    const rec = new RecordingChannel(s, maskPan, (line) => got.push(line));
    rec.comment("profile: card-visa");
    const r = await rec.transceive(fromHex("00B2010C00"));
    expect(toHex(r)).toBe("5A0847617390010100109000"); // the caller gets clear bytes
    const e = await rejection(rec.transceive(fromHex("00B2020C00")));
    expect(e.code).toBe("ISODEP_CARD_GONE");
    expect(e.step).toBe(2); // the same error object, not a copy
    const expected = [
      "# profile: card-visa",
      "=> 00 B2 01 0C 00",
      "<= 5A 08 47 61 73 FF FF FF 00 10 90 00",
      "=> 00 B2 02 0C 00",
      "# error ISODEP_CARD_GONE",
    ];
    expect(got).toEqual(expected);
    expect(rec.text()).toBe(expected.join("\n") + "\n");
    expect(parseTranscript(rec.text()).length).toBe(5);
  });

  it("records in clear when the mask is null", async () => {
    const s = new ScriptChannel("=> 00B2010C00\n<= 5A0847617390010100109000");
    const rec = new RecordingChannel(s, null);
    expect(rec.text()).toBe("");
    await rec.transceive(fromHex("00B2010C00"));
    expect(rec.text()).toBe("=> 00 B2 01 0C 00\n<= 5A 08 47 61 73 90 01 01 00 10 90 00\n");
  });

  it("stacked as GetResponse(ResendLe(Recording(transport))) records every exchange on the wire", async () => {
    const s = new ScriptChannel(`
      => 00B2010C00
      <= 6C05
      => 00B2010C05
      <= 6103
      => 00C0000003
      <= 700100 9000
    `);
    const rec = new RecordingChannel(s, null);
    const r = await new GetResponseChannel(new ResendLeChannel(rec)).transceive(fromHex("00B2010C00"));
    expect(toHex(r)).toBe("7001009000");
    expect(parseTranscript(rec.text()).length).toBe(6);
    s.done();
  });
});
