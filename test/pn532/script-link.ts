/**
 * A scripted Pn532Link: the test states the host ⇄ PN532 conversation frame by frame and the
 * link checks the driver says exactly that, in that order.
 *
 *   # comment (also after a step)
 *   => 00 00 FF 02 FE D4 02 2A 00    host writes this frame (raw bytes)
 *   => D4 02                         host writes the information frame with this TFI+data
 *   <= ACK | NACK | ERROR            readFrame resolves with that frame
 *   <= D5 03 32 01 06 07             readFrame resolves with this information frame (built);
 *        01 00 04 …                  a line of bare hex continues the frame above
 *   <= 00 00 FF 03 FD D5 41 01 E9 00 readFrame resolves with these raw bytes (anything not
 *                                    starting D4/D5 is raw, so broken frames can be written)
 *   <= timeout                       readFrame rejects LINK_TIMEOUT after its timeout passes
 *                                    on the FakeClock
 *   <= fail LINK_BUS                 readFrame rejects with that code
 *   => fail LINK_BUS                 writeFrame rejects with that code
 *   wake                             link.wakeUp()
 *   baud 921600                      link.setHostBaudRate(921600)
 *   time +40                         the clock moves 40 ms forward here
 *
 * Anything else the driver does fails loudly (line, expected step, actual call), and
 * `done()` throws on a failure or on steps left over.
 */
import { codedError } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { ACK_FRAME, ERROR_FRAME, NACK_FRAME, encodeFrame } from "../../src/pn532/frame";
import type { Pn532Link } from "../../src/pn532/link";
import type { FakeClock } from "../helpers/fake-clock";

type Op = "write" | "read" | "timeout" | "fail" | "writeFail" | "wake" | "baud" | "time";

interface Step {
  line: number;
  text: string;
  op: Op;
  bytes?: Uint8Array;
  value?: number;
  code?: string;
}

function frameBytes(text: string): Uint8Array {
  const t = text.trim();
  if (t === "ACK") return ACK_FRAME;
  if (t === "NACK") return NACK_FRAME;
  if (t === "ERROR") return ERROR_FRAME;
  const b = fromHex(t);
  if (b.length > 0 && (b[0] === 0xd4 || b[0] === 0xd5)) return encodeFrame(b[0], b.subarray(1));
  return b;
}

function parse(script: string): Step[] {
  const steps: Step[] = [];
  const lines = script.split("\n");
  let frameText: string[] = [];
  let building: Step | null = null;
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf("#");
    const text = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (!text) continue;
    const line = i + 1;
    const rest = text.slice(2).trim();
    const continued: Step | null = building;
    building = null;
    if (text.startsWith("=>") || text.startsWith("<=")) {
      if (rest === "timeout") steps.push({ line, text, op: "timeout" });
      else if (rest.startsWith("fail ")) steps.push({ line, text, op: text.startsWith("=>") ? "writeFail" : "fail", code: rest.slice(5).trim() });
      else {
        const step: Step = { line, text, op: text.startsWith("=>") ? "write" : "read", bytes: frameBytes(rest) };
        steps.push(step);
        if (rest.toUpperCase().startsWith("D4") || rest.toUpperCase().startsWith("D5")) {
          frameText = [rest];
          building = step;
        }
      }
    } else if (text === "wake") steps.push({ line, text, op: "wake" });
    else if (text.startsWith("baud ")) steps.push({ line, text, op: "baud", value: Number(text.slice(5)) });
    else if (text.startsWith("time +")) steps.push({ line, text, op: "time", value: Number(text.slice(6)) });
    else if (continued) {
      // More data bytes of the information frame on the line above.
      frameText.push(text);
      continued.bytes = frameBytes(frameText.join(" "));
      building = continued;
    } else throw new Error(`script line ${line}: cannot read "${text}"`);
  }
  return steps;
}

export class ScriptLink implements Pn532Link {
  readonly kind = "script";
  /** The timeoutMs of every readFrame call, in order. */
  readonly readTimeouts: number[] = [];
  /** The first mismatch, kept even if the driver swallowed the rejection. */
  failure: Error | null = null;
  private readonly steps: Step[];
  private pos = 0;
  private readonly clock: FakeClock;

  constructor(script: string, clock: FakeClock) {
    this.steps = parse(script);
    this.clock = clock;
  }

  private next(call: string, ops: Op[]): Step {
    while (this.pos < this.steps.length && this.steps[this.pos].op === "time") {
      this.clock.advance(this.steps[this.pos].value ?? 0);
      this.pos++;
    }
    const step = this.steps[this.pos];
    if (!step || ops.indexOf(step.op) < 0) {
      const where = step ? `line ${step.line}: expected "${step.text}"` : "end of script";
      const e = new Error(`ScriptLink ${where}, got ${call}`);
      if (!this.failure) this.failure = e;
      throw e;
    }
    this.pos++;
    return step;
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    try {
      const step = this.next(`writeFrame(${toHex(frame)})`, ["write", "writeFail"]);
      if (step.op === "writeFail") return Promise.reject(codedError(step.code!, "scripted link failure"));
      if (toHex(step.bytes!) !== toHex(frame)) {
        const e = new Error(`ScriptLink line ${step.line}: expected host frame ${toHex(step.bytes!)}, got ${toHex(frame)}`);
        if (!this.failure) this.failure = e;
        throw e;
      }
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readFrame(timeoutMs: number): Promise<Uint8Array> {
    this.readTimeouts.push(timeoutMs);
    try {
      const step = this.next(`readFrame(${timeoutMs})`, ["read", "timeout", "fail"]);
      if (step.op === "timeout") {
        this.clock.advance(timeoutMs);
        return Promise.reject(codedError("LINK_TIMEOUT", "scripted timeout", { waitedMs: timeoutMs }));
      }
      if (step.op === "fail") return Promise.reject(codedError(step.code!, "scripted link failure"));
      return Promise.resolve(step.bytes!.slice());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  wakeUp(): Promise<void> {
    try {
      this.next("wakeUp()", ["wake"]);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  setHostBaudRate(baud: number): void {
    const step = this.next(`setHostBaudRate(${baud})`, ["baud"]);
    if (step.value !== baud) {
      const e = new Error(`ScriptLink line ${step.line}: expected baud ${step.value}, got ${baud}`);
      if (!this.failure) this.failure = e;
      throw e;
    }
  }

  /** Throws the first mismatch, or the steps the driver never reached. */
  done(): void {
    if (this.failure) throw this.failure;
    if (this.pos < this.steps.length) {
      const left = this.steps.slice(this.pos).map((s) => `line ${s.line}: ${s.text}`);
      throw new Error("ScriptLink: steps left over\n" + left.join("\n"));
    }
  }
}
