import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { type ApiToken, checkTokenName, digestSecret, type TokenStore } from './tokens.js';

/** A code to type into the extension, shown as `ABCD-EFGH`. */
export interface PairingCode {
  code: string;
  expiresAtMs: number;
}

export type RedeemResult =
  | { ok: true; token: string; info: ApiToken }
  | {
      ok: false;
      error:
        | { kind: 'invalid-code'; detail: string }
        | { kind: 'invalid-name'; detail: string }
        | { kind: 'rate-limited'; detail: string; retryAfterMs: number };
    };

export interface Pairing {
  /** A fresh single-use code for `userId` (the paired device's token belongs to that user). */
  createCode(input?: { userId?: number | null }): PairingCode;
  /** Exchanges a live code for a `device` token named `deviceName`; failures count against `clientKey`. */
  redeem(input: { code: string; deviceName: string; clientKey: string }): RedeemResult;
  /** How many codes could still be redeemed. */
  countActive(): number;
}

// No 0/O, 1/I/L: codes are read off a screen and typed. 31^8 ≈ 8.5e11 codes, each alive for minutes.
export const PAIRING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
// More live codes means more chances per guess; creating one beyond this retires the oldest.
const MAX_ACTIVE_CODES = 5;

/** Upper-cases and drops spaces and dashes, so `abcd-efgh` and `ABCD EFGH` redeem the same code. */
export function normalizePairingCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

/**
 * One-time pairing codes in SQLite (stored as sha256). Wrong guesses are limited per client address, and every live
 * code is withdrawn once `maxWrongPerCode` wrong guesses were made while it was live: however many addresses guess,
 * a code faces at most that many guesses (chance ≈ 1000 × 5 / 31^8 ≈ 6e-9), yet nobody is locked out — a code made
 * afterwards works at once (there is no global lock that a stranger could keep closed).
 */
export function createPairing({
  db,
  tokens,
  now = Date.now,
  ttlMs = 10 * 60_000,
  perClientLimiter = createRateLimiter({ limit: 10, windowMs: 15 * 60_000, now }),
  maxWrongPerCode = 1000,
  onWithdrawn,
}: {
  db: Database.Database;
  tokens: TokenStore;
  now?: () => number;
  ttlMs?: number;
  perClientLimiter?: RateLimiter;
  maxWrongPerCode?: number;
  /** Told when live codes were withdrawn after too many wrong guesses (so the owner learns why theirs failed). */
  onWithdrawn?: (count: number) => void;
}): Pairing {
  // Wrong guesses made while each live code existed (in memory: a restart only gives codes a fresh allowance).
  const wrongGuesses = new Map<string, number>();
  const liveCodes = db.prepare<[number], { code_hash: string }>(
    'SELECT code_hash FROM pairing_codes WHERE used_at_ms IS NULL AND expires_at_ms > ?',
  );
  const withdraw = db.prepare<[string]>('DELETE FROM pairing_codes WHERE code_hash = ?');
  function countWrongGuess(at: number): void {
    const live = new Set(liveCodes.all(at).map((row) => row.code_hash));
    for (const hash of wrongGuesses.keys()) if (!live.has(hash)) wrongGuesses.delete(hash);
    let withdrawn = 0;
    for (const hash of live) {
      const count = (wrongGuesses.get(hash) ?? 0) + 1;
      wrongGuesses.set(hash, count);
      if (count >= maxWrongPerCode) {
        withdraw.run(hash);
        wrongGuesses.delete(hash);
        withdrawn++;
      }
    }
    if (withdrawn > 0) onWithdrawn?.(withdrawn);
  }
  const purge = db.prepare<[number]>('DELETE FROM pairing_codes WHERE expires_at_ms <= ? OR used_at_ms IS NOT NULL');
  const claim = db.prepare<[number, string, number]>(
    'UPDATE pairing_codes SET used_at_ms = ? WHERE code_hash = ? AND used_at_ms IS NULL AND expires_at_ms > ?',
  );
  const ownerOf = db.prepare<[string], { user_id: number | null }>(
    'SELECT user_id FROM pairing_codes WHERE code_hash = ?',
  );

  // Claim and token creation commit together: a code is spent exactly when a token exists for it.
  const exchange = db.transaction((codeHash: string, deviceName: string, at: number) => {
    if (claim.run(at, codeHash, at).changes !== 1) return undefined;
    const userId = ownerOf.get(codeHash)?.user_id ?? null;
    const created = tokens.create({ name: deviceName, kind: 'device', userId });
    if (!created.ok) throw new Error(created.error.detail);
    return created;
  });

  return {
    createCode({ userId = null } = {}) {
      const at = now();
      purge.run(at);
      const active = db.prepare('SELECT code_hash FROM pairing_codes ORDER BY created_at_ms').all() as {
        code_hash: string;
      }[];
      for (const old of active.slice(0, Math.max(0, active.length - MAX_ACTIVE_CODES + 1))) {
        db.prepare('DELETE FROM pairing_codes WHERE code_hash = ?').run(old.code_hash);
      }
      let raw = '';
      for (let i = 0; i < CODE_LENGTH; i++) raw += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
      const expiresAtMs = at + ttlMs;
      db.prepare(
        'INSERT INTO pairing_codes (code_hash, user_id, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)',
      ).run(digestSecret(raw), userId, at, expiresAtMs);
      return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, expiresAtMs };
    },

    redeem({ code, deviceName, clientKey }) {
      const nameProblem = checkTokenName(deviceName);
      if (nameProblem) return { ok: false, error: { kind: 'invalid-name', detail: nameProblem } };
      // Refuse while limited even when the code is right: otherwise guessing from this address would simply continue.
      const state = perClientLimiter.check(clientKey);
      if (state.limited) {
        return {
          ok: false,
          error: { kind: 'rate-limited', detail: 'Too many wrong pairing codes', retryAfterMs: state.retryAfterMs },
        };
      }
      const normalized = normalizePairingCode(code);
      const created =
        normalized.length === CODE_LENGTH ? exchange(digestSecret(normalized), deviceName, now()) : undefined;
      if (!created) {
        perClientLimiter.record(clientKey);
        countWrongGuess(now());
        return { ok: false, error: { kind: 'invalid-code', detail: 'Pairing code is wrong, used or expired' } };
      }
      perClientLimiter.reset(clientKey);
      return { ok: true, token: created.token, info: created.info };
    },

    countActive() {
      const at = now();
      return (
        db
          .prepare('SELECT count(*) AS n FROM pairing_codes WHERE used_at_ms IS NULL AND expires_at_ms > ?')
          .get(at) as { n: number }
      ).n;
    },
  };
}
