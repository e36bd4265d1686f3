/**
 * Part `tpp.conf`: the config check (src/app/config-store.ts), loaded while the board boots and
 * freed after it (compose.ts startBoard): its field rules and messages take no RAM at idle.
 */
import { notConfiguredAuth, readConfig, settingsOf } from "../../../src/app/config-store";

tpPart("conf", { read: readConfig, settings: settingsOf, refuse: notConfiguredAuth });
