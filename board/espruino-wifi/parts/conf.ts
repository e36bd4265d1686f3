/**
 * Part `tpp.conf` of the Espruino WiFi: the esp32's config check part (board/esp32/parts/conf.ts),
 * built into the firmware as a module of its own (npm run firmware), freed after the boot.
 */
import "../../esp32/parts/conf";
