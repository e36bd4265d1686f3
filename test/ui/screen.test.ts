// The screen: Book A §9.4 texts (one table, agreeing with the host's), the layout of a UI
// Request with amount and masked PAN, and the frame it draws reaching the simulated SSD1306's
// GDDRAM unchanged.
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/bytes/hex";
import { maskPan } from "../../src/bytes/mask";
import { Ssd1306 } from "../../src/display/ssd1306";
import { ui, UiMessage, UiStatus } from "../../src/emv/outcome";
import { screenText, uiText } from "../../src/app/ui/messages";
import { formatAmount, Screen, screenLayout, wrapText } from "../../src/app/ui/screen";
import { Ssd1306Sim } from "../../src/sim/ssd1306-sim";
import { glyphColumn, TestGraphics } from "./ui-helpers";

const EUR = { currencyLabel: "EUR", currencyExponent: 2 };

describe("UI message texts", () => {
  it("names every id outcome.ts gives, and an unknown one by its hex", () => {
    expect(uiText(0x20)).toBe("See Phone for Instructions");
    expect(uiText(0xe0)).toBe("Amount Over Contactless Limit");
    expect(uiText(0x42)).toBe("message 42");
  });

  it("the terminal's screen says Try Another Card for 1C: it has no contact or stripe reader", () => {
    expect(uiText(UiMessage.TryAnotherCard)).toBe("Insert, Swipe or Try Another Card");
    expect(screenText(UiMessage.TryAnotherCard)).toBe("Try Another Card");
    expect(screenText(UiMessage.OverContactlessLimit)).toBe("Amount Over Contactless Limit");
    expect(screenText(UiMessage.Approved)).toBe("Approved");
  });
});

describe("screen layout", () => {
  it("formats amounts from integer minor units without floats", () => {
    expect(formatAmount(1250, 2)).toBe("12.50");
    expect(formatAmount(5, 2)).toBe("0.05");
    expect(formatAmount(0, 2)).toBe("0.00");
    expect(formatAmount(500, 0)).toBe("500");
    expect(formatAmount(123456789, 3)).toBe("123456.789");
    expect(formatAmount(999999999999, 2)).toBe("9999999999.99");
  });

  it("wraps at spaces within the width and cuts a word longer than a line", () => {
    expect(wrapText("Card Read OK Please Remove Card", 21)).toEqual(["Card Read OK Please", "Remove Card"]);
    expect(wrapText("Present Card", 21)).toEqual(["Present Card"]);
    expect(wrapText("ABCDEFGHIJ KL", 4)).toEqual(["ABCD", "EFGH", "IJ", "KL"]);
  });

  it("message on top, amount and the last 4 of the masked PAN at the bottom", () => {
    const r = ui(UiMessage.Approved, UiStatus.NotReady, 0);
    const l = screenLayout(r, { amountMinor: 1250, ...EUR, maskedPan: maskPan("4761739001010010") }, 21, 8);
    expect(l).toEqual({ top: ["Approved"], bottom: ["EUR 12.50", "Card **** 0010"] });
    expect(JSON.stringify(l)).not.toContain("476173");
  });

  it("Clear Display (1E) shows nothing, not even the amount", () => {
    expect(screenLayout(ui(UiMessage.ClearDisplay, UiStatus.Idle, 0), { amountMinor: 100 }, 21, 8)).toEqual({ top: [], bottom: [] });
  });

  it("a 128×32 panel (4 rows) keeps the amount and PAN and cuts the message", () => {
    const r = ui(UiMessage.OverContactlessLimit, UiStatus.ProcessingError, 0);
    const l = screenLayout(r, { amountMinor: 150000, ...EUR, maskedPan: "541333******4111" }, 10, 4);
    expect(l).toEqual({ top: ["Amount", "Over"], bottom: ["EUR 1500.00", "Card **** 4111"] });
  });
});

describe("Screen", () => {
  it("draws each line centred in 6x8, bottom block on the last rows, then flushes g.buffer", () => {
    const g = new TestGraphics(128, 64);
    const frames: Uint8Array[] = [];
    const screen = new Screen(g, { flush: (f) => frames.push(f.slice()) });
    screen.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), { amountMinor: 1250, ...EUR });
    expect(g.calls).toEqual(["setFont 6x8", "clear", 'drawString "Present Card" 28 0', 'drawString "EUR 12.50" 37 56']);
    expect(frames.length).toBe(1);
    expect(toHex(frames[0])).toBe(toHex(new Uint8Array(g.buffer)));
  });

  it("end to end: the frame lands in the simulated SSD1306's GDDRAM, glyph columns where drawn", () => {
    const g = new TestGraphics(128, 64);
    const sim = new Ssd1306Sim();
    const oled = new Ssd1306(sim);
    oled.init();
    const screen = new Screen(g, oled);
    screen.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 750), { amountMinor: 5, ...EUR });
    expect(toHex(sim.ram)).toBe(toHex(new Uint8Array(g.buffer)));
    // "Card Read OK Please" (19 chars) starts at x = (128 − 114) / 2 = 7, page 0.
    expect(sim.ram[7]).toBe(glyphColumn("C", 0));
    // "Remove Card" on row 1 (page 1) at x = (128 − 66) / 2 = 31.
    expect(sim.ram[128 + 31]).toBe(glyphColumn("R", 0));
    // "EUR 0.05" on the last row (page 7) at x = (128 − 48) / 2 = 40.
    expect(sim.ram[7 * 128 + 40]).toBe(glyphColumn("E", 0));
    screen.show(ui(UiMessage.ClearDisplay, UiStatus.Idle, 0), null);
    expect(sim.ram.every((b) => b === 0)).toBe(true);
  });
});
