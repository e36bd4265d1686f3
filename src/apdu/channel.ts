/**
 * The one interface between the EMV layer and whatever carries APDUs (ISO-DEP over the
 * PN532, a transcript replayer, a decorator). ISO/IEC 7816-4 §5.
 */
export interface ApduChannel {
  /**
   * Sends one command APDU and resolves with the complete response APDU: data followed
   * by SW1 SW2 (at least two bytes). Rejects with a CodedError on transport failure.
   */
  transceive(command: Uint8Array): Promise<Uint8Array>;
}
