import { readFileSync } from 'node:fs';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChallengeError,
  HostNotAllowedError,
  isCompanionError,
  TimeoutError,
  UpstreamNetworkError,
} from '../../../companion/errors.js';
import { DEFAULT_USER_AGENT } from '../../../companion/net/browser-headers.js';
import { migrateClearance } from '../../../companion/net/clearance-schema.js';
import { type ClearanceStore, createClearanceStore } from '../../../companion/net/clearance-store.js';
import { createHttpClient } from '../../../companion/net/create-http-client.js';
import { createHostGuard } from '../../../companion/net/host-guard.js';
import type { HttpClient } from '../../../companion/net/http-client.js';
import { type LocalServer, startLocalServer } from '../../helpers/net-test-server.js';

const cfChallenge = readFileSync(
  new URL('../../fixtures/real/challenge/kxz69web__cf_managed_just_a_moment_2025-02-24.html', import.meta.url),
);
const aaPage = readFileSync(
  new URL('../../fixtures/real/aa_other/dorenwick__aa_homepage_not_a_challenge_2025-08.html', import.meta.url),
);
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('Expected the promise to reject');
}

let upstream: LocalServer;
let other: LocalServer;
let client: HttpClient;
let store: ClearanceStore;
let db: Database.Database;

beforeAll(async () => {
  other = await startLocalServer((_req, res) => res.end('other host'));
  upstream = await startLocalServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/page':
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return void res.end(aaPage);
      case '/gzip':
        res.setHeader('content-encoding', 'gzip');
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        return void res.end(gzipSync('squeezed ✓'));
      case '/zstd':
        // Served only to a client that offers zstd, as Chrome does (Node 24's zlib decodes it).
        if (!/\bzstd\b/.test(req.headers['accept-encoding'] ?? '')) return void res.end('zstd not offered');
        res.setHeader('content-encoding', 'zstd');
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        return void res.end(zstdCompressSync('squeezed harder ✓'));
      case '/hop':
        res.statusCode = 302;
        res.setHeader(
          'location',
          url.searchParams.get('n') === '3' ? '/page' : `/hop?n=${Number(url.searchParams.get('n') ?? 0) + 1}`,
        );
        return void res.end();
      case '/probe':
        // DDoS-Guard's probe: first visit sets a cookie and bounces through ?check=1, which needs that cookie.
        if (url.searchParams.has('check')) {
          res.statusCode = 302;
          res.setHeader('location', (req.headers.cookie ?? '').includes('__ddg1_=probe') ? '/page' : '/probe');
          return void res.end();
        }
        res.statusCode = 302;
        res.setHeader('set-cookie', '__ddg1_=probe; Path=/; HttpOnly');
        res.setHeader('location', '/probe?check=1');
        return void res.end();
      case '/loop':
        res.statusCode = 302;
        res.setHeader('location', url.searchParams.has('check') ? '/loop' : '/loop?check=1');
        return void res.end();
      case '/elsewhere':
        res.statusCode = 301;
        res.setHeader('location', `${other.origin}/x`);
        return void res.end();
      case '/challenge':
        res.statusCode = 403;
        res.setHeader('content-type', 'text/html; charset=UTF-8');
        return void res.end(cfChallenge);
      case '/forbidden':
        res.statusCode = 403;
        return void res.end('<html><title>403 Forbidden</title></html>');
      case '/big-403':
        res.statusCode = 403;
        return void res.end(Buffer.alloc(700 * 1024, 'a'));
      case '/slow-headers':
        return void setTimeout(() => res.end('late'), 5_000).unref();
      case '/slow-body':
        res.write('first part');
        return void setTimeout(() => res.end('rest'), 5_000).unref();
      case '/echo':
        res.setHeader('content-type', 'application/json');
        return void res.end(JSON.stringify(req.headers));
      default:
        res.statusCode = 404;
        res.end('not found');
    }
  });
});

afterAll(async () => {
  await upstream.close();
  await other.close();
});

beforeEach(async () => {
  await client?.close();
  db?.close();
  db = new Database(':memory:');
  migrateClearance(db);
  store = createClearanceStore({ db });
  client = createHttpClient({
    clearance: store,
    hostGuard: createHostGuard(() => [upstream.origin, other.origin]),
    headersTimeoutMs: 1_000,
    bodyTimeoutMs: 1_000,
  });
});

describe('createHttpClient', () => {
  it('sends browser-like headers with a real Chrome UA and reads pages as text', async () => {
    const res = await client.request(`${upstream.origin}/echo`);
    const headers = JSON.parse(await res.text()) as Record<string, string>;
    expect(headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(headers['user-agent']).toMatch(/Chrome\/\d+\.0\.0\.0 Safari\/537\.36$/);
    expect(headers.accept).toMatch(/^text\/html,/);
    expect(headers['accept-language']).toBe('en-US,en;q=0.9');
    expect(headers['sec-fetch-mode']).toBe('navigate');
    expect(headers.cookie).toBeUndefined();
    const page = await client.request(`${upstream.origin}/page`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(aaPage.toString('utf8'));
  });

  it('keeps connections alive between requests', async () => {
    const before = upstream.requests.length;
    for (let i = 0; i < 3; i++) await (await client.request(`${upstream.origin}/page`)).dump();
    for (let i = 0; i < 3; i++) await (await client.request(`${upstream.origin}/echo`)).text();
    const ports = new Set(upstream.requests.slice(before).map((req) => req.remotePort));
    // undici may open a second socket while the first is being released, but six requests never need six.
    expect(ports.size).toBeLessThanOrEqual(2);
  });

  it('decodes gzip bodies', async () => {
    expect(await (await client.request(`${upstream.origin}/gzip`)).text()).toBe('squeezed ✓');
  });

  it('offers zstd like Chrome and decodes zstd bodies', async () => {
    expect(await (await client.request(`${upstream.origin}/zstd`)).text()).toBe('squeezed harder ✓');
  });

  it('follows redirects itself and reports the final URL', async () => {
    const res = await client.request(`${upstream.origin}/hop`);
    expect(res.url).toBe(`${upstream.origin}/page`);
    expect(res.status).toBe(200);
    await res.dump();
    const raw = await client.request(`${upstream.origin}/hop`, { maxRedirects: 0 });
    expect(raw.status).toBe(302);
    expect(raw.headers.location).toBe('/hop?n=1');
  });

  it('echoes cookies set during same-host redirects on the next hop', async () => {
    const res = await client.request(`${upstream.origin}/probe`);
    expect(res.url).toBe(`${upstream.origin}/page`);
    await res.dump();
  });

  it('breaks a same-host ?check=1 loop as a redirect-loop challenge and purges clearance', async () => {
    store.put({ site: '127.0.0.1', cookies: [{ name: '__ddg1_', value: 'stale' }], userAgent: UA, source: 'headless' });
    const err = await caught(client.request(`${upstream.origin}/loop`));
    expect(isCompanionError(err, ChallengeError)).toBe(true);
    expect(err).toMatchObject({ kind: 'redirect-loop', site: '127.0.0.1' });
    expect(store.get('127.0.0.1')).toBeUndefined();
    expect(store.status()[0]?.lastPurgeReason).toBe('redirect-loop while presenting clearance');
  });

  it('checks every redirect hop against the host guard', async () => {
    const guarded = createHttpClient({ hostGuard: createHostGuard(() => [upstream.origin]) });
    const err = await caught(guarded.request(`${upstream.origin}/elsewhere`));
    expect(isCompanionError(err, HostNotAllowedError)).toBe(true);
    expect(other.requests).toHaveLength(0);
    await guarded.close();
    const res = await client.request(`${upstream.origin}/elsewhere`);
    expect(await res.text()).toBe('other host');
  });

  it('replays stored clearance with the exact UA and client hints that earned it', async () => {
    store.put({
      site: upstream.origin,
      cookies: [
        { name: 'cf_clearance', value: 'earned' },
        { name: '__ddg9_', value: '203.0.113.7' },
      ],
      userAgent: UA,
      clientHints: { 'sec-ch-ua-platform': '"Linux"' },
      acceptLanguage: 'de-DE,de;q=0.9',
      source: 'extension',
    });
    const res = await client.request(`${upstream.origin}/echo`, { headers: { Cookie: 'mine=1' } });
    const headers = JSON.parse(await res.text()) as Record<string, string>;
    expect(headers.cookie).toBe('mine=1; cf_clearance=earned');
    expect(headers['user-agent']).toBe(UA);
    expect(headers['sec-ch-ua-platform']).toBe('"Linux"');
    expect(headers['sec-ch-ua']).toBeUndefined();
    expect(headers['accept-language']).toBe('de-DE,de;q=0.9');
  });

  it('turns a real Cloudflare wall into a ChallengeError and drops the cookies it rejected', async () => {
    store.put({
      site: '127.0.0.1',
      cookies: [{ name: 'cf_clearance', value: 'dead' }],
      userAgent: UA,
      source: 'headless',
    });
    const err = await caught(client.request(`${upstream.origin}/challenge`));
    expect(isCompanionError(err, ChallengeError)).toBe(true);
    expect(err).toMatchObject({ kind: 'cloudflare-managed', site: '127.0.0.1' });
    expect(store.get('127.0.0.1')).toBeUndefined();
  });

  it('returns a plain 403 as a response with its body intact, even past the peek window', async () => {
    const res = await client.request(`${upstream.origin}/forbidden`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('403 Forbidden');
    const big = await client.request(`${upstream.origin}/big-403`);
    expect((await big.text()).length).toBe(700 * 1024);
  });

  it('bounds text() for pages', async () => {
    const small = createHttpClient({ maxTextBytes: 1024 });
    const err = await caught((await small.request(`${upstream.origin}/page`)).text());
    expect(isCompanionError(err, UpstreamNetworkError)).toBe(true);
    await small.close();
  });

  it('exposes the body as a stream for files', async () => {
    const res = await client.request(`${upstream.origin}/page`);
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(aaPage.length);
  });

  it('times out waiting for headers and for a stalled body', async () => {
    const headersErr = await caught(client.request(`${upstream.origin}/slow-headers`, { headersTimeoutMs: 200 }));
    expect(isCompanionError(headersErr, TimeoutError)).toBe(true);
    expect((headersErr as Error).message).toMatch(/headers/);
    const res = await client.request(`${upstream.origin}/slow-body`, { bodyTimeoutMs: 200 });
    const bodyErr = await caught(res.text());
    expect(isCompanionError(bodyErr, TimeoutError)).toBe(true);
  });

  it('aborts with the caller’s reason', async () => {
    const controller = new AbortController();
    const pending = client.request(`${upstream.origin}/slow-headers`, { signal: controller.signal });
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 50);
    expect(await caught(pending)).toBe(reason);
  });

  it('reports refused connections as UpstreamNetworkError with the secret query redacted', async () => {
    const closed = await startLocalServer((_req, res) => res.end());
    const origin = closed.origin;
    await closed.close();
    const bare = createHttpClient();
    const err = await caught(bare.request(`${origin}/dyn/api/fast_download.json?md5=abc&key=SECRETKEY`));
    expect(isCompanionError(err, UpstreamNetworkError)).toBe(true);
    expect((err as Error).message).toContain('key=***');
    expect((err as Error).message).not.toContain('SECRETKEY');
    await bare.close();
  });
});
