/**
 * Part `tpp.auth` of the Espruino WiFi: the esp32's online side part (board/esp32/parts/auth.ts),
 * built into the firmware as a module of its own (npm run firmware), let go while a card is read.
 */
import "../../esp32/parts/auth";
