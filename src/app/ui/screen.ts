/**
 * The screen: an EMV Contactless Book A v2.10 §9.2 UI Request turned into text lines (the
 * §9.4 standard message, the amount, the last 4 digits of the masked PAN), drawn on a 1-bit
 * surface (Espruino's built-in Graphics, or a test one; hal/ui-outputs.ts) and sent to a panel
 * as one frame (src/display/ssd1306.ts flush()). Nothing here knows the display controller:
 * oled.ts joins the two, so a board without a display bundles none of it.
 */
import type { UiRequest } from "../../emv/outcome";
import type { MonoGraphics } from "../../hal/ui-outputs";
import { screenText } from "./messages";
import type { UiContext, UiSink } from "./ui-port";

/** Where a frame goes (an Ssd1306). */
export interface FramePanel {
  flush(frame: Uint8Array): void;
}

export interface ScreenOptions {
  /** Graphics font name ("6x8", built into Espruino's Graphics on the ESP32). */
  font?: string;
  /** Row height in pixels (8 for "6x8"). */
  lineHeight?: number;
}

export interface ScreenLayout {
  /** The message, word-wrapped, from the top. */
  top: string[];
  /** Amount and PAN lines, at the bottom (last line lowest). */
  bottom: string[];
}

/**
 * The amount as text from integer minor units, no float: (1250, 2) → "12.50", (5, 2) → "0.05",
 * (500, 0) → "500".
 */
export function formatAmount(amountMinor: number, exponent: number): string {
  const digits = String(Math.floor(Math.abs(amountMinor)));
  const sign = amountMinor < 0 ? "-" : "";
  if (exponent <= 0) return sign + digits;
  const padded = digits.length <= exponent ? "0".repeat(exponent + 1 - digits.length) + digits : digits;
  const cut = padded.length - exponent;
  return sign + padded.substring(0, cut) + "." + padded.substring(cut);
}

/**
 * Splits `text` into lines of at most `width` characters at spaces; a word longer than a line
 * is cut.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const words = text.split(" ");
  let line = "";
  for (let i = 0; i < words.length; i++) {
    let w = words[i];
    if (w === "") continue;
    while (w.length > width) {
      if (line !== "") {
        out.push(line);
        line = "";
      }
      out.push(w.substring(0, width));
      w = w.substring(width);
    }
    if (line === "") line = w;
    else if (line.length + 1 + w.length <= width) line = line + " " + w;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line !== "") out.push(line);
  return out;
}

/**
 * The lines for a request, `columns` characters wide and `rows` rows tall: the bottom block
 * (amount, "Card **** 1234") first, the message above it, cut to the rows left. Message 1E
 * (Clear Display) gives no lines at all.
 */
export function screenLayout(request: UiRequest, context: UiContext | null, columns: number, rows: number): ScreenLayout {
  const bottom: string[] = [];
  const text = screenText(request.messageId);
  if (text === "") return { top: [], bottom: bottom };
  if (context && typeof context.amountMinor === "number") {
    const label = context.currencyLabel ? context.currencyLabel + " " : "";
    bottom.push(label + formatAmount(context.amountMinor, context.currencyExponent ?? 2));
  }
  if (context && context.maskedPan) {
    const p = context.maskedPan;
    bottom.push("Card **** " + (p.length >= 4 ? p.substring(p.length - 4) : ""));
  }
  while (bottom.length > rows) bottom.shift();
  const top = wrapText(text, columns);
  const room = rows - bottom.length;
  return { top: top.length > room ? top.slice(0, room) : top, bottom: bottom };
}

/** The screen as a UI sink: draws the layout centred and flushes the frame. */
export class Screen implements UiSink {
  private g: MonoGraphics;
  private panel: FramePanel;
  private lineHeight: number;
  private columns: number;
  private rows: number;

  constructor(g: MonoGraphics, panel: FramePanel, opts?: ScreenOptions) {
    const o = opts ?? {};
    this.g = g;
    this.panel = panel;
    g.setFont(o.font ?? "6x8");
    this.lineHeight = o.lineHeight ?? 8;
    const charWidth = g.stringWidth("M");
    this.columns = Math.floor(g.getWidth() / (charWidth > 0 ? charWidth : 6));
    this.rows = Math.floor(g.getHeight() / this.lineHeight);
  }

  /** @throws the panel's errors (SSD1306_NACK). */
  show(request: UiRequest, context: UiContext | null): void {
    const g = this.g;
    const layout = screenLayout(request, context, this.columns, this.rows);
    g.clear();
    for (let i = 0; i < layout.top.length; i++) this.line(layout.top[i], i);
    const first = this.rows - layout.bottom.length;
    for (let i = 0; i < layout.bottom.length; i++) this.line(layout.bottom[i], first + i);
    this.panel.flush(new Uint8Array(g.buffer));
  }

  private line(text: string, row: number): void {
    const g = this.g;
    const x = Math.floor((g.getWidth() - g.stringWidth(text)) / 2);
    g.drawString(text, x > 0 ? x : 0, row * this.lineHeight);
  }
}
