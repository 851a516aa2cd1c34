import type { PendingClearance } from '../../shared/relay-api.js';
import { siteOf } from '../net/site-of.js';
import type { Db } from '../store/open-database.js';

interface Row {
  site: string;
  url: string;
  challenge: string;
  needs_human: number;
  requested_at_ms: number;
  expires_at_ms: number;
}

export interface OpenClearanceRequest {
  site: string;
  url: string;
  /** The challenge kind as detected (`ddos-guard-captcha`, `cloudflare-managed`, …). */
  challenge?: string | undefined;
}

/** Kinds of wall a script cannot pass: the user has to solve them in the browser. */
export function needsHuman(challenge: string): boolean {
  return /captcha|interactive|manual/i.test(challenge);
}

/** What a waiting item says: a captcha waits for the person at the browser, anything else for the extension. */
export function clearanceWaitMessage(site: string, challenge?: string): string {
  return challenge && needsHuman(challenge)
    ? `Waiting for you to pass the check on ${site} in the browser (the extension opened it)`
    : `Waiting for the browser extension to pass the check on ${site}`;
}

/**
 * Sites the companion waits on the browser for, in SQLite (`clearance_request`, from `migrateRelay`). A request
 * lives until `POST /api/clearance` answers its site or `ttlMs` passes, so an extension whose service worker was
 * asleep when the SSE event went out still finds it with `GET /api/clearance/requests`.
 */
export function createClearanceRequests({
  db,
  ttlMs,
  itemsWaitingOn = () => [],
  now = Date.now,
}: {
  db: Db;
  /** How long a request stays pending. */
  ttlMs: number;
  /** Ids of queue items waiting for clearance on `site` (listed with the request). */
  itemsWaitingOn?: (site: string) => string[];
  now?: () => number;
}) {
  const upsert = db.prepare(`
    INSERT INTO clearance_request (site, url, challenge, needs_human, requested_at_ms, expires_at_ms)
    VALUES (@site, @url, @challenge, @needs_human, @requested_at_ms, @expires_at_ms)
    ON CONFLICT (site) DO UPDATE SET url = excluded.url, challenge = excluded.challenge,
      needs_human = excluded.needs_human, expires_at_ms = excluded.expires_at_ms`);
  const selectOne = db.prepare<[string], Row>('SELECT * FROM clearance_request WHERE site = ?');
  const deleteOne = db.prepare<[string]>('DELETE FROM clearance_request WHERE site = ?');
  const deleteExpired = db.prepare<[number]>('DELETE FROM clearance_request WHERE expires_at_ms <= ?');

  let lastPolledAtMs: number | undefined;

  const toView = (row: Row): PendingClearance => ({
    site: row.site,
    url: row.url,
    requestedAtMs: row.requested_at_ms,
    expiresAtMs: row.expires_at_ms,
    needsHuman: row.needs_human === 1,
    challenge: row.challenge,
    itemIds: itemsWaitingOn(row.site),
  });

  return {
    /** Records (or refreshes) the request for a site; an open request keeps its first `requestedAtMs`. */
    open({ site, url, challenge = 'unknown' }: OpenClearanceRequest): PendingClearance {
      const key = siteOf(site);
      const at = now();
      upsert.run({
        site: key,
        url,
        challenge,
        needs_human: needsHuman(challenge) ? 1 : 0,
        requested_at_ms: at,
        expires_at_ms: at + ttlMs,
      });
      return toView(selectOne.get(key) as Row);
    },
    /** The site's open request, if any (expired ones are dropped on the way). */
    get(site: string): PendingClearance | undefined {
      deleteExpired.run(now());
      const row = selectOne.get(siteOf(site));
      return row ? toView(row) : undefined;
    },
    /** Open requests, oldest first. */
    list(): PendingClearance[] {
      deleteExpired.run(now());
      return db
        .prepare<[], Row>('SELECT * FROM clearance_request ORDER BY requested_at_ms ASC, site ASC')
        .all()
        .map(toView);
    },
    /** An extension asked for the list (its alarm poll): it is around even when no SSE stream is open. */
    notePoll(): void {
      lastPolledAtMs = now();
    },
    /** Whether an extension polled within `withinMs`. */
    polledWithin(withinMs: number): boolean {
      return lastPolledAtMs !== undefined && now() - lastPolledAtMs <= withinMs;
    },
    /** Clearance arrived (or the wait was given up): the site is no longer asked for. Returns whether it was. */
    close(site: string): boolean {
      return deleteOne.run(siteOf(site)).changes > 0;
    },
  };
}

export type ClearanceRequests = ReturnType<typeof createClearanceRequests>;
