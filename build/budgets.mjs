// Size budgets per board, bytes of minified bundle (docs/architecture.md "Boards and
// budgets"). One place only. The selftest carries the simulator and virtual phones; the real
// boards must stay smaller because their JsVars are shared with TLS buffers and the
// transaction.
// selftest: 80 KB since it carries three full taps (transcripts, entry point, three kernels)
// besides the PN532 simulator. Measured 2026-12-06 at 75 KB in espruino-esp32 (16,383
// JsVars): as a plain file the top level peaks at 15,039 JsVars used (1,344 free) and the run
// ends with ~8,000 free; from Storage + load() it ends with ~12,500 free
// (docs/espruino-notes.md "Figures").
export const BUDGETS = {
  selftest: 80 * 1024,
  esp32: 48 * 1024,
  "espruino-wifi": 48 * 1024,
  // bench: taps replayed from bus bytes recorded at build time, for counting instructions.
  bench: 80 * 1024,
};

/** A board without its own line gets the strictest budget. */
export const DEFAULT_BUDGET = 48 * 1024;

export function budgetFor(board) {
  return Object.hasOwn(BUDGETS, board) ? BUDGETS[board] : DEFAULT_BUDGET;
}
