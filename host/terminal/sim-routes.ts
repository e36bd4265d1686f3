/**
 * The host's own till routes (issue 10, docs/till-api.md "Host only"): the virtual phone or
 * card the person at the till page picks is held out to the simulated reader (field.ts), as
 * `t <name>` does in the interactive mode. Only the named profiles (src/sim/profiles): the
 * page cannot make the host open a file.
 *
 *   GET  /api/sim/profiles          200 {"profiles":["applepay-visa", …]}
 *   POST /api/sim/tap {"profile"}   200 {"profile","label"}; 400 BAD_REQUEST field "profile" or "body"
 *
 * host/till/server.ts calls it (extraRoutes) after the token check and the body limit; null
 * for any other path (the till API answers those).
 */
import { PROFILE_NAMES } from "../../src/sim/profiles";
import type { VirtualField } from "./field";

export interface SimRequest {
  method: string;
  path: string;
  body: string;
}

export interface SimResponse {
  status: number;
  headers: { [name: string]: string };
  body: string;
}

const json = (status: number, value: unknown): SimResponse => ({ status: status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });

const bad = (field: string, message: string): SimResponse => json(400, { error: "BAD_REQUEST", field: field, message: message });

/** Answers /api/sim/*; `told` hears what was held out (for the text lines). */
export function simRoutes(field: VirtualField, told: (line: string) => void): (req: SimRequest) => SimResponse | null {
  return (req) => {
    const path = req.path.split("?")[0];
    if (path === "/api/sim/profiles") {
      if (req.method !== "GET") return json(405, { error: "METHOD_NOT_ALLOWED" });
      return json(200, { profiles: PROFILE_NAMES });
    }
    if (path === "/api/sim/tap") {
      if (req.method !== "POST") return json(405, { error: "METHOD_NOT_ALLOWED" });
      let body: unknown;
      try {
        body = JSON.parse(req.body);
      } catch (e) {
        return bad("body", "not JSON");
      }
      const profile = body !== null && typeof body === "object" ? (body as { profile?: unknown }).profile : undefined;
      if (typeof profile !== "string" || !PROFILE_NAMES.includes(profile)) return bad("profile", `one of ${PROFILE_NAMES.join(", ")}`);
      const label = field.present(profile);
      told(`${label} held out to the reader (till page)`);
      return json(200, { profile: profile, label: label });
    }
    return null;
  };
}
