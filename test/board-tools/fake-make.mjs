#!/usr/bin/env node
// A stand-in for `make` in an espruino/Espruino checkout, pointed at with TAPPOS_MAKE
// (host/board/firmware-run.ts). `make BOARD=X RELEASE=1 clean` succeeds; `make -jN BOARD=X
// RELEASE=1` reads boards/X.py, the JavaScript modules its JSMODULESOURCES lines name, writes
// bin/espruino_2v29_<name>.bin of 280,000 bytes plus the modules (FAKE_MAKE_BASE changes the
// 280,000) and prints Espruino's size check against 393,216 bytes; FAKE_MAKE_FAIL=1 fails as a
// compiler error does. Each run appends its argv as one JSON line to FAKE_MAKE_LOG when set.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
if (process.env.FAKE_MAKE_LOG) appendFileSync(process.env.FAKE_MAKE_LOG, JSON.stringify(args) + "\n");
const board = (args.find((a) => a.startsWith("BOARD=")) ?? "").slice(6);
if (args.includes("clean")) process.exit(0);
const file = `boards/${board}.py`;
if (!existsSync(file)) {
  console.error(`make: *** No rule to make target '${file}'.  Stop.`);
  process.exit(2);
}
if (process.env.FAKE_MAKE_FAIL === "1") {
  console.log("CC obj/src/jsvar.o");
  console.error("src/jsvar.c:1:1: error: expected identifier");
  console.error("make: *** [Makefile:860: obj/src/jsvar.o] Error 1");
  process.exit(2);
}
const source = readFileSync(file, "utf8");
let bytes = Number(process.env.FAKE_MAKE_BASE ?? "280000");
for (const m of source.matchAll(/'JSMODULESOURCES\+=([^:']+):([^']+)'/g)) {
  console.log(`Loading JS module: ${m[2]} -> ${m[1]}`);
  bytes += readFileSync(m[2]).length;
}
const name = (/'binary_name'\s*:\s*'espruino_%v_([^']+)'/.exec(source) ?? ["", "x.bin"])[1];
mkdirSync("bin", { recursive: true });
const bin = `bin/espruino_2v29_${name}`;
writeFileSync(bin, Buffer.alloc(bytes, 0x5a));
console.log(`bash scripts/check_size.sh ${bin}`);
console.log(`Checking size of ${bin}`);
if (bytes > 393216) {
  console.log(`FAIL - size of ${bytes} is over 393216 bytes`);
  process.exit(1);
}
console.log(`PASS - size of ${bytes} is under 393216 bytes`);
