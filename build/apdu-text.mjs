// `.apdu` transcripts go into board bundles as text, compacted: hex without spaces (the
// transcript parser reads both), and comment lines the transcript card ignores emptied.
// Line numbers stay as in the file, so a mismatch report still points at the right line.
import { readFileSync } from "node:fs";

const HEADER_KEYS = new Set(["atqa", "sak", "uid", "ats", "latency-ms"]);

/** @param {string} text @returns {string} */
export function compactTranscript(text) {
  let seenCommand = false;
  return text.split("\n").map((raw) => {
    const line = raw.trim();
    if (line.startsWith("#")) {
      const key = line.slice(1).trim().split(/[\s:]/)[0].toLowerCase();
      return !seenCommand && HEADER_KEYS.has(key) ? line : "";
    }
    if (line.startsWith("=>") || line.startsWith("<=")) {
      if (line.startsWith("=>")) seenCommand = true;
      const hash = line.indexOf("#");
      const hex = (hash >= 0 ? line.slice(2, hash) : line.slice(2)).replace(/\s+/g, "");
      const note = hash >= 0 && line.slice(hash).includes("match header") ? " # match header" : "";
      return `${line.slice(0, 2)} ${hex}${note}`;
    }
    return line;
  }).join("\n").replace(/\n+$/, "\n");
}

export const apduTextPlugin = {
  name: "tappos-apdu-text",
  setup(build) {
    build.onLoad({ filter: /\.apdu$/ }, (args) => ({ contents: compactTranscript(readFileSync(args.path, "utf8")), loader: "text" }));
  },
};
