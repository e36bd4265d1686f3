/**
 * The standard texts of the user interface messages (EMV Contactless Book A v2.10 §9.4,
 * Table 9-3), for the ids outcome.ts names. Host-side for now; the terminal app will carry
 * its own (translated) table.
 */
const TEXTS: { [id: number]: string } = {
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

/** The Book A text of message `id`, or "message XX" for one this table lacks. */
export function uiText(id: number): string {
  const t = TEXTS[id];
  return t !== undefined ? t : "message " + id.toString(16).toUpperCase().padStart(2, "0");
}
