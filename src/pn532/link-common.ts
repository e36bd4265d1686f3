/**
 * Pieces the three PN532 links share: waiting for the chip's ready signal (status byte or
 * P70_IRQ, UM0701-02 §6.2.4/§6.2.5) on the injected Clock — polled in short steps, never a
 * fixed sleep — the LINK_TIMEOUT error, and power-down tracking (§7.2.11).
 */
import { codedError } from "../bytes/coded-error";
import type { Clock, IrqPin } from "../hal/types";

/** Wake-up delay after a wake-up event before the first frame, ms (oscillator start-up + margin). */
export const WAKE_DELAY_MS = 2;

export function linkTimeout(waitedMs: number): Error {
  return codedError("LINK_TIMEOUT", "no frame from the PN532", { waitedMs: waitedMs });
}

export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    clock.setTimer(ms, resolve);
  });
}

/**
 * Resolves once the chip has a frame for the host: at once if so, else on the IRQ falling edge
 * (when `irq` is given) or by polling `isReady` every `pollMs`. Rejects LINK_TIMEOUT at
 * `deadline` (absolute clock time; `start` gives waitedMs). Leaves no timer and no listener.
 */
export function waitReady(clock: Clock, isReady: () => boolean, irq: IrqPin | null, start: number, deadline: number, pollMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer = -1;
    const check = (): void => {
      if (timer >= 0) clock.clearTimer(timer);
      timer = -1;
      let ok = false;
      try {
        ok = irq ? irq.isAsserted() : isReady();
      } catch (e) {
        if (irq) irq.onAssert(null);
        reject(e);
        return;
      }
      const left = deadline - clock.now();
      if (ok || left <= 0) {
        if (irq) irq.onAssert(null);
        if (ok) resolve();
        else reject(linkTimeout(clock.now() - start));
        return;
      }
      timer = clock.setTimer(irq ? left : Math.min(pollMs, left), check);
    };
    if (irq) irq.onAssert(check);
    check();
  });
}

/** True for a host frame carrying PowerDown (D4 16): after it the chip sleeps (§7.2.11). */
export function isPowerDown(frame: Uint8Array): boolean {
  return frame.length > 7 && frame[5] === 0xd4 && frame[6] === 0x16;
}
