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
 * @param {string} code
 * @param {string} file
 * @returns {string}
 */
export function selfInstaller(code, file) {
  if (/[^\x00-\x7f]/.test(code)) throw new Error("self-install: the bundle must be ASCII");
  if (file.length > 28) throw new Error("self-install: Storage names are at most 28 characters");
  const lines = [
    "// Installs the bundle below into Storage file " + JSON.stringify(file) + " and runs it from there (build/self-install.mjs).",
    "var $S=require(\"Storage\"),$f=" + JSON.stringify(file) + ";",
    "try{",
    "$S.erase($f);",
  ];
  for (let i = 0; i < code.length; i += PIECE) {
    const piece = JSON.stringify(code.slice(i, i + PIECE));
    lines.push(i === 0 ? `$S.write($f,${piece},0,${code.length});` : `$S.write($f,${piece},${i});`);
  }
  lines.push("setTimeout(function(){load($f);},1);");
  lines.push("}catch(e){print(\"SELFTEST FAIL install into Storage \"+$f+\": \"+(e&&e.message?e.message:e));}");
  return lines.join("\n") + "\n";
}
