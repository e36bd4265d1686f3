/**
 * `npm start` with a terminal on stdin (or --interactive over pipes): the till on the
 * keyboard. Type an amount to start a sale, then pick the phone or card to hold out from the
 * numbered profiles; watch the display text, the LEDs, the buzzer and the decoded APDU trace
 * (answers masked) as they happen. `c` cancels, `s` status, `l` last result, `q` quits.
 * The till page (till.ts) is served meanwhile: the "till: <url>" line; both drive one terminal.
 */
import { clearLine, createInterface, cursorTo, type Interface } from "node:readline";
import { isCoded } from "../../src/bytes/coded-error";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { parseAmount } from "../tap/amount";
import type { StartArgs } from "./args";
import { hostTerminal } from "./host-terminal";
import { acquirerDir, startLoopbackAcquirer } from "./online";
import { eventLine } from "./scripted";
import { startHostTill } from "./till";

export const INTERACTIVE_HELP = `tappos terminal (the PN532 simulator, a virtual phone, the reference acquirer on loopback)
  12.34        start a sale of 12.34 EUR, then pick what to tap
  1 … ${PROFILE_NAMES.length}       while the terminal waits for a card: hold out that profile
  t <name|file.apdu|file.json>   hold out a profile by name, or a transcript / profile file
  c            cancel          s  status        l  last result
  v            decoded APDU data on/off         h  this help        q  quit
test amounts: .51 and .05 declined, .91 no answer (reversed), .96 host error, .97 connection lost`;

/** "  1 applepay-visa   2 googlepay-mastercard …", four to a line. */
export function profileMenu(): string[] {
  const out: string[] = ["tap which? (number, t <name|file>, c cancels)"];
  for (let i = 0; i < PROFILE_NAMES.length; i += 4) {
    out.push(
      PROFILE_NAMES.slice(i, i + 4)
        .map((n, j) => `${String(i + j + 1).padStart(4)} ${n.padEnd(22)}`)
        .join("")
        .trimEnd(),
    );
  }
  return out;
}

/** Runs until `q`, end of input or Ctrl-C; resolves with the exit status. */
export async function runInteractive(a: StartArgs, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const tty = (output as { isTTY?: boolean }).isTTY === true && (input as { isTTY?: boolean }).isTTY === true;
  // Made after the boot: lines typed (or piped) meanwhile wait in the stream, none is lost.
  let rl: Interface | null = null;
  let verbose = false;
  let closed = false;
  const say = (line: string): void => {
    if (closed) return;
    if (tty) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    output.write(line + "\n");
    if (tty && rl) rl.prompt(true);
  };
  const acquirer = await startLoopbackAcquirer(acquirerDir(a.stateDir), (line) => say(line.startsWith("acquirer") ? line : "acquirer " + line), a.holdMs ?? undefined);
  say(INTERACTIVE_HELP);
  say(`acquirer listening on ${acquirer.url}`);
  const ht = hostTerminal({
    stateDir: a.stateDir,
    url: acquirer.url,
    answerMs: a.answerMs ?? undefined,
    emit: (e) => {
      say("  " + eventLine(e));
      if (verbose && e.kind === "apdu") for (const d of e.detail) say("  " + d);
    },
  });
  await ht.boot();
  const till = await startHostTill({ ht: ht, stateDir: a.stateDir, port: a.port, say: (line) => say("  field    " + line) });
  say(till.line);

  const pick = (source: string): void => {
    try {
      say(`  field    ${ht.field.present(source)} held out to the reader`);
    } catch (e) {
      if (!isCoded(e, "TAP_USAGE")) throw e;
      say("? " + e.message.substring(e.code.length + 2));
    }
  };
  // A bare number picks a profile while the terminal waits for a card; otherwise it is an amount.
  const waitingForCard = (): boolean => ht.state() === "presentCard" || ht.state() === "fieldOff";
  let tapped = false;
  ht.terminal.onStatus((e) => {
    if (e.type !== "state") return;
    if (e.state === "reading") tapped = true;
    else if (e.state === "idle" || e.state === "amountEntered") tapped = false; // a new sale starts from a result too
    // The card was read and taken away, and the terminal asks for another (try another card, card gone).
    else if (e.state === "presentCard" && tapped && ht.field.current() === null) {
      setImmediate(() => {
        for (const l of profileMenu()) say(l); // after the display line that asks for it
      });
    }
  });

  const command = (line: string): boolean => {
    const t = line.trim();
    if (t === "") return true;
    if (t === "q" || t === "quit") return false;
    if (t === "h" || t === "?" || t === "help") say(INTERACTIVE_HELP);
    else if (t === "c") say(ht.terminal.cancel());
    else if (t === "s") say(ht.terminal.status());
    else if (t === "l") say(ht.terminal.last());
    else if (t === "v") {
      verbose = !verbose;
      say("decoded APDU data " + (verbose ? "on" : "off"));
    } else if (t.startsWith("t ")) pick(t.substring(2).trim());
    else if (/^[0-9]+$/.test(t) && waitingForCard() && parseInt(t, 10) >= 1 && parseInt(t, 10) <= PROFILE_NAMES.length) pick(PROFILE_NAMES[parseInt(t, 10) - 1]);
    else if (/^[0-9]+(\.[0-9]*)?$/.test(t)) {
      let minor: number;
      try {
        minor = parseAmount(t, ht.exponent);
      } catch (e) {
        if (!isCoded(e)) throw e;
        say("? " + e.message.substring(e.code.length + 2));
        return true;
      }
      const said = ht.terminal.sale(minor);
      say(said);
      if (!said.startsWith("refused")) for (const l of profileMenu()) say(l);
    } else say(`? "${t}": type an amount, a profile number, c, s, l, h or q`);
    return true;
  };

  const r = createInterface({ input: input, output: output, terminal: tty, prompt: "tappos> " });
  rl = r;
  await new Promise<void>((resolve) => {
    r.on("line", (line) => {
      if (closed) return;
      if (!command(line)) r.close();
      else if (!tty) output.write("tappos> ");
    });
    r.on("SIGINT", () => r.close());
    r.on("close", () => {
      closed = true;
      resolve();
    });
    r.prompt();
  });
  await till.close();
  ht.stop();
  await acquirer.close();
  output.write("bye\n");
  return 0;
}
