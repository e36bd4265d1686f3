// The one APDU stack (src/nfc/apdu-stack.ts): GET RESPONSE outermost, then resend-with-Le,
// then the recorder and ISO-DEP. Scripts are what crossed the RF field (the fake PN532's
// InDataExchange answers from a transcript), so every GET RESPONSE and resend shows.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { ApduRecorder } from "../../src/apdu/recorder";
import { GetResponseChannel } from "../../src/apdu/get-response";
import { ResendLeChannel } from "../../src/apdu/resend-le";
import { IsoDepChannel } from "../../src/nfc/iso-dep-channel";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { ScriptChannel } from "../apdu/script-channel";
import { FakePn532, targetA } from "./fake-pn532";

const PHONE = targetA(1, 0x20, "08A1B2C3", "0578807002");
// GENERATE AC ARQC, CDOL1 data abbreviated to 4 bytes (Book 3 §6.5.5): case 4, Le 00.
const GAC = "80 AE 80 00 04 00 00 12 50 00";
const GPO = "80 A8 00 00 02 83 00 00";

/** A fake PN532 whose InDataExchange plays `script`. */
function wired(script: string): { pn: FakePn532; wire: ScriptChannel } {
  const pn = new FakePn532();
  const wire = new ScriptChannel(script);
  pn.exchange = (tg, data) => wire.transceive(data);
  return { pn, wire };
}

function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail("resolved"),
    (e) => e,
  );
}

/** How often the card saw a command with this INS. */
function count(wire: ScriptChannel, ins: string): number {
  return wire.sent.filter((c) => c.substring(2, 4) === ins).length;
}

describe("buildApduStack: a card answering GENERATE AC 6110, then 6C08 to the GET RESPONSE", () => {
  const CARD = `
    => ${GAC}
    <= 61 10
    # ISO/IEC 7816-4 §5.3.4: fetch the 16 bytes announced
    => 00 C0 00 00 10
    # …but the card has 8: wrong Le, exact length 08 (§5.6)
    <= 6C 08
    # the GET RESPONSE is resent with Le 08, not the GENERATE AC
    => 00 C0 00 00 08
    <= 9F 27 01 80 9F 36 02 00 2A 90 00
  `;

  it("resends the GET RESPONSE with Le 08 and sends GENERATE AC once", async () => {
    const { pn, wire } = wired(CARD);
    const r = await buildApduStack(pn, PHONE).transceive(fromHex(GAC));
    expect(toHex(r)).toBe("9F2701809F3602002A9000");
    expect(count(wire, "AE")).toBe(1);
    wire.done();
    expect(pn.calls).toEqual(["inDataExchange 1 2500", "inDataExchange 1 2500", "inDataExchange 1 2500"]);
  });

  it("the other order (resend-with-Le outermost, as host/tap/session.ts had it) ends on 6C08; GENERATE AC still goes once", async () => {
    const { pn, wire } = wired(CARD);
    const wrong = new ResendLeChannel(new GetResponseChannel(new IsoDepChannel(pn, PHONE)));
    // The 6C08 meant for the GET RESPONSE reaches the resend decorator as the GENERATE AC's
    // answer; before APDU_WRONG_LE it resent the GENERATE AC (a second cryptogram and ATC).
    const e = await rejection(wrong.transceive(fromHex(GAC)));
    expect(e).toMatchObject({ code: "APDU_WRONG_LE", sw: 0x6c08, ins: 0xae });
    expect(count(wire, "AE")).toBe(1);
    expect(() => wire.assertDone()).toThrow(/1 step\(s\) not used/);
  });

  it("records every exchange on the wire into one transcript across activations", async () => {
    const rec = new ApduRecorder(null);
    const a = wired(CARD);
    await buildApduStack(a.pn, PHONE, { recorder: rec }).transceive(fromHex(GAC));
    rec.comment("tap 2");
    const b = wired("=> 00 B2 01 0C 00\n<= 6C 03\n=> 00 B2 01 0C 03\n<= 70 01 00 90 00");
    await buildApduStack(b.pn, PHONE, { recorder: rec }).transceive(fromHex("00B2010C00"));
    expect(rec.text()).toBe(
      [
        "=> 80 AE 80 00 04 00 00 12 50 00",
        "<= 61 10",
        "=> 00 C0 00 00 10",
        "<= 6C 08",
        "=> 00 C0 00 00 08",
        "<= 9F 27 01 80 9F 36 02 00 2A 90 00",
        "# tap 2",
        "=> 00 B2 01 0C 00",
        "<= 6C 03",
        "=> 00 B2 01 0C 03",
        "<= 70 01 00 90 00",
        "",
      ].join("\n"),
    );
  });

  it("a wire wrapper sees the same exchanges, below the recorder", async () => {
    const { pn } = wired(CARD);
    const seen: string[] = [];
    const ch = buildApduStack(pn, PHONE, {
      wire: (inner) => ({
        transceive: (c) => {
          seen.push(toHex(c));
          return inner.transceive(c);
        },
      }),
    });
    await ch.transceive(fromHex(GAC));
    expect(seen).toEqual(["80AE8000040000125000", "00C0000010", "00C0000008"]);
  });
});

describe("buildApduStack: GPO and GENERATE AC are never sent twice", () => {
  it("6Cxx to GENERATE AC ends with APDU_WRONG_LE carrying the SW, nothing resent", async () => {
    const { pn, wire } = wired(`=> ${GAC}\n<= 6C 20`);
    const e = await rejection(buildApduStack(pn, PHONE).transceive(fromHex(GAC)));
    expect(e).toMatchObject({ code: "APDU_WRONG_LE", sw: 0x6c20, ins: 0xae });
    wire.done();
  });

  it("6Cxx to GET PROCESSING OPTIONS likewise", async () => {
    const { pn, wire } = wired(`=> ${GPO}\n<= 6C 0C`);
    const e = await rejection(buildApduStack(pn, PHONE).transceive(fromHex(GPO)));
    expect(e).toMatchObject({ code: "APDU_WRONG_LE", sw: 0x6c0c, ins: 0xa8 });
    wire.done();
  });

  it("61xx to GPO is fetched with GET RESPONSE, GPO sent once", async () => {
    const { pn, wire } = wired(`
      => ${GPO}
      <= 61 06
      => 00 C0 00 00 06
      <= 80 04 1C 00 08 01 90 00
    `);
    expect(toHex(await buildApduStack(pn, PHONE).transceive(fromHex(GPO)))).toBe("80041C0008019000");
    expect(count(wire, "A8")).toBe(1);
    wire.done();
  });

  it("a card that keeps answering 61xx stops at the GET RESPONSE limit", async () => {
    let script = `=> ${GAC}\n<= 61 01\n`;
    for (let i = 0; i < 2; i++) script += "=> 00 C0 00 00 01\n<= AA 61 01\n";
    const { pn, wire } = wired(script);
    const e = await rejection(buildApduStack(pn, PHONE, { getResponse: { maxRounds: 2 } }).transceive(fromHex(GAC)));
    expect(e).toMatchObject({ code: "APDU_GET_RESPONSE_LIMIT", rounds: 2 });
    expect(count(wire, "AE")).toBe(1);
    wire.done();
  });

  it("uses the ISO-DEP deadline it is given", async () => {
    const { pn } = wired("=> 00 B2 01 0C 00\n<= 90 00");
    await buildApduStack(pn, PHONE, { isoDep: { apduTimeoutMs: 5000 } }).transceive(fromHex("00B2010C00"));
    expect(pn.calls).toEqual(["inDataExchange 1 5000"]);
  });
});
