// Size budgets per board, bytes of minified bundle (DESIGN.md "Boards"). One place only.
// The selftest carries the simulator and virtual phones; the real boards must stay smaller
// because their JsVars are shared with TLS buffers and the transaction.
// selftest: 80 KB since it carries three full taps (transcripts, entry point, three kernels)
// besides the PN532 simulator; measured loading it as a plain file in 2v29 on the
// 16,383-JsVar build (unwrapped, build/unwrap.mjs): it runs with ~8,000 JsVars free after.
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
