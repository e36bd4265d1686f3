/**
 * One tap's commands as one flow: Entry Point's and the kernel's steps (PPSE, final SELECT,
 * GET PROCESSING OPTIONS, READ RECORD…, GENERATE AC) chained with one pending promise for
 * the whole tap, not one per command.
 *
 * Why: when a step's `then` returns the next command's promise, the promise of the step
 * stays pending beside the next one, with its reactions and the bound resolve functions that
 * adopt it. In the 2v29 interpreter that is ~25-33 JsVars a level, held until the tap ends: a
 * Mastercard tap held ~13 levels at its GENERATE AC (issue 9, E.dumpVariables; measured in
 * docs/espruino-notes.md "A promise per command"). Here a step returns either its value or
 * MORE (it sent a command; the flow goes on at the answer), and what the caller does with
 * the value (Entry Point after a kernel, after a Select Next) waits on a stack of frames.
 *
 * Faults: a step that throws, and a command whose exchange fails (sendIn's `fault`), unwind
 * the frames to the nearest one with a `fail`; with none left the flow ends in `lost`.
 */

import type { ApduChannel } from "../apdu/channel";

/** A step's result when it sent a command: the flow goes on at the answer. */
export interface More {
  readonly flowMore: true;
}

export const MORE: More = { flowMore: true };

/** A step's result: its value, or MORE. */
export type Step<T> = T | More;

interface Frame {
  ok: (v: unknown) => unknown;
  fail: ((e: unknown) => unknown) | null;
}

export class Flow {
  private readonly frames: Frame[];

  /**
   * @param channel the card's, which the tap's commands go through (kernel.ts send)
   * @param end the value the flow ends with (the last frame's)
   * @param lost a fault no frame took
   */
  constructor(
    readonly channel: ApduChannel,
    private readonly end: (v: unknown) => void,
    private readonly lost: (e: unknown) => void,
  ) {
    this.frames = [];
  }

  /**
   * Runs `body`, then `ok` on its value, or `fail` (null: none, the fault goes on to an outer
   * frame) on what it throws; when `body` sent a command (MORE), both wait for the flow to get
   * there and this returns MORE.
   */
  within<T, U>(body: () => Step<T>, ok: (v: T) => Step<U>, fail: ((e: unknown) => Step<U>) | null): Step<U> {
    const frames = this.frames;
    const depth = frames.length;
    frames.push({ ok: ok as (v: unknown) => unknown, fail: fail });
    let v: Step<T>;
    try {
      v = body();
    } catch (e) {
      frames.splice(depth, frames.length - depth);
      if (fail === null) throw e;
      return fail(e);
    }
    if (v === MORE) return MORE;
    frames.pop();
    return ok(v as T);
  }

  /**
   * Goes on with `f(a, b, c)` (a command's answer, or the first step): its value, or what it
   * throws, through the waiting frames to the end. Never throws. Short: the interpreter lexes a
   * function's body at each call, and nearly every call is a step that sent the next command.
   */
  resume(f: (a: unknown, b: unknown, c: unknown) => unknown, a: unknown, b: unknown, c?: unknown): void {
    let v: unknown;
    try {
      v = f(a, b, c);
    } catch (e) {
      this.carry(true, e);
      return;
    }
    if (v !== MORE) this.carry(false, v);
  }

  /** A value (`failed` false) or a fault carried through the waiting frames to the end (resume). */
  private carry(failed: boolean, v: unknown): void {
    const frames = this.frames;
    for (;;) {
      if (!failed && v === MORE) return;
      const frame = frames.pop();
      if (frame === undefined) break;
      if (failed && frame.fail === null) continue;
      try {
        v = failed ? (frame.fail as (e: unknown) => unknown)(v) : frame.ok(v);
        failed = false;
      } catch (e) {
        failed = true;
        v = e;
      }
    }
    if (failed) this.lost(v);
    else this.end(v);
  }
}
