/**
 * `npm run tap -- <profile | file.json | file.apdu> [--amount 12.34] [--currency 156] [--json] …`:
 * one tap through the PN532 simulator, Entry Point and a kernel (host/tap/run-tap.ts).
 */
import { runTap } from "./tap/run-tap";

runTap(
  process.argv.slice(2),
  (line) => console.log(line),
  (line) => console.error(line),
).then((code) => {
  process.exitCode = code;
});
