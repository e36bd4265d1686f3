/**
 * Cuts a UART byte stream into PN532 frames (UM0701-02 §6.2.1), for the HSU link and for the
 * simulator's HSU receiver. Resynchronises after noise: scans for the 00 FF start code, takes
 * the byte before it as the preamble (or supplies the 00 when noise replaced it), and lets
 * frameSize() judge the header; a header it refuses is skipped and the scan goes on. Checksums
 * are not verified here (the receiver decodes and may NACK). The buffer is bounded: without a
 * start code one byte is kept; with one, at most one frame (≤ 275 bytes).
 */
import { concat, cloneBytes } from "../bytes/hex";
import { frameSize } from "./frame";

const EMPTY = new Uint8Array(0);

export class FrameReader {
  private buf: Uint8Array = EMPTY;
  private onFrame: (frame: Uint8Array) => void;

  constructor(onFrame: (frame: Uint8Array) => void) {
    this.onFrame = onFrame;
  }

  /** Drops a partial frame (after a baud-rate switch or before a new command). */
  reset(): void {
    this.buf = EMPTY;
  }

  push(chunk: Uint8Array): void {
    let b = this.buf.length > 0 ? concat([this.buf, chunk]) : chunk;
    for (;;) {
      let j = -1;
      for (let i = 0; i + 1 < b.length; i++) {
        if (b[i] === 0 && b[i + 1] === 0xff) {
          j = i;
          break;
        }
      }
      if (j < 0) {
        b = b.length > 0 && b[b.length - 1] === 0 ? b.subarray(b.length - 1) : EMPTY;
        break;
      }
      // The frame starts at its preamble 00; `lost` = noise took it, so supply one.
      const lost = j === 0 || b[j - 1] !== 0;
      b = b.subarray(lost ? j : j - 1);
      const f = lost ? concat([[0], b]) : b;
      let size: number;
      try {
        size = frameSize(f, 0);
      } catch (e) {
        b = b.subarray(lost ? 2 : 3);
        continue;
      }
      if (size < 0 || f.length < size) break;
      b = b.subarray(lost ? size - 1 : size);
      this.onFrame(cloneBytes(f, 0, size));
    }
    this.buf = b.length > 0 ? cloneBytes(b) : EMPTY;
  }
}
