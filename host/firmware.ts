/** `npm run firmware -- --board espruino-wifi --espruino DIR`: host/board/firmware-run.ts. */
import { firmwareMain } from "./board/firmware-run";

process.exitCode = await firmwareMain(process.argv.slice(2));
