/**
 * The till API (issue 10, docs/till-api.md): what the adapters import.
 */
export { createTillApi, type TillApi, type TillDeps, type TillReversals, type TillRunner } from "./api";
export { KEEPALIVE_MS, MAX_BODY_BYTES, sseFrame, UNAUTHORIZED, type TillRequest, type TillResponse } from "./http";
