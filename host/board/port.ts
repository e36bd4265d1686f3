/**
 * The `--port` argument: a serial device (`/dev/ttyUSB0`, `/dev/ttyACM0`, `COM3`) or a TCP
 * target (`tcp://host:port`, an ESP32 telnet console or the Linux interpreter's `--telnet`).
 * A device path is checked before the CLI starts: it must exist, be a character device (or
 * a FIFO/socket a test stands in with), and no other process may hold it open (Linux: the
 * /proc/<pid>/fd links; elsewhere not checked). Each problem is one line.
 */
import { existsSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { BoardToolError } from "./errors";

export type PortKind = "serial" | "tcp";

export interface PortSpec {
  kind: PortKind;
  /** As given (the CLI's -p value). */
  path: string;
}

export function parsePort(value: string): PortSpec {
  if (/^tcp:\/\//i.test(value)) {
    const m = /^tcp:\/\/([^/:]+)(?::(\d{1,5}))?\/?$/i.exec(value);
    if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
      throw new BoardToolError("BOARD_PORT_BAD", `bad TCP port ${value}: expected tcp://host[:port]`);
    }
    return { kind: "tcp", path: value };
  }
  return { kind: "serial", path: value };
}

/** Pids (other than this one) holding `device` open, read from /proc; [] where /proc is absent. */
export function portHolders(device: string): number[] {
  if (!existsSync("/proc/self/fd")) return [];
  let target: string;
  try {
    target = realpathSync(device);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === target) {
          pids.push(Number(entry));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return pids;
}

/** Throws a one-line BoardToolError when a serial device is missing, not a device, or busy. */
export function checkPort(spec: PortSpec): void {
  if (spec.kind === "tcp") return; // reachability shows in the CLI's output ("RECEIVE ERROR")
  if (/^COM\d+$/i.test(spec.path)) return; // Windows: nothing to stat
  let st;
  try {
    st = statSync(spec.path);
  } catch {
    throw new BoardToolError("BOARD_PORT_MISSING", `port ${spec.path} does not exist: is the board plugged in? (ls /dev/ttyUSB* /dev/ttyACM*)`);
  }
  if (!st.isCharacterDevice() && !st.isFIFO() && !st.isSocket()) {
    throw new BoardToolError("BOARD_PORT_BAD", `port ${spec.path} is not a serial device`);
  }
  const holders = portHolders(spec.path);
  if (holders.length > 0) {
    throw new BoardToolError("BOARD_PORT_BUSY", `port ${spec.path} is busy: held open by pid ${holders.join(", ")} (close the serial monitor or IDE)`);
  }
}
