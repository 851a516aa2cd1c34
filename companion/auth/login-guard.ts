import { createHash } from 'node:crypto';
import type { KnownClients } from './known-clients.js';
import { createRateLimiter, type RateLimiter, type RateLimitState } from './rate-limit.js';

/**
 * Password guessing limits shared by HTTP Basic and `POST /api/auth/login`. Failures are counted per (address, user),
 * per user across addresses and in total, so 60 addresses do not get 60 times the guesses, and one address (a reverse
 * proxy every client shares) guessing one name does not block other names. Credentials that have worked before pass
 * every limit (they are still verified), and an address a user logged in from before only meets its own per-address
 * limit, so an attack never locks the owner's configured clients out.
 */
export interface LoginGuard {
  /** Whether an attempt for `name` from `address` may be evaluated now; `secret` is the password (never stored). */
  check(input: { address: string; name: string; secret: string }): RateLimitState;
  failed(input: { address: string; name: string }): void;
  succeeded(input: { address: string; name: string; secret: string }): void;
}

const WINDOW_MS = 15 * 60_000;
// Remembered as salted digests; a set this size covers every real client of a home server.
const KNOWN_GOOD_MAX = 1000;

export function createLoginGuard({
  now = Date.now,
  perAddressUser = createRateLimiter({ limit: 10, windowMs: WINDOW_MS, now }),
  perUser = createRateLimiter({ limit: 30, windowMs: WINDOW_MS, now }),
  total = createRateLimiter({ limit: 100, windowMs: WINDOW_MS, now }),
  knownGoodMs = 30 * 24 * 60 * 60_000,
  knownClients,
}: {
  now?: () => number;
  perAddressUser?: RateLimiter;
  perUser?: RateLimiter;
  total?: RateLimiter;
  knownGoodMs?: number;
  /** Addresses each user logged in from before: only their own per-address limit applies to them. */
  knownClients?: KnownClients;
} = {}): LoginGuard {
  const salt = createHash('sha256')
    .update(String(Math.random()) + String(process.hrtime.bigint()))
    .digest();
  const knownGood = new Map<string, number>();
  const digest = (name: string, secret: string) =>
    createHash('sha256').update(salt).update(name.toLowerCase()).update('\0').update(secret).digest('base64url');
  const keys = (address: string, name: string) => {
    const user = name.toLowerCase().slice(0, 256);
    return { pair: `${address} ${user}`, user };
  };

  return {
    check({ address, name, secret }) {
      const key = digest(name, secret);
      const until = knownGood.get(key);
      if (until !== undefined && until > now()) return { limited: false };
      if (until !== undefined) knownGood.delete(key);
      const { pair, user } = keys(address, name);
      let worst: RateLimitState = { limited: false };
      const usual = knownClients?.has(address, user) ?? false;
      const states = usual
        ? [perAddressUser.check(pair)]
        : [perAddressUser.check(pair), perUser.check(user), total.check('*')];
      for (const state of states) {
        if (state.limited && (!worst.limited || state.retryAfterMs > worst.retryAfterMs)) worst = state;
      }
      return worst;
    },
    failed({ address, name }) {
      const { pair, user } = keys(address, name);
      perAddressUser.record(pair);
      perUser.record(user);
      total.record('*');
    },
    succeeded({ address, name, secret }) {
      const { pair, user } = keys(address, name);
      perAddressUser.reset(pair);
      knownClients?.add(address, user);
      const key = digest(name, secret);
      knownGood.delete(key);
      knownGood.set(key, now() + knownGoodMs);
      while (knownGood.size > KNOWN_GOOD_MAX) {
        const first = knownGood.keys().next().value;
        if (first === undefined) break;
        knownGood.delete(first);
      }
    },
  };
}
