/** KeyValueStore over Espruino's flash Storage (names ≤ 28 chars). */
import { codedError } from "../../bytes/coded-error";
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
