/** `npm run flash -- --board esp32 --port /dev/ttyUSB0 [--bundle FILE]`: host/board/flash-run.ts. */
import { flashMain } from "./board/flash-run";

process.exitCode = await flashMain(process.argv.slice(2));
