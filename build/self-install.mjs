// Self-installing bundle (docs/espruino-notes.md "Memory when loading"): the file a user runs
// writes the real bundle into Storage in 4 KB string pieces, then load()s it, so the code runs
// from flash as a board runs saved code. Why: run as a plain file, the interpreter holds the
// whole file text in RAM while the top level runs, and every function defined by it keeps a
// copy of its body text in RAM too; measured in the 16,383-JsVar ESP32-layout build (2v29),
// a 98 KB selftest ran OUT OF MEMORY that way, while the same bytes pass from Storage with
// ~10,900 JsVars free. The installer itself defines no function but one: its RAM is the file
// text plus one piece at a time.

/** Bytes per Storage.write piece. */
export const PIECE = 4096;

/**
 * The installer for `code` (ASCII only, as the bundle check leaves it) under the Storage file
 * `file` (≤ 28 characters).
 * load() starts the interpreter afresh, so globals set before the installer (the bench's
 * `var BENCH_TAPS=N;`) would be lost: each name of `options.forward` that is defined when the
 * installer runs is written, as `var NAME=<JSON>;`, before the bundle in the Storage file.
 * `options.label` starts the failure line (default SELFTEST: "SELFTEST FAIL install …").
 * @param {string} code
 * @param {string} file
 * @param {{ forward?: string[], label?: string }} [options]
 * @returns {string}
 */
export function selfInstaller(code, file, options) {
  if (/[^\x00-\x7f]/.test(code)) throw new Error("self-install: the bundle must be ASCII");
  if (file.length > 28) throw new Error("self-install: Storage names are at most 28 characters");
  const forward = (options && options.forward) || [];
  const label = (options && options.label) || "SELFTEST";
  for (const n of forward) if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n)) throw new Error("self-install: not a global name: " + n);
  const lines = [
    "// Installs the bundle below into Storage file " + JSON.stringify(file) + " and runs it from there (build/self-install.mjs).",
    "var $S=require(\"Storage\"),$f=" + JSON.stringify(file) + ",$p=\"\";",
  ];
  // The forwarded globals, then the bundle at offset $p.length.
  for (const n of forward) lines.push(`if(typeof ${n}!=="undefined")$p+="var ${n}="+JSON.stringify(${n})+";";`);
  lines.push("try{", "$S.erase($f);");
  lines.push(`$S.write($f,$p+"\\n",0,$p.length+1+${code.length});`);
  for (let i = 0; i < code.length; i += PIECE) lines.push(`$S.write($f,${JSON.stringify(code.slice(i, i + PIECE))},$p.length+1+${i});`);
  lines.push("setTimeout(function(){load($f);},1);");
  lines.push(`}catch(e){print("${label} FAIL install into Storage "+$f+": "+(e&&e.message?e.message:e));}`);
  return lines.join("\n") + "\n";
}

/**
 * The bundle an installer carries (the inverse of selfInstaller): for tools that run it their
 * own way (`npm run bench` writes it to Storage with its globals before it). null when `text`
 * is no installer.
 * @param {string} text
 * @returns {string | null}
 */
export function installedBundle(text) {
  if (!text.startsWith("// Installs the bundle below")) return null;
  let code = "";
  for (const line of text.split("\n")) {
    const m = /^\$S\.write\(\$f,("(?:[^"\\]|\\.)*"),\$p\.length\+1\+(\d+)\);$/.exec(line);
    if (!m) continue;
    if (Number(m[2]) !== code.length) return null;
    code += JSON.parse(m[1]);
  }
  return code;
}
