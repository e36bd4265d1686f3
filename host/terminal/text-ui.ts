/**
 * The terminal's UI port on a text console: the same src/app/ui pieces a board fans its UI
 * out to (UiFanout honouring hold times, StatusIndicators driving four LEDs and a buzzer),
 * with outputs that are text lines instead of pins — the display's text, the four LEDs as
 * ●○○○, each tone as it ends ("buzzer 1500 Hz 500 ms").
 *
 * The idle flash (LED1 200 ms every 5 s) is told once ("LED1 flashing"), not every blink.
 */
import { maskPan } from "../../src/bytes/mask";
import { UiStatus, type UiRequest } from "../../src/emv/outcome";
import type { Clock } from "../../src/hal/types";
import type { OutputPin, ToneOutput } from "../../src/hal/ui-outputs";
import { formatAmount } from "../../src/app/console-till";
import { StatusIndicators } from "../../src/app/ui/indicators";
import { screenText } from "../../src/app/ui/messages";
import { UiFanout, type UiContext, type UiPort, type UiSink } from "../../src/app/ui/ui-port";

export type UiLineKind = "display" | "leds" | "buzzer";

/** The four LEDs as text: ● lit, ○ off. */
export function ledText(mask: number): string {
  let s = "";
  for (let i = 0; i < 4; i++) s += (mask >> i) & 1 ? "●" : "○";
  return s;
}

/** What the display shows for `request`: its text, the amount, the card's last 4 digits. */
export function displayText(request: UiRequest, context: UiContext | null, currencyLabel: string): string {
  let s = screenText(request.messageId);
  if (context && context.amountMinor !== undefined) s += "  " + formatAmount(context.amountMinor, context.currencyExponent ?? 2) + " " + currencyLabel;
  // The context's PAN is masked already; masking again keeps a clear one off the console anyway.
  if (context && context.maskedPan !== undefined) s += "  card " + maskPan(context.maskedPan);
  return s;
}

export interface TextUi {
  port: UiPort;
  /** LEDs and buzzer off, no timers left. */
  stop(): void;
}

/**
 * The UI port printing through `emit`. `currencyLabel` follows the amount ("EUR").
 */
export function textUi(clock: Clock, currencyLabel: string, emit: (kind: UiLineKind, text: string) => void): TextUi {
  let mask = 0;
  let shownMask = -1;
  let idle = false;
  let flashTold = false;
  let pendingRender = false;
  const render = (): void => {
    pendingRender = false;
    if (idle) {
      if (!flashTold) emit("leds", ledText(1) + " LED1 flashing (idle)");
      flashTold = true;
      shownMask = -1;
      return;
    }
    if (mask !== shownMask) emit("leds", ledText(mask));
    shownMask = mask;
  };
  // Pins change several at a time (LED1–3 together): one line per moment, not per pin.
  const pin = (i: number): OutputPin => ({
    write(on: boolean): void {
      mask = on ? mask | (1 << i) : mask & ~(1 << i);
      if (!pendingRender) {
        pendingRender = true;
        setImmediate(render);
      }
    },
  });
  let toneHz = 0;
  let toneAt = 0;
  const buzzer: ToneOutput = {
    tone(freqHz: number): void {
      if (toneHz > 0) emit("buzzer", `${toneHz} Hz ${Math.round(clock.now() - toneAt)} ms`);
      toneHz = freqHz;
      toneAt = clock.now();
    },
    off(): void {
      if (toneHz > 0) emit("buzzer", `${toneHz} Hz ${Math.round(clock.now() - toneAt)} ms`);
      toneHz = 0;
    },
  };
  const display: UiSink = {
    show(request: UiRequest, context: UiContext | null): void {
      const wasIdle = idle;
      idle = request.status === UiStatus.Idle;
      if (idle && !wasIdle) flashTold = false;
      emit("display", displayText(request, context, currencyLabel));
    },
  };
  const indicators = new StatusIndicators(clock, [pin(0), pin(1), pin(2), pin(3)], buzzer);
  // The display first here: its line comes before the LEDs it explains (no I2C frame to wait for).
  const fanout = new UiFanout(clock, [display, indicators]);
  let stopped = false;
  return {
    // After stop() the runner's last timers (result → idle) show nothing: no LED loop is restarted.
    port: { show: (request, context) => (stopped ? undefined : fanout.show(request, context)) },
    stop(): void {
      stopped = true;
      indicators.stop();
    },
  };
}
