import type Database from 'better-sqlite3';
import { HEADER_VALUE_GRAMMAR, isReplayableCookie } from '../../shared/relay-api.js';
import {
  CLEARANCE_COOKIE_NAMES,
  type ClearanceCookie,
  formatCookieHeader,
  MAX_COOKIE_LIFETIME_MS,
  normaliseCookie,
  type RawCookie,
  selectReplayableCookies,
} from './clearance-cookies.js';
import { siteOf } from './site-of.js';

/** Who earned a clearance. */
export type ClearanceSource = 'extension' | 'headless' | 'external';
/** Which path of the solver produced a usable clearance (`stored` = one we already had). */
export type BypassPath = 'stored' | ClearanceSource;

/** Cookies plus the exact browser identity that earned them; replaying them with another UA fails. */
export interface ClearanceRecord {
  site: string;
  cookies: ClearanceCookie[];
  userAgent: string;
  /** `sec-ch-ua*` headers of the earning browser, lower-cased names. */
  clientHints: Record<string, string>;
  acceptLanguage?: string;
  source: ClearanceSource;
  earnedAtMs: number;
  expiresAtMs: number;
}

export interface ClearanceInput {
  /** A host name or any URL on the site. */
  site: string;
  cookies: RawCookie[];
  userAgent: string;
  clientHints?: Record<string, string>;
  acceptLanguage?: string;
  source: ClearanceSource;
  earnedAtMs?: number;
}

/** What /api/status may show about a site: never a cookie value. */
export interface ClearanceStatus {
  site: string;
  hasClearance: boolean;
  source?: ClearanceSource;
  cookieNames: string[];
  earnedAtMs?: number;
  expiresAtMs?: number;
  lastPath?: BypassPath;
  lastSuccessAtMs?: number;
  lastPurgeReason?: string;
  lastPurgedAtMs?: number;
}

export interface ClearanceStore {
  /** The fresh clearance for a site, or `undefined` (expired records are purged on the way). */
  get(site: string): ClearanceRecord | undefined;
  /** Replaces the site's clearance (never merges: stale cookies merged over fresh ones cause redirect loops). */
  put(input: ClearanceInput): ClearanceRecord;
  /** Drops the site's clearance; `reason` is kept for diagnostics. Returns whether there was one. */
  purge(site: string, reason: string): boolean;
  /** The Cookie header to replay for a site, or `undefined` without fresh clearance. */
  cookieHeader(site: string): string | undefined;
  /** Notes which solver path last produced clearance for a site. */
  recordSuccess(site: string, path: BypassPath): void;
  /** Resolves with the next clearance `put` for that site (the extension's POST /api/clearance), or rejects on abort. */
  waitForPut(site: string, signal?: AbortSignal): Promise<ClearanceRecord>;
  status(): ClearanceStatus[];
}

const MAX_COOKIES = 100;

interface Row {
  site: string;
  cookies: string;
  user_agent: string;
  client_hints: string;
  accept_language: string | null;
  source: ClearanceSource;
  earned_at_ms: number;
  expires_at_ms: number;
}

interface HistoryRow {
  site: string;
  last_path: BypassPath | null;
  last_success_at_ms: number | null;
  last_purge_reason: string | null;
  last_purged_at_ms: number | null;
}

const HINT_NAME = /^sec-ch-ua(?:-[a-z0-9-]+)?$/;

/** The client hints worth sending on: `sec-ch-ua*` names (lower-cased) with valid header values, at most 20. */
function cleanClientHints(hints: unknown): Record<string, string> {
  if (!hints || typeof hints !== 'object' || Array.isArray(hints)) return {};
  const entries = Object.entries(hints as Record<string, unknown>)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(
      (entry): entry is readonly [string, string] =>
        HINT_NAME.test(entry[0]) &&
        typeof entry[1] === 'string' &&
        entry[1].length <= 512 &&
        HEADER_VALUE_GRAMMAR.test(entry[1]),
    );
  return Object.fromEntries(entries.slice(0, 20));
}

const isHeaderValue = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && HEADER_VALUE_GRAMMAR.test(value);

/** The stored row as a record, or undefined when it could not be replayed (unparsable, or a UA that is no header). */
function toRecord(row: Row): ClearanceRecord | undefined {
  if (!isHeaderValue(row.user_agent, 1024)) return undefined;
  let cookies: unknown;
  let hints: unknown;
  try {
    cookies = JSON.parse(row.cookies);
    hints = JSON.parse(row.client_hints);
  } catch {
    return undefined;
  }
  if (!Array.isArray(cookies)) return undefined;
  const record: ClearanceRecord = {
    site: row.site,
    cookies: (cookies as ClearanceCookie[]).filter(
      (cookie) =>
        typeof cookie?.name === 'string' &&
        typeof cookie.value === 'string' &&
        isReplayableCookie(cookie.name, cookie.value),
    ),
    userAgent: row.user_agent,
    clientHints: cleanClientHints(hints),
    source: row.source,
    earnedAtMs: row.earned_at_ms,
    expiresAtMs: row.expires_at_ms,
  };
  if (isHeaderValue(row.accept_language, 256)) record.acceptLanguage = row.accept_language;
  return record;
}

/**
 * Clearance per site in SQLite (tables from `migrateClearance`). A record expires with its earliest clearance
 * cookie (`cf_clearance`, `__ddg1_`, `__ddg2_`, `__ddgid_`), or `sessionMaxAgeMs` after it was earned when
 * those are session cookies. Cookie values live only in the database.
 */
export function createClearanceStore({
  db,
  now = Date.now,
  sessionMaxAgeMs = 12 * 60 * 60 * 1000,
}: {
  db: Database.Database;
  now?: () => number;
  sessionMaxAgeMs?: number;
}): ClearanceStore {
  const waiters = new Map<string, Set<(record: ClearanceRecord) => void>>();
  const selectOne = db.prepare<[string], Row>('SELECT * FROM clearance WHERE site = ?');
  const deleteOne = db.prepare<[string]>('DELETE FROM clearance WHERE site = ?');
  const upsert = db.prepare(`
    INSERT INTO clearance (site, cookies, user_agent, client_hints, accept_language, source, earned_at_ms, expires_at_ms)
    VALUES (@site, @cookies, @user_agent, @client_hints, @accept_language, @source, @earned_at_ms, @expires_at_ms)
    ON CONFLICT (site) DO UPDATE SET cookies = excluded.cookies, user_agent = excluded.user_agent,
      client_hints = excluded.client_hints, accept_language = excluded.accept_language, source = excluded.source,
      earned_at_ms = excluded.earned_at_ms, expires_at_ms = excluded.expires_at_ms`);
  const notePurge = db.prepare(`
    INSERT INTO clearance_history (site, last_purge_reason, last_purged_at_ms) VALUES (?, ?, ?)
    ON CONFLICT (site) DO UPDATE SET last_purge_reason = excluded.last_purge_reason,
      last_purged_at_ms = excluded.last_purged_at_ms`);
  const noteSuccess = db.prepare(`
    INSERT INTO clearance_history (site, last_path, last_success_at_ms) VALUES (?, ?, ?)
    ON CONFLICT (site) DO UPDATE SET last_path = excluded.last_path, last_success_at_ms = excluded.last_success_at_ms`);

  const purge = (site: string, reason: string): boolean => {
    const key = siteOf(site);
    // An empty key would mean "every site" in a looser store; here it simply matches nothing.
    if (!key) return false;
    const { changes } = deleteOne.run(key);
    notePurge.run(key, reason, now());
    return changes > 0;
  };

  const get = (site: string): ClearanceRecord | undefined => {
    const key = siteOf(site);
    const row = selectOne.get(key);
    if (!row) return undefined;
    const record = toRecord(row);
    const nowMs = now();
    // One bad record (say, stored before its values were checked) must not break every request to the site.
    if (!record) {
      purge(key, 'unusable record');
      return undefined;
    }
    if (record.expiresAtMs <= nowMs) {
      purge(key, 'expired');
      return undefined;
    }
    record.cookies = selectReplayableCookies(record.cookies, nowMs);
    return record;
  };

  return {
    get,
    purge,
    put(input) {
      const site = siteOf(input.site);
      if (!isHeaderValue(input.userAgent, 1024))
        throw new TypeError('Clearance User-Agent is not a valid header value');
      const nowMs = now();
      const earnedAtMs = input.earnedAtMs ?? nowMs;
      const cookies = selectReplayableCookies(
        input.cookies
          .slice(0, MAX_COOKIES)
          .map((raw) => normaliseCookie(raw, nowMs))
          .filter((cookie) => cookie !== undefined),
        nowMs,
      );
      const clearanceExpiries = cookies
        .filter((cookie) => CLEARANCE_COOKIE_NAMES.has(cookie.name) && cookie.expiresAtMs !== undefined)
        .map((cookie) => cookie.expiresAtMs as number);
      const expiresAtMs = Math.min(
        clearanceExpiries.length > 0 ? Math.min(...clearanceExpiries) : earnedAtMs + sessionMaxAgeMs,
        nowMs + MAX_COOKIE_LIFETIME_MS,
      );
      const record: ClearanceRecord = {
        site,
        cookies,
        userAgent: input.userAgent,
        clientHints: cleanClientHints(input.clientHints),
        source: input.source,
        earnedAtMs,
        expiresAtMs,
      };
      if (isHeaderValue(input.acceptLanguage, 256)) record.acceptLanguage = input.acceptLanguage;
      upsert.run({
        site,
        cookies: JSON.stringify(record.cookies),
        user_agent: record.userAgent,
        client_hints: JSON.stringify(record.clientHints),
        accept_language: record.acceptLanguage ?? null,
        source: record.source,
        earned_at_ms: earnedAtMs,
        expires_at_ms: expiresAtMs,
      });
      for (const resolve of waiters.get(site) ?? []) resolve(record);
      waiters.delete(site);
      return record;
    },
    cookieHeader(site) {
      const record = get(site);
      return record && record.cookies.length > 0 ? formatCookieHeader(record.cookies) : undefined;
    },
    recordSuccess(site, path) {
      noteSuccess.run(siteOf(site), path, now());
    },
    waitForPut(site, signal) {
      const key = siteOf(site);
      return new Promise<ClearanceRecord>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const set = waiters.get(key) ?? new Set();
        waiters.set(key, set);
        const onAbort = () => {
          set.delete(done);
          reject(signal?.reason);
        };
        const done = (record: ClearanceRecord) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(record);
        };
        set.add(done);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    status() {
      const rows = db.prepare<[], Row>('SELECT * FROM clearance').all();
      const history = db.prepare<[], HistoryRow>('SELECT * FROM clearance_history').all();
      const sites = new Set([...rows.map((row) => row.site), ...history.map((row) => row.site)]);
      return [...sites].sort().map((site) => {
        const record = get(site);
        const past = history.find((row) => row.site === site);
        const entry: ClearanceStatus = { site, hasClearance: record !== undefined, cookieNames: [] };
        if (record) {
          Object.assign(entry, {
            source: record.source,
            cookieNames: record.cookies.map((cookie) => cookie.name),
            earnedAtMs: record.earnedAtMs,
            expiresAtMs: record.expiresAtMs,
          });
        }
        if (past?.last_path)
          Object.assign(entry, { lastPath: past.last_path, lastSuccessAtMs: past.last_success_at_ms });
        if (past?.last_purge_reason) {
          Object.assign(entry, { lastPurgeReason: past.last_purge_reason, lastPurgedAtMs: past.last_purged_at_ms });
        }
        return entry;
      });
    },
  };
}
