/** Part `tpp.spi`: the PN532 over SPI (src/pn532/link-spi.ts), loaded when tpconf says reader.link "spi". */
import { espruinoSpi } from "../../../src/hal/espruino/buses";
import { SpiLink } from "../../../src/pn532/link-spi";

tpPart("spi", function (kind, i2c, clock, pin, irq) {
  SPI1.setup({ sck: pin("sck") as Pin, miso: pin("miso") as Pin, mosi: pin("mosi") as Pin, baud: 1000000, mode: 0 });
  return new SpiLink(espruinoSpi(SPI1, pin("cs") as Pin), clock, { irq: irq, reverseBits: true, sum: E.sum });
});
