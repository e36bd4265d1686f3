/** `npm run configure -- --board esp32 --port /dev/ttyUSB0 --config config.json [--rotate-token]`: host/board/configure-run.ts. */
import { configureMain } from "./board/configure-run";

process.exitCode = await configureMain(process.argv.slice(2));
