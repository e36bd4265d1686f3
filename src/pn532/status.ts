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

const CODES = new Uint8Array([
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x10, 0x12, 0x13, 0x14,
  0x23, 0x25, 0x26, 0x27, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e,
]);
const NAMES = (
  "TIMEOUT,CRC,PARITY,ANTICOLLISION_BIT_COUNT,FRAMING,BIT_COLLISION,BUFFER_TOO_SMALL," +
  "RF_BUFFER_OVERFLOW,RF_FIELD_TIMEOUT,RF_PROTOCOL,TEMPERATURE,INTERNAL_BUFFER_OVERFLOW," +
  "INVALID_PARAMETER,DEP_UNSUPPORTED_COMMAND,DATA_FORMAT,MIFARE_AUTH,UID_CHECK_BYTE," +
  "DEP_INVALID_STATE,OPERATION_NOT_ALLOWED,COMMAND_NOT_ACCEPTABLE,RELEASED_BY_INITIATOR," +
  "CARD_ID_MISMATCH,CARD_DISAPPEARED,NFCID3_MISMATCH,OVER_CURRENT,NAD_MISSING"
).split(",");

/** Stable name of a status byte's error code (MI and NAD bits ignored): "OK", "TIMEOUT", … or "UNKNOWN". */
export function statusName(status: number): string {
  const code = status & StatusBit.ErrorMask;
  if (code === 0) return "OK";
  const i = CODES.indexOf(code);
  return i < 0 ? "UNKNOWN" : NAMES[i];
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
