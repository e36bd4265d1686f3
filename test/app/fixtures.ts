/**
 * Shared fixtures of the terminal tests: outcomes as the kernels make them (src/emv/kernel.ts
 * helpers), a data record, and `reach(kind)`: the machine driven from idle to each state by
 * the events that lead there, so every test starts from a state the machine really makes.
 */
import type { DataRecord } from "../../src/emv/data-record";
import { declined, endApplication, errorOutcome, limitExceeded, seePhone, selectNext, tryAnotherInterface } from "../../src/emv/kernel";
import { codedError } from "../../src/bytes/coded-error";
import { Cvm, makeOutcome, OutcomeType, Start, ui, UiMessage, UiStatus, type Outcome } from "../../src/emv/outcome";
import { defaultMachineConfig, idleState, next, type Effect, type MachineConfig, type StateKind, type TerminalEvent, type TerminalState } from "../../src/app/terminal-machine";

export const PAN = "4761739001010010";
export const MASKED = "476173******0010";

export function record(): DataRecord {
  return {
    kernel: 3,
    aid: "A0000000031010",
    pan: PAN,
    expiry: "2812",
    psn: "01",
    track2: PAN + "D28122011234567899999F",
    serviceCode: "201",
    cvm: Cvm.NoCvm,
    icc: { "9F26": "1122334455667788", "9F36": "0001", "95": "0000000000", "9A": "260115", "82": "2000", "9F02": "000000001250" },
    wallet: {},
  };
}

export function onlineRequest(): Outcome {
  const o = makeOutcome(OutcomeType.OnlineRequest, "OK", Start.NA, ui(UiMessage.Authorising, UiStatus.NotReady, 0), null);
  o.record = record();
  o.kernel = 3;
  o.aid = "A0000000031010";
  return o;
}

export const OUTCOMES = {
  online: onlineRequest,
  seePhone: (): Outcome => seePhone(OutcomeType.TryAgain, UiMessage.SeePhone, { sw: 0x6986, step: "GPO" }, 1300),
  cardGone: (): Outcome => errorOutcome(codedError("EMV_CARD_GONE", "gone", { cause: "ISODEP_TIMEOUT" }), 1300),
  tryAnotherCard: (): Outcome => endApplication("EMV_CARD_BLOCKED", { sw: 0x6a81 }, 1300),
  tryAnotherInterface: (): Outcome => tryAnotherInterface("EMV_STATUS_WORD", { sw: 0x6984 }, 1300),
  overLimit: (): Outcome => limitExceeded(undefined, 1300),
  selectNext: (): Outcome => selectNext("EMV_STATUS_WORD", { sw: 0x6a82 }),
  declinedByCard: (): Outcome => declined("EMV_CARD_DECLINED", Cvm.NoCvm, 1300),
  offlineApproved: (): Outcome => makeOutcome(OutcomeType.Approved, "OK", Start.NA, null, null),
};

export const CFG: MachineConfig = defaultMachineConfig(978);

export interface Step {
  state: TerminalState;
  effects: Effect[];
}

/** Applies events in order from `s`; returns the last transition. */
export function run(s: TerminalState, events: ((s: TerminalState) => TerminalEvent)[], c?: MachineConfig): Step {
  let t: Step = { state: s, effects: [] };
  for (const ev of events) t = next(t.state, ev(t.state), c || CFG);
  return t;
}

/** Event makers that answer the current state (its `seq` as ref, its deadline id). */
export const ev = {
  sale: (amountMinor: number) => (): TerminalEvent => ({ type: "sale", amountMinor }),
  ready: (s: TerminalState): TerminalEvent => ({ type: "ready", ref: s.seq, refusal: null, code: null }),
  card: (s: TerminalState): TerminalEvent => ({ type: "cardDetected", ref: s.seq }),
  outcome: (o: () => Outcome) => (s: TerminalState): TerminalEvent => ({ type: "kernelOutcome", ref: s.seq, outcome: o() }),
  saved: (s: TerminalState): TerminalEvent => ({ type: "saleSaved", ref: s.seq, ok: true, code: null }),
  approved: (s: TerminalState): TerminalEvent => ({
    type: "authResult",
    ref: s.seq,
    result: { outcome: "approved", reason: "approved", stan: "000042", clientTransactionId: "ab".repeat(16), authCode: "123456", responseCode: "00", reversal: false },
  }),
  deadline: (s: TerminalState): TerminalEvent => ({ type: "deadline", id: s.deadlineId as string }),
  cancel: (): TerminalEvent => ({ type: "cancel" }),
  fieldOffDone: (s: TerminalState): TerminalEvent => ({ type: "fieldOffDone", ref: s.seq }),
};

const PATHS: { [k in StateKind]: ((s: TerminalState) => TerminalEvent)[] } = {
  idle: [],
  amountEntered: [ev.sale(1250)],
  presentCard: [ev.sale(1250), ev.ready],
  fieldOff: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.seePhone)],
  reading: [ev.sale(1250), ev.ready, ev.card],
  cardReadOk: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.online)],
  authorising: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.online), ev.saved],
  approved: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.online), ev.saved, ev.approved],
  declined: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.declinedByCard)],
  error: [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.overLimit)],
  notConfigured: [ev.sale(1250), (s) => ({ type: "ready", ref: s.seq, refusal: "notConfigured", code: null })],
  clockInvalid: [ev.sale(1250), (s) => ({ type: "ready", ref: s.seq, refusal: "clockInvalid", code: null })],
  reversalQueueFull: [ev.sale(1250), (s) => ({ type: "ready", ref: s.seq, refusal: "reversalQueueFull", code: null })],
};

export const ALL_KINDS = Object.keys(PATHS) as StateKind[];

/** The machine in state `kind`, reached from idle by the events that lead there. */
export function reach(kind: StateKind): TerminalState {
  const s = run(idleState(0), PATHS[kind]).state;
  if (s.kind !== kind) throw new Error("fixture path for " + kind + " ends in " + s.kind);
  return s;
}

/** Effect types in order, for compact assertions. */
export function types(effects: Effect[]): string[] {
  return effects.map((e) => e.type);
}

export function find<T extends Effect["type"]>(effects: Effect[], type: T): Extract<Effect, { type: T }> | undefined {
  return effects.find((e) => e.type === type) as Extract<Effect, { type: T }> | undefined;
}
