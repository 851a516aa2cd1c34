import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadBook, RetryLaterError } from '../../../../companion/download/download-book.js';
import { CompanionError, isCompanionError, UpstreamNetworkError } from '../../../../companion/errors.js';
import { startWorld, type World, type WorldBook } from '../../../world/index.js';
import { readFixture } from '../read-fixture.js';
import { caught, createHarness, type Harness, walkCandidates } from './source-harness.js';

let world: World;
let deadOrigin: string;
let harness: Harness | undefined;
let clock: number;

beforeAll(async () => {
  world = await startWorld({ countdownSeconds: 0 });
  const dead = await startWorld({ aaMirrorCount: 0 });
  deadOrigin = dead.origins.aa;
  await dead.close();
});
afterAll(() => world.close());
beforeEach(() => {
  world.reset();
  world.setCountdownSeconds(0);
  clock = Date.now();
});
afterEach(async () => {
  world.gates.unprotect({ origin: 'aa' });
  await harness?.close();
  harness = undefined;
});

function use(overrides: Parameters<typeof createHarness>[1] = {}): Harness {
  harness = createHarness(world, { now: () => clock, ...overrides });
  return harness;
}

function book(): WorldBook {
  const found = world.books.find((b) => b.format === 'epub' && b.language === 'en');
  if (!found) throw new Error('Expected an English epub in the world catalogue');
  return found;
}

const info = () => ({ id: book().md5, title: book().title });

describe('AA mirror failover', () => {
  it('auto mode skips a dead mirror when probing', async () => {
    const { source } = use({ baseUrl: 'auto', mirrorUrls: [deadOrigin, world.origins.aa] });
    const results = await source.search({ query: book().title });
    expect(results.map((r) => r.id)).toContain(book().md5);
    expect(world.counters.count({ origin: 'aa', path: '/' })).toBe(1);
    expect(world.counters.count({ origin: 'aa', path: '/search' })).toBe(1);
  });

  it('a mirror that dies at run time is failed over to the next one', async () => {
    const [first, second] = world.origins.aaMirrors as [string, string];
    const { source } = use({ baseUrl: first, mirrorUrls: [second] });
    expect(await source.details(book().md5)).toMatchObject({ id: book().md5 });
    world.faults.set({ origin: 'aa-mirror-0' }, { kind: 'dead' });
    const walk = await walkCandidates(source, info());
    expect(walk.candidates[0]?.label).toBe("Anna's Archive slow partner #5");
    expect(world.counters.count({ origin: 'aa-mirror-1', pathPrefix: '/md5/' })).toBe(1);
    expect(world.counters.count({ origin: 'aa-mirror-1', pathPrefix: '/slow_download/' })).toBe(1);
  });

  it('a 5xx fails over; a parked or seized domain (200, not AA) fails over too', async () => {
    const [first, second] = world.origins.aaMirrors as [string, string];
    world.faults.set({ origin: 'aa-mirror-0', path: '/search' }, { kind: 'status', status: 503 });
    world.faults.set(
      { origin: 'aa-mirror-1', path: '/search' },
      { kind: 'html-instead', html: '<html><head><title>This domain is for sale</title></head><body></body></html>' },
    );
    const { source } = use({ baseUrl: first, mirrorUrls: [second, world.origins.aa] });
    expect((await source.search({ query: book().title })).map((r) => r.id)).toContain(book().md5);
    expect(world.counters.count({ origin: 'aa', path: '/search' })).toBe(1);
  });

  it('every mirror down: search throws UpstreamNetworkError naming them', async () => {
    world.faults.set({ origin: 'aa-mirror-0' }, { kind: 'dead' });
    const { source } = use({ baseUrl: world.origins.aaMirrors[0], mirrorUrls: [deadOrigin] });
    const err = await caught(source.search({ query: 'anything' }));
    expect(isCompanionError(err, UpstreamNetworkError)).toBe(true);
    expect((err as Error).message).toContain("every Anna's Archive mirror failed");
  });

  it('every mirror down while resolving: nothing offered, the iteration ends with the network error', async () => {
    world.faults.set({ origin: 'aa-mirror-0' }, { kind: 'dead' });
    const { source } = use({ baseUrl: world.origins.aaMirrors[0], mirrorUrls: [deadOrigin] });
    const walk = await walkCandidates(source, info());
    expect(walk.candidates).toEqual([]);
    expect(isCompanionError(walk.error, UpstreamNetworkError)).toBe(true);
    expect(walk.statuses.some((s) => s.startsWith("Anna's Archive record page skipped: Request failed"))).toBe(true);
  });

  it('an AA page in an unknown layout is a clear error, not an empty result', async () => {
    world.faults.set({ origin: 'aa', path: '/search' }, { kind: 'html-instead' });
    const { source } = use();
    const err = await caught(source.search({ query: book().title }));
    expect(err).toBeInstanceOf(CompanionError);
    expect((err as Error).message).toMatch(/^Anna's Archive search page could not be read \(layout changed\?\): /);
  });
});

describe('429 parking', () => {
  it('parks the host for its Retry-After, asks nothing while parked, then retries', async () => {
    world.faults.set({ origin: 'aa' }, { kind: 'status', status: 429, retryAfterSeconds: 90 }, { once: true });
    const { source } = use();
    const first = await walkCandidates(source, info());
    expect(isCompanionError(first.error, RetryLaterError) && first.error.atMs).toBe(clock + 90_000);
    expect(first.candidates).toEqual([]);
    expect(world.counters.count({ origin: 'aa' })).toBe(1);

    clock += 60_000;
    const parked = await walkCandidates(source, info());
    expect(isCompanionError(parked.error, RetryLaterError) && parked.error.atMs).toBe(clock + 30_000);
    expect(world.counters.count({ origin: 'aa' })).toBe(1);

    clock += 30_001;
    const after = await walkCandidates(source, info());
    expect(after.error).toBeUndefined();
    expect(after.candidates[0]?.label).toBe("Anna's Archive slow partner #5");
  });

  it('a parked mirror is skipped while another one answers', async () => {
    const [first, second] = world.origins.aaMirrors as [string, string];
    world.faults.set({ origin: 'aa-mirror-0' }, { kind: 'status', status: 429, retryAfterSeconds: 600 });
    const { source } = use({ baseUrl: first, mirrorUrls: [second] });
    expect((await source.search({ query: book().title })).map((r) => r.id)).toContain(book().md5);
    await source.search({ query: book().title });
    const walk = await walkCandidates(source, info());
    expect(walk.candidates).toHaveLength(1);
    expect(world.counters.count({ origin: 'aa-mirror-0' })).toBe(1);
    expect(source.parking.parkedUntil(first)).toBe(clock + 600_000);
  });

  it('a 429 on a countdown page parks the AA host: its other options are skipped unasked, libgen still answers', async () => {
    world.faults.set({ origin: 'aa', path: `/slow_download/${book().md5}/0/4` }, { kind: 'status', status: 429 });
    // Z-Library is left out: its record-page link would be one more (unparked) option after libgen.
    const { source } = use({
      libgenMirrors: [world.origins.libgen],
      priority: ['aa-slow-nowait', 'libgen', 'welib', 'aa-slow-wait'],
    });
    const walk = await walkCandidates(source, info(), 2);
    expect(walk.statuses).toContain("Anna's Archive slow partner #5 is busy (HTTP 429); skipping it for now");
    expect(walk.candidates.map((c) => c.label)).toEqual(['libgen']);
    expect(world.counters.count({ origin: 'aa', pathPrefix: '/slow_download/' })).toBe(1);
    // Only parked options were left after libgen: the consumer learns when to come back.
    expect(isCompanionError(walk.error, RetryLaterError) && walk.error.atMs).toBe(clock + 5 * 60_000);
  });

  it('downloadBook turns "only rate-limited options left" into a retry at the un-park time', async () => {
    world.faults.set({ origin: 'aa' }, { kind: 'status', status: 429, retryAfterSeconds: 45 });
    const { source, client } = use({ priority: ['aa-slow-nowait', 'aa-slow-wait'] });
    const dirs = [mkdtempSync(path.join(tmpdir(), 'aa-stage-')), mkdtempSync(path.join(tmpdir(), 'aa-ingest-'))];
    try {
      const err = await caught(
        downloadBook(
          { ...info(), format: 'epub' },
          {
            client,
            source,
            stagingDir: dirs[0] as string,
            ingestDir: dirs[1] as string,
            useBookTitle: false,
            customScriptTimeoutMs: 1000,
          },
          new AbortController().signal,
          { status() {}, progress() {}, staging() {} },
        ),
      );
      expect(isCompanionError(err, RetryLaterError) && err.atMs).toBe(clock + 45_000);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('countdowns and refusals', () => {
  it('an AA refusal page skips to the next partner server', async () => {
    world.faults.set(
      { origin: 'aa', path: '/slow_download/' },
      { kind: 'html-instead', html: readFixture('synthetic/aa/slow_download_refused_official.html') },
      { once: true },
    );
    const { source } = use();
    const walk = await walkCandidates(source, info());
    expect(walk.statuses).toContain(
      "Anna's Archive partner #5 refused: Slow downloads are only available through the official website",
    );
    expect(walk.candidates[0]?.label).toBe("Anna's Archive slow partner #6");
  });

  it('a countdown longer than the allowed wait skips the server without sleeping', async () => {
    world.setCountdownSeconds(30);
    const { source } = use({ countdownMaxWaitMs: 10_000, libgenMirrors: [world.origins.libgen] });
    const started = Date.now();
    const walk = await walkCandidates(source, info());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(walk.statuses).toContain("Anna's Archive partner #5 asks for a 30 s wait, more than the 10 s allowed");
    expect(walk.candidates[0]?.label).toBe('libgen');
  });

  it('a countdown wait is abortable', async () => {
    world.setCountdownSeconds(30);
    const { source } = use();
    const controller = new AbortController();
    const pending = walkCandidates(source, info(), 1, controller.signal);
    while (!world.counters.count({ origin: 'aa', pathPrefix: '/slow_download/' })) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort(new Error('cancelled by the user'));
    const walk = await pending;
    expect((walk.error as Error).message).toBe('cancelled by the user');
    expect(walk.candidates).toEqual([]);
  });

  it('a protected countdown page without a solver is skipped, not fatal', async () => {
    world.gates.protect({ origin: 'aa', pathPrefix: '/slow_download/', kind: 'cloudflare' });
    const { source } = use({ libgenMirrors: [world.origins.libgen], maxOptionsPerSource: 1 });
    const walk = await walkCandidates(source, info(), 2);
    expect(walk.statuses.some((s) => s.startsWith("Anna's Archive slow partner #5 skipped: Challenged:"))).toBe(true);
    // The walled page is offered only as a page for the browser relay (downloadBook never fetches it), then libgen.
    expect(walk.candidates[0]).toMatchObject({ kind: 'countdown-page', label: "Anna's Archive slow partner #5" });
    expect(walk.candidates[1]?.label).toBe('libgen');
    expect(walk.candidates[1]?.kind).toBeUndefined();
  });

  it('the whole download: candidates into downloadBook, the file lands in ingest with the right md5', async () => {
    world.setCountdownSeconds(1);
    const { source, client } = use();
    const dirs = [mkdtempSync(path.join(tmpdir(), 'aa-stage-')), mkdtempSync(path.join(tmpdir(), 'aa-ingest-'))];
    const statuses: string[] = [];
    try {
      const placed = await downloadBook(
        { ...info(), format: 'epub' },
        {
          client,
          source,
          stagingDir: dirs[0] as string,
          ingestDir: dirs[1] as string,
          useBookTitle: false,
          customScriptTimeoutMs: 1000,
        },
        new AbortController().signal,
        { status: (m) => statuses.push(m), progress() {}, staging() {} },
      );
      expect(createHash('md5').update(readFileSync(placed)).digest('hex')).toBe(book().md5);
      expect(statuses).toContain("Waiting 1 s for Anna's Archive partner #5");
      expect(statuses).toContain("Downloading from Anna's Archive slow partner #5");
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
