// A stand-in for the `espruino` CLI (node_modules/espruino/bin/espruino-cli.js), pointed at
// with TAPPOS_ESPRUINO_CLI. It prints what the real 0.1.67 prints (lines captured from it
// against the Linux interpreter and a missing port), by FAKE_ESPRUINO_MODE:
//   ok        connected, the board's answer, "Upload Complete", exit 0
//   module    "Module FooMod not found", exit 0 (as the real one offline)
//   unable    serial port not found, "Unable to connect!", exit 0
//   refused   "RECEIVE ERROR: {…ECONNREFUSED…}", exit 0 (a TCP target nobody listens on)
//   hang      as ok, then never exits (the real one after some TCP uploads)
//   silent    the banner, then nothing, never exits
//   crash     an exception on stderr, exit 7 (the real one without --no-ble and no D-Bus)
//   uncaught  the board prints "Uncaught Error: …" during the upload
//   echo      the board echoes the uploaded file (secrets and all)
// The firmware question (TPFW, flash-firmware.ts) is answered from FAKE_ESPRUINO_FW: the paths,
// comma-separated, of the bundle and parts the board's firmware carries (the CRC32 and length of
// them one after the other), unset for a stock firmware; each text the question asks for is then
// found at FAKE_ESPRUINO_FW_AT (default 0x08040000) and 64 KB further for each next one, or
// nowhere with "null".
// Each run appends its argv as one JSON line to FAKE_ESPRUINO_LOG when set.
import { appendFileSync, readFileSync } from "node:fs";
import { crc32 } from "node:zlib";

const args = process.argv.slice(2);
const mode = process.env.FAKE_ESPRUINO_MODE || "ok";
if (process.env.FAKE_ESPRUINO_LOG) appendFileSync(process.env.FAKE_ESPRUINO_LOG, JSON.stringify(args) + "\n");

const out = (l) => process.stdout.write(l + "\n");
const err = (l) => process.stderr.write(l + "\n");
const valueOf = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = valueOf("-p") ?? "";
const expr = valueOf("-e");
const file = args.length > 0 && !args[args.length - 1].startsWith("-") && args[args.length - 2] !== "-e" && args[args.length - 2] !== "-p" ? args[args.length - 1] : undefined;

out("Espruino Command-line Tool 0.1.67");
out("-----------------------------------");
out("");
const board = valueOf("--board");
if (board) out(`Explicit board JSON supplied: "${board}"`);
out(`Connecting to '${port}'`);

/** What the board answers: the TPSTAT question, the configure script's or the Storage file script's CRC line. */
function boardAnswer() {
  if (expr && expr.includes("TPFW")) {
    const fw = process.env.FAKE_ESPRUINO_FW;
    const data = fw ? Buffer.concat(fw.split(",").map((f) => readFileSync(f))) : null;
    const id = data ? { crc: crc32(data) >>> 0, bytes: data.length } : null;
    // One address per text the question asks for ([head, length, CRC32] each), 64 KB apart.
    const asked = [...expr.matchAll(/\[("(?:[^"\\]|\\.)*"),(\d+),(\d+)\]/g)].length;
    const atEnv = process.env.FAKE_ESPRUINO_FW_AT;
    const at = id === null ? [] : Array.from({ length: asked }, (_, i) => (atEnv === "null" ? null : (atEnv ? Number(atEnv) : 0x08040000) + i * 0x10000));
    return [`TPFW ${JSON.stringify({ v: "2v29", id, at })}`];
  }
  if (expr && expr.includes("TPSTAT")) return [`TPSTAT {"conf":${process.env.FAKE_ESPRUINO_CONF === "1"},"boot":41}`];
  if (file) {
    const text = readFileSync(file, "utf8");
    if (text.includes("TPCONF_CRC")) {
      let stored = "";
      for (const m of text.matchAll(/s\.write\("tpconf",("(?:[^"\\]|\\.)*"),/g)) stored += JSON.parse(m[1]);
      return [`TPCONF_CRC ${crc32(Buffer.from(stored, "latin1")) >>> 0} ${stored.length}`];
    }
    if (text.includes("TPFILE_CRC")) {
      // FAKE_ESPRUINO_FILE_DROP=1: the board loses the last chunk (a short write).
      const parts = [...text.matchAll(/s\.write\("[^"]+",atob\("([A-Za-z0-9+/=]*)"\),/g)].map((m) => Buffer.from(m[1], "base64"));
      if (process.env.FAKE_ESPRUINO_FILE_DROP === "1") parts.pop();
      const stored = Buffer.concat(parts);
      return [`TPFILE_CRC ${crc32(stored) >>> 0} ${stored.length}`];
    }
    return ["tappos tiny bundle"];
  }
  return [];
}

switch (mode) {
  case "module":
    err("Module FooMod not found");
    break;
  case "unable":
    err(`serial: Port "${port}" not found`);
    err("Unable to connect!");
    break;
  case "refused":
    err('RECEIVE ERROR: {"errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"127.0.0.1","port":2399}');
    break;
  case "silent":
    setInterval(() => {}, 1000);
    break;
  case "crash":
    err("Error: connect ENOENT /var/run/dbus/system_bus_socket");
    process.exitCode = 7;
    break;
  default: {
    out("Connected");
    out("--] >");
    if (mode === "uncaught") out("--] Uncaught Error: Can't read property 'x' of undefined");
    if (mode === "echo" && file) for (const l of readFileSync(file, "utf8").split("\n")) out("--] " + l);
    for (const l of boardAnswer()) out("--] " + l);
    out("Upload Complete");
    if (mode === "hang") setInterval(() => {}, 1000);
  }
}
