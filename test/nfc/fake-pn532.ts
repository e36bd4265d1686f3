/**
 * A scripted Pn532Api for the nfc tests. InListPassiveTarget answers come from a queue (a
 * target list, an error, or a Deferred the test settles later); InDataExchange and Diagnose
 * go to replaceable handlers. Every call is logged. Unscripted methods reject.
 */
import type { FirmwareVersion, Pn532Api, TargetA } from "../../src/pn532/api";
import { codedError } from "../../src/bytes/coded-error";
import { fromHex } from "../../src/bytes/hex";

export class Deferred<T> {
  promise: Promise<T>;
  resolve!: (v: T) => void;
  reject!: (e: unknown) => void;
  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }
}

export type ListAnswer = TargetA[] | Error | Deferred<TargetA[]>;

/** A type A target as the PN532 reports it. */
export function targetA(tg: number, sak: number, uid: string, ats: string | null, atqa = "0004"): TargetA {
  return { tg, atqa: fromHex(atqa), sak, uid: fromHex(uid), ats: ats === null ? null : fromHex(ats) };
}

/** PN532_STATUS as the driver rejects it for a non-zero InDataExchange / Diagnose status. */
export function statusError(status: number): Error {
  return codedError("PN532_STATUS", "status " + status, { status, statusName: "s" + status.toString(16) });
}

/** Lets every pending promise callback run (they are not tied to the fake clock). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function unscripted(name: string): Promise<never> {
  return Promise.reject(new Error("fake PN532: " + name + " not scripted"));
}

export class FakePn532 implements Pn532Api {
  readonly calls: string[] = [];
  /** Answers to InListPassiveTarget, in order; when empty: no target. */
  readonly listAnswers: ListAnswer[] = [];
  exchange: (tg: number, data: Uint8Array, timeoutMs: number) => Promise<Uint8Array> = () => unscripted("inDataExchange");
  presence: (timeoutMs: number) => Promise<boolean> = () => unscripted("checkPresence");

  inListPassiveTarget(maxTargets: number, timeoutMs: number): Promise<TargetA[]> {
    this.calls.push("inListPassiveTarget " + maxTargets + " " + timeoutMs);
    const a = this.listAnswers.shift();
    if (a === undefined) return Promise.resolve([]);
    if (a instanceof Deferred) return a.promise;
    if (a instanceof Error) return Promise.reject(a);
    return Promise.resolve(a);
  }
  inDataExchange(tg: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    this.calls.push("inDataExchange " + tg + " " + timeoutMs);
    return this.exchange(tg, data, timeoutMs);
  }
  checkPresence(timeoutMs: number): Promise<boolean> {
    this.calls.push("checkPresence " + timeoutMs);
    return this.presence(timeoutMs);
  }

  getFirmwareVersion(): Promise<FirmwareVersion> { return unscripted("getFirmwareVersion"); }
  samConfiguration(): Promise<void> { return unscripted("samConfiguration"); }
  setParameters(): Promise<void> { return unscripted("setParameters"); }
  setRfField(): Promise<void> { return unscripted("setRfField"); }
  setTimings(): Promise<void> { return unscripted("setTimings"); }
  setMaxRetries(): Promise<void> { return unscripted("setMaxRetries"); }
  inRelease(): Promise<void> { return unscripted("inRelease"); }
  inDeselect(): Promise<void> { return unscripted("inDeselect"); }
  powerDown(): Promise<void> { return unscripted("powerDown"); }
  wakeUp(): Promise<void> { return unscripted("wakeUp"); }
  setSerialBaudRate(): Promise<void> { return unscripted("setSerialBaudRate"); }
  abort(): Promise<void> { return unscripted("abort"); }
}
