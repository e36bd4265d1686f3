/**
 * `npm run acquirer`: the reference acquirer host on loopback (docs/acquirer-api.md).
 * Its ledger lives in .tappos/acquirer (git-ignored) unless --data says otherwise.
 */
import { join } from "node:path";
import { runAcquirer } from "./acquirer/cli";

await runAcquirer(process.argv.slice(2), join(import.meta.dirname, "..", ".tappos", "acquirer"));
