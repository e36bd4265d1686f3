/**
 * PN532 command codes (UM0701-02 §7, table 7-1) and the few parameter codes the driver
 * sends. `const enum`s are inlined by the compiler: they cost no RAM on the board. The
 * answer to command C carries code C + 1 (§6.2.1.1).
 */

export const enum Command {
  Diagnose = 0x00,
  GetFirmwareVersion = 0x02,
  GetGeneralStatus = 0x04,
  SetSerialBaudRate = 0x10,
  SetParameters = 0x12,
  SAMConfiguration = 0x14,
  PowerDown = 0x16,
  RFConfiguration = 0x32,
  InDataExchange = 0x40,
  InCommunicateThru = 0x42,
  InDeselect = 0x44,
  InListPassiveTarget = 0x4a,
  InRelease = 0x52,
  InSelect = 0x54,
  InAutoPoll = 0x60,
}

/** RFConfiguration CfgItem (§7.3.1). */
export const enum RfItem {
  /** ConfigurationData: bit 1 AutoRFCA, bit 0 RF on. */
  Field = 0x01,
  /** ConfigurationData: RFU, ATR_RES timeout, retry timeout (coded 0x00…0x10). */
  Timings = 0x02,
  /** ConfigurationData: MxRtyATR, MxRtyPSL, MxRtyPassiveActivation (0xFF = forever). */
  MaxRetries = 0x05,
}

/** Diagnose NumTst (§7.2.1). */
export const enum DiagnoseTest {
  /** Attention Request Test / ISO/IEC 14443-4 card presence detection. */
  AttentionRequest = 0x06,
}

/** SetParameters flags (§7.2.9). */
export const enum ParameterFlag {
  NadUsed = 0x01,
  DidUsed = 0x02,
  AutomaticAtrRes = 0x04,
  /** The PN532 sends RATS itself on an ISO-DEP target and reports the ATS (default on). */
  AutomaticRats = 0x10,
  Iso14443_4Picc = 0x20,
  RemovePrePostAmble = 0x40,
}

/** InListPassiveTarget BrTy (§7.3.5): 106 kbps type A. */
export const BRTY_106A = 0x00;

/** The most InDataExchange data bytes in one frame, either direction (§7.3.8). */
export const MAX_EXCHANGE_PART = 262;

/**
 * Limits as a const enum, inlined as numbers where the per-exchange code uses them (a
 * module-level const is a name the interpreter searches its global scope for at each use).
 */
export const enum Limit {
  /** MAX_EXCHANGE_PART. */
  ExchangePart = 262,
  /** InDataExchange data bytes in a normal frame: LEN = TFI + 40 + Tg + data ≤ 255 (§6.2.1.1). */
  ExchangeNormalFrame = 252,
}

/** UM0701-02 name of a command or of its answer code (odd codes name the command answered), for traces. */
export function commandName(code: number): string {
  // The codes as characters and the names as one string, in this function's code: the board
  // runs it from flash, so the tables cost no RAM between errors (module-level ones held ~45
  // JsVars from boot on).
  const i = "\x00\x02\x04\x10\x12\x14\x16\x32\x40\x42\x44\x4a\x52\x54\x60".indexOf(String.fromCharCode(code & 0xfe));
  if (i >= 0) {
    return "Diagnose,GetFirmwareVersion,GetGeneralStatus,SetSerialBaudRate,SetParameters,SAMConfiguration,PowerDown,RFConfiguration,InDataExchange,InCommunicateThru,InDeselect,InListPassiveTarget,InRelease,InSelect,InAutoPoll".split(",")[i];
  }
  const hex = "0123456789ABCDEF";
  return "0x" + hex.charAt((code >> 4) & 15) + hex.charAt(code & 15);
}
