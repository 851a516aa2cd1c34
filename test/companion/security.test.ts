import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

const md5 = '0123456789abcdef0123456789abcdef';
const PUBLIC = new Set(['/health', '/auth/login', '/auth/logout', '/pair']);

/** Every concrete API route of the app (middleware entries and the second prefix folded away). */
function routeTable(t: TestCompanion): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of t.companion.app.routes) {
    if (route.method === 'ALL' || !route.path.startsWith('/api/')) continue;
    const key = `${route.method} ${route.path}`;
    seen.set(key, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

const concrete = (p: string) => p.replace(/:id\b/g, md5);

function listTree(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? [full, ...listTree(full)] : [full];
  });
}

describe('auth and hostile input across the whole route table', () => {
  let world: World;
  let t: TestCompanion;
  let basic: string;
  let bearer: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
    await t.companion.users.create({ name: 'reader', password: 'correct horse battery' });
    basic = `Basic ${Buffer.from('reader:correct horse battery').toString('base64')}`;
    const created = t.companion.tokens.create({ name: 'fuzzer', kind: 'api' });
    if (!created.ok) throw new Error(created.error.detail);
    bearer = `Bearer ${created.token}`;
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('finds the CWA-BD routes in the table', () => {
    const paths = routeTable(t).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /api/search',
        'GET /api/status',
        'DELETE /api/download/:id/cancel',
        'POST /api/clearance',
      ]),
    );
  });

  it('every route but health, login and pairing answers 401 without credentials, under both prefixes', async () => {
    const routes = routeTable(t).filter((r) => !PUBLIC.has(r.path.replace(/^\/api/, '')));
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      for (const prefix of ['/api', '/request/api']) {
        const url = concrete(route.path).replace(/^\/api/, prefix);
        const res = await t.companion.app.request(url, { method: route.method });
        expect({ url, method: route.method, status: res.status }).toEqual({ url, method: route.method, status: 401 });
        expect(await res.json()).toMatchObject({ error: 'Unauthorized' });
      }
    }
  });

  it('credentials open the same routes', async () => {
    const res = await t.companion.app.request('/api/status', { headers: { authorization: basic } });
    expect(res.status).toBe(200);
    const wrong = await t.companion.app.request('/api/status', {
      headers: { authorization: `Basic ${Buffer.from('reader:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect((await t.companion.app.request('/api/health')).status).toBe(200);
  });

  it('fuzzed values never cause a 5xx or touch files outside DATA_DIR and INGEST_DIR', async () => {
    const root = path.dirname(t.dataDir);
    const outside = () => listTree(root).filter((p) => !p.startsWith(t.dataDir) && !p.startsWith(t.ingestDir));
    const before = outside();
    const hostile: unknown[] = [
      '',
      'x'.repeat(100_000),
      '../../../../etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      'a\u0000b',
      '\u202e\u0000\uffff😀',
      '<script>alert(1)</script>',
      '-1',
      '1e309',
      'NaN',
      '0x10',
      '9'.repeat(40),
      md5.toUpperCase(),
    ];
    const bodies: unknown[] = [null, [], 42, 'str', { priority: [] }, { book_priorities: { [md5]: {} } }, { site: 1 }];
    const failures: string[] = [];
    for (const route of routeTable(t)) {
      for (const value of hostile) {
        const v = encodeURIComponent(String(value));
        const url = `${route.path.replace(/:id\b/g, v)}?id=${v}&query=${v}&priority=${v}&isbn=${v}&sort=${v}&lang=${v}`;
        for (const body of [...bodies, value]) {
          // A token, not Basic: scrypt per request would make the fuzz slow, not stronger.
          const init: RequestInit = {
            method: route.method,
            headers: { authorization: bearer, 'content-type': 'application/json' },
          };
          if (route.method !== 'GET' && route.method !== 'HEAD') init.body = JSON.stringify(body);
          const res = await t.companion.app.request(url, init);
          if (res.status >= 500) failures.push(`${route.method} ${url.slice(0, 120)} → ${res.status}`);
          if (res.headers.get('content-type')?.includes('json') && res.status >= 400) {
            const json = (await res.json()) as { error?: unknown };
            if (typeof json.error !== 'string') failures.push(`${route.method} ${url.slice(0, 80)}: no error string`);
          } else await res.body?.cancel();
          if (route.method === 'GET' && route.path.endsWith('/events')) break;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(outside()).toEqual(before);
  }, 120_000);

  it('no route answers a rebound host name (DNS rebinding), with or without credentials', async () => {
    for (const route of routeTable(t)) {
      for (const authorization of [undefined, bearer]) {
        const url = `http://evil.example:8084${concrete(route.path)}`;
        const res = await t.companion.app.request(url, {
          method: route.method,
          headers: authorization ? { authorization } : {},
        });
        expect({ url, method: route.method, status: res.status }).toEqual({ url, method: route.method, status: 421 });
        expect(await res.json()).toMatchObject({ code: 'forbidden' });
      }
    }
    expect((await t.companion.app.request('http://evil.example/')).status).toBe(421);
  });
});
