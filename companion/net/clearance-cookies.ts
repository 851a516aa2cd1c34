import { isReplayableCookie } from '../../shared/relay-api.js';

/** One cookie as the store keeps it; `expiresAtMs` absent means a session cookie. */
export interface ClearanceCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expiresAtMs?: number;
  httpOnly?: boolean;
  secure?: boolean;
}

/**
 * A cookie as the extension (`expirationDate`, seconds), CDP/puppeteer and Playwright (`expires`, seconds, -1 for
 * session) or WebDriver/FlareSolverr (`expiry`, seconds, sometimes a string) hand it over.
 */
export interface RawCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: number | string;
  expiry?: number | string;
  expirationDate?: number | string;
  httpOnly?: boolean;
  secure?: boolean;
}

// Per-check DDoS-Guard cookies: __ddg9_ holds the client IP and __ddg10_ the issue time, so replaying them after
// they age out or from another IP re-arms the wall into an endless ?check=1 loop (shelfmark #1220/#1221).
const NEVER_REPLAY = new Set(['__ddg8_', '__ddg9_', '__ddg10_', 'ddg_last_challenge']);

/** Cookies whose expiry ends the whole clearance (the rest are site cookies that ride along). */
export const CLEARANCE_COOKIE_NAMES = new Set(['cf_clearance', '__ddg1_', '__ddg2_', '__ddgid_']);

/** RFC 6265bis caps a cookie's lifetime at 400 days; a later expiry (up to `1e308` seconds) is read as this. */
export const MAX_COOKIE_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;

function toExpiresAtMs(raw: RawCookie, nowMs: number): number | undefined {
  // Solvers disagree on the field name (shelfmark external_bypasser): read all three, coerce strings.
  const value = raw.expirationDate ?? raw.expires ?? raw.expiry;
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  // Compared in seconds first: `1e308 * 1000` would be Infinity.
  if (seconds >= (nowMs + MAX_COOKIE_LIFETIME_MS) / 1000) return nowMs + MAX_COOKIE_LIFETIME_MS;
  return Math.round(seconds * 1000);
}

/**
 * Normalises a handed-over cookie; `undefined` for cookies that must never be stored or replayed: the per-check
 * DDoS-Guard tokens, and anything outside the RFC 6265 grammar (it would break or extend the Cookie header).
 */
export function normaliseCookie(raw: RawCookie, nowMs: number = Date.now()): ClearanceCookie | undefined {
  const value = typeof raw.value === 'string' ? raw.value : String(raw.value ?? '');
  if (typeof raw.name !== 'string' || NEVER_REPLAY.has(raw.name) || !isReplayableCookie(raw.name, value)) {
    return undefined;
  }
  const cookie: ClearanceCookie = { name: raw.name, value };
  if (typeof raw.domain === 'string' && raw.domain.length <= 256) cookie.domain = raw.domain;
  if (typeof raw.path === 'string' && raw.path.length <= 1024) cookie.path = raw.path;
  const expiresAtMs = toExpiresAtMs(raw, nowMs);
  if (expiresAtMs !== undefined) cookie.expiresAtMs = expiresAtMs;
  if (typeof raw.httpOnly === 'boolean') cookie.httpOnly = raw.httpOnly;
  if (typeof raw.secure === 'boolean') cookie.secure = raw.secure;
  return cookie;
}

/** The cookies still worth sending at `nowMs`: unexpired and never one of the per-check DDoS-Guard tokens. */
export function selectReplayableCookies(cookies: ClearanceCookie[], nowMs: number): ClearanceCookie[] {
  return cookies.filter(
    (cookie) => !NEVER_REPLAY.has(cookie.name) && (cookie.expiresAtMs === undefined || cookie.expiresAtMs > nowMs),
  );
}

/**
 * `name=value; name2=value2`, the Cookie header for these cookies (last one wins on duplicate names). Cookies outside
 * the RFC 6265 grammar (say, stored by an older version) are left out rather than breaking the header.
 */
export function formatCookieHeader(cookies: ClearanceCookie[]): string {
  const valid = cookies.filter(
    (cookie) =>
      typeof cookie?.name === 'string' &&
      typeof cookie.value === 'string' &&
      isReplayableCookie(cookie.name, cookie.value),
  );
  const byName = new Map(valid.map((cookie) => [cookie.name, cookie.value]));
  return [...byName].map(([name, value]) => `${name}=${value}`).join('; ');
}
