import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCookieHeader, MAX_COOKIE_LIFETIME_MS } from '../../../companion/net/clearance-cookies.js';
import { migrateClearance } from '../../../companion/net/clearance-schema.js';
import { createClearanceStore } from '../../../companion/net/clearance-store.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const good = { name: 'cf_clearance', value: 'abc.DEF-123_x=' };

describe('POST /api/clearance refuses hostile values and never lets them break a site', () => {
  let world: World;
  let t: TestCompanion;
  const post = (body: unknown) =>
    t.companion.app.request('/api/clearance', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('hostile cookies, User-Agents and hints are a 400; the stored clearance stays as it was', async () => {
    expect((await post({ site: '127.0.0.1', cookies: [good], userAgent: UA })).status).toBe(200);
    const before = t.companion.clearance.cookieHeader('127.0.0.1');
    expect(before).toBe(`cf_clearance=${good.value}`);
    const cookie = (over: Record<string, unknown>) => ({
      site: '127.0.0.1',
      cookies: [{ ...good, ...over }],
      userAgent: UA,
    });
    const hostile: unknown[] = [
      cookie({ name: 'a\r\nX-Injected: 1' }),
      cookie({ name: 'a\u0000b' }),
      cookie({ name: 'a;b' }),
      cookie({ name: 'a b' }),
      cookie({ name: 'a=b' }),
      cookie({ name: 'ä' }),
      cookie({ value: 'v\r\nX-Injected: 1' }),
      cookie({ value: 'v\u0000' }),
      cookie({ value: 'v; admin=1' }),
      cookie({ value: 'v,w' }),
      cookie({ value: 'a b' }),
      cookie({ value: 'back\\slash' }),
      cookie({ value: '"unbalanced' }),
      cookie({ value: 'x'.repeat(5000) }),
      cookie({ domain: 'evil\r\n' }),
      cookie({ path: '/;x' }),
      cookie({ expires: 'soon\n' }),
      { site: '127.0.0.1', cookies: [good], userAgent: 'Mozilla/5.0\r\nX-Injected: 1' },
      { site: '127.0.0.1', cookies: [good], userAgent: 'Mozilla/5.0\u0000 (X11)' },
      { site: '127.0.0.1', cookies: [good], userAgent: ' Mozilla/5.0 leading space' },
      { site: '127.0.0.1', cookies: [good], userAgent: `Mozilla/5.0 ${'x'.repeat(2000)}` },
      { site: '127.0.0.1', cookies: [good], userAgent: 'Mozilla/5.0 (X11) ☃' },
      { site: '127.0.0.1', cookies: [good], userAgent: UA, clientHints: { 'sec-ch-ua': 'a\r\nb' } },
      { site: '127.0.0.1', cookies: [good], userAgent: UA, clientHints: { 'x-forwarded-for': '1.2.3.4' } },
      { site: '127.0.0.1', cookies: [good], userAgent: UA, acceptLanguage: 'en\r\nX: 1' },
      { site: '127.0.0.1\r\n', cookies: [good], userAgent: UA },
      { site: '127.0.0.1', cookies: [{ name: '__ddg9_', value: '203.0.113.7' }], userAgent: UA },
    ];
    for (const body of hostile) {
      const res = await post(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(await res.json()).toMatchObject({ error: expect.stringMatching(/^Invalid clearance/) });
    }
    expect(t.companion.clearance.cookieHeader('127.0.0.1')).toBe(before);
  });

  it('one odd site cookie is left out, not the whole hand-off; expiries are capped', async () => {
    const res = await post({
      site: '127.0.0.1',
      userAgent: UA,
      cookies: [
        { ...good, expirationDate: 1e308 },
        { name: 'prefs', value: '{"a": 1, "b": 2}' },
        { name: 'lang', value: 'en' },
      ],
    });
    expect(res.status).toBe(200);
    const stored = (await res.json()) as { cookies: number; dropped: number; expiresAtMs: number };
    expect(stored).toMatchObject({ cookies: 2, dropped: 1 });
    expect(Number.isFinite(stored.expiresAtMs)).toBe(true);
    expect(stored.expiresAtMs).toBeLessThanOrEqual(Date.now() + MAX_COOKIE_LIFETIME_MS);
    expect(t.companion.clearance.cookieHeader('127.0.0.1')).toBe(`cf_clearance=${good.value}; lang=en`);
  });
});

describe('a record stored before the checks never breaks requests', () => {
  it('an unusable stored record reads as none; invalid cookies are left out of the Cookie header', () => {
    const db = new Database(':memory:');
    migrateClearance(db);
    const store = createClearanceStore({ db });
    const insert = db.prepare(
      `INSERT INTO clearance (site, cookies, user_agent, source, earned_at_ms, expires_at_ms) VALUES (?, ?, ?, 'extension', ?, ?)`,
    );
    const later = Date.now() + 3_600_000;
    insert.run('bad-ua.example', JSON.stringify([good]), 'Mozilla\r\nX: 1', Date.now(), later);
    insert.run('bad-json.example', '{not json', UA, Date.now(), later);
    insert.run(
      'mixed.example',
      JSON.stringify([good, { name: 'evil', value: 'x\r\nX-Injected: 1' }, { name: 'a;b', value: '1' }]),
      UA,
      Date.now(),
      later,
    );
    expect(store.get('bad-ua.example')).toBeUndefined();
    expect(store.get('bad-json.example')).toBeUndefined();
    expect(store.status().find((s) => s.site === 'bad-ua.example')).toMatchObject({
      hasClearance: false,
      lastPurgeReason: 'unusable record',
    });
    expect(store.cookieHeader('mixed.example')).toBe(`cf_clearance=${good.value}`);
    expect(formatCookieHeader([good, { name: 'x', value: 'a\nb' }])).toBe(`cf_clearance=${good.value}`);
    // A solver (say, a hostile FlareSolverr) handing back a broken User-Agent stores nothing; the old record stays.
    expect(() =>
      store.put({ site: 'mixed.example', cookies: [good], userAgent: 'Mozilla\r\nX: 1', source: 'external' }),
    ).toThrow(/User-Agent/);
    expect(store.cookieHeader('mixed.example')).toBe(`cf_clearance=${good.value}`);
    db.close();
  });
});
