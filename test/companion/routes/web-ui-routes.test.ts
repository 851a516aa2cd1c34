import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurePageAssets } from '../../../companion/ui/page-assets.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

const md5 = (n: number) => n.toString(16).padStart(32, 'a');

describe('the web UI page and its routes (open mode)', () => {
  let world: World;
  let t: TestCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, {
      start: false,
      env: {
        AA_DONATOR_KEY: 'donator-secret-1234',
        HTTP_PROXY: 'http://proxyuser:proxy-pass-5678@127.0.0.1:3128',
        SOCKS5_PROXY: 'socks5://sockuser:sock-pass-9@127.0.0.1:1080',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  const call = (path: string, init: RequestInit = {}) => t.companion.app.request(path, init);

  it('serves the page uncached with a strict CSP, and its hashed assets immutable', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/i.exec(html)?.[1];
    const style = /href="(\/assets\/page-[A-Z0-9]+\.css)"/i.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await call(script as string);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // The page's budget: under 100 KB of JavaScript.
    const served = (await js.arrayBuffer()).byteLength;
    expect(served).toBeLessThan(100 * 1024);
    expect((await measurePageAssets()).scriptBytes).toBe(served);
    expect((await call(style as string)).headers.get('content-type')).toContain('text/css');
    expect((await call('/assets/main-NOPE.js')).status).toBe(404);
    // CWA-BD's path: the same page, its assets under /request.
    expect(await (await call('/request')).text()).toContain('src="/request/assets/main-');
    expect((await call(`/request${script}`)).status).toBe(200);
  });

  it('retries a failed item with the title known at queue time, and refuses to retry a queued one', async () => {
    const { store } = t.companion;
    store.enqueue({ id: md5(1), title: 'A Known Title', author: 'Someone', format: 'epub' });
    const claimed = store.claimNext(60_000);
    expect(claimed?.id).toBe(md5(1));
    store.fail(md5(1), claimed?.leaseId as string, 'All sources failed');
    expect(store.get(md5(1))?.status).toBe('error');

    const retried = await call(`/api/queue/${md5(1)}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ status: 'queued', book_id: md5(1) });
    expect(store.get(md5(1))).toMatchObject({ status: 'queued', error: null, book: { title: 'A Known Title' } });

    const again = await call(`/api/queue/${md5(1)}/retry`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: expect.stringContaining('queued') });
    expect((await call(`/api/queue/${md5(99)}/retry`, { method: 'POST' })).status).toBe(404);
    expect((await call('/api/queue/not-an-md5/retry', { method: 'POST' })).status).toBe(400);
  });

  it('removes a finished or cancelled item, never a queued one', async () => {
    const { store } = t.companion;
    store.enqueue({ id: md5(2), title: 'To Remove' });
    expect((await call(`/api/queue/${md5(2)}`, { method: 'DELETE' })).status).toBe(409);
    store.cancel(md5(2));
    const removed = await call(`/api/queue/${md5(2)}`, { method: 'DELETE' });
    expect(await removed.json()).toEqual({ status: 'removed', book_id: md5(2) });
    expect(store.get(md5(2))).toBeUndefined();
    expect((await call(`/api/queue/${md5(2)}`, { method: 'DELETE' })).status).toBe(404);
    // CWA-BD's clear route is still itself.
    expect((await call('/api/queue/clear', { method: 'DELETE' })).status).toBe(200);
  });

  it('shows the effective configuration with every secret masked', async () => {
    const res = await call('/api/settings/config');
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    for (const secret of ['donator-secret-1234', 'proxy-pass-5678', 'proxyuser', 'sock-pass-9', 'sockuser']) {
      expect(text).not.toContain(secret);
    }
    const { entries } = (await res.json()) as {
      entries: Array<{ key: string; value: string | null; secret: boolean }>;
    };
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    expect(byKey.get('annasArchive.donatorKey')).toEqual({
      key: 'annasArchive.donatorKey',
      value: '••••••',
      secret: true,
    });
    expect(byKey.get('net.httpProxy')).toEqual({
      key: 'net.httpProxy',
      value: 'http://••••••@127.0.0.1:3128',
      secret: true,
    });
    expect(byKey.get('net.socks5Proxy')?.value).toBe('socks5://••••••@127.0.0.1:1080');
    expect(byKey.get('downloads.maxConcurrent')).toEqual({ key: 'downloads.maxConcurrent', value: '2', secret: false });
  });

  it('says how much space is left in the ingest folder', async () => {
    const disk = (await (await call('/api/settings/disk')).json()) as {
      path: string;
      freeBytes: number;
      totalBytes: number;
    };
    expect(disk.path).toBe(t.ingestDir);
    expect(disk.freeBytes).toBeGreaterThan(0);
    expect(disk.totalBytes).toBeGreaterThanOrEqual(disk.freeBytes);
  });

  it('answers 404 for a cover it never saw in results, and 400 for a malformed id', async () => {
    expect((await call(`/api/covers/${md5(3)}`)).status).toBe(404);
    expect((await call('/api/covers/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });
});

describe('users and settings need an administrator (auth on)', () => {
  let world: World;
  let t: TestCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { env: { HOST: '0.0.0.0' }, start: false });
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
  const call = (path: string, authorization: string, init: RequestInit = {}) =>
    t.companion.app.request(path, {
      ...init,
      headers: { authorization, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });

  it('lets an admin add and remove users, refuses others, and keeps the last admin', async () => {
    const admin = basic('admin', t.companion.firstAdmin?.password as string);
    const added = await call('/api/users', admin, {
      method: 'POST',
      body: JSON.stringify({ name: 'reader', password: 'reader password 1' }),
    });
    expect(added.status).toBe(201);
    const reader = (await added.json()) as { id: number; name: string; isAdmin: boolean };
    expect(reader).toMatchObject({ name: 'reader', isAdmin: false });
    expect(JSON.stringify(await (await call('/api/users', admin)).json())).not.toContain('password');

    // A plain user and an API token are no administrators.
    const readerAuth = basic('reader', 'reader password 1');
    expect((await call('/api/users', readerAuth)).status).toBe(403);
    expect((await call('/api/settings/config', readerAuth)).status).toBe(403);
    const token = t.companion.tokens.create({ name: 'cron', kind: 'api' });
    if (!token.ok) throw new Error('Expected a token');
    expect((await call('/api/users', `Bearer ${token.token}`)).status).toBe(403);

    expect(
      (await call('/api/users', admin, { method: 'POST', body: JSON.stringify({ name: 'x', password: 'short' }) }))
        .status,
    ).toBe(400);
    expect((await call('/api/users', admin, { method: 'POST', body: '[]' })).status).toBe(400);

    const adminId = t.companion.users.list().find((user) => user.name === 'admin')?.id as number;
    expect((await call(`/api/users/${adminId}`, admin, { method: 'DELETE' })).status).toBe(409);
    expect((await call(`/api/users/${reader.id}`, admin, { method: 'DELETE' })).status).toBe(200);
    expect((await call(`/api/users/${reader.id}`, admin, { method: 'DELETE' })).status).toBe(404);
    expect((await call('/api/users/abc', admin, { method: 'DELETE' })).status).toBe(400);
    expect(t.companion.users.list().map((user) => user.name)).toEqual(['admin']);
  });
});
