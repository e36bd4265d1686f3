/**
 * `npm run tap -- <profile | file.json | file.apdu> [--amount 12.34] [--currency 156] [--json] …`:
 * one tap through the PN532 simulator, Entry Point and a kernel (host/tap/run-tap.ts).
 */
import { runOnlineTap, wantsOnline } from "./tap/online";
import { runTap } from "./tap/run-tap";

// `--online <url>`: the tap, then the authorization (host/tap/online.ts).
const args = process.argv.slice(2);
(wantsOnline(args) ? runOnlineTap : runTap)(
  args,
  (line) => console.log(line),
  (line) => console.error(line),
).then((code) => {
  process.exitCode = code;
});
