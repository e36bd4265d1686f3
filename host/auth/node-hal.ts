/**
 * The other hal pieces the online side needs, on Node: SHA-256, the real clocks, the random
 * source, and a KeyValueStore that is a folder of files (the board's flash Storage on the
 * host). Writes go to a temporary file, are flushed to disk, then renamed over the old one:
 * a crash leaves the old or the new content, never half of it.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { codedError } from "../../src/bytes/coded-error";
import type { Clock, KeyValueStore, Random, Sha256, TimerHandle, WallClock } from "../../src/hal/types";

export const nodeSha256: Sha256 = {
  digest(data: string): string {
    return createHash("sha256").update(Buffer.from(data, "latin1")).digest("binary");
  },
};

export const nodeRandom: Random = {
  bytes(count: number): Uint8Array {
    return new Uint8Array(randomBytes(count));
  },
};

export const nodeWallClock: WallClock = {
  unixMs: () => Date.now(),
};

/** Real timers; `now()` is monotonic (performance.now()). */
export function nodeClock(): Clock {
  const timers: { [id: number]: NodeJS.Timeout } = {};
  let next = 1;
  return {
    now: () => performance.now(),
    setTimer(ms: number, fn: () => void): TimerHandle {
      const id = next++;
      timers[id] = setTimeout(() => {
        delete timers[id];
        fn();
      }, ms);
      return id;
    },
    clearTimer(handle: TimerHandle): void {
      const t = timers[handle];
      if (t) clearTimeout(t);
      delete timers[handle];
    },
  };
}

/** Storage names as on the board: 1–28 characters of [A-Za-z0-9._-]. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9._-]{1,28}$/.test(name) || name.startsWith(".")) throw codedError("STORAGE_NAME", "bad storage name", { name: name });
}

/** A KeyValueStore kept as one file per name in `dir` (created if needed). */
export function folderStore(dir: string): KeyValueStore {
  mkdirSync(dir, { recursive: true });
  return {
    read(name: string): string | undefined {
      checkName(name);
      try {
        return readFileSync(join(dir, name), "latin1");
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return undefined;
        throw e;
      }
    },
    write(name: string, data: string): void {
      checkName(name);
      const tmp = join(dir, "." + name + ".tmp");
      const fd = openSync(tmp, "w");
      try {
        writeSync(fd, Buffer.from(data, "latin1"));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, name));
    },
    erase(name: string): void {
      checkName(name);
      rmSync(join(dir, name), { force: true });
    },
    list(prefix: string): string[] {
      return readdirSync(dir)
        .filter((n) => !n.startsWith(".") && n.startsWith(prefix))
        .sort();
    },
  };
}
