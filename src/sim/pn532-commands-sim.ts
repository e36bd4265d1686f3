/**
 * The commands the simulated PN532 executes (UM0701-02 §7). Each returns the answer's data
 * (answer code + parameters, TFI added by the chip) and the simulated time it is ready, or
 * null for a syntax error. Commands not listed here answer the error frame: a real PN532
 * would execute them, this model does not know them.
 */
import { concat } from "../bytes/hex";
import type { Pn532Chip } from "./pn532-chip";
import { activationMs, airMs, chainMs, CMD_MS, fscFromAts, fwtMs, POLL_TRY_MS, wtxMs } from "./sim-timing";
import type { ExchangeRecord } from "./sim-timing";
import { asksToSeePhone } from "./virtual-target";
import type { VirtualTarget } from "./virtual-target";

export interface Reply {
  /** Simulated time the answer is ready; -1 = not yet known (waiting for a target). */
  at: number;
  data: Uint8Array;
  /** State change made when the answer goes out (not if the host aborts first). */
  apply?: () => void;
}

/** An InListPassiveTarget in progress. */
export interface Polling {
  maxTg: number;
  brTy: number;
  /** Time of the first activation attempt. */
  startMs: number;
}

const EMPTY = new Uint8Array(0);
/** SetSerialBaudRate BR codes 00–08 (§7.2.13). */
const BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1288000];
/** RFConfiguration ConfigurationData lengths by CfgItem (§7.3.1): 01 RF field, 02 timings, 04 MxRtyCOM, 05 MaxRetries. */
const RF_ITEM_LEN = [0, 1, 3, 0, 1, 3];

function answer(at: number, data: number[]): Reply {
  return { at: at, data: new Uint8Array(data) };
}

export function present(t: VirtualTarget, atMs: number): boolean {
  return t.arriveAtMs <= atMs && (t.leaveAtMs === undefined || atMs < t.leaveAtMs);
}

/** In the field and answering activation (not waiting for a field reset, virtual-target.ts). */
function listens(t: VirtualTarget, atMs: number): boolean {
  return !t.awaitsFieldReset && present(t, atMs);
}

/** §7.2.13: answered at the old rate; the new one applies once the host ACKs the answer. */
function setBaud(c: Pn532Chip, baud: number, done: number): Reply {
  return {
    at: done,
    data: new Uint8Array([0x11]),
    apply: () => {
      c.pendingBaud = baud;
    },
  };
}

/** §7.2.11: WakeUpEnable [GenerateIRQ]; the chip sleeps once the host has read the answer. */
function powerDown(c: Pn532Chip, wakeUpEnable: number, done: number): Reply {
  return {
    at: done,
    data: new Uint8Array([0x17, 0x00]),
    apply: () => {
      c.wakeEnable = wakeUpEnable;
      c.sleepArmed = true;
    },
  };
}

/**
 * Diagnose §7.2.1: NumTst 00 echoes its data (communication line test); NumTst 06 checks that
 * the active target still answers (an R(NAK) → R(ACK) round trip): status 00, else 01 after FWT.
 */
function diagnose(c: Pn532Chip, p: Uint8Array, t0: number): Reply | null {
  if (p.length === 0) return null;
  if (p[0] === 0) return { at: t0 + CMD_MS, data: concat([[0x01], p]) };
  if (p[0] !== 6 || p.length !== 1) return null;
  const t = c.active[0];
  const sent = t0 + airMs(3, 1);
  if (t && present(t, sent)) return answer(sent + airMs(3, 1), [0x01, 0x00]);
  return answer(t ? sent + fwtMs(t.ats) : t0 + CMD_MS, [0x01, 0x01]);
}

/**
 * RFConfiguration §7.3.1. Item 01 bit 0 switches the field (chip.setRf: off deactivates every
 * target). Item 02 (timeouts) is accepted; the simulator's RF timeouts come from FWT.
 */
function rfConfiguration(c: Pn532Chip, p: Uint8Array, done: number): Reply | null {
  const item = p.length > 0 ? p[0] : 0;
  if (item > 5 || !RF_ITEM_LEN[item] || p.length !== 1 + RF_ITEM_LEN[item]) return null;
  if (item === 1) {
    // bit 0 RF on, bit 1 AutoRFCA; the field switches when the command is done
    c.setRf((p[1] & 1) === 1, done);
  } else if (item === 4) c.maxRtyCom = p[1];
  else if (item === 5) c.maxRetries = [p[1], p[2], p[3]];
  return answer(done, [0x33]);
}

function release(c: Pn532Chip, p: Uint8Array, done: number, code: number): Reply | null {
  if (p.length !== 1) return null;
  const tg = p[0];
  let ok = tg === 0;
  if (ok) c.releaseAll();
  else ok = tg <= 2 && c.release(tg);
  return answer(done, [code, ok ? 0 : c.notActiveStatus]);
}

/** Index of the first activation attempt (every POLL_TRY_MS from `start`, none before `now`) finding `t`; -1 if none. */
function firstTry(t: VirtualTarget, start: number, now: number): number {
  const k = Math.ceil((Math.max(t.arriveAtMs, now) - start) / POLL_TRY_MS - 1e-9);
  return listens(t, start + k * POLL_TRY_MS) ? k : -1;
}

/**
 * The answer of the polling in progress, from the targets' arrival and leave times: attempts
 * every POLL_TRY_MS, 1 + MxRtyPassiveActivation of them (FF: until a target comes; at = -1
 * while none is due). Called again when a target is added.
 */
export function poll(c: Pn532Chip): Reply {
  const pl = c.polling as Polling;
  const mx = c.maxRetries[2];
  let k = -1;
  if (pl.brTy === 0) {
    for (const t of c.targets) {
      const kt = firstTry(t, pl.startMs, c.clock.now());
      if (kt >= 0 && (k < 0 || kt < k)) k = kt;
    }
  }
  if (k < 0 || (mx !== 0xff && k > mx)) {
    return mx === 0xff ? { at: -1, data: EMPTY } : answer(pl.startMs + (mx + 1) * POLL_TRY_MS, [0x4b, 0]);
  }
  const found: VirtualTarget[] = [];
  let at = pl.startMs + k * POLL_TRY_MS;
  const data = [0x4b, 0];
  for (const t of c.targets) {
    if (found.length < pl.maxTg && listens(t, pl.startMs + k * POLL_TRY_MS)) {
      found.push(t);
      // Tg SENS_RES(2) SEL_RES NFCIDLength NFCID1 [ATS incl. TL: ISO-DEP target and fAutomaticRATS]
      const ats = t.sak & 0x20 && t.ats && c.flags & 0x10 ? t.ats : EMPTY;
      at += activationMs(t.uid.length, ats.length);
      data.push(found.length, t.atqa[0], t.atqa[1], t.sak, t.uid.length);
      for (let i = 0; i < t.uid.length; i++) data.push(t.uid[i]);
      for (let i = 0; i < ats.length; i++) data.push(ats[i]);
    }
  }
  data[1] = found.length;
  return {
    at: at,
    data: new Uint8Array(data),
    apply: () => {
      c.active = [found.length > 0 ? found[0] : null, found.length > 1 ? found[1] : null];
    },
  };
}

/**
 * InListPassiveTarget §7.3.5: MaxTg 1–2, BrTy 0–4 (only 106 kbps type A targets exist here;
 * InitiatorData is not used). The firmware switches the RF field on itself. Targets already
 * active are released first.
 */
function inListPassiveTarget(c: Pn532Chip, p: Uint8Array, t0: number): Reply | null {
  if (p.length < 2 || p[0] < 1 || p[0] > 2 || p[1] > 4) return null;
  c.releaseAll();
  c.setRf(true, t0);
  c.polling = { maxTg: p[0], brTy: p[1], startMs: t0 };
  return poll(c);
}

function status41(at: number, status: number): Reply {
  return answer(at, [0x41, status]);
}

/** DataIn for the host, at most hostBufferBytes per frame; the rest waits for D4 40 Tg (status bit 6 MI). */
function hostPart(c: Pn532Chip, resp: Uint8Array, at: number): Reply {
  const n = c.hostBufferBytes;
  const more = resp.length > n;
  c.miIn = more ? resp.subarray(n) : null;
  return { at: at, data: concat([[0x41, more ? 0x40 : 0], more ? resp.subarray(0, n) : resp]) };
}

/**
 * InDataExchange §7.3.8 with an activated target: Tg bit 6 (MI) = more host data follows
 * (answered 00 at once, sent as one APDU after the last part); an answer longer than the host
 * buffer comes in parts with status bit 6, the host fetching each next part with D4 40 Tg.
 * A mute target gives status 01 after FWT × (1 + MxRtyCOM); a target out of the field when
 * the command reaches it or before its answer is complete gives goneStatus.
 */
function inDataExchange(c: Pn532Chip, p: Uint8Array, t0: number): Reply | null {
  if (p.length < 1) return null;
  const tg = p[0] & 0x3f;
  const t = tg === 1 || tg === 2 ? c.active[tg - 1] : null;
  if (!t) return status41(t0 + CMD_MS, c.notActiveStatus);
  const data = p.subarray(1);
  if (p[0] & 0x40) {
    c.miOut = concat([c.miOut, data]);
    return status41(t0 + CMD_MS, 0);
  }
  if (data.length === 0 && c.miIn && c.miOut.length === 0) return hostPart(c, c.miIn, t0 + CMD_MS);
  const apdu = concat([c.miOut, data]);
  c.miOut = EMPTY;
  c.miIn = null;
  const fwt = fwtMs(t.ats) * (1 + c.maxRtyCom);
  const o = chainMs(apdu.length, fscFromAts(t.ats));
  const tCard = t0 + o.ms;
  const rec: ExchangeRecord = { rfMs: o.ms, processingMs: 0, blocksOut: o.blocks, blocksIn: 0, wtx: 0, status: 0 };
  c.lastExchange = rec;
  const here = present(t, tCard);
  const a = here ? t.handle(apdu, tCard) : null;
  if (a && c.seePhoneNeedsFieldReset && asksToSeePhone(apdu, a.response)) t.awaitsFieldReset = true;
  if (!a) {
    rec.status = here ? 0x01 : c.goneStatus;
    return status41(tCard + fwt, rec.status);
  }
  const w = a.wtx ?? 0;
  const i = chainMs(a.response.length, c.fsd);
  rec.rfMs += i.ms + wtxMs(w);
  rec.processingMs = a.processingMs;
  rec.blocksIn = i.blocks;
  rec.wtx = w;
  const tDone = tCard + a.processingMs + wtxMs(w) + i.ms;
  if (t.leaveAtMs !== undefined && t.leaveAtMs < tDone) {
    rec.status = c.goneStatus;
    return status41(Math.max(t.leaveAtMs, tCard) + fwt, rec.status);
  }
  return hostPart(c, a.response, tDone);
}

/** Runs one command frame's data (`d[0]` = command code) whose processing starts at `t0`. */
export function runCommand(c: Pn532Chip, d: Uint8Array, t0: number): Reply | null {
  const p = d.subarray(1);
  const n = p.length;
  const done = t0 + CMD_MS;
  switch (d[0]) {
    case 0x00:
      return diagnose(c, p, t0);
    case 0x02: // GetFirmwareVersion §7.2.2: IC 32, Ver 1, Rev 6, Support 07 (type A, type B, ISO 18092)
      return n === 0 ? answer(done, [0x03, 0x32, 0x01, 0x06, 0x07]) : null;
    case 0x10:
      return n === 1 && p[0] < 9 ? setBaud(c, BAUDS[p[0]], done) : null;
    case 0x12: // SetParameters §7.2.9
      if (n !== 1) return null;
      c.flags = p[0];
      return answer(done, [0x13]);
    case 0x14: // SAMConfiguration §7.2.10: Mode 1–4 [Timeout [IRQ]]; IRQ 00 = P70_IRQ held high
      if (n < 1 || n > 3 || p[0] < 1 || p[0] > 4) return null;
      if (n === 3) c.irqEnabled = p[2] !== 0;
      return answer(done, [0x15]);
    case 0x16:
      return n === 1 || n === 2 ? powerDown(c, p[0], done) : null;
    case 0x32:
      return rfConfiguration(c, p, done);
    case 0x40:
      return inDataExchange(c, p, t0);
    case 0x44: // InDeselect §7.3.10
      return release(c, p, done, 0x45);
    case 0x4a:
      return inListPassiveTarget(c, p, t0);
    case 0x52: // InRelease §7.3.11
      return release(c, p, done, 0x53);
  }
  return null;
}
