/**
 * Part `tpp.auth`: the terminal's online side (src/auth TerminalAuth: signed HTTP, authorizer,
 * reversal queue and sender), loaded at boot and for each authorization, let go while a card
 * is read (src/app/lazy-auth.ts, board/esp32/compose.ts).
 */
import { DEFAULT_TIMEOUTS, TerminalAuth, type AuthDeps } from "../../../src/auth/terminal-auth";
import type { BoardAuthConfig } from "../compose";

function makeAuth(cfg: BoardAuthConfig, deps: AuthDeps): TerminalAuth {
  return new TerminalAuth({ url: cfg.url, terminalId: cfg.terminalId, merchantId: cfg.merchantId, keyId: cfg.keyId, key: cfg.key, country: cfg.country, timeouts: DEFAULT_TIMEOUTS }, deps);
}

tpPart("auth", makeAuth);
