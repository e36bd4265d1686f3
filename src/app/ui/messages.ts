/**
 * The standard texts of the user interface messages, EMV Contactless Book A v2.10 §9.4
 * (Table 9-3), for the ids src/emv/outcome.ts names (UiMessage). One table for the terminal's
 * screen and for the host tools (`npm run tap` prints these texts too).
 */

import { find } from "../../bytes/find";

/**
 * The Book A text of message `id`, or "message XX" for one the table lacks. Book A Table 9-3
 * texts by message id (plus tappos's own E0, outcome.ts UiMessage.OverContactlessLimit, not
 * in Book A): "|" + the id in two hex digits + the text. One literal inside the function: the
 * table stays in the code (flash on a board), no object of 19 strings is held in RAM between
 * calls.
 */
export function uiText(id: number): string {
  const h = hexByte(id);
  const t =
    "|03Approved|07Not Authorised|09Please Enter Your PIN|0FProcessing Error|10Please Remove Card|14Welcome|15Present Card" +
    "|16Processing|17Card Read OK Please Remove Card|18Please Insert or Swipe Card|19Please Present One Card Only" +
    "|1AApproved Please Sign|1BAuthorising Please Wait|1CInsert, Swipe or Try Another Card|1DPlease Insert Card|1E" +
    "|20See Phone for Instructions|21Present Card Again|E0Amount Over Contactless Limit|";
  const i = find(t, "|" + h, 0);
  return i < 0 ? "message " + h : t.substring(i + 3, t.indexOf("|", i + 3));
}

/**
 * The text this terminal's own screen shows for message `id`: Book A's, except where it would
 * send the customer to a reader this terminal does not have (no contact slot, no magnetic
 * stripe): 1C is "Try Another Card".
 */
export function screenText(id: number): string {
  return id === 0x1c ? "Try Another Card" : uiText(id);
}

/** "0A" from 10: a message id as Book A writes it. */
export function hexByte(n: number): string {
  const s = n.toString(16).toUpperCase();
  return s.length < 2 ? "0" + s : s;
}
