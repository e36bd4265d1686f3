/**
 * The selftest scenario: the real PN532 driver and I2C link over the simulated PN532 on a
 * simulated I2C bus, with a virtual ISO-DEP phone in the field and injected faults. Shared by
 * the `selftest` board (Espruino) and `npm start` (Node); the caller supplies output, memory
 * figures and the event-loop hook. Ends with exactly one `SELFTEST PASS n/n` or
 * `SELFTEST FAIL <what>` line and leaves no timer pending.
 */
import { isCoded } from "../bytes/coded-error";
import { bytesEqual, concat, fromHex, toHex } from "../bytes/hex";
import { ApduChannel } from "../apdu/channel";
import { buildApduStack } from "../nfc/apdu-stack";
import { Pn532 } from "../pn532/driver";
import { I2cLink } from "../pn532/link-i2c";
import { TargetA } from "../pn532/api";
import { Pn532Chip } from "./pn532-chip";
import { SimClock } from "./sim-clock";
import { SimI2c } from "./sim-i2c";
import { simpleTarget } from "./simple-target";
import { VirtualTarget } from "./virtual-target";

export interface SelftestEnv {
  print(line: string): void;
  /** One line of memory figures (process.memory() on Espruino). */
  memory(): string;
  /** Runs `fn` on a later turn of the host event loop. */
  defer(fn: () => void): void;
}

export interface SelftestStep {
  name: string;
  /** Resolves with a detail line, rejects with the failure. */
  run(): Promise<string>;
}

/** Runs steps in order; resolves true when all passed. Prints one line per step. */
export function runSteps(env: SelftestEnv, steps: SelftestStep[]): Promise<boolean> {
  let passed = 0;
  let firstFailure = "";
  let chain: Promise<void> = Promise.resolve();
  steps.forEach(function (step) {
    chain = chain.then(function () {
      // A step that throws synchronously fails like one that rejects.
      return Promise.resolve()
        .then(function () {
          return step.run();
        })
        .then(
        function (detail: string) {
          passed++;
          env.print("ok   " + step.name + (detail ? ": " + detail : ""));
        },
        function (e: unknown) {
          const what = isCoded(e) ? e.code : String(e);
          if (!firstFailure) firstFailure = step.name + " (" + what + ")";
          env.print("FAIL " + step.name + ": " + (isCoded(e) ? e.message : what));
        },
      );
    });
  });
  return chain.then(function () {
    env.print("memory " + env.memory());
    env.print(passed === steps.length ? "SELFTEST PASS " + passed + "/" + steps.length : "SELFTEST FAIL " + firstFailure);
    return passed === steps.length;
  });
}

/** BER-TLV with a one- or two-byte length, enough for the FCI built here. */
function tlv(tag: number[], value: ArrayLike<number>): Uint8Array {
  const n = value.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat([tag, len, value]);
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A PPSE FCI with `entries` directory entries (EMV Book B §3.3.2), long enough to need chaining. */
export function ppseFci(entries: number): Uint8Array {
  const dir: Uint8Array[] = [];
  for (let i = 0; i < entries; i++) {
    dir.push(
      tlv([0x61], concat([tlv([0x4f], fromHex("A0000000031010")), tlv([0x50], ascii("VISA DEBIT " + i)), tlv([0x87], [i + 1])])),
    );
  }
  return tlv([0x6f], concat([tlv([0x84], ascii("2PAY.SYS.DDF01")), tlv([0xa5], tlv([0xbf, 0x0c], concat(dir)))]));
}

const SELECT_PPSE = fromHex("00A404000E325041592E5359532E444446303100");

/**
 * A phone that answers SELECT PPSE with a long FCI in pieces of at most `chunk` bytes and
 * 61xx (ISO/IEC 7816-4 §5.3.4 response chaining), the rest through GET RESPONSE.
 */
function chainingPhone(fci: Uint8Array, chunk: number): VirtualTarget {
  let rest: Uint8Array | null = null;
  function part(): Uint8Array {
    const data = rest as Uint8Array;
    const n = data.length > chunk ? chunk : data.length;
    const left = data.length - n;
    rest = left > 0 ? data.subarray(n) : null;
    const sw = left > 0 ? [0x61, left > 255 ? 0 : left] : [0x90, 0x00];
    return concat([data.subarray(0, n), sw]);
  }
  return simpleTarget({
    processingMs: 20,
    answer: function (c: Uint8Array) {
      if (bytesEqual(c, SELECT_PPSE)) {
        rest = fci;
        return part();
      }
      if (c[1] === 0xc0 && rest) return part();
      return new Uint8Array([0x6d, 0x00]);
    },
  });
}

function expectCode(p: Promise<unknown>, codes: string[]): Promise<string> {
  return p.then(
    function () {
      throw new Error("no error where " + codes.join("/") + " was expected");
    },
    function (e: unknown) {
      for (let i = 0; i < codes.length; i++) if (isCoded(e, codes[i])) return "refused with " + codes[i];
      throw e;
    },
  );
}

/** The PN532 + ISO-DEP selftest (foundation). */
export function pn532Steps(env: SelftestEnv): SelftestStep[] {
  const clock = new SimClock(env.defer);
  const fci = ppseFci(12);
  const phone = chainingPhone(fci, 256);
  const chip = new Pn532Chip(clock, { targets: [phone] });
  const pn532 = new Pn532(new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }), clock);
  let target: TargetA | null = null;
  function channel(): ApduChannel {
    return buildApduStack(pn532, target as TargetA);
  }
  function firmware(): Promise<string> {
    return pn532.getFirmwareVersion().then(function (v) {
      if (v.ic !== 0x32) throw new Error("IC " + v.ic);
      return "PN5" + v.ic.toString(16) + " v" + v.ver + "." + v.rev;
    });
  }
  return [
    { name: "GetFirmwareVersion over I2C", run: firmware },
    {
      name: "SAMConfiguration normal mode",
      run: function () {
        return pn532.samConfiguration(1, 0, false).then(function () {
          return "";
        });
      },
    },
    {
      name: "checksum error answered with NACK",
      run: function () {
        chip.faults.badDcs = 1;
        return firmware();
      },
    },
    {
      name: "lost ACK, command resent",
      run: function () {
        chip.faults.dropAck = 1;
        return firmware();
      },
    },
    {
      name: "no answer: abort, then the next command works",
      run: function () {
        chip.faults.dropAnswer = 1;
        return expectCode(pn532.getFirmwareVersion(), ["PN532_TIMEOUT"]).then(function (r: string) {
          return firmware().then(function (v: string) {
            return r + ", then " + v;
          });
        });
      },
    },
    {
      name: "InListPassiveTarget finds the phone",
      run: function () {
        return pn532.inListPassiveTarget(1, 1000).then(function (list) {
          if (list.length !== 1 || !list[0].ats) throw new Error("targets: " + list.length);
          target = list[0];
          // Raw bytes, not nfc/target-info's decoded line: the bundle stays small enough
          // for the ESP32 build to load it (docs/espruino-notes.md, loading a bundle).
          return "SAK " + toHex([target.sak]) + " UID " + toHex(target.uid) + " ATS " + toHex(target.ats as Uint8Array);
        });
      },
    },
    {
      name: "SELECT PPSE: 61xx chaining, 258-byte extended frame",
      run: function () {
        return channel()
          .transceive(SELECT_PPSE)
          .then(function (r: Uint8Array) {
            const ok = r.length === fci.length + 2 && bytesEqual(r.subarray(0, fci.length), fci) && r[fci.length] === 0x90;
            if (!ok) throw new Error("FCI differs: " + toHex(r.subarray(0, 16)) + "…");
            return fci.length + " bytes FCI, " + clock.now().toFixed(0) + " ms simulated";
          });
      },
    },
    {
      name: "SELECT PPSE again with MI chaining (64-byte host buffer)",
      run: function () {
        chip.hostBufferBytes = 64;
        return channel()
          .transceive(SELECT_PPSE)
          .then(function (r: Uint8Array) {
            chip.hostBufferBytes = 262;
            if (!bytesEqual(r.subarray(0, fci.length), fci)) throw new Error("FCI differs");
            return "reassembled " + r.length + " bytes";
          });
      },
    },
    {
      name: "phone pulled away mid-APDU",
      run: function () {
        phone.leaveAtMs = clock.now() + 5;
        return expectCode(channel().transceive(SELECT_PPSE), ["ISODEP_TIMEOUT", "ISODEP_CARD_GONE"]);
      },
    },
    {
      name: "field empty afterwards",
      run: function () {
        return pn532.setMaxRetries({ atr: 0xff, psl: 1, passiveActivation: 2 }).then(function () {
          return pn532.inListPassiveTarget(1, 1000).then(function (list) {
            if (list.length !== 0) throw new Error("still " + list.length + " target(s)");
            return "no target, " + (clock.pending() === 0 ? "no timer pending" : clock.pending() + " timers pending");
          });
        });
      },
    },
  ];
}

/** The whole selftest; `more` are appended (the board adds full taps). Resolves when the summary line is printed. */
export function runSelftest(env: SelftestEnv, more?: SelftestStep[]): Promise<boolean> {
  env.print("tappos selftest");
  return runSteps(env, pn532Steps(env).concat(more ?? []));
}
