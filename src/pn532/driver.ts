/**
 * The PN532 driver (UM0701-02 §7): command encoding and answer decoding over one command
 * cycle (exchange.ts) at a time. Handed its link and clock (docs/architecture.md "Conventions" §1); commands are
 * serialized: a call made while another runs waits behind it, never interleaves.
 */
import { codedError } from "../bytes/coded-error";
import type { Clock } from "../hal/types";
import type { FirmwareVersion, MaxRetries, Pn532Api, TargetA } from "./api";
import { BRTY_106A, Command, DiagnoseTest, Limit, ParameterFlag, RfItem, commandName } from "./commands";
import { callbackLink, CommandCycle } from "./exchange";
import type { CycleDone, CycleOptions } from "./exchange";
import { ACK_FRAME } from "./frame";
import type { Pn532Link } from "./link";
import { StatusBit, statusError } from "./status";
import { parseInListPassiveTarget } from "./targets";
import { DataExchange } from "./data-exchange";

export interface Pn532Options {
  /** Wait for the ACK after a command frame, ms (the PN532 acknowledges within ~15 ms). Default 30. */
  ackTimeoutMs?: number;
  /** Times a command frame is written again when no ACK comes. Default 1. */
  ackRetries?: number;
  /** NACKs per command cycle for damaged frames before PN532_CHECKSUM. Default 3. */
  nackRetries?: number;
  /** Out-of-sequence frames (late answers of aborted commands) discarded per cycle. Default 2. */
  staleFrameLimit?: number;
  /** Answer wait after the ACK for commands without a timeout argument, ms. Default 1000. */
  commandTimeoutMs?: number;
  /** Largest chained InDataExchange answer accepted, bytes. Default 4096. */
  maxAnswerBytes?: number;
  /** Pause after switching the host UART to the new baud rate, ms. Default 5. */
  baudSettleMs?: number;
  /** Sees every frame written (`out` true) and read, e.g. for an APDU trace. */
  trace?: (out: boolean, frame: Uint8Array) => void;
}

const NO_DATA = new Uint8Array(0);

/** @throws PN532_BAD_ANSWER unless the answer has no parameters (RFConfiguration and the like). */
function expectNone(answer: Uint8Array, command: number): void {
  if (answer.length !== 0) expectLength(answer, 0, command);
}

/**
 * Command bytes from numbers, each checked to be a byte: the typed array keeps the low 8 bits
 * of each, so a value that is not a byte shows as a difference between the two joins (both
 * native, no loop in JavaScript). @throws PN532_BAD_ARGUMENT
 */
function bytes(values: number[]): Uint8Array {
  const d = new Uint8Array(values);
  if (d.join() !== values.join()) notBytes(values);
  return d;
}

/** @throws PN532_BAD_ARGUMENT for the first value that is not a byte. */
function notBytes(values: number[]): never {
  let i = 0;
  while (values[i] === (values[i] & 0xff)) i++;
  throw codedError("PN532_BAD_ARGUMENT", commandName(values[0]) + ": parameter is not a byte", { command: values[0], index: i, value: values[i] });
}

/**
 * When the PN532 answers a command it runs in its firmware alone (RFConfiguration, §7.3.1),
 * ms after the ACK: its first poll then (exchange.ts dueMs), not after answerPollMs.
 */
const FIRMWARE_MS = 1;

/**
 * InListPassiveTarget with a card in the field, ms after the ACK: REQA … ATS on the air at
 * 106 kbit/s for a double-size UID (ISO/IEC 14443-3 §6.4, ~3.5 ms). Without a card the
 * PN532 keeps polling and the link's polls back off.
 */
const ACTIVATION_MS = 4;

/** @throws PN532_BAD_ANSWER unless the answer parameters are exactly `length` bytes. */
function expectLength(answer: Uint8Array, length: number, command: number): Uint8Array {
  if (answer.length !== length) {
    throw codedError("PN532_BAD_ANSWER", commandName(command) + ": answer of " + answer.length + " bytes, expected " + length, {
      command: command,
      offset: answer.length < length ? answer.length : length,
    });
  }
  return answer;
}

/** GetFirmwareVersion's answer parameters: IC Ver Rev Support (§7.2.2). @throws PN532_BAD_ANSWER */
function parseFirmwareVersion(a: Uint8Array): FirmwareVersion {
  expectLength(a, 4, Command.GetFirmwareVersion);
  return { ic: a[0], ver: a[1], rev: a[2], support: a[3] };
}

/** A one-byte status answer: resolves when 0, PN532_STATUS otherwise. */
function expectStatusOk(answer: Uint8Array, command: number): void {
  expectLength(answer, 1, command);
  if ((answer[0] & StatusBit.ErrorMask) !== 0) throw statusError(answer[0], command);
}

export class Pn532 implements Pn532Api {
  // Fields in the order the exchange path uses them (`this.x` scans own fields in order).
  /** A command (or chain of them) is in progress; `waiting` holds the jobs queued behind it. */
  private busy = false;
  /** The callback of the InDataExchange in progress (inDataExchangeThen). */
  private xDone: CycleDone | null = null;
  /** Runs one command cycle at a time (exchange.ts). */
  private readonly cycleRunner: CommandCycle;
  /** Made once: the end of a one-part exchange (nearly every APDU) and of any other. */
  private readonly onOnePart: CycleDone;
  private readonly onExchanged: CycleDone;
  private waiting: (() => void)[];
  private readonly link: Pn532Link;
  private readonly clock: Clock;
  private readonly cycle: CycleOptions;
  private readonly commandTimeoutMs: number;
  private readonly baudSettleMs: number;
  /** Runs every InDataExchange but the common one-part ones, one at a time (data-exchange.ts). */
  private readonly exchanger: DataExchange;
  /** SetParameters fAutomaticRATS, on after reset (§7.2.9): InListPassiveTarget then reports the ATS. */
  private autoRats = true;

  constructor(link: Pn532Link, clock: Clock, options?: Pn532Options) {
    const o = options || {};
    this.cycle = {
      ackTimeoutMs: o.ackTimeoutMs ?? 30,
      ackRetries: o.ackRetries ?? 1,
      nackRetries: o.nackRetries ?? 3,
      staleFrameLimit: o.staleFrameLimit ?? 2,
      trace: o.trace ?? null,
    };
    this.cycleRunner = new CommandCycle(callbackLink(link), clock, this.cycle);
    const maxAnswerBytes = o.maxAnswerBytes ?? 4096;
    const waiting: (() => void)[] = [];
    const self = this;
    // The common answer (status 00, within the limit): release() inline, then the caller's
    // done with DataIn; anything else (status error, MI, too long) goes to DataExchange.
    this.onOnePart = function (answer, e) {
      if (answer !== null && answer[0] === 0 && answer.length <= maxAnswerBytes) {
        const done = self.xDone as CycleDone;
        self.xDone = null;
        if (waiting.length) (waiting.shift() as () => void)();
        else self.busy = false;
        done(answer.subarray(1), null);
      } else self.otherPart(answer, e);
    };
    this.onExchanged = function (answer, e) {
      const done = self.xDone as CycleDone;
      self.xDone = null;
      if (waiting.length) (waiting.shift() as () => void)();
      else self.busy = false;
      done(answer, e);
    };
    this.waiting = waiting;
    this.link = link;
    this.clock = clock;
    this.commandTimeoutMs = o.commandTimeoutMs ?? 1000;
    this.baudSettleMs = o.baudSettleMs ?? 5;
    this.exchanger = new DataExchange(this.cycleRunner, maxAnswerBytes);
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }

  /**
   * Runs `job` when every earlier command has finished: now when none is in progress, else
   * from the queue (a callback queue: no promise turn per command). Its commands over, it
   * calls release() once.
   */
  private serial<T>(job: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        let r: T | Promise<T>;
        try {
          r = job();
        } catch (e) {
          this.release();
          reject(e);
          return;
        }
        Promise.resolve(r).then(
          (v) => {
            this.release();
            resolve(v);
          },
          (e) => {
            this.release();
            reject(e);
          },
        );
      };
      if (this.busy) this.waiting.push(run);
      else {
        this.busy = true;
        run();
      }
    });
  }

  /** One command cycle (caller holds the queue); resolves with the answer parameters. `dueMs` as in CommandCycle.run. */
  private command(data: Uint8Array, timeoutMs: number, dueMs?: number): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      this.cycleRunner.run(
        data,
        timeoutMs,
        function (answer, e) {
          if (answer) resolve(answer);
          else reject(e);
        },
        dueMs,
      );
    });
  }

  /**
   * A queued command, its answer parameters through `check` (which throws when they are
   * wrong), in one promise: no `then` turns per command. `dueMs` as in CommandCycle.run.
   */
  private checked<T>(values: number[] | Uint8Array, check: (answer: Uint8Array, command: number) => T, timeoutMs: number, dueMs?: number): Promise<T> {
    const self = this;
    return new Promise<T>(function (resolve, reject) {
      self.commandThen(values, timeoutMs, dueMs || 0, function (a, e) {
        if (!a) reject(e);
        else {
          try {
            resolve(check(a, values[0]));
          } catch (x) {
            reject(x);
          }
        }
      });
    });
  }

  /**
   * One command cycle for `values` (command code + parameters, each checked to be a byte;
   * bytes already when a Uint8Array), now or behind the command in progress; `done` is called
   * once, after the queue moved on.
   */
  private commandThen(values: number[] | Uint8Array, timeoutMs: number, dueMs: number, done: CycleDone): void {
    if (this.busy) {
      const self = this;
      // release() hands the queue over without clearing `busy`: cleared here for the call.
      this.waiting.push(function () {
        self.busy = false;
        self.commandThen(values, timeoutMs, dueMs, done);
      });
      return;
    }
    this.busy = true;
    this.xDone = done;
    let data = values;
    if (!(values instanceof Uint8Array)) {
      try {
        data = bytes(values);
      } catch (e) {
        this.onExchanged(null, e);
        return;
      }
    }
    this.cycleRunner.run(data as Uint8Array, timeoutMs, this.onExchanged, dueMs);
  }

  /** A queued command answered by one status byte. */
  private withStatus(values: number[]): Promise<void> {
    return this.checked(values, expectStatusOk, this.commandTimeoutMs);
  }

  /** GetFirmwareVersion (§7.2.2): D4 02 → D5 03 IC Ver Rev Support. */
  getFirmwareVersion(): Promise<FirmwareVersion> {
    return this.checked([Command.GetFirmwareVersion], parseFirmwareVersion, this.commandTimeoutMs);
  }

  /** SAMConfiguration (§7.2.10): D4 14 Mode Timeout IRQ → D5 15. */
  samConfiguration(mode: number, timeout: number, useIrq: boolean): Promise<void> {
    return this.checked([Command.SAMConfiguration, mode, timeout, useIrq ? 1 : 0], expectNone, this.commandTimeoutMs);
  }

  /** SetParameters (§7.2.9): D4 12 Flags → D5 13. Remembers fAutomaticRATS for InListPassiveTarget. */
  setParameters(flags: number): Promise<void> {
    return this.checked([Command.SetParameters, flags], expectNone, this.commandTimeoutMs).then(() => {
      this.autoRats = (flags & ParameterFlag.AutomaticRats) !== 0;
    });
  }

  /** RFConfiguration item 01 (§7.3.1): D4 32 01 (RF on, AutoRFCA off) → D5 33. */
  setRfField(on: boolean): Promise<void> {
    // Bytes by construction: no check.
    return this.checked(new Uint8Array([Command.RFConfiguration, RfItem.Field, on ? 1 : 0]), expectNone, this.commandTimeoutMs, FIRMWARE_MS);
  }

  /** RFConfiguration item 02: D4 32 02 RFU ATR_RES-timeout retry-timeout → D5 33. */
  setTimings(atrResTimeout: number, retryTimeout: number): Promise<void> {
    return this.checked([Command.RFConfiguration, RfItem.Timings, 0, atrResTimeout, retryTimeout], expectNone, this.commandTimeoutMs);
  }

  /** RFConfiguration item 05: D4 32 05 MxRtyATR MxRtyPSL MxRtyPassiveActivation → D5 33. */
  setMaxRetries(retries: MaxRetries): Promise<void> {
    return this.checked([Command.RFConfiguration, RfItem.MaxRetries, retries.atr, retries.psl, retries.passiveActivation], expectNone, this.commandTimeoutMs);
  }

  /**
   * InListPassiveTarget (§7.3.5): D4 4A MaxTg 00 → D5 4B NbTg [targets]. `maxTargets` 1 or 2;
   * two targets listed = two cards in the field. With MaxRetries passive = FF the PN532
   * searches until `timeoutMs`, then the command is aborted: PN532_TIMEOUT.
   * @throws PN532_BAD_ARGUMENT, PN532_BAD_ANSWER (offset), PN532_TIMEOUT, cycle errors.
   */
  inListPassiveTarget(maxTargets: number, timeoutMs: number): Promise<TargetA[]> {
    if (maxTargets !== 1 && maxTargets !== 2) {
      return Promise.reject(codedError("PN532_BAD_ARGUMENT", "InListPassiveTarget: MaxTg is 1 or 2", { command: Command.InListPassiveTarget, value: maxTargets }));
    }
    const self = this;
    // fAutomaticRATS as it is when the answer comes (a SetParameters queued before counts).
    // MaxTg checked above, BrTy a constant: bytes already.
    return this.checked(
      new Uint8Array([Command.InListPassiveTarget, maxTargets, BRTY_106A]),
      function (a) {
        return parseInListPassiveTarget(a, maxTargets, self.autoRats);
      },
      timeoutMs,
      ACTIVATION_MS,
    );
  }

  /**
   * InDataExchange (§7.3.8): D4 40 Tg DataOut → D5 41 Status DataIn, chained both ways.
   * Out: parts of ≤ 262 bytes, Tg | 0x40 (MI) on all but the last; each intermediate part
   * is answered by status 00 alone. In: while the status has MI, the host asks for the next
   * part with D4 40 Tg and no data. `timeoutMs` applies to each cycle.
   * @throws PN532_STATUS (status, statusName), PN532_TOO_LONG (length, limit),
   *   PN532_BAD_ANSWER, cycle errors.
   */
  inDataExchange(tg: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const self = this;
    return new Promise<Uint8Array>(function (resolve, reject) {
      self.inDataExchangeThen(tg, data, timeoutMs, function (answer, e) {
        if (answer) resolve(answer);
        else reject(e);
      });
    });
  }

  /**
   * inDataExchange with a callback, called once with DataIn or null and the error: no
   * promise (each costs a turn of Espruino's event loop), for the APDU stack. A one-part
   * exchange (nearly every C-APDU) runs its cycle from here and ends in onOnePart; the rest
   * (chaining, a Tg that is not a byte) is DataExchange's.
   */
  inDataExchangeThen(tg: number, data: Uint8Array, timeoutMs: number, done: CycleDone): void {
    if (this.busy || data.length > Limit.ExchangeNormalFrame || tg !== (tg & 0xff)) {
      this.exchangeOther(tg, data, timeoutMs, done);
      return;
    }
    this.busy = true;
    this.xDone = done;
    this.cycleRunner.exchange(tg, data, timeoutMs, this.onOnePart);
  }

  /**
   * A one-part exchange's answer onOnePart does not take, to DataExchange (status, MI,
   * length): its Tg and timeout from the cycle's frame (D4 40 Tg …, normal) and state.
   */
  private otherPart(answer: Uint8Array | null, e: unknown): void {
    const c = this.cycleRunner;
    this.exchanger.start(c.frame[7], NO_DATA, c.timeoutMs, this.onExchanged, true, answer, e);
  }

  /** inDataExchangeThen behind a command in progress, or in parts (DataExchange). */
  private exchangeOther(tg: number, data: Uint8Array, timeoutMs: number, done: CycleDone): void {
    const self = this;
    if (this.busy) {
      // release() hands the queue over without clearing `busy`: cleared here for the call.
      this.waiting.push(function () {
        self.busy = false;
        self.inDataExchangeThen(tg, data, timeoutMs, done);
      });
      return;
    }
    this.busy = true;
    this.xDone = done;
    this.exchanger.start(tg, data, timeoutMs, this.onExchanged, false, null, null);
  }

  /** InRelease (§7.3.11): D4 52 Tg → D5 53 Status. */
  inRelease(tg: number): Promise<void> {
    return this.withStatus([Command.InRelease, tg]);
  }

  /** InDeselect (§7.3.10): D4 44 Tg → D5 45 Status. */
  inDeselect(tg: number): Promise<void> {
    return this.withStatus([Command.InDeselect, tg]);
  }

  /**
   * Diagnose NumTst 06 (§7.2.1): D4 00 06 → D5 01 Status. Status 00: the ISO-DEP target
   * answered; any other status (01 timeout, 2B card disappeared, …): it is gone.
   */
  checkPresence(timeoutMs: number): Promise<boolean> {
    return this.checked(
      [Command.Diagnose, DiagnoseTest.AttentionRequest],
      function (a) {
        return expectLength(a, 1, Command.Diagnose)[0] === 0;
      },
      timeoutMs,
    );
  }

  /** PowerDown (§7.2.11): D4 16 WakeUpEnable → D5 17 Status. */
  powerDown(wakeUpEnable: number): Promise<void> {
    return this.withStatus([Command.PowerDown, wakeUpEnable]);
  }

  /** The link's wake-up sequence, then GetFirmwareVersion to see the PN532 answer. */
  wakeUp(): Promise<void> {
    // Block bodies: Espruino 2v29 parses an expression-bodied arrow without running it, and
    // asserts on an inner arrow using `this` there (build/check-bundle.mjs).
    return this.serial(() => {
      return this.link
        .wakeUp()
        .then(() => this.command(bytes([Command.GetFirmwareVersion]), this.commandTimeoutMs))
        .then(parseFirmwareVersion)
        .then(function () {});
    });
  }

  /**
   * SetSerialBaudRate (§7.2.13): D4 10 BR → ACK → D5 11 at the old rate; the host then
   * sends an ACK, still at the old rate, and both sides switch.
   * @throws PN532_BAD_ARGUMENT for a rate without a BR code, cycle errors.
   */
  setSerialBaudRate(baud: number): Promise<void> {
    return this.serial(() => {
      // The BR codes (§7.2.13): the index in the list is the BR byte (a list made per call holds
      // no RAM at idle).
      const br = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1288000].indexOf(baud);
      if (br < 0) throw codedError("PN532_BAD_ARGUMENT", "SetSerialBaudRate: no BR code for this rate", { command: Command.SetSerialBaudRate, value: baud });
      return this.command(bytes([Command.SetSerialBaudRate, br]), this.commandTimeoutMs)
        .then((a) => {
          expectLength(a, 0, Command.SetSerialBaudRate);
          return this.writeAck();
        })
        .then(() => {
          this.link.setHostBaudRate(baud);
          return new Promise<void>((resolve) => {
            this.clock.setTimer(this.baudSettleMs, resolve);
          });
        });
    });
  }

  /**
   * Writes an ACK frame now, outside the queue (§6.2.1.3): the PN532 drops the command in
   * progress. The command's own cycle then ends with PN532_TIMEOUT.
   */
  abort(): Promise<void> {
    return this.writeAck();
  }

  private writeAck(): Promise<void> {
    if (this.cycle.trace) this.cycle.trace(true, ACK_FRAME);
    return this.link.writeFrame(ACK_FRAME);
  }
}
