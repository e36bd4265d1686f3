// Status LEDs and buzzer: the exact on/off/tone timeline per Book A status, on a fake clock.
import { describe, expect, it } from "vitest";
import { StatusIndicators } from "../../src/app/ui/indicators";
import { ui, UiMessage, UiStatus } from "../../src/emv/outcome";
import type { OutputPin, ToneOutput } from "../../src/hal/ui-outputs";
import { FakeClock } from "../helpers/fake-clock";

function rig(opts?: ConstructorParameters<typeof StatusIndicators>[3], withBuzzer = true) {
  const clock = new FakeClock();
  const log: string[] = [];
  const leds: OutputPin[] = [1, 2, 3, 4].map((n) => ({ write: (on: boolean) => log.push(`${clock.now()} LED${n} ${on ? "on" : "off"}`) }));
  const buzzer: ToneOutput = {
    tone: (hz, duty) => log.push(`${clock.now()} tone ${hz} Hz ${duty}`),
    off: () => log.push(`${clock.now()} silent`),
  };
  const ind = new StatusIndicators(clock, leds, withBuzzer ? buzzer : null, opts);
  return { clock, log, ind };
}

describe("status indicators", () => {
  it("the first request writes every LED; later ones only the LEDs that change", () => {
    const { log, ind } = rig();
    ind.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), null);
    expect(log).toEqual(["0 LED1 on", "0 LED2 off", "0 LED3 off", "0 LED4 off"]);
    log.length = 0;
    ind.show(ui(UiMessage.Processing, UiStatus.Processing, 0), null);
    expect(log).toEqual(["0 LED2 on"]);
  });

  it("Idle: LED1 flashes 200 ms every 5 s, until the next request", () => {
    const { clock, log, ind } = rig();
    ind.show(ui(UiMessage.Welcome, UiStatus.Idle, 0), null);
    clock.advance(10_300);
    expect(log).toEqual([
      "0 LED1 on", "0 LED2 off", "0 LED3 off", "0 LED4 off",
      "200 LED1 off", "5000 LED1 on", "5200 LED1 off", "10000 LED1 on", "10200 LED1 off",
    ]);
    log.length = 0;
    ind.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), null);
    clock.advance(20_000);
    expect(log).toEqual(["10300 LED1 on"]);
    expect(clock.pending()).toBe(0);
  });

  it("Card Read OK: LED3 at once, LED4 125 ms later with the success tone, 1500 Hz for 500 ms", () => {
    const { clock, log, ind } = rig();
    ind.show(ui(UiMessage.Processing, UiStatus.Processing, 0), null);
    log.length = 0;
    ind.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 750), null);
    clock.advance(2000);
    expect(log).toEqual(["0 LED3 on", "125 LED4 on", "125 tone 1500 Hz 0.5", "625 silent"]);
    expect(clock.pending()).toBe(0);
  });

  it("Processing Error: all LEDs off and the alert tone, two 200 ms beeps at 750 Hz 200 ms apart", () => {
    const { clock, log, ind } = rig();
    ind.show(ui(UiMessage.Processing, UiStatus.Processing, 0), null);
    log.length = 0;
    ind.show(ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, 1300), null);
    clock.advance(2000);
    expect(log).toEqual(["0 LED1 off", "0 LED2 off", "0 tone 750 Hz 0.5", "200 silent", "400 tone 750 Hz 0.5", "600 silent"]);
  });

  it("Not Authorised (07) sounds the alert whatever its status; Approved and Not Ready sound nothing", () => {
    const { clock, log, ind } = rig();
    ind.show(ui(UiMessage.Approved, UiStatus.NotReady, 0), null);
    ind.show(ui(UiMessage.Authorising, UiStatus.NotReady, 0), null);
    expect(log.filter((l) => /tone|silent/.test(l))).toEqual([]);
    ind.show(ui(UiMessage.NotAuthorised, UiStatus.NotReady, 1300), null);
    clock.advance(1000);
    expect(log.filter((l) => /tone|silent/.test(l))).toEqual(["0 tone 750 Hz 0.5", "200 silent", "400 tone 750 Hz 0.5", "600 silent"]);
  });

  it("a tone plays to its end across the next request; a new tone replaces it", () => {
    const { clock, log, ind } = rig();
    ind.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), null);
    clock.advance(200);
    ind.show(ui(UiMessage.Authorising, UiStatus.NotReady, 0), null);
    clock.advance(1000);
    expect(log.filter((l) => /tone|silent/.test(l))).toEqual(["125 tone 1500 Hz 0.5", "625 silent"]);
    log.length = 0;
    ind.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), null);
    clock.advance(300); // success tone sounding since 1325
    ind.show(ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, 0), null);
    clock.advance(1000);
    expect(log.filter((l) => /tone|silent/.test(l))).toEqual(["1325 tone 1500 Hz 0.5", "1500 tone 750 Hz 0.5", "1700 silent", "1900 tone 750 Hz 0.5", "2100 silent"]);
  });

  it("figures are options; stop() leaves everything off and no timers", () => {
    const { clock, log, ind } = rig({ stepMs: 50, successHz: 2000, successMs: 100, duty: 0.3 });
    ind.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), null);
    clock.advance(60);
    ind.stop();
    expect(log).toEqual([
      "0 LED1 on", "0 LED2 on", "0 LED3 on", "0 LED4 off",
      "50 LED4 on", "50 tone 2000 Hz 0.3",
      "60 LED1 off", "60 LED2 off", "60 LED3 off", "60 LED4 off", "60 silent",
    ]);
    expect(clock.pending()).toBe(0);
  });

  it("two LEDs and no buzzer: the missing outputs are skipped", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const leds: OutputPin[] = [1, 2].map((n) => ({ write: (on: boolean) => log.push(`${clock.now()} LED${n} ${on ? "on" : "off"}`) }));
    const ind = new StatusIndicators(clock, leds, null);
    ind.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), null);
    ind.show(ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, 0), null);
    clock.advance(1000);
    expect(log).toEqual(["0 LED1 on", "0 LED2 on", "0 LED1 off", "0 LED2 off"]);
  });
});
