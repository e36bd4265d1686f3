/**
 * The terminal with its card reader in the same bundle (terminal-compose.ts composeTerminal
 * with card-reader.ts pn532Reader): `npm start`, the selftest, the bench, the espruino-wifi.
 */
import { pn532Reader } from "./card-reader";
import { composeTerminal, type Terminal, type TerminalParts } from "./terminal-compose";

export { composeTerminal } from "./terminal-compose";
export type { BootReport, ReaderMaker, ReaderTuning, Terminal, TerminalParts, TerminalSettings } from "./terminal-compose";

/** Composes the terminal from its parts. Call `boot()` once before the first sale. */
export function createTerminal(parts: TerminalParts): Terminal {
  return composeTerminal(parts, pn532Reader);
}
