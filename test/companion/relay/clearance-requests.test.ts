import { describe, expect, it } from 'vitest';
import { createClearanceRequests, needsHuman } from '../../../companion/relay/clearance-requests.js';
import { migrateRelay } from '../../../companion/relay/relay-schema.js';
import { openDatabase } from '../../../companion/store/open-database.js';

describe('pending clearance requests', () => {
  const setup = () => {
    const db = openDatabase(':memory:');
    migrateRelay(db);
    let nowMs = 1_000_000;
    const waiting = new Map<string, string[]>([['annas-archive.org', ['a'.repeat(32)]]]);
    const requests = createClearanceRequests({
      db,
      ttlMs: 60_000,
      now: () => nowMs,
      itemsWaitingOn: (site) => waiting.get(site) ?? [],
    });
    return { db, requests, advance: (ms: number) => (nowMs += ms) };
  };

  it('keeps one request per site until it is answered, keyed by host name', () => {
    const { requests, advance } = setup();
    const first = requests.open({
      site: 'https://annas-archive.org/slow_download/x',
      url: 'https://annas-archive.org/a',
    });
    expect(first).toEqual({
      site: 'annas-archive.org',
      url: 'https://annas-archive.org/a',
      requestedAtMs: 1_000_000,
      expiresAtMs: 1_060_000,
      needsHuman: false,
      challenge: 'unknown',
      itemIds: ['a'.repeat(32)],
    });
    advance(10_000);
    // Asked again: the newest URL and a fresh lifetime, but the first time asked is kept.
    const again = requests.open({
      site: 'annas-archive.org',
      url: 'https://annas-archive.org/b',
      challenge: 'ddos-guard-captcha',
    });
    expect(again).toMatchObject({
      requestedAtMs: 1_000_000,
      expiresAtMs: 1_070_000,
      url: 'https://annas-archive.org/b',
      needsHuman: true,
    });
    requests.open({ site: 'libgen.li', url: 'https://libgen.li/ads.php' });
    expect(requests.list().map((r) => r.site)).toEqual(['annas-archive.org', 'libgen.li']);
    expect(requests.close('https://annas-archive.org/slow_download/y')).toBe(true);
    expect(requests.close('annas-archive.org')).toBe(false);
    expect(requests.list().map((r) => r.site)).toEqual(['libgen.li']);
  });

  it('drops requests once they expire', () => {
    const { requests, advance } = setup();
    requests.open({ site: 'libgen.li', url: 'https://libgen.li/ads.php' });
    advance(59_999);
    expect(requests.get('libgen.li')).toBeDefined();
    advance(1);
    expect(requests.get('libgen.li')).toBeUndefined();
    expect(requests.list()).toEqual([]);
  });

  it('survives a restart (it lives in the database)', () => {
    const { db, requests } = setup();
    requests.open({ site: 'libgen.li', url: 'https://libgen.li/ads.php' });
    const reopened = createClearanceRequests({ db, ttlMs: 60_000, now: () => 1_000_000 });
    expect(reopened.list()).toMatchObject([{ site: 'libgen.li', itemIds: [] }]);
  });

  it('marks captcha kinds as needing a person', () => {
    expect(needsHuman('ddos-guard-captcha')).toBe(true);
    expect(needsHuman('cloudflare-captcha')).toBe(true);
    expect(needsHuman('ddos-guard-js')).toBe(false);
    expect(needsHuman('cloudflare-managed')).toBe(false);
  });
});
