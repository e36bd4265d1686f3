/**
 * A board's composition, shared by board/esp32 and board/espruino-wifi: Espruino's hardware
 * (src/hal/espruino/*) made into the terminal's parts, then `createTerminal` (src/app/terminal.ts).
 * What differs per board comes in as data (`BoardSpec`) and as makers, so that a board leaves
 * out the code it has no use for (the Espruino WiFi: no SPI or HSU link, no OLED).
 *
 * Boot: the config from Storage (config-store.ts); a missing or bad one is printed field by
 * field, and the terminal still boots, refusing every sale into notConfigured with that list.
 * Then WiFi (SNTP), TerminalAuth's boot (power-cut recovery, clock from the acquirer's Date
 * when SNTP has not answered, reversal queue) once connected, the PN532 init. A board with a
 * till (`BoardParts.till`) and a `till.token` in its config makes the till API at boot (so it
 * records every result) and listens on HTTP each time WiFi connects; without the token the
 * till is off and the boot says so.
 * Unproven on hardware: the Linux interpreter has no I2C device, WiFi or TLS.
 */
import { CONFIG_FILE, type ConfigResult, type LinkKind, type TerminalConfig } from "../../src/app/config-store";
import { describeResult } from "../../src/app/console-till";
import { lazyReader, type CardLoader } from "../../src/app/lazy-reader";
import { composeTerminal, type ReaderMaker, type Terminal, type TerminalSettings } from "../../src/app/terminal-compose";
import { LazyAuth } from "../../src/app/lazy-auth";
import type { AuthPort, StatusEvent } from "../../src/app/terminal-runner";
import { StatusIndicators } from "../../src/app/ui/indicators";
import { UiFanout, type UiSink } from "../../src/app/ui/ui-port";
import type { AuthConfig, AuthDeps, TerminalAuth } from "../../src/auth/terminal-auth";
import { settableWallClock, wallCalendar } from "../../src/auth/time";
import { fromHex, useNativeHex } from "../../src/bytes/hex";
import type { Clock, I2cBus, IrqPin, KeyValueStore, WallClock } from "../../src/hal/types";
import type { OutputPin } from "../../src/hal/ui-outputs";
import { espruinoI2c, espruinoIrqPin } from "../../src/hal/espruino/buses";
import { espruinoClock } from "../../src/hal/espruino/clock";
import { espruinoHttp } from "../../src/hal/espruino/http";
import { unloadPart } from "../../src/hal/espruino/parts";
import { espruinoRandom } from "../../src/hal/espruino/random";
import { espruinoSha256 } from "../../src/hal/espruino/sha256";
import { espruinoStore, storedJsonString } from "../../src/hal/espruino/storage";
import { espruinoBuzzer, espruinoLed } from "../../src/hal/espruino/ui-outputs";
import { espruinoWallClock, espruinoWifi, type EspruinoWifiModule } from "../../src/hal/espruino/wifi";
import type { Pn532Link } from "../../src/pn532/link";

export interface BoardSpec {
  name: string;
  /** Pin names (config-store.ts pinNames) → "D21"; null: not wired. */
  pins: { [name: string]: string | null };
  i2cBitrate: number;
  /** SSD1306 I2C address, or null without a display connector. */
  oledAddress: number | null;
  fitted: { display: boolean; leds: boolean; buzzer: boolean };
}

/** Board pins by name, config overrides applied. */
export type PinOf = (name: string) => Pin | null;

/** A reader link on this board, or null when the board cannot have it. */
export type LinkMaker = (kind: LinkKind, i2c: I2cBus, clock: Clock, pin: PinOf, irq: IrqPin | null) => Pn532Link | null;

/**
 * The OLED sink (ui/oled.ts openScreen), or null on a board without one. The sink is null when
 * no display answers (`onAbsent` told why): the terminal then has no screen sink at all.
 */
export type OledMaker = ((i2c: I2cBus, address: number, onAbsent: (why: unknown) => void) => UiSink | null) | null;

/** What a board's till is made from (board/esp32/till.ts). */
export interface TillContext {
  terminal: Terminal;
  config: TerminalConfig;
  /** The till's bearer token (config till.token). */
  token: string;
  auth: LazyAuth | null;
  store: KeyValueStore;
  wall: WallClock;
  clock: Clock;
  online: () => boolean;
  print: (line: string) => string;
}

/** Makes the till API; the function it returns (re)starts the HTTP server (WiFi up). */
export type TillMaker = ((c: TillContext) => () => void) | null;

/**
 * The config check (src/app/config-store.ts): read and check tpconf, the settings it gives,
 * the authorizer that refuses every sale when it is bad. Needed only while the board boots.
 */
export interface ConfigCheck {
  read: (store: KeyValueStore) => ConfigResult;
  settings: (config: TerminalConfig | null) => TerminalSettings;
  refuse: (problems: string[]) => AuthPort;
}

/** The acquirer's side of tpconf as the auth part takes it (its timeouts are the part's). */
export type BoardAuthConfig = Omit<AuthConfig, "timeouts">;

/**
 * What each board part makes: board/<board>/parts/<name>.ts ends with `tpPart(name, value)`
 * (board/parts.d.ts); the build makes it the Storage module `tpp.<name>` (build/parts.mjs),
 * src/hal/espruino/parts.ts loads it.
 */
export interface PartTypes {
  card: ReaderMaker;
  auth: (cfg: BoardAuthConfig, deps: AuthDeps) => TerminalAuth;
  conf: ConfigCheck;
  till: NonNullable<TillMaker>;
  oled: NonNullable<OledMaker>;
  spi: LinkMaker;
  hsu: LinkMaker;
}

export interface BoardParts {
  spec: BoardSpec;
  /** The config check; `done` is called once the boot no longer needs it (a part is freed). */
  config: { load: () => ConfigCheck; done: () => void };
  /** The card reader (src/app/card-reader.ts pn532Reader, or a lazyReader over a part). */
  reader: ReaderMaker;
  /** The online side's part: loaded at boot and to authorise, let go while a card is read. */
  auth: { load: () => PartTypes["auth"]; unload: () => void };
  /** Set by startBoard: called as the card part loads (`loading`) and once it is let go or failed (`gone`). */
  card: CardHooks;
  link: LinkMaker;
  oled: OledMaker;
  /** require("Wifi") (ESP32) or the board's WiFi module; null: none. */
  wifi: (() => EspruinoWifiModule) | null;
  /** The merchant's till over HTTP; absent (espruino-wifi): the console is the only till. */
  till?: TillMaker;
}

/** Loads a board part: from Storage (esp32: loadPart) or from the firmware (espruino-wifi: loadFirmwarePart). */
export type PartLoader = <K extends keyof PartTypes>(name: K) => PartTypes[K];

/** Loads the card reader part run at the root scope (src/hal/espruino/parts.ts loadRootPart or loadFirmwareRootPart). */
export type RootPartLoader = (name: "card", ready: (make: ReaderMaker, unload: () => void) => void, failed: () => void) => void;

/**
 * The config check for the boot and the card reader for a sale, as parts: the config check (a
 * module, `load`) freed after the boot; the card reader and everything a tap runs (a part run at
 * the root scope, `root`) loaded when a sale polls, let go once authorising or back to idle
 * (src/app/lazy-reader.ts).
 */
export function coreParts(load: PartLoader, root: RootPartLoader): { config: BoardParts["config"]; reader: ReaderMaker; auth: BoardParts["auth"]; card: CardHooks } {
  const hooks: CardHooks = { loading: noHook, gone: noHook };
  const card: CardLoader = function (ready, failed) {
    // The online side goes first: the card part is loaded into its RAM (lazy-auth.ts).
    hooks.loading();
    root(
      "card",
      function (make, unload) {
        ready(make, function () {
          unload();
          // Collected at once: what the part made holds closures over its functions' scopes
          // (cycles that reference counting never frees), and the authorization that follows
          // would run beside them (issue 9: 6,304 -> 5,846 at the peak of a UnionPay sale).
          process.memory();
          hooks.gone();
        });
      },
      function () {
        hooks.gone();
        failed();
      },
    );
  };
  return {
    config: {
      load: function () {
        return load("conf");
      },
      done: function () {
        unloadPart("conf");
      },
    },
    reader: lazyReader(card),
    auth: {
      load: function () {
        return load("auth");
      },
      unload: function () {
        unloadPart("auth");
      },
    },
    card: hooks,
  };
}

/** What the board does as the card part comes and goes (startBoard: the online side let go, then back). */
export interface CardHooks {
  loading: () => void;
  gone: () => void;
}

function noHook(): void {}

/** The online side's maker for LazyAuth: the part's, over this board's config and hardware. */
function authMaker(part: BoardParts["auth"], cfg: BoardAuthConfig, deps: AuthDeps): () => TerminalAuth {
  return function () {
    return part.load()(cfg, deps);
  };
}

function line(s: string): string {
  print(s);
  return s;
}

// The closures that outlive the boot are made by the small functions below, not inside
// startBoard: an Espruino closure keeps its whole scope alive, and startBoard's holds the
// config as read, the pin map and the boot's temporaries (JsVars at idle).

/** Board pins by name, config overrides applied. */
function pinsOf(spec: BoardSpec, cfg: TerminalConfig | null): PinOf {
  const names: { [name: string]: string | null } = {};
  for (const k in spec.pins) names[k] = spec.pins[k];
  if (cfg !== null) for (const k in cfg.pins) names[k] = cfg.pins[k];
  return function (name: string) {
    const n = names[name];
    return n ? Pin(n) : null;
  };
}

function noDisplay(): void {
  line("display: none at the I2C address");
}

function logStatus(exponent: number): (e: StatusEvent) => void {
  return function (e: StatusEvent) {
    if (e.type === "fault") line("fault " + e.code + " in " + e.state + ": " + e.message);
    if (e.type === "result") line("result: " + describeResult(e.result, exponent));
  };
}

function isUp(net: { up: boolean }): () => boolean {
  return () => net.up;
}

/** WiFi status lines; once connected: the till's server (again at each connection), TerminalAuth's boot (once). */
function onWifi(net: { up: boolean }, listen: (() => void) | null, t: LazyAuth | null): (st: string) => void {
  let booted = false;
  return function (st: string) {
    line("wifi: " + st);
    net.up = st === "connected";
    if (net.up && listen !== null) listen();
    if (st === "connected" && !booted && t !== null) {
      booted = true;
      t.boot().then(
        function (r) {
          line("acquirer: clock " + (r.clockValid ? "valid" : "not set") + (r.recovered ? ", a cut transaction queued for reversal" : ""));
        },
        function (e: Error) {
          line("acquirer: " + e.message);
        },
      );
    }
  };
}

/** The console's status(); not configured (`problems` not null): it says so, with the fields. */
function statusOf(terminal: Terminal, problems: string[] | null): () => string {
  return function () {
    return problems !== null && terminal.runner.state.kind === "idle" ? line("idle, not configured: " + problems.join("; ")) : terminal.status();
  };
}

/** Composes and boots the terminal; the till's functions become globals (sale, cancel, status, last). */
export function startBoard(parts: BoardParts): Terminal | null {
  // Hex through E.mapInPlace: no JavaScript per byte of the data record (src/bytes/hex.ts).
  useNativeHex(E.mapInPlace, E.toString);
  const spec = parts.spec;
  const store = espruinoStore();
  const clock = espruinoClock();
  let check: ConfigCheck;
  try {
    check = parts.config.load();
  } catch (e) {
    // The config check is a part on the esp32: without it the board cannot tell what to run.
    line("BOOT STOPPED: " + (e as Error).message);
    return null;
  }
  const read = check.read(store);
  const problems = read.problems.slice();
  const cfg: TerminalConfig | null = read.config;
  const pin = pinsOf(spec, cfg);

  const rst = pin("pn532Rst");
  if (rst) digitalWrite(rst, 1); // RSTPDN high: the PN532 out of reset
  I2C1.setup({ sda: pin("sda") as Pin, scl: pin("scl") as Pin, bitrate: spec.i2cBitrate });
  const i2c = espruinoI2c(I2C1);
  const irqPin = pin("pn532Irq");
  const kind: LinkKind = cfg !== null ? cfg.reader.link : "i2c";
  let link: Pn532Link | null;
  let why = kind + " is not available on board " + spec.name;
  try {
    link = parts.link(kind, i2c, clock, pin, irqPin ? espruinoIrqPin(irqPin) : null);
  } catch (e) {
    why = (e as Error).message; // its part missing from Storage
    link = null;
  }
  if (link === null) {
    problems.push("reader.link: " + why);
    link = parts.link("i2c", i2c, clock, pin, irqPin ? espruinoIrqPin(irqPin) : null) as Pn532Link;
  }
  // The online side's part must be there for a configured terminal to sell (loaded when asked
  // later, src/app/lazy-auth.ts): missing, sales are refused as not configured, with the file.
  if (cfg !== null && problems.length === 0) {
    try {
      parts.auth.load();
      parts.auth.unload();
    } catch (e) {
      problems.push("acquirer: " + (e as Error).message);
    }
  }
  const ok = problems.length === 0 ? cfg : null;

  const fitted = cfg !== null ? cfg.fitted : { display: null, leds: null, buzzer: null };
  const sinks: UiSink[] = [];
  if (fitted.leds ?? spec.fitted.leds) {
    const leds: OutputPin[] = [];
    for (let i = 1; i <= 4; i++) {
      const p = pin("led" + i);
      if (p) leds.push(espruinoLed(p));
    }
    const bz = pin("buzzer");
    sinks.push(new StatusIndicators(clock, leds, (fitted.buzzer ?? spec.fitted.buzzer) && bz ? espruinoBuzzer(bz) : null));
  }
  if (parts.oled && spec.oledAddress !== null && (fitted.display ?? spec.fitted.display)) {
    try {
      const screen = parts.oled(i2c, spec.oledAddress, noDisplay);
      if (screen !== null) sinks.push(screen);
    } catch (e) {
      line("display: " + (e as Error).message); // a part missing from Storage
    }
  }
  const ui = new UiFanout(clock, sinks);

  const random = espruinoRandom();
  const wall = settableWallClock(clock, espruinoWallClock());
  const settings = check.settings(ok);
  let auth = null as LazyAuth | null;
  if (ok !== null) {
    const a = ok.acquirer;
    const deps: AuthDeps = { http: espruinoHttp(clock, { ca: a.ca ? storedJsonString(CONFIG_FILE, a.ca) || a.ca : undefined }), sha: espruinoSha256(), random: random, clock: clock, store: store, wall: wall };
    auth = new LazyAuth(authMaker(parts.auth, { url: a.url, terminalId: a.terminalId, merchantId: a.merchantId, keyId: a.keyId, key: fromHex(a.key), country: ok.country }, deps), parts.auth.unload);
    const lazy = auth;
    parts.card.loading = lazy.release.bind(lazy);
    parts.card.gone = lazy.restore.bind(lazy);
  }
  const t = auth;
  const terminal = composeTerminal({
    link: link,
    clock: clock,
    calendar: wallCalendar(wall, ok !== null ? ok.tzOffsetMinutes : 0),
    wall: wall,
    random: random,
    store: store,
    ui: ui,
    beeper: null, // the indicators sound Book A's tones (docs/terminal-states.md)
    auth: t !== null ? t : check.refuse(problems),
    reversals: t !== null ? t.reversals() : null,
    settings: settings,
    print: line,
  }, parts.reader);
  terminal.onStatus(logStatus(settings.currencyExponent));

  if (ok === null) {
    line("NOT CONFIGURED: sales are refused until " + (read.config === null && read.problems.length === 1 && read.problems[0].startsWith("(file)") ? "tpconf is written" : "these fields are fixed") + ":");
    for (let i = 0; i < problems.length; i++) line("  " + problems[i]);
  }
  const net = { up: false };
  let listen: (() => void) | null = null;
  if (ok !== null && parts.till) {
    const token = ok.till.token;
    if (token === null) line("till: off (no till.token in tpconf: npm run configure -- --rotate-token)");
    else {
      try {
        listen = parts.till({ terminal: terminal, config: ok, token: token, auth: t, store: store, wall: wall, clock: clock, online: isUp(net), print: line });
      } catch (e) {
        line("till: off, " + (e as Error).message); // a part missing from Storage
      }
    }
  }
  // Nothing below reads the config check again: its part can be freed.
  parts.config.done();
  if (ok !== null && parts.wifi !== null) {
    const w = espruinoWifi(parts.wifi(), clock, { ssid: ok.wifi.ssid, password: ok.wifi.password, sntpServer: ok.wifi.sntpServer || undefined });
    w.onStatus(onWifi(net, listen, t));
    w.start();
  }

  global.sale = terminal.sale;
  global.cancel = terminal.cancel;
  // Not configured: the till's status says so, with the fields.
  global.status = statusOf(terminal, ok === null ? problems : null);
  global.last = terminal.last;
  terminal.boot().then(function (r) {
    line("reader: " + (r.firmware !== null ? r.firmware : (r.readerError as Error).message));
    if (r.resume.interrupted) line("power cut: " + terminal.last());
    const m = process.memory(false);
    line("boot: " + (ok !== null ? "idle" : "notConfigured") + ", memory free " + m.free + " usage " + m.usage + " total " + m.total);
  });
  return terminal;
}
