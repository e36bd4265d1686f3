/**
 * A stateful model of the PN532 (firmware V1.6, UM0701-02) as seen from its host interface.
 * Bus front-ends (sim-i2c.ts, sim-spi.ts, sim-hsu.ts) hand it complete host frames with
 * receive() and take its frames for the host with peek()/take(); the commands live in
 * pn532-commands-sim.ts, the RF time in sim-timing.ts, the faults in sim-faults.ts.
 *
 * Host frame handling (§6.2.1–§6.2.3):
 * - a frame with a bad preamble, LCS or DCS is ignored: no ACK, no answer. The ACK tells the
 *   host the frame arrived intact; without it the host resends after its ACK timeout (§6.2.3).
 * - a valid command frame is ACKed after ACK_MS and answered when done; a new command aborts
 *   the one in progress and discards frames not yet read.
 * - a syntax error (unknown or unmodelled command, wrong parameter count or value, TFI not D4)
 *   is ACKed and answered with the error frame 00 00 FF 01 FF 7F 81 00 (§6.2.1.5).
 * - a host ACK aborts the command in progress (§6.2.1.3); after SetSerialBaudRate it is the
 *   confirmation that switches the baud rate (§7.2.13). A host NACK resends the last answer.
 * Sleep (§7.2.11): the C106 starts in a low-power state (AN10609 "LowVbat") that wakes like
 * power-down; PowerDown puts it there after its answer has been read. A wake-up event on an
 * enabled source (I2C address match, SPI NSS low, HSU 0x55 byte) wakes it after WAKE_MS; the
 * transaction or bytes carrying the event are lost.
 * RF field (setRf): RFConfiguration 01, InListPassiveTarget (switches it on) and power-down
 * (off). Off, every target loses power and its ISO-DEP state; with seePhoneNeedsFieldReset,
 * a target that said "see phone" answers activation again only after the field was off for
 * at least T_RESET_MS (Book A §6.2 Field Off Request).
 */
import { isCoded } from "../bytes/coded-error";
import type { Clock, IrqPin, TimerHandle } from "../hal/types";
import { ACK_FRAME, decodeFrame, encodeFrame, ERROR_FRAME, FrameKind, frameSize, TFI_HOST, TFI_PN532 } from "../pn532/frame";
import type { Frame } from "../pn532/frame";
import { poll, runCommand } from "./pn532-commands-sim";
import type { Polling, Reply } from "./pn532-commands-sim";
import { faultFrame, noFaults } from "./sim-faults";
import type { SimFaults } from "./sim-faults";
import { ACK_MS, CMD_MS, T_RESET_MS, WAKE_MS } from "./sim-timing";
import type { ExchangeRecord } from "./sim-timing";
import type { VirtualTarget } from "./virtual-target";

/** PowerDown WakeUpEnable bits (§7.2.11) of the host interfaces. */
export const enum WakeSource {
  Hsu = 0x10,
  Spi = 0x20,
  I2c = 0x80,
}

export interface ChipOptions {
  /** What is (or will be) in the field. */
  targets?: VirtualTarget[];
  /** Largest InDataExchange DataIn per host frame before MI chaining (262, §7.3.8). */
  hostBufferBytes?: number;
  /** FSD the PN532 announces in RATS (64). */
  fsd?: number;
  /** Starts asleep, as the C106 does (true). */
  asleep?: boolean;
  /** InDataExchange status when the target left the field: 01 timeout (a type A card just stops answering; 2B is type B only, §7.1). */
  goneStatus?: number;
  /** InDataExchange status for a Tg that is not active (released, deselected, never listed): 27 (§7.1). */
  notActiveStatus?: number;
  /**
   * A target that answers "see phone" (virtual-target.ts asksToSeePhone) stays in the field
   * but ignores activation until a field reset, as phones do (default false).
   */
  seePhoneNeedsFieldReset?: boolean;
}

const EMPTY = new Uint8Array(0);

export class Pn532Chip {
  readonly clock: Clock;
  targets: VirtualTarget[];
  faults: SimFaults;
  /** RF figures of the last InDataExchange, for tests. */
  lastExchange: ExchangeRecord | null = null;
  /** Host frames ignored for bad checksums or framing. */
  framesIgnored = 0;
  hostBufferBytes: number;
  fsd: number;
  goneStatus: number;
  notActiveStatus: number;
  seePhoneNeedsFieldReset: boolean;
  /** Every completed field-off period, in order: when it began and how long it lasted, ms. */
  fieldOffs: { atMs: number; ms: number }[];

  // --- state set by commands (pn532-commands-sim.ts) ---
  /** HSU baud rate of the chip; pendingBaud applies on the host's ACK. */
  baud = 115200;
  pendingBaud = 0;
  irqEnabled = true;
  rfOn = false;
  /** When the field last went off; -1 while it has never been on. */
  rfOffAtMs = -1;
  /** SetParameters flags: fAutomaticATR_RES and fAutomaticRATS set by default (§7.2.9). */
  flags = 0x14;
  /** RFConfiguration item 05: MxRtyATR, MxRtyPSL, MxRtyPassiveActivation. */
  maxRetries: number[];
  /** RFConfiguration item 04: MxRtyCOM. */
  maxRtyCom = 0;
  /** Activated targets by Tg - 1. */
  active: (VirtualTarget | null)[];
  /** Host → PN532 chained data not yet sent (Tg bit 6, §7.3.8). */
  miOut: Uint8Array = EMPTY;
  /** Rest of an answer still to be fetched by the host with D4 40 Tg. */
  miIn: Uint8Array | null = null;
  polling: Polling | null = null;
  sleepArmed = false;

  asleep: boolean;
  wakeEnable = 0xff;
  /** Front-end hook called when a frame is queued for the host (HSU transmits it). */
  onOutput: (() => void) | null = null;
  readonly irq: IrqPin;

  private out: Uint8Array[];
  private lastAnswer: Uint8Array | null = null;
  private ackTimer: TimerHandle = -1;
  private answerTimer: TimerHandle = -1;
  private waking = false;
  private irqListener: (() => void) | null = null;

  constructor(clock: Clock, opts?: ChipOptions) {
    const o = opts ?? {};
    this.clock = clock;
    this.faults = noFaults();
    this.targets = o.targets ?? [];
    this.hostBufferBytes = o.hostBufferBytes ?? 262;
    this.fsd = o.fsd ?? 64;
    this.goneStatus = o.goneStatus ?? 0x01;
    this.notActiveStatus = o.notActiveStatus ?? 0x27;
    this.seePhoneNeedsFieldReset = o.seePhoneNeedsFieldReset ?? false;
    // Arrays here, not as field initializers: Espruino 2v29 evaluates a class field's
    // initializer once and shares that one array between every instance.
    this.fieldOffs = [];
    this.maxRetries = [0xff, 0x01, 0xff];
    this.active = [null, null];
    this.out = [];
    this.asleep = o.asleep ?? true;
    // P70_IRQ, active low: asserted while a frame waits, unless SAMConfiguration IRQ = 0 (§7.2.10).
    this.irq = {
      isAsserted: () => this.irqEnabled && this.out.length > 0,
      onAssert: (l) => {
        this.irqListener = l;
      },
    };
  }

  /** Puts a target in the field; a waiting InListPassiveTarget sees it at its next attempt. */
  addTarget(t: VirtualTarget): void {
    this.targets.push(t);
    if (!this.polling) return;
    if (this.answerTimer >= 0) this.clock.clearTimer(this.answerTimer);
    this.answerTimer = -1;
    this.reply(poll(this));
  }

  /** One complete host frame from the bus (extra preamble/postamble bytes allowed, §6.2.1.6). */
  receive(bytes: Uint8Array): void {
    if (this.asleep) return;
    let f: Frame;
    try {
      let i = 0;
      while (i + 2 < bytes.length && bytes[i] === 0 && bytes[i + 2] === 0) i++;
      const size = frameSize(bytes, i);
      f = decodeFrame(size > 0 ? bytes.subarray(i, i + size) : bytes);
    } catch (e) {
      if (isCoded(e, "FRAME_BAD_TFI")) this.command(null);
      else this.framesIgnored++;
      return;
    }
    if (f.kind === FrameKind.Ack) {
      if (this.ackTimer >= 0 || this.answerTimer >= 0 || this.polling) this.abort();
      else if (this.pendingBaud) this.baud = this.pendingBaud;
      this.pendingBaud = 0;
    } else if (f.kind === FrameKind.Nack) {
      const last = this.lastAnswer;
      if (last && this.answerTimer < 0) {
        this.answerTimer = this.later(ACK_MS, () => this.emit(last));
      }
    } else if (f.kind === FrameKind.Info) {
      this.command(f.tfi === TFI_HOST ? f.data : null);
    }
  }

  /** A frame is waiting for the host (I2C/SPI status byte bit 0). */
  ready(): boolean {
    return this.out.length > 0;
  }

  peek(): Uint8Array | null {
    return this.out.length > 0 ? this.out[0] : null;
  }

  /** The host has read (or lost by a partial read) the waiting frame. */
  take(): void {
    this.out.shift();
    if (this.out.length > 0) this.notifyIrq();
    else if (this.sleepArmed) {
      this.sleepArmed = false;
      this.asleep = true;
      this.setRf(false, this.clock.now());
    }
  }

  /**
   * A wake-up event from the bus `source`. Returns true while the chip is asleep: the bytes
   * of this transaction are lost. Wakes after WAKE_MS if the source is enabled.
   */
  wake(source: WakeSource): boolean {
    if (!this.asleep) return false;
    if (!this.waking && this.wakeEnable & source) {
      this.waking = true;
      this.clock.setTimer(WAKE_MS, () => {
        this.waking = false;
        this.asleep = false;
      });
    }
    return true;
  }

  /**
   * Switches the RF field at `atMs`. Off: every target is deactivated (its ISO-DEP state is
   * lost; a target not active has none). On after at least T_RESET_MS off: the targets that
   * waited for a field reset answer activation again.
   */
  setRf(on: boolean, atMs: number): void {
    if (on === this.rfOn) return;
    this.rfOn = on;
    if (!on) {
      this.rfOffAtMs = atMs;
      this.releaseAll();
      return;
    }
    if (this.rfOffAtMs < 0) return;
    const ms = atMs - this.rfOffAtMs;
    this.fieldOffs.push({ atMs: this.rfOffAtMs, ms: ms });
    if (ms < T_RESET_MS) return;
    for (const t of this.targets) t.awaitsFieldReset = false;
  }

  /** Deactivates every target (InRelease 0, RF off, power-down, new InListPassiveTarget). */
  releaseAll(): void {
    this.release(1);
    this.release(2);
  }

  release(tg: number): boolean {
    const t = this.active[tg - 1];
    if (!t) return false;
    this.active[tg - 1] = null;
    this.miOut = EMPTY;
    this.miIn = null;
    if (t.reset) t.reset();
    return true;
  }

  private command(data: Uint8Array | null): void {
    this.abort();
    this.out = [];
    this.pendingBaud = 0;
    const fl = this.faults;
    if (fl.ignoreCommand > 0) {
      fl.ignoreCommand--;
      return;
    }
    if (fl.dropAck > 0) fl.dropAck--;
    else {
      this.ackTimer = this.later(ACK_MS, () => this.emit(ACK_FRAME));
    }
    const start = this.clock.now() + ACK_MS;
    this.reply(data ? runCommand(this, data, start) : null);
  }

  private reply(r: Reply | null): void {
    if (r && r.at < 0) return; // InListPassiveTarget waiting for a target
    if (this.faults.dropAnswer > 0) {
      this.faults.dropAnswer--;
      this.polling = null;
      return;
    }
    const at = r ? r.at : this.clock.now() + ACK_MS + CMD_MS;
    this.answerTimer = this.later(at - this.clock.now(), () => {
      this.polling = null;
      if (r && r.apply) r.apply();
      const frame = r ? encodeFrame(TFI_PN532, r.data) : ERROR_FRAME;
      this.lastAnswer = frame;
      this.emit(frame);
    });
  }

  private abort(): void {
    if (this.ackTimer >= 0) this.clock.clearTimer(this.ackTimer);
    if (this.answerTimer >= 0) this.clock.clearTimer(this.answerTimer);
    this.ackTimer = -1;
    this.answerTimer = -1;
    this.polling = null;
  }

  private later(ms: number, fn: () => void): TimerHandle {
    const h = this.clock.setTimer(ms, () => {
      if (this.ackTimer === h) this.ackTimer = -1;
      if (this.answerTimer === h) this.answerTimer = -1;
      fn();
    });
    return h;
  }

  private emit(frame: Uint8Array): void {
    this.out.push(frame.length > 6 || this.faults.garbage ? faultFrame(this.faults, frame) : frame);
    if (this.out.length === 1) this.notifyIrq();
    if (this.onOutput) this.onOutput();
  }

  private notifyIrq(): void {
    if (this.irqEnabled && this.irqListener) this.irqListener();
  }
}
