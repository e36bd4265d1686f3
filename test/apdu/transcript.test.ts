// The `.apdu` transcript format (docs/architecture.md "Transcript"; src/apdu/transcript.ts).
import { describe, it, expect } from "vitest";
import { toHex } from "../../src/bytes/hex";
import { checkReplayable, formatTranscript, parseTranscript, spacedHex } from "../../src/apdu/transcript";
import { prng, below, codeOrNull } from "./fuzz";

const SAMPLE = [
  "# tappos transcript",
  "# profile: test",
  "",
  "=> 00 A4 04 00 0E 32 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00   # SELECT PPSE",
  "<= 6A 82",
  "  =>00a4040007a000000003101000",
  "<= 6F10840007A0000000031010 9000\r",
  "=> 80 A8 00 00 02 83 00 00",
  "# error ISODEP_CARD_GONE",
].join("\n");

describe("transcript", () => {
  it("parses commands, responses, comments and notes with their line numbers", () => {
    const e = parseTranscript(SAMPLE);
    expect(e.map((x) => [x.kind, x.line, toHex(x.bytes), x.text])).toEqual([
      ["#", 1, "", "tappos transcript"],
      ["#", 2, "", "profile: test"],
      ["=>", 4, "00A404000E325041592E5359532E444446303100", "SELECT PPSE"],
      ["<=", 5, "6A82", ""],
      ["=>", 6, "00A4040007A000000003101000", ""],
      ["<=", 7, "6F10840007A00000000310109000", ""],
      ["=>", 8, "80A8000002830000", ""],
      ["#", 9, "", "error ISODEP_CARD_GONE"],
    ]);
  });

  it("formats upper-case hex with one space per byte, and reads its own output back", () => {
    const text = formatTranscript(parseTranscript(SAMPLE));
    expect(text.split("\n")[2]).toBe("=> 00 A4 04 00 0E 32 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00   # SELECT PPSE");
    expect(text.split("\n")[4]).toBe("=> 00 A4 04 00 07 A0 00 00 00 03 10 10 00");
    expect(text.endsWith("# error ISODEP_CARD_GONE\n")).toBe(true);
    expect(formatTranscript(parseTranscript(text))).toBe(text);
    expect(spacedHex(new Uint8Array([0x0a, 0xff]))).toBe("0A FF");
  });

  it("keeps a comment on one line", () => {
    const text = formatTranscript([{ kind: "#", line: 0, bytes: new Uint8Array(0), text: "a\nb" }]);
    expect(text).toBe("# a b\n");
  });

  // [what, text, line, column]
  const errors: [string, string, number, number][] = [
    ["an unknown line kind", "=> 00A40400\n<= 9000\n-> 00", 3, 1],
    ["a response first", "# x\n<= 9000", 2, 1],
    ["two responses to one command", "=> 00A40400\n<= 9000\n<= 9000", 3, 1],
    ["a space inside a byte", "=> 00 A 4 0400", 1, 8],
    ["an odd digit count at the end", "=> 00A404001", 1, 13],
    ["an odd digit count before a note", "=> 00A404001 # x", 1, 13],
    ["a non-hex character", "=> 00A4040G", 1, 11],
    ["a command of 3 bytes", "=> 00A404", 1, 1],
    ["an empty command", "  =>", 1, 3],
    ["a response of 1 byte", "=> 00A40400\n<= 90", 2, 1],
  ];
  for (const v of errors) {
    it("rejects " + v[0] + " with TRANSCRIPT_SYNTAX at line " + v[2], () => {
      expect(() => parseTranscript(v[1])).toThrow(expect.objectContaining({ code: "TRANSCRIPT_SYNTAX", line: v[2], column: v[3] }));
    });
  }

  it("fuzz: random and mutated text parses or throws TRANSCRIPT_SYNTAX only", () => {
    const rand = prng(0xa9d0);
    const alphabet = "=<># 0123456789ABCDEFabcdefG\n\r\t-";
    let parsed = 0;
    let failed = 0;
    for (let i = 0; i < 3000; i++) {
      let text: string;
      if (i & 1) {
        text = "";
        const n = below(rand, 60);
        for (let k = 0; k < n; k++) text += alphabet.charAt(below(rand, alphabet.length));
      } else {
        const chars = SAMPLE.split("");
        for (let k = 1 + below(rand, 3); k > 0; k--) {
          const at = below(rand, chars.length);
          const op = below(rand, 3);
          if (op === 0) chars[at] = alphabet.charAt(below(rand, alphabet.length));
          else if (op === 1) chars.splice(at, 1);
          else chars.splice(at, 0, alphabet.charAt(below(rand, alphabet.length)));
        }
        text = chars.join("");
      }
      const code = codeOrNull(() => parseTranscript(text), "TRANSCRIPT_SYNTAX", JSON.stringify(text));
      if (code) failed++;
      else {
        parsed++;
        // What parses re-formats to a text that parses to the same APDUs.
        const a = parseTranscript(text);
        const b = parseTranscript(formatTranscript(a));
        expect(b.map((x) => x.kind + toHex(x.bytes))).toEqual(a.map((x) => x.kind + toHex(x.bytes)));
      }
    }
    expect(parsed).toBeGreaterThan(200);
    expect(failed).toBeGreaterThan(200);
  });
});

describe("checkReplayable: a whole tap or a line number", () => {
  const check = (text: string) => () => checkReplayable(parseTranscript(text), text.split("\n").length);
  const WHOLE = "# header\n=> 00A4040007A000000003101000\n<= 6F09 8407A0000000031010 9000\n=> 80A8000002830000\n# error ISODEP_CARD_GONE\n";

  it("takes whole exchanges, an error note in place of an answer, and any status word", () => {
    expect(check(WHOLE)).not.toThrow();
    expect(check("=> 00A40400\n<= 6A82\n=> 00A40400\n# note\n<= 6283")).not.toThrow();
    // A card's malformed insides are not a cut file: only the outer template's length counts.
    expect(check("=> 80A8000002830000\n<= 77 05 9F10 20 0102 9000")).not.toThrow();
  });

  // [what, text, code, line]
  const refused: [string, string, string, number][] = [
    ["nothing", "\n\n", "TRANSCRIPT_EMPTY", 3],
    ["no answer at all", "=> 00A40400\n# error ISODEP_TIMEOUT", "TRANSCRIPT_NO_ANSWER", 1],
    ["a lost answer", "=> 00A40400\n# a note, not an error\n=> 00A40400\n<= 9000", "TRANSCRIPT_TRUNCATED", 1],
    ["Lc past the end", "=> 00A40400 05 0102\n<= 9000", "TRANSCRIPT_TRUNCATED", 1],
    ["bytes after Le", "=> 00A40400 01 AA 00 00\n<= 9000", "TRANSCRIPT_TRUNCATED", 1],
    ["no status word", "=> 00A40400\n<= 6F09 8407A00000", "TRANSCRIPT_TRUNCATED", 2],
    ["a template longer than the answer", "=> 00B2010C00\n<= 70 81 A3 5A08 5413330089010434 9000", "TRANSCRIPT_TRUNCATED", 2],
  ];
  for (const [what, text, code, line] of refused) {
    it(`refuses ${what}: ${code} at line ${line}`, () => {
      expect(check(text)).toThrow(expect.objectContaining({ code: code, line: line }));
    });
  }
});
