/**
 * The esp32's till: the till API (src/app/till) over Espruino's HTTP server
 * (src/hal/espruino/till-http.ts) on port 80 (config till.port), the page from Storage (`till.html.gz`, written
 * by `npm run flash`), at most `MAX_STREAMS` live event streams. Plain HTTP on the shop's
 * network (README "The till on the board"): the bearer token guards the API, the page holds
 * no secret.
 */
import type { LazyAuth } from "../../src/app/lazy-auth";
import type { TillReversals } from "../../src/app/till/api";
import { createTillApi, KEEPALIVE_MS, MAX_BODY_BYTES, sseFrame } from "../../src/app/till/index";
import { startTillServer, type TillServer } from "../../src/hal/espruino/till-http";
import type { TillContext } from "./compose";

/** The page's Storage file (host/board/boards.ts TILL_PAGE_FILE). */
const PAGE = "till.html.gz";

/**
 * Open /api/events streams at most (503 beyond). Measured in espruino-esp32 (README "The till
 * on the board", `npm run bench` table till-memory): each open stream holds ~100 JsVars, a page
 * load peaks at ~180 and an API call at ~300. Two streams (the merchant's phone and a spare:
 * a reloaded page's old stream closes only when the board next reads its socket) keep the
 * ESP32's few lwIP sockets free for page loads and the acquirer's request.
 */
const MAX_STREAMS = 2;

/**
 * The reversal queue and sender as the till API reads them, through the online side loaded when
 * asked (src/app/lazy-auth.ts); the `onReport` the API sets on the sender is handed to LazyAuth.
 */
function tillReversals(a: LazyAuth): TillReversals {
  return {
    queue: {
      add: a.queueReversal.bind(a),
      has: function (id: string) {
        return a.get().authorizer.queue.has(id);
      },
      list: function () {
        return a.get().authorizer.queue.list();
      },
      size: function () {
        return a.get().authorizer.queue.size();
      },
    },
    sender: {
      flush: function () {
        return a.get().sender.flush();
      },
      onReport: null,
    },
  };
}

export function esp32Till(c: TillContext): () => void {
  const cfg = c.config;
  const a = c.auth;
  const reversals = a !== null ? tillReversals(a) : null;
  const api = createTillApi({
    runner: c.terminal.runner,
    onStatus: c.terminal.onStatus,
    store: c.store,
    wall: c.wall,
    token: c.token,
    terminalId: cfg.acquirer.terminalId,
    merchant: { id: cfg.acquirer.merchantId, name: cfg.merchantName },
    currency: cfg.currency,
    exponent: cfg.currencyExponent,
    currencyLabel: cfg.currencyLabel,
    maxAmountMinor: cfg.limits.txnMinor,
    reversals: reversals,
    online: c.online,
    utcOffsetMin: cfg.tzOffsetMinutes,
  });
  // The till's report of each round of reversals, on every instance of the online side loaded.
  if (a !== null && reversals !== null) a.onReport(reversals.sender.onReport);
  const box = { server: null as TillServer | null };
  return function () {
    // WiFi (re)connected: a fresh server (a dropped network may have closed the old socket).
    if (box.server !== null) box.server.close();
    box.server = null;
    try {
      box.server = startTillServer(api, { port: cfg.till.port, maxBodyBytes: MAX_BODY_BYTES, frame: sseFrame, store: c.store, page: PAGE, maxStreams: MAX_STREAMS, keepaliveMs: KEEPALIVE_MS, clock: c.clock });
      c.print("till: http://" + require("Wifi").getIP().ip + (cfg.till.port !== 80 ? ":" + cfg.till.port : "") + "/");
    } catch (e) {
      c.print("till: cannot listen on port " + cfg.till.port + ": " + (e as Error).message); // "Unable to create socket"
    }
  };
}
