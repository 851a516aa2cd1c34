import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChallengeError, isCompanionError } from '../../../companion/errors.js';
import { readSearchPath } from '../../../companion/sources/mirrors.js';
import { mirrorDiagnosticsResponse } from '../../../shared/api.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World, type WorldBook } from '../../world/index.js';
import { createHarness, type Harness, walkCandidates } from './annas-archive/source-harness.js';

let world: World;
let harness: Harness | undefined;
let t: TestCompanion | undefined;

beforeAll(async () => {
  // aa-mirror-0 serves search at /s/?q= (and 404s /search), as one 2026 mirror does.
  world = await startWorld({ countdownSeconds: 0, aaMirrorSearchPaths: ['/s/'] });
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(async () => {
  world.gates.unprotect();
  world.faults.clear();
  await harness?.close();
  harness = undefined;
  await t?.close();
  t = undefined;
});

const sMirror = () => world.origins.aaMirrors[0] as string;
const epub = (): WorldBook => world.books.find((b) => b.format === 'epub' && b.language === 'en') as WorldBook;

describe('a mirror that serves search at /s/?q=', () => {
  it('is learned from the first search that 404s /search, and asked at /s/ from then on', async () => {
    harness = createHarness(world, { baseUrl: sMirror(), mirrorUrls: [sMirror()] });
    const book = epub();
    const first = await harness.source.search({ query: book.title });
    expect(first.map((r) => r.id)).toContain(book.md5);
    const second = await harness.source.search({ query: book.author });
    expect(second.map((r) => r.id)).toContain(book.md5);
    expect(world.counters.count({ origin: 'aa-mirror-0', path: '/search' })).toBe(1);
    expect(world.counters.count({ origin: 'aa-mirror-0', path: '/s/' })).toBe(2);
    expect(harness.source.mirrorStatus()).toEqual([
      { site: "Anna's Archive", url: sMirror(), state: 'ok', searchPath: '/s/', inUse: true },
    ]);
  });

  it('is learned by the mirror probe from the home page’s search form, before any search', async () => {
    harness = createHarness(world, { baseUrl: 'auto', mirrorUrls: [sMirror()] });
    const book = epub();
    expect((await harness.source.search({ query: book.title })).map((r) => r.id)).toContain(book.md5);
    expect(world.counters.count({ origin: 'aa-mirror-0', path: '/' })).toBe(1);
    expect(world.counters.count({ origin: 'aa-mirror-0', path: '/search' })).toBe(0);
  });

  it('readSearchPath reads the search form of the real home page and ignores other forms', () => {
    expect(readSearchPath('<form class="x" action="/search" method="get" role="search">')).toBe('/search');
    expect(readSearchPath('<form action="/scidb/" method="get"><form role="search" action="/s/">')).toBe('/s/');
    expect(readSearchPath('<form role="search" action="https://evil.example/s/">')).toBeUndefined();
    expect(readSearchPath('<p>no form</p>')).toBeUndefined();
  });
});

describe('DDoS-Guard in front of /search and /md5/ (302 → ?check=1 → 403)', () => {
  const gateAll = () => {
    for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) {
      for (const pathPrefix of ['/search', '/md5/', '/s/']) {
        world.gates.protect({ origin, pathPrefix, kind: 'ddos-guard', mode: 'check-redirect' });
      }
    }
  };

  it('the world answers 302 → ?check=1, then the 403 check page', async () => {
    gateAll();
    const first = await fetch(`${world.origins.aa}/search?q=x`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/search?q=x&check=1');
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const second = await fetch(`${world.origins.aa}/search?q=x&check=1`, { redirect: 'manual', headers: { cookie } });
    expect(second.status).toBe(403);
    expect(second.headers.get('server')).toBe('ddos-guard');
  });

  it('with a member key the fast download (not challenged) still comes first; the gated pages are not needed', async () => {
    gateAll();
    harness = createHarness(world, { donatorKey: 'world-donator-key' });
    const search = await harness.source.search({ query: 'anything' }).catch((err: unknown) => err);
    expect(isCompanionError(search, ChallengeError)).toBe(true);
    const book = epub();
    const walk = await walkCandidates(harness.source, { id: book.md5, title: book.title });
    expect(walk.candidates[0]?.label).toBe("Anna's Archive fast download");
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/md5/' })).toBe(0);
    const [aa] = harness.source.mirrorStatus();
    // The search's failure is shown for the mirror; the fast API's success cleared it.
    expect(aa).toMatchObject({ url: world.origins.aa, state: 'ok', searchPath: '/search', inUse: true });
  });
});

describe('GET /api/diagnostics/mirrors', () => {
  it('lists each configured mirror: answering or parked, its search path and last failure', async () => {
    t = await startTestCompanion(world, { start: false });
    const get = async () => {
      const res = await (t as TestCompanion).companion.app.request('/api/diagnostics/mirrors');
      expect(res.status).toBe(200);
      const { mirrors } = mirrorDiagnosticsResponse.parse(await res.json());
      // The built-in public mirrors are listed too; this test looks at the world's.
      const local = [world.origins.aa, ...world.origins.aaMirrors];
      return { mirrors: mirrors.filter((m) => local.includes(m.url)) };
    };
    const before = await get();
    expect(before.mirrors.map((m) => [m.url, m.state, m.searchPath, m.inUse])).toEqual([
      [world.origins.aa, 'ok', '/search', true],
      [world.origins.aaMirrors[0], 'ok', '/search', false],
      [world.origins.aaMirrors[1], 'ok', '/search', false],
    ]);
    // AA answers 429 with Retry-After: parked; the search fails over to the /s/ mirror and learns its path.
    world.faults.set({ origin: 'aa', path: '/search' }, { kind: 'status', status: 429, retryAfterSeconds: 120 });
    const res = await t.companion.app.request(`/api/search?query=${encodeURIComponent(epub().title)}`);
    expect(res.status).toBe(200);
    const after = await get();
    const [aa, s] = after.mirrors;
    expect(aa).toMatchObject({ url: world.origins.aa, state: 'parked', inUse: false });
    expect(aa?.parkedUntil).toBeGreaterThan(Date.now() + 60_000);
    expect(aa?.lastError).toMatch(/HTTP 429/);
    expect(s).toMatchObject({ url: sMirror(), state: 'ok', searchPath: '/s/', inUse: true });
    expect(s?.lastError).toBeUndefined();
  });
});
