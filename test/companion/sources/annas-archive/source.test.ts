import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostNotAllowedError, isCompanionError } from '../../../../companion/errors.js';
import { startWorld, type World, type WorldBook } from '../../../world/index.js';
import { caught, createHarness, type Harness, md5OfCandidate, walkCandidates } from './source-harness.js';

let world: World;
let harness: Harness | undefined;

beforeAll(async () => {
  world = await startWorld({ countdownSeconds: 1 });
});
afterAll(() => world.close());
beforeEach(() => {
  world.reset();
  world.setCountdownSeconds(1);
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function use(overrides: Parameters<typeof createHarness>[1] = {}): Harness {
  harness = createHarness(world, overrides);
  return harness;
}

function firstBook(): WorldBook {
  const book = world.books.find((b) => b.format === 'epub' && b.language === 'en');
  if (!book) throw new Error('Expected an English epub in the world catalogue');
  return book;
}

describe('search → details → candidates → bytes', () => {
  it('finds the book, reads its record, waits out the countdown and yields a URL with the exact bytes', async () => {
    const { source, client } = use();
    const book = firstBook();

    const results = await source.search({ query: book.title });
    const hit = results.find((result) => result.id === book.md5);
    expect(hit).toMatchObject({ id: book.md5, title: book.title, author: book.author, format: 'epub' });

    const details = await source.details(book.md5);
    expect(details).toMatchObject({ id: book.md5, title: book.title, author: book.author, format: 'epub' });
    expect(details?.download_urls?.some((url) => url.includes(`/slow_download/${book.md5}/`))).toBe(true);

    const walk = await walkCandidates(source, details ?? { id: book.md5, title: book.title });
    expect(walk.error).toBeUndefined();
    const [candidate] = walk.candidates;
    // AA lists "no waitlist" servers from #5 on; the first of them is tried first.
    expect(candidate).toMatchObject({ label: "Anna's Archive slow partner #5", site: '127.0.0.1' });
    expect(candidate?.url.startsWith(`${world.origins.partner}/file/${book.md5}/`)).toBe(true);
    expect(candidate?.headers?.referer).toBe(`${world.origins.aa}/slow_download/${book.md5}/0/4`);
    expect(walk.statuses).toContain("Waiting 1 s for Anna's Archive partner #5");
    // The countdown page was loaded twice (wait, then link); nothing past the first option was asked for.
    expect(world.counters.count({ origin: 'aa', path: `/slow_download/${book.md5}/0/4` })).toBe(2);
    expect(world.counters.count({ origin: 'libgen' })).toBe(0);
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/slow_download/' })).toBe(2);

    expect(await md5OfCandidate(client, candidate as NonNullable<typeof candidate>)).toBe(book.md5);
  });

  it('resolves the next option only when asked, in CWA-BD order', async () => {
    world.setCountdownSeconds(0);
    const { source } = use({ libgenMirrors: [world.origins.libgen] });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title }, 6);
    expect(walk.candidates.map((c) => c.label)).toEqual([
      "Anna's Archive slow partner #5",
      "Anna's Archive slow partner #6",
      "Anna's Archive slow partner #7",
      "Anna's Archive slow partner #8",
      'libgen',
      "Anna's Archive slow partner #1",
    ]);
    expect(world.counters.count({ origin: 'libgen', path: '/ads.php' })).toBe(1);
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/md5/' })).toBe(1);
  });

  it('returns [] for a search without results and undefined for unknown or malformed ids', async () => {
    const { source } = use();
    expect(await source.search({ query: 'zzznoresults at all' })).toEqual([]);
    expect(await source.details('0'.repeat(32))).toBeUndefined();
    expect(await source.details('../../etc/passwd')).toBeUndefined();
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/md5/' })).toBe(1);
  });

  it('sorts results by the position of their format in the supported formats', async () => {
    const { source } = use({ formats: ['mobi', 'epub'], languages: ['all'] });
    const results = await source.search({ query: '' });
    const formats = results.map((r) => r.format);
    expect(formats.length).toBeGreaterThan(1);
    expect(formats).toEqual([...formats].sort((a, b) => (a === 'mobi' ? -1 : 0) - (b === 'mobi' ? -1 : 0)));
  });
});

describe('donator fast API', () => {
  it('with a valid key, the fast download comes first and no countdown is visited', async () => {
    const { source, client, logs } = use({ donatorKey: 'world-donator-key' });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title });
    expect(walk.candidates[0]?.label).toBe("Anna's Archive fast download");
    expect(await md5OfCandidate(client, walk.candidates[0] as NonNullable<(typeof walk.candidates)[0]>)).toBe(book.md5);
    expect(world.counters.count({ origin: 'aa', path: '/dyn/api/fast_download.json' })).toBe(1);
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/slow_download/' })).toBe(0);
    expect([...logs, ...walk.statuses].join('\n')).not.toContain('world-donator-key');
  });

  it.each([
    ['a wrong key', 'wrong-secret-key-4242', 'was rejected (invalid secret key)'],
    ['a non-member key', 'world-non-member-key', 'is not a member'],
  ])('with %s, says why and moves on to the slow servers without leaking the key', async (_name, key, reason) => {
    world.setCountdownSeconds(0);
    const { source, logs } = use({ donatorKey: key });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title });
    expect(walk.statuses.some((s) => s.startsWith("Anna's Archive fast download: ") && s.includes(reason))).toBe(true);
    expect(walk.candidates[0]?.label).toBe("Anna's Archive slow partner #5");
    expect([...logs, ...walk.statuses].join('\n')).not.toContain(key);
  });

  it('a refused key with nothing else to try ends with that reason, not only "no source" (never the key)', async () => {
    world.gates.protect({ origin: 'aa', pathPrefix: '/md5/', kind: 'ddos-guard' });
    try {
      const key = 'wrong-secret-key-4242';
      const { source, logs } = use({ donatorKey: key });
      const book = firstBook();
      const walk = await walkCandidates(source, { id: book.md5, title: book.title });
      expect(walk.candidates).toEqual([]);
      const message = (walk.error as Error | undefined)?.message ?? '';
      expect(message).toBe(
        'No download source was found for this book. The Anna’s Archive member key was rejected (invalid secret key) (AA_DONATOR_KEY)',
      );
      expect([...logs, ...walk.statuses, message].join('\n')).not.toContain(key);
    } finally {
      world.gates.unprotect();
    }
  });

  it('a used-up quota is a clear message, not a parked AA host', async () => {
    const quota = await startWorld({ countdownSeconds: 0, fastDownloadsPerDay: 0 });
    const local = createHarness(quota, { donatorKey: 'world-donator-key' });
    try {
      const book = quota.books[0] as WorldBook;
      const walk = await walkCandidates(local.source, { id: book.md5, title: book.title });
      expect(walk.statuses).toContain("Anna's Archive fast download: No fast downloads left today on this membership");
      expect(walk.candidates[0]?.label).toMatch(/^Anna's Archive slow partner #/);
      expect(local.source.parking.parkedUntil(quota.origins.aa)).toBeUndefined();
    } finally {
      await local.close();
      await quota.close();
    }
  });
});

describe('libgen, Welib and Z-Library', () => {
  // The world serves libgen and Z-Library on 127.0.0.1, which the record-page parser does not recognise as those
  // sites (it classifies external links by host name), so these tests configure the mirror lists.
  it('libgen: ads.php → get.php with its key, failing over from a dead mirror, streaming the exact bytes', async () => {
    const dead = await startWorld({ aaMirrorCount: 0 });
    const deadLibgen = dead.origins.libgen;
    await dead.close();
    const { source, client } = use({ priority: ['libgen'], libgenMirrors: [deadLibgen, world.origins.libgen] });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title });
    expect(walk.candidates[0]?.label).toBe('libgen');
    expect(walk.candidates[0]?.url).toMatch(
      new RegExp(`^${world.origins.libgen}/get\\.php\\?md5=${book.md5}&key=[A-Z0-9]{16}$`),
    );
    expect(await md5OfCandidate(client, walk.candidates[0] as NonNullable<(typeof walk.candidates)[0]>)).toBe(book.md5);
    // The AA record page was not needed.
    expect(world.counters.count({ origin: 'aa' })).toBe(0);
  });

  it('Welib (an AA clone) through its own countdown pages', async () => {
    const welib = world.origins.aaMirrors[1] as string;
    const { source, client } = use({ priority: ['welib'], welibMirrors: [welib] });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title });
    expect(walk.candidates[0]?.label).toBe('Welib partner #5');
    expect(walk.statuses).toContain('Waiting 1 s for Welib partner #5');
    expect(world.counters.count({ origin: 'aa-mirror-1', pathPrefix: '/slow_download/' })).toBe(2);
    expect(await md5OfCandidate(client, walk.candidates[0] as NonNullable<(typeof walk.candidates)[0]>)).toBe(book.md5);
  });

  it('PRIORITIZE_WELIB puts Welib first, ALLOW_USE_WELIB=false drops it', async () => {
    world.setCountdownSeconds(0);
    const welib = world.origins.aaMirrors[1] as string;
    const book = firstBook();
    const first = await walkCandidates(use({ welibMirrors: [welib], prioritizeWelib: true }).source, {
      id: book.md5,
      title: book.title,
    });
    expect(first.candidates[0]?.label).toBe('Welib partner #5');
    await harness?.close();
    const off = use({
      welibMirrors: [welib],
      libgenMirrors: [world.origins.libgen],
      prioritizeWelib: true,
      allowWelib: false,
      priority: ['welib', 'libgen'],
    });
    const second = await walkCandidates(off.source, { id: book.md5, title: book.title });
    expect(second.candidates[0]?.label).toMatch(/^libgen/);
  });

  it('Z-Library: the book page download button', async () => {
    const { source } = use({ priority: ['zlib'], zlibMirrors: [world.origins.zlib] });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title });
    expect(walk.candidates[0]?.url).toBe(`${world.origins.zlib}/dl/${book.md5}/${book.md5.slice(0, 6)}`);
    expect(walk.candidates[0]?.label).toBe('Z-Library');
  });
});

describe('host guard', () => {
  it('allows configured mirrors and hosts found on fetched pages, nothing else', async () => {
    world.setCountdownSeconds(0);
    const { source, client } = use();
    expect(source.allowedOrigins()).toEqual([world.origins.aa]);
    const refused = await caught(client.request(`${world.origins.partner}/file/${firstBook().md5}/x/y.epub`));
    expect(isCompanionError(refused, HostNotAllowedError)).toBe(true);
    const book = firstBook();
    await walkCandidates(source, { id: book.md5, title: book.title });
    expect(source.allowedOrigins()).toContain(world.origins.partner);
    const stillRefused = await caught(client.request(`${world.origins.gated}/protected`));
    expect(isCompanionError(stillRefused, HostNotAllowedError)).toBe(true);
  });

  it('never fetches a loopback/private host a page links to unless it is trusted (TRUSTED_ORIGINS)', async () => {
    world.setCountdownSeconds(0);
    // The partner server runs on 127.0.0.1 like a LAN address; only AA itself is trusted here.
    const { source, client, logs } = use({ trustedOrigins: [], donatorKey: 'world-donator-key' });
    const book = firstBook();
    const walk = await walkCandidates(source, { id: book.md5, title: book.title }, 5);
    expect(walk.candidates.filter((c) => c.url.startsWith(world.origins.partner))).toEqual([]);
    expect(walk.statuses).toContain(
      `Anna's Archive fast download skipped: its link points at a private address (${new URL(world.origins.partner).host})`,
    );
    expect(source.allowedOrigins()).not.toContain(world.origins.partner);
    const refused = await caught(client.request(`${world.origins.partner}/file/${book.md5}/x/y.epub`));
    expect(isCompanionError(refused, HostNotAllowedError)).toBe(true);
    expect(world.counters.count({ origin: 'partner' })).toBe(0);
    expect(logs.join('\n')).toContain('Refused a link to a private address');
  });
});
