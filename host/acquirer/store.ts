/**
 * The acquirer's ledger: authorizations, reversals, the last ATC seen per card and the
 * nonces seen per key. An interface, so the host logic never names SQL, and one
 * implementation on SQLite (better-sqlite3) in a data folder: WAL journal with
 * synchronous=FULL, so that every answered request is on disk before its answer leaves and
 * a restart (or a crash) loses nothing. Card data: the masked PAN and a keyed hash only.
 */
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codedError } from "../../src/bytes/coded-error";

/** How the answer of an authorization is delivered (test amounts .91 and .97). */
export type Delivery = "answer" | "hold" | "drop";

export interface AuthorizationRow {
  clientTransactionId: string;
  terminalId: string;
  /** Keyed hash of the validated request: a retry must carry the same one. */
  fingerprint: string;
  stan: string;
  amountMinor: number;
  currency: string;
  /** First 6 and last 4 digits. */
  maskedPan: string;
  /** HMAC-SHA-256 of the PAN under the host secret, hex. */
  panHash: string;
  /** The ATC of a verified cryptogram, null otherwise. */
  atc: number | null;
  approved: boolean;
  responseCode: string;
  /** The answer body as sent (JSON text). */
  answer: string;
  delivery: Delivery;
  reversed: boolean;
  createdAt: string;
}

export interface ReversalRow {
  clientTransactionId: string;
  terminalId: string;
  stan: string;
  amountMinor: number;
  currency: string;
  reason: string;
  time: string;
  /** True when this reversal cancelled an approved authorization. */
  reversed: boolean;
  /** The answer body as sent (JSON text). */
  answer: string;
  createdAt: string;
}

/** The ledger's operations; each is atomic and durable when it returns. */
export interface AcquirerStore {
  /** The secret the PAN hashes are keyed with (32 bytes), stable across restarts. */
  readonly hostSecret: Uint8Array;
  getAuthorization(clientTransactionId: string): AuthorizationRow | null;
  /**
   * Records a new authorization and, when `card` is given, its ATC as the card's last one.
   * @throws ACQ_STORE_DUPLICATE when the id is already recorded
   */
  addAuthorization(row: AuthorizationRow, card?: { key: string; atc: number }): void;
  /** The last ATC recorded for a card key (keyed hash of PAN + PSN), or null. */
  lastAtc(cardKey: string): number | null;
  getReversal(clientTransactionId: string): ReversalRow | null;
  /** Records a reversal and, when it cancels one, marks the authorization reversed. */
  addReversal(row: ReversalRow): void;
  /**
   * Remembers a nonce; false when it was seen before. Nonces seen before `forgetBeforeS`
   * (Unix seconds) are forgotten: their timestamps are outside the window by then.
   */
  useNonce(keyId: string, nonce: string, nowS: number, forgetBeforeS: number): boolean;
  countAuthorizations(): number;
  countReversals(): number;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS authorizations (
  client_transaction_id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  stan TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  masked_pan TEXT NOT NULL,
  pan_hash TEXT NOT NULL,
  atc INTEGER,
  approved INTEGER NOT NULL,
  response_code TEXT NOT NULL,
  answer TEXT NOT NULL,
  delivery TEXT NOT NULL,
  reversed INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reversals (
  client_transaction_id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  stan TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  reason TEXT NOT NULL,
  time TEXT NOT NULL,
  reversed INTEGER NOT NULL,
  answer TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS card_atc (card_key TEXT PRIMARY KEY, atc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_seen_at ON nonces (seen_at);
`;

/** The database file inside the data folder. */
export const LEDGER_FILE = "ledger.sqlite";
/** The generated host secret inside the data folder (hex, mode 0600). */
export const SECRET_FILE = "host-secret";

type Row = { [column: string]: unknown };

function authorizationFrom(r: Row): AuthorizationRow {
  return {
    clientTransactionId: r.client_transaction_id as string,
    terminalId: r.terminal_id as string,
    fingerprint: r.fingerprint as string,
    stan: r.stan as string,
    amountMinor: r.amount_minor as number,
    currency: r.currency as string,
    maskedPan: r.masked_pan as string,
    panHash: r.pan_hash as string,
    atc: r.atc === null ? null : (r.atc as number),
    approved: r.approved === 1,
    responseCode: r.response_code as string,
    answer: r.answer as string,
    delivery: r.delivery as Delivery,
    reversed: r.reversed === 1,
    createdAt: r.created_at as string,
  };
}

function reversalFrom(r: Row): ReversalRow {
  return {
    clientTransactionId: r.client_transaction_id as string,
    terminalId: r.terminal_id as string,
    stan: r.stan as string,
    amountMinor: r.amount_minor as number,
    currency: r.currency as string,
    reason: r.reason as string,
    time: r.time as string,
    reversed: r.reversed === 1,
    answer: r.answer as string,
    createdAt: r.created_at as string,
  };
}

/** The host secret: the configured one, else the data folder's, created on first use. */
function hostSecretIn(dir: string, configured: Uint8Array | null): Uint8Array {
  if (configured) return configured;
  const path = join(dir, SECRET_FILE);
  if (existsSync(path)) {
    const hex = readFileSync(path, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw codedError("ACQ_STORE_SECRET", "the host secret file is not 32 bytes of hex", { path: path });
    return Buffer.from(hex, "hex");
  }
  const secret = randomBytes(32);
  writeFileSync(path, secret.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}

/**
 * Opens (creating when needed) the ledger in `dir`.
 * @param hostSecret the configured PAN-hash key; null to use (or create) `dir`/host-secret
 * @throws ACQ_STORE_OPEN when the folder or database cannot be opened
 */
export function openSqliteStore(dir: string, hostSecret: Uint8Array | null): AcquirerStore {
  let db: Database.Database;
  let secret: Uint8Array;
  try {
    mkdirSync(dir, { recursive: true });
    secret = hostSecretIn(dir, hostSecret);
    db = new Database(join(dir, LEDGER_FILE));
  } catch (e) {
    if ((e as { code?: string }).code === "ACQ_STORE_SECRET") throw e;
    throw codedError("ACQ_STORE_OPEN", "cannot open the ledger in " + dir + ": " + String((e as Error).message), { dir: dir });
  }
  db.pragma("journal_mode = WAL");
  // FULL: each commit is fsynced, WAL included, before the answer is sent (sqlite.org/pragma.html#pragma_synchronous).
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);

  const getAuth = db.prepare("SELECT * FROM authorizations WHERE client_transaction_id = ?");
  const insertAuth = db.prepare(
    `INSERT INTO authorizations (client_transaction_id, terminal_id, fingerprint, stan, amount_minor, currency, masked_pan,
       pan_hash, atc, approved, response_code, answer, delivery, reversed, created_at)
     VALUES (@clientTransactionId, @terminalId, @fingerprint, @stan, @amountMinor, @currency, @maskedPan,
       @panHash, @atc, @approved, @responseCode, @answer, @delivery, @reversed, @createdAt)`,
  );
  const upsertAtc = db.prepare(
    "INSERT INTO card_atc (card_key, atc) VALUES (?, ?) ON CONFLICT(card_key) DO UPDATE SET atc = excluded.atc WHERE excluded.atc > card_atc.atc",
  );
  const getAtc = db.prepare("SELECT atc FROM card_atc WHERE card_key = ?");
  const getRev = db.prepare("SELECT * FROM reversals WHERE client_transaction_id = ?");
  const insertRev = db.prepare(
    `INSERT INTO reversals (client_transaction_id, terminal_id, stan, amount_minor, currency, reason, time, reversed, answer, created_at)
     VALUES (@clientTransactionId, @terminalId, @stan, @amountMinor, @currency, @reason, @time, @reversed, @answer, @createdAt)`,
  );
  const markReversed = db.prepare("UPDATE authorizations SET reversed = 1 WHERE client_transaction_id = ?");
  const insertNonce = db.prepare("INSERT OR IGNORE INTO nonces (key_id, nonce, seen_at) VALUES (?, ?, ?)");
  const forgetNonces = db.prepare("DELETE FROM nonces WHERE seen_at < ?");
  const countAuth = db.prepare("SELECT COUNT(*) AS n FROM authorizations");
  const countRev = db.prepare("SELECT COUNT(*) AS n FROM reversals");

  const addAuthorization = db.transaction((row: AuthorizationRow, card?: { key: string; atc: number }) => {
    insertAuth.run({ ...row, approved: row.approved ? 1 : 0, reversed: row.reversed ? 1 : 0 });
    if (card) upsertAtc.run(card.key, card.atc);
  });
  const addReversal = db.transaction((row: ReversalRow) => {
    insertRev.run({ ...row, reversed: row.reversed ? 1 : 0 });
    if (row.reversed) markReversed.run(row.clientTransactionId);
  });
  const useNonce = db.transaction((keyId: string, nonce: string, nowS: number, forgetBeforeS: number) => {
    forgetNonces.run(forgetBeforeS);
    return insertNonce.run(keyId, nonce, nowS).changes === 1;
  });

  return {
    hostSecret: secret,
    getAuthorization(id) {
      const r = getAuth.get(id) as Row | undefined;
      return r ? authorizationFrom(r) : null;
    },
    addAuthorization(row, card) {
      try {
        addAuthorization(row, card);
      } catch (e) {
        if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
          throw codedError("ACQ_STORE_DUPLICATE", "authorization already recorded", { clientTransactionId: row.clientTransactionId });
        }
        throw e;
      }
    },
    lastAtc(cardKey) {
      const r = getAtc.get(cardKey) as Row | undefined;
      return r ? (r.atc as number) : null;
    },
    getReversal(id) {
      const r = getRev.get(id) as Row | undefined;
      return r ? reversalFrom(r) : null;
    },
    addReversal(row) {
      addReversal(row);
    },
    useNonce(keyId, nonce, nowS, forgetBeforeS) {
      return useNonce(keyId, nonce, nowS, forgetBeforeS) as boolean;
    },
    countAuthorizations() {
      return (countAuth.get() as Row).n as number;
    },
    countReversals() {
      return (countRev.get() as Row).n as number;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
