// Size budgets per board, bytes of minified bundle (DESIGN.md "Boards"). One place only.
// The selftest carries the simulator and virtual phones; the real boards must stay smaller
// because their JsVars are shared with TLS buffers and the transaction.
export const BUDGETS = {
  selftest: 64 * 1024,
  esp32: 48 * 1024,
  "espruino-wifi": 48 * 1024,
};

/** A board without its own line gets the strictest budget. */
export const DEFAULT_BUDGET = 48 * 1024;

export function budgetFor(board) {
  return Object.hasOwn(BUDGETS, board) ? BUDGETS[board] : DEFAULT_BUDGET;
}
