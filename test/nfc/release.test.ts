// InRelease at the end of a read (src/nfc/release.ts, PN532 UM0701-02 §7.3.11), frame bytes
// as the host writes and reads them (§6.2.1.1: 00 00 FF LEN LCS TFI PD… DCS 00).
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { releaseAfter } from "../../src/nfc/release";
import type { TargetA } from "../../src/pn532/api";
import { setup } from "../pn532/setup";

const TARGET: TargetA = { tg: 1, atqa: fromHex("0004"), sak: 0x20, uid: fromHex("08A1B2C3"), ats: fromHex("0578807002") };
const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";

// D4 40 01 + SELECT PPSE: LEN 17 (23), LCS E9, DCS = −(D4 + 40 + 01 + Σ APDU).
const EXCHANGE = `
  => D4 40 01 ${SELECT_PPSE}
  <= ACK
  <= D5 41 00 6A 82                               # file not found
`;
// InRelease Tg 1: LEN 03, LCS FD, D4 52 01, DCS D9 (D4 + 52 + 01 + D9 ≡ 0), postamble 00.
const RELEASE = `
  => 00 00 FF 03 FD D4 52 01 D9 00
  <= 00 00 FF 00 FF 00                            # ACK
`;

describe("releaseAfter: InRelease for the target once the read is over", () => {
  it("after a read that ends: InRelease Tg 1, then the read's own result", async () => {
    const { clock, link, pn } = setup(EXCHANGE + RELEASE + "<= 00 00 FF 03 FD D5 53 00 D8 00   # D5 53 status 00");
    const r = await clock.run(releaseAfter(pn, TARGET, pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000)));
    expect(toHex(r)).toBe("6A82");
    link.done();
  });

  it("after a read that fails: InRelease all the same, then the read's rejection", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${SELECT_PPSE}
      <= ACK
      <= D5 41 01                                   # status 01: the card did not answer
    ` + RELEASE + "<= 00 00 FF 03 FD D5 53 00 D8 00");
    await expect(clock.run(releaseAfter(pn, TARGET, pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000)))).rejects.toMatchObject({ code: "PN532_STATUS", status: 1 });
    link.done();
  });

  it("a release the PN532 refuses (status 29, target released) leaves the read's result as it was", async () => {
    const { clock, link, pn } = setup(EXCHANGE + RELEASE + "<= 00 00 FF 03 FD D5 53 29 AF 00   # status 29: DCS AF");
    const r = await clock.run(releaseAfter(pn, TARGET, pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000)));
    expect(toHex(r)).toBe("6A82");
    link.done();
  });

  it("no InRelease when the result says the field goes off next (a Field Off Request resets the target)", async () => {
    const { clock, link, pn } = setup(EXCHANGE);
    const r = await clock.run(releaseAfter(pn, TARGET, pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000), (a) => a[0] !== 0x6a));
    expect(toHex(r)).toBe("6A82");
    link.done();
  });
});
