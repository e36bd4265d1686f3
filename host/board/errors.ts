/** Coded errors of the flash / configure tools: `code` for tests, `message` one line for people. */
export type BoardToolCode =
  | "BOARD_USAGE"
  | "BOARD_UNKNOWN"
  | "BOARD_PORT_MISSING"
  | "BOARD_PORT_BUSY"
  | "BOARD_PORT_BAD"
  | "BOARD_BUILD_FAILED"
  | "BOARD_BUNDLE_MISSING"
  | "BOARD_OVER_BUDGET"
  | "BOARD_MODULE_MISSING"
  | "BOARD_CLI_MISSING"
  | "BOARD_UPLOAD_FAILED"
  | "BOARD_CONFIG_READ"
  | "BOARD_CONFIG_INVALID"
  | "BOARD_CONFIG_MISMATCH"
  | "BOARD_PAGE_MISSING"
  | "BOARD_PART_MISSING"
  | "BOARD_FILE_MISMATCH"
  | "BOARD_ESPRUINO_MISSING"
  | "BOARD_TOOLCHAIN_MISSING"
  | "BOARD_FIRMWARE_SOURCE"
  | "BOARD_FIRMWARE_FAILED"
  | "BOARD_FIRMWARE_MISSING"
  | "BOARD_FIRMWARE_MISMATCH";

export class BoardToolError extends Error {
  constructor(
    readonly code: BoardToolCode,
    message: string,
  ) {
    super(message);
    this.name = "BoardToolError";
  }
}

/** Exit status: 2 for a usage error (an unknown board too), 1 for everything else. */
export function exitCodeOf(e: BoardToolError): number {
  return e.code === "BOARD_USAGE" || e.code === "BOARD_UNKNOWN" ? 2 : 1;
}
