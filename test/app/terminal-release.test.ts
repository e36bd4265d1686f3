// The terminal releases the card it read: InRelease Tg 1 (PN532 UM0701-02 §7.3.11) once the
// read is over, as the bytes on the I2C bus show (§6.2.4: status byte then the frame), except
// before a Field Off Request, whose RF reset releases the target anyway (§7.3.1).
import { describe, expect, it } from "vitest";
import { createTerminal } from "../../src/app/terminal";
import { noAcquirer } from "../../src/app/no-acquirer";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { defaultMachineConfig, type TerminalResult } from "../../src/app/terminal-machine";
import type { Random } from "../../src/hal/types";
import { I2cLink } from "../../src/pn532/link-i2c";
import { createCard } from "../../src/sim/card-engine";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { profileByName } from "../../src/sim/profiles";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { nodeCardCrypto } from "../../host/crypto";
import { recordI2c } from "../sim/sim-helpers";
import { calendar, MemoryStore, RecordingUi, WALL_MS } from "./ports";

/** InRelease Tg 1: 00 00 FF, LEN 03, LCS FD, D4 52 01, DCS D9 (D4 + 52 + 01 + D9 ≡ 0), 00. */
const IN_RELEASE = "W 00 00 FF 03 FD D4 52 01 D9 00";
/** Its answer after the status byte 01 (RDY): D5 53 status 00, DCS D8. */
const RELEASED = "01 00 00 FF 03 FD D5 53 00 D8 00";
/** RFConfiguration item 01, field off (D4 32 01 00): the start of a Field Off Request. */
const FIELD_OFF = "W 00 00 FF 04 FC D4 32 01 00 F9 00";

function counting(): Random {
  let n = 1;
  return { bytes: (count: number) => Uint8Array.from({ length: count }, () => (n++ * 73) & 0xff) };
}

function run(profile: string): Promise<{ log: string[]; result: TerminalResult }> {
  const clock = new SimClock((fn) => setImmediate(fn));
  const p = profileByName(profile);
  if (!p) throw new Error("no profile " + profile);
  const card = createCard(JSON.parse(JSON.stringify(p)), nodeCardCrypto, { arriveAtMs: 100, random: counting() });
  const chip = new Pn532Chip(clock, { targets: [card], seePhoneNeedsFieldReset: true });
  const log: string[] = [];
  const terminal = createTerminal({
    link: new I2cLink(recordI2c(new SimI2c(chip, clock), log), clock, { pollMs: 2 }),
    clock,
    calendar,
    wall: { unixMs: () => WALL_MS },
    random: counting(),
    store: new MemoryStore(),
    ui: new RecordingUi(),
    beeper: null,
    auth: noAcquirer(),
    reversals: null,
    settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
    print: () => {},
  });
  return terminal.boot().then(
    () =>
      new Promise((resolve) => {
        terminal.onStatus((e) => {
          if (e.type === "result" && e.result) resolve({ log, result: e.result });
        });
        terminal.sale(1250);
      }),
  );
}

const writes = (log: string[]): string[] => log.filter((l) => l.startsWith("W "));
/** Index of the last write carrying InDataExchange (D4 40). */
const lastExchange = (log: string[]): number => log.map((l) => l.startsWith("W ") && l.includes(" D4 40 ")).lastIndexOf(true);

describe("the terminal sends InRelease once a read is over", () => {
  it("UnionPay: after the last InDataExchange, InRelease Tg 1, its ACK, then D5 53 00", async () => {
    const { log, result } = await run("quickpass-unionpay");
    expect(result.outcome).toBe("declined"); // noAcquirer: the read itself went through
    expect(writes(log).filter((l) => l === IN_RELEASE).length).toBe(1);
    const at = log.indexOf(IN_RELEASE);
    expect(at).toBeGreaterThan(lastExchange(log));
    const after = log.slice(at + 1).filter((l) => !/^R\d+ 00/.test(l)); // polls that found no frame
    expect(after[0]).toMatch(/^R7 01 00 00 FF 00 FF 00$/); // the ACK, read as status + 6 bytes
    expect(after[1].startsWith("R129 " + RELEASED)).toBe(true);
  });

  it("Google Pay Mastercard: no InRelease before the Field Off Request, one after the second read", async () => {
    const { log } = await run("googlepay-mastercard");
    const off = log.indexOf(FIELD_OFF);
    expect(off).toBeGreaterThan(0);
    expect(log.slice(0, off)).not.toContain(IN_RELEASE);
    expect(writes(log).filter((l) => l === IN_RELEASE).length).toBe(1);
    expect(log.indexOf(IN_RELEASE)).toBeGreaterThan(lastExchange(log));
  });
});
