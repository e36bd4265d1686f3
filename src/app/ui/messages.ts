/**
 * The standard texts of the user interface messages, EMV Contactless Book A v2.10 §9.4
 * (Table 9-3), for the ids src/emv/outcome.ts names (UiMessage). One table for the terminal's
 * screen and for the host tools (`npm run tap` prints these texts too).
 */

/** Book A Table 9-3 texts by message id (plus tappos's own E0). */
export const UI_TEXTS: { [id: number]: string } = {
  0x03: "Approved",
  0x07: "Not Authorised",
  0x09: "Please Enter Your PIN",
  0x0f: "Processing Error",
  0x10: "Please Remove Card",
  0x14: "Welcome",
  0x15: "Present Card",
  0x16: "Processing",
  0x17: "Card Read OK Please Remove Card",
  0x18: "Please Insert or Swipe Card",
  0x19: "Please Present One Card Only",
  0x1a: "Approved Please Sign",
  0x1b: "Authorising Please Wait",
  0x1c: "Insert, Swipe or Try Another Card",
  0x1d: "Please Insert Card",
  0x1e: "",
  0x20: "See Phone for Instructions",
  0x21: "Present Card Again",
  // tappos's own id (outcome.ts UiMessage.OverContactlessLimit), not in Book A.
  0xe0: "Amount Over Contactless Limit",
};

/**
 * What this terminal's own screen says instead, where Book A's text would send the customer
 * to a reader it does not have (no contact slot, no magnetic stripe).
 */
export const CONTACTLESS_ONLY_TEXTS: { [id: number]: string } = {
  0x1c: "Try Another Card",
};

/** The Book A text of message `id`, or "message XX" for one the table lacks. */
export function uiText(id: number): string {
  const t = UI_TEXTS[id];
  return t !== undefined ? t : "message " + hexByte(id);
}

/** The text this terminal's screen shows for message `id`. */
export function screenText(id: number): string {
  const t = CONTACTLESS_ONLY_TEXTS[id];
  return t !== undefined ? t : uiText(id);
}

/** "0A" from 10: a message id as Book A writes it. */
export function hexByte(n: number): string {
  const s = n.toString(16).toUpperCase();
  return s.length < 2 ? "0" + s : s;
}
