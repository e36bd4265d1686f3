/**
 * Part `tpp.card` of the Espruino WiFi: the esp32's card reader part (board/esp32/parts/card.ts),
 * built into the firmware as a module of its own (npm run firmware) and loaded when a sale polls.
 */
import "../../esp32/parts/card";
