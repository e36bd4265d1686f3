/**
 * The status byte of InDataExchange, InCommunicateThru, InRelease, InDeselect, PowerDown…
 * (UM0701-02 §7.1, error table): low 6 bits = error code, bit 0x40 = MI (more information,
 * chaining), bit 0x80 = NAD present.
 */
import { codedError } from "../bytes/coded-error";
import type { CodedError } from "../bytes/coded-error";
import { commandName } from "./commands";

export const enum StatusBit {
  ErrorMask = 0x3f,
  MoreInformation = 0x40,
  Nad = 0x80,
}

/** Error codes of §7.1. */
export const enum StatusCode {
  Ok = 0x00,
  Timeout = 0x01,
  Crc = 0x02,
  Parity = 0x03,
  AnticollisionBitCount = 0x04,
  Framing = 0x05,
  BitCollision = 0x06,
  BufferTooSmall = 0x07,
  RfBufferOverflow = 0x09,
  RfFieldTimeout = 0x0a,
  RfProtocol = 0x0b,
  Temperature = 0x0d,
  InternalBufferOverflow = 0x0e,
  InvalidParameter = 0x10,
  DepUnsupportedCommand = 0x12,
  DataFormat = 0x13,
  MifareAuth = 0x14,
  UidCheckByte = 0x23,
  DepInvalidState = 0x25,
  OperationNotAllowed = 0x26,
  CommandNotAcceptable = 0x27,
  ReleasedByInitiator = 0x29,
  CardIdMismatch = 0x2a,
  CardDisappeared = 0x2b,
  Nfcid3Mismatch = 0x2c,
  OverCurrent = 0x2d,
  NadMissing = 0x2e,
}

/** Stable name of a status byte's error code (MI and NAD bits ignored): "OK", "TIMEOUT", … or "UNKNOWN". */
export function statusName(status: number): string {
  const code = status & StatusBit.ErrorMask;
  if (code === 0) return "OK";
  // The codes as characters and the names as one string, in this function's code: the board
  // runs it from flash, so the tables cost no RAM between errors (a module-level array of 26
  // names held ~80 JsVars from boot on).
  const i = "\x01\x02\x03\x04\x05\x06\x07\x09\x0a\x0b\x0d\x0e\x10\x12\x13\x14\x23\x25\x26\x27\x29\x2a\x2b\x2c\x2d\x2e".indexOf(String.fromCharCode(code));
  return i < 0
    ? "UNKNOWN"
    : (
        "TIMEOUT,CRC,PARITY,ANTICOLLISION_BIT_COUNT,FRAMING,BIT_COLLISION,BUFFER_TOO_SMALL," +
        "RF_BUFFER_OVERFLOW,RF_FIELD_TIMEOUT,RF_PROTOCOL,TEMPERATURE,INTERNAL_BUFFER_OVERFLOW," +
        "INVALID_PARAMETER,DEP_UNSUPPORTED_COMMAND,DATA_FORMAT,MIFARE_AUTH,UID_CHECK_BYTE," +
        "DEP_INVALID_STATE,OPERATION_NOT_ALLOWED,COMMAND_NOT_ACCEPTABLE,RELEASED_BY_INITIATOR," +
        "CARD_ID_MISMATCH,CARD_DISAPPEARED,NFCID3_MISMATCH,OVER_CURRENT,NAD_MISSING"
      ).split(",")[i];
}

/**
 * The PN532_STATUS error for a non-zero status. Fields: `status` = the error code (low
 * 6 bits), `statusName`, `command` = the command code that got it.
 */
export function statusError(status: number, command: number): CodedError {
  const code = status & StatusBit.ErrorMask;
  const name = statusName(code);
  return codedError("PN532_STATUS", commandName(command) + " status " + code + " " + name, {
    status: code,
    statusName: name,
    command: command,
  });
}
