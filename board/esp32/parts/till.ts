/** Part `tpp.till`: the merchant's till over HTTP (../till.ts), loaded when tpconf has a till.token. */
import { esp32Till } from "../till";

tpPart("till", esp32Till);
