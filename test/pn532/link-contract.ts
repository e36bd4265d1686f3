// The same link-level checks for every Pn532Link over the simulated PN532 (docs/architecture.md "Conventions" §9):
// command frames written by hand with encodeCommand, answer frames checked byte for byte.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { ACK_FRAME, encodeCommand, encodeFrame, NACK_FRAME, TFI_PN532, decodeFrame } from "../../src/pn532/frame";
import type { Pn532Link } from "../../src/pn532/link";
import type { Pn532Chip } from "../../src/sim/pn532-chip";
import type { SimClock } from "../../src/sim/sim-clock";
import { simpleTarget } from "../../src/sim/simple-target";
import type { VirtualTarget } from "../../src/sim/virtual-target";

export interface LinkRig {
  clock: SimClock;
  chip: Pn532Chip;
  link: Pn532Link;
}

const ACK = toHex(ACK_FRAME);
const ans = (h: string) => toHex(encodeFrame(TFI_PN532, fromHex(h)));
const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
const FCI = "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310109000";

/** Writes a command, reads the ACK and the answer; returns both in hex. */
export function exchange(link: Pn532Link, data: string, timeoutMs?: number): Promise<string[]> {
  return link
    .writeFrame(encodeCommand(fromHex(data)))
    .then(() => link.readFrame(50))
    .then((ack) => link.readFrame(timeoutMs ?? 1000).then((a) => [toHex(ack), toHex(a)]));
}

export function linkContract(kind: string, make: (targets: VirtualTarget[]) => LinkRig): void {
  describe(kind + " link contract (simulated PN532)", () => {
    it("GetFirmwareVersion: ACK, then D5 03 32 01 06 07", async () => {
      const r = make([]);
      expect(r.link.kind).toBe(kind);
      expect(await exchange(r.link, "02")).toEqual([ACK, "0000FF06FAD50332010607E800"]);
      expect(r.clock.pending()).toBe(0);
    });

    it("InListPassiveTarget then InDataExchange SELECT PPSE", async () => {
      const r = make([simpleTarget({ answer: () => fromHex(FCI) })]);
      expect(await exchange(r.link, "4A0100")).toEqual([ACK, ans("4B01" + "01" + "0004" + "20" + "04" + "08123456" + "0578807002")]);
      expect(await exchange(r.link, "4001" + SELECT_PPSE)).toEqual([ACK, ans("4100" + FCI)]);
      expect(r.clock.pending()).toBe(0);
    });

    it("a 258-byte R-APDU arrives whole in one extended frame (261 data bytes)", async () => {
      const resp = new Uint8Array(258);
      for (let i = 0; i < 256; i++) resp[i] = i;
      resp[256] = 0x90;
      const r = make([simpleTarget({ answer: () => resp })]);
      await exchange(r.link, "4A0100");
      const a = await exchange(r.link, "400100B2010C00");
      expect(a[1]).toBe(ans("4100" + toHex(resp)));
      expect(a[1].substring(0, 16)).toBe("0000FFFFFF0105FA");
    });

    it("LINK_TIMEOUT with waitedMs when the chip stays silent; no timer left behind", async () => {
      const r = make([]);
      await exchange(r.link, "02");
      r.chip.faults.ignoreCommand = 1;
      await r.link.writeFrame(encodeCommand(fromHex("02")));
      const t = r.clock.now();
      const e = await r.link.readFrame(40).catch((x) => x);
      expect(e).toMatchObject({ code: "LINK_TIMEOUT" });
      expect(e.waitedMs).toBeGreaterThanOrEqual(40);
      expect(e.waitedMs).toBeLessThan(45);
      expect(r.clock.now() - t).toBeGreaterThanOrEqual(40);
      expect(r.clock.pending()).toBe(0);
    });

    it("passes a corrupt frame up unchanged; a NACK brings the answer again", async () => {
      const r = make([]);
      await exchange(r.link, "02");
      r.chip.faults.badDcs = 1;
      const a = await exchange(r.link, "02");
      expect(() => decodeFrame(fromHex(a[1]))).toThrow(expect.objectContaining({ code: "FRAME_BAD_DCS" }));
      await r.link.writeFrame(NACK_FRAME);
      expect(toHex(await r.link.readFrame(50))).toBe("0000FF06FAD50332010607E800");
    });

    it("a host ACK aborts a waiting InListPassiveTarget: nothing more arrives", async () => {
      const r = make([]);
      await r.link.writeFrame(encodeCommand(fromHex("4A0100")));
      expect(toHex(await r.link.readFrame(50))).toBe(ACK);
      await r.link.writeFrame(ACK_FRAME);
      await expect(r.link.readFrame(200)).rejects.toMatchObject({ code: "LINK_TIMEOUT" });
      expect(await exchange(r.link, "02")).toEqual([ACK, "0000FF06FAD50332010607E800"]);
      expect(r.clock.pending()).toBe(0);
    });

    it("wakes the chip by itself after PowerDown", async () => {
      const r = make([]);
      expect(await exchange(r.link, "16B0")).toEqual([ACK, ans("1700")]); // WakeUpEnable I2C | SPI | HSU
      expect(r.chip.asleep).toBe(true);
      expect(await exchange(r.link, "02")).toEqual([ACK, "0000FF06FAD50332010607E800"]);
    });
  });
}
