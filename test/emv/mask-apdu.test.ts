import { describe, it, expect } from "vitest";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { collectTlv, parseTlv, tagHex, type TlvNode } from "../../src/emv/tlv";
import { MC_RECORD, PPSE, VISA_GPO } from "../../host/fuzz/answers";

const SW9000 = fromHex("90 00");
const rapdu = (data: Uint8Array) => concat([data, SW9000]);
const data = (r: Uint8Array) => r.subarray(0, r.length - 2);

function tags(nodes: TlvNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push(tagHex(n.tag) + ":" + n.value.length);
    if (n.children) out.push(...tags(n.children));
  }
  return out;
}

describe("maskResponseApdu: PAN digits become F nibbles, lengths unchanged", () => {
  it("Track 2 57 inside a GPO answer (77)", () => {
    const input = rapdu(VISA_GPO);
    const before = toHex(input);
    const out = maskResponseApdu(input);
    expect(toHex(input)).toBe(before); // the input is not touched
    const r = collectTlv(data(out));
    expect(toHex(r["57"])).toBe("476173FFFFFF0119D22122011143804400000F");
    // everything else byte for byte
    expect(toHex(r["9F26"])).toBe("29CCA15AE665FA2E");
    expect(tags(parseTlv(data(out)))).toEqual(tags(parseTlv(VISA_GPO)));
    expect(toHex(out.subarray(out.length - 2))).toBe("9000");
  });

  it("5A and 57 inside a READ RECORD answer (70); the name 5F20 becomes * of the same length", () => {
    const r = collectTlv(data(maskResponseApdu(rapdu(MC_RECORD))));
    expect(toHex(r["5A"])).toBe("541333FFFFFF0434");
    expect(toHex(r["57"])).toBe("541333FFFFFF0434D22122010000000000000F");
    expect(toHex(r["5F20"])).toBe("2A".repeat(13)); // was "MASTERCARD  /"
    expect(toHex(r["5F24"])).toBe("221231");
  });

  it("9F6B Track 2 Data (C-2), 19-digit PAN with F padding in 5A, and Track 1 56", () => {
    const track1 = Buffer.from("B5413330089010434^MASTERCARD/TEST^2212201000000000", "latin1");
    const answer = fromHex(
      "77 " + (2 + 10 + 3 + 19 + 2 + track1.length).toString(16).padStart(2, "0") +
        " 5A 0A 6011000990139424311F" +
        " 9F6B 13 5413330089010434D22122010000000000000F" +
        " 56 " + track1.length.toString(16).padStart(2, "0") + Buffer.from(track1).toString("hex"),
    );
    const r = collectTlv(data(maskResponseApdu(rapdu(answer))));
    expect(toHex(r["5A"])).toBe("601100FFFFFFFFF4311F");
    expect(toHex(r["9F6B"])).toBe("541333FFFFFF0434D22122010000000000000F");
    expect(Buffer.from(r["56"]).toString("latin1")).toBe("B541333******0434^***************^2212201000000000");
  });

  it("9F0B Cardholder Name Extended, and names in data that does not parse", () => {
    const name = Buffer.from("JANE Q PUBLIC-EXAMPLE", "latin1");
    const ext = "9F0B " + name.length.toString(16).padStart(2, "0") + " " + name.toString("hex");
    const r = collectTlv(data(maskResponseApdu(rapdu(fromHex("70 " + (3 + name.length).toString(16) + " " + ext)))));
    expect(toHex(r["9F0B"])).toBe("2A".repeat(name.length));
    // A cut template: masked by shape, 5F20 and 9F0B alike.
    const cut = fromHex("70 7F 5F20 04 4A414E45 " + ext);
    const out = toHex(maskResponseApdu(rapdu(cut)));
    expect(out).toContain("5F20042A2A2A2A");
    expect(out).toContain("9F0B15" + "2A".repeat(name.length));
    expect(out.length).toBe(toHex(rapdu(cut)).length);
  });

  it("is idempotent: a masked answer masks to itself (replayed transcripts)", () => {
    for (const a of [VISA_GPO, MC_RECORD]) {
      const once = maskResponseApdu(rapdu(a));
      expect(toHex(maskResponseApdu(once))).toBe(toHex(once));
    }
  });

  it("answers without a PAN come back unchanged", () => {
    expect(toHex(maskResponseApdu(rapdu(PPSE)))).toBe(toHex(rapdu(PPSE)));
    expect(toHex(maskResponseApdu(fromHex("6A 82")))).toBe("6A82");
    expect(toHex(maskResponseApdu(new Uint8Array(0)))).toBe("");
  });

  it("malformed data is still masked by shape, without throwing", () => {
    // a record cut short: the 70 template claims more than there is
    const cut = MC_RECORD.subarray(0, 50);
    const out = maskResponseApdu(rapdu(cut));
    expect(out.length).toBe(cut.length + 2);
    expect(toHex(out)).toContain("541333FFFFFF0434D221");
    // a non-minimal length on the PAN is read leniently
    const lenient = maskResponseApdu(rapdu(fromHex("70 0B 5A 81 08 5413330089010434")));
    expect(toHex(lenient)).toBe("700B5A8108541333FFFFFF04349000");
  });
});
