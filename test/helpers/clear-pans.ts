// Every PAN the simulator's profiles carry, clear (5A, and Track 2's before its D): tests
// assert that none of them is ever printed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../host/espruino-dir";

export const CLEAR_PANS: string[] = (() => {
  const dir = join(PROJECT_ROOT, "src/sim/profiles");
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const text = readFileSync(join(dir, f), "utf8");
    for (const m of text.matchAll(/\["5A",\s*"([0-9]+)F*"\]/gi)) out.push(m[1]);
    for (const m of text.matchAll(/\["57",\s*"([0-9]+)D/gi)) out.push(m[1]);
  }
  return out;
})();
