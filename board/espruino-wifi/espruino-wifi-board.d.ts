/** The Espruino WiFi's pins wired to its ESP8266 on the PCB (espruino.com/WiFi). Board zone only. */
declare var A2: Pin;
declare var A3: Pin;
declare var A13: Pin;
declare var A14: Pin;
