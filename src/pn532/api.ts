/**
 * The PN532 driver's public surface (implemented by driver.ts), as used by src/nfc and the
 * boards. Command names follow UM0701-02 §7. All methods reject with CodedErrors only.
 */

/** A 106 kbps type A target as InListPassiveTarget reports it (UM0701-02 §7.3.5). */
export interface TargetA {
  /** Logical target number Tg given by the PN532 (1 or 2). */
  tg: number;
  /** SENS_RES, 2 bytes as sent by the PN532. */
  atqa: Uint8Array;
  /** SEL_RES. Bit 0x20 = ISO/IEC 14443-4 compliant. */
  sak: number;
  /** NFCID1: 4, 7 or 10 bytes; random on phones, never an identity. */
  uid: Uint8Array;
  /** Full ATS including TL, when the target is ISO-DEP and the PN532 fetched it; else null. */
  ats: Uint8Array | null;
}

export interface FirmwareVersion {
  /** 0x32 for the PN532. */
  ic: number;
  ver: number;
  rev: number;
  /** Bit field: 1 ISO/IEC 14443 type A, 2 type B, 4 ISO 18092. */
  support: number;
}

/** RFConfiguration item 0x05 (MaxRetries), UM0701-02 §7.3.1. 0xFF = retry forever. */
export interface MaxRetries {
  atr: number;
  psl: number;
  passiveActivation: number;
}

export interface Pn532Api {
  getFirmwareVersion(): Promise<FirmwareVersion>;
  /** SAMConfiguration (§7.2.10): mode 1 = normal, timeout in 50 ms units, useIrq. */
  samConfiguration(mode: number, timeout: number, useIrq: boolean): Promise<void>;
  /** SetParameters (§7.2.9), flags byte. */
  setParameters(flags: number): Promise<void>;
  /** RFConfiguration item 0x01: RF field on/off (auto RFCA off). */
  setRfField(on: boolean): Promise<void>;
  /** RFConfiguration item 0x02: ATR_RES timeout and retry timeout, coded as in §7.3.1. */
  setTimings(atrResTimeout: number, retryTimeout: number): Promise<void>;
  setMaxRetries(retries: MaxRetries): Promise<void>;
  /** InListPassiveTarget (§7.3.5), BrTy 00 = 106 kbps type A; up to 2 targets. */
  inListPassiveTarget(maxTargets: number, timeoutMs: number): Promise<TargetA[]>;
  /**
   * InDataExchange (§7.3.8) with MI chaining both ways: the PN532 takes at most 262 bytes per
   * frame each way; longer `data` is sent in parts with the MI bit, and an answer with MI set
   * is fetched part by part (bounded by the driver's maxAnswerBytes). Rejects with PN532_STATUS (fields `status`, `statusName`) on a non-zero status.
   */
  inDataExchange(tg: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /**
   * inDataExchange with a callback instead of a promise (each promise costs the interpreter a
   * turn of its event loop): `done` is called once, with DataIn, or null and the error.
   * Optional: the APDU stack adapts inDataExchange where it is absent.
   */
  inDataExchangeThen?(tg: number, data: Uint8Array, timeoutMs: number, done: (answer: Uint8Array | null, error: unknown) => void): void;
  /** InRelease (§7.3.11), tg 0 = all. */
  inRelease(tg: number): Promise<void>;
  /** InDeselect (§7.3.10), tg 0 = all. */
  inDeselect(tg: number): Promise<void>;
  /** Diagnose NumTst 0x06 (§7.2.1): ISO-DEP presence check of the active target. True if it answered. */
  checkPresence(timeoutMs: number): Promise<boolean>;
  /** PowerDown (§7.2.11) with wake-up sources bit field. */
  powerDown(wakeUpEnable: number): Promise<void>;
  /** Wakes the chip (link wake-up) and checks it answers. */
  wakeUp(): Promise<void>;
  /** SetSerialBaudRate (§7.2.13), HSU only: 115200 … 921600. */
  setSerialBaudRate(baud: number): Promise<void>;
  /** Aborts the command in progress by sending an ACK frame (§6.2.1.3). */
  abort(): Promise<void>;
}
