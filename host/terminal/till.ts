/**
 * The till next to the simulated terminal (issue 10): `npm start` (interactive and headless)
 * serves the till page (web/, built in memory by build/till-page.mjs) and the till API
 * (src/app/till, docs/till-api.md) on 127.0.0.1 through host/till/server.ts, plus the
 * host-only virtual phone routes (sim-routes.ts). The token is the state folder's
 * (till-token.ts); the port is --port N, by default DEFAULT_TILL_PORT, another free one when
 * that is busy. Loopback only: the host's till is for the person at this computer.
 */
import { buildTillPage } from "../../build/till-page.mjs";
import { createTillApi, type TillApi } from "../../src/app/till";
import { startTillServer, type TillServer } from "../till/server";
import { TEST_MERCHANT_ID, TEST_TERMINAL_ID } from "../auth/test-terminal";
import { DEFAULT_TILL_PORT } from "./args";
import type { HostTerminal } from "./host-terminal";
import { simRoutes } from "./sim-routes";
import { tillLine, tillToken } from "./till-token";

/** What the page's keypad takes (nine digits): 9,999,999.99 EUR. */
const MAX_AMOUNT_MINOR = 999999999;

export interface HostTillOptions {
  ht: HostTerminal;
  stateDir: string;
  /** --port; null: DEFAULT_TILL_PORT. */
  port: number | null;
  /** A line for the person (a virtual phone held out from the page). */
  say: (line: string) => void;
}

export interface HostTill {
  /** "http://127.0.0.1:8640/#token=…". */
  url: string;
  /** The line `npm start` prints: "till: <url>  (<which port>; …)". */
  line: string;
  close(): Promise<void>;
}

/** The till API of the host terminal (src/app/till over its runner, Storage and reversal queue). */
export function hostTillApi(ht: HostTerminal, token: string): TillApi {
  return createTillApi({
    runner: ht.terminal.runner,
    onStatus: (cb) => ht.terminal.onStatus(cb),
    store: ht.store,
    wall: ht.online.wall,
    token: token,
    terminalId: TEST_TERMINAL_ID,
    merchant: { id: TEST_MERCHANT_ID, name: "tappos simulator" },
    currency: ht.currencyCode,
    exponent: ht.exponent,
    currencyLabel: ht.currency,
    maxAmountMinor: MAX_AMOUNT_MINOR,
    reversals: { queue: ht.online.auth.authorizer.queue, sender: ht.online.auth.sender },
  });
}

function isBusy(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "EADDRINUSE";
}

/** Serves the page and the API; resolves once listening. */
export async function startHostTill(o: HostTillOptions): Promise<HostTill> {
  const page = buildTillPage({ write: false });
  if (!page.ok) throw new Error("till page: " + page.problems.join("; "));
  const token = tillToken(o.stateDir);
  const api = hostTillApi(o.ht, token);
  const sim = simRoutes(o.ht.field, o.say);
  const wanted = o.port === null ? DEFAULT_TILL_PORT : o.port;
  const serve = (port: number): Promise<TillServer> =>
    startTillServer({ api: api, page: { html: page.html, gzip: page.gzip }, host: "127.0.0.1", port: port, extraRoutes: (req) => Promise.resolve(sim(req)) });
  let server: TillServer;
  try {
    server = await serve(wanted);
  } catch (e) {
    if (!isBusy(e) || wanted === 0) throw e;
    server = await serve(0);
  }
  const url = `http://127.0.0.1:${server.port}/#token=${token}`;
  return { url: url, line: tillLine(server.port, token, o.port, DEFAULT_TILL_PORT), close: () => server.close() };
}
