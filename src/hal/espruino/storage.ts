/** KeyValueStore over Espruino's flash Storage (names ≤ 28 chars). */
import { codedError } from "../../bytes/coded-error";
import { find } from "../../bytes/find";
import { KeyValueStore } from "../types";

export function espruinoStore(): KeyValueStore {
  const storage = require("Storage");
  return {
    read: function (name: string) {
      return storage.read(name);
    },
    write: function (name: string, data: string) {
      if (!storage.write(name, data)) throw codedError("STORAGE_WRITE", "flash write failed", { name: name });
    },
    erase: function (name: string) {
      storage.erase(name);
    },
    list: function (prefix: string) {
      return storage.list().filter(function (n: string) {
        return n.startsWith(prefix);
      });
    },
  };
}

/**
 * A long string value of a JSON file in Storage (the acquirer's CA PEM in tpconf), read again
 * from flash each time it is needed instead of held in RAM: the function reads just its
 * slice of the file (where the boot found it, as JSON.stringify writes it) and parses it. Null
 * when keeping the string costs less (under 200 characters: the function itself is ~10
 * JsVars) or the file does not hold it that way: then the caller keeps the string. The file is
 * the one read at boot; rewritten while the board runs, the slice is read where it was then.
 */
export function storedJsonString(file: string, value: string): (() => string) | null {
  if (value.length < 200) return null;
  const text = require("Storage").read(file);
  if (text === undefined) return null;
  const quoted = JSON.stringify(value);
  const at = find(text, quoted, 0);
  return at < 0 ? null : sliceReader(file, at, quoted.length);
}

/** Made apart from storedJsonString: its closure holds the file's name and the slice's place, not the file's text. */
function sliceReader(file: string, at: number, length: number): () => string {
  return function () {
    return JSON.parse(require("Storage").read(file, at, length) as string) as string;
  };
}
