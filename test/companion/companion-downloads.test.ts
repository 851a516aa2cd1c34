import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion, waitFor } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';
import { type IngestWatch, watchIngest } from './download/watch-ingest.js';

const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

describe('companion downloads against the test world', () => {
  let world: World;
  let t: TestCompanion;
  let ingest: IngestWatch | undefined;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(() => world.reset());
  afterEach(async () => {
    // CWA imports whatever appears in the ingest folder: nothing may appear there but a verified book.
    const watched = ingest;
    ingest = undefined;
    try {
      if (watched) {
        await watched.settle();
        const books = new Set(world.books.map((book) => book.md5));
        expect(watched.events.filter((event) => event.md5 === null || !books.has(event.md5))).toEqual([]);
      }
    } finally {
      watched?.close();
      world.faults.clear();
      world.setThroughput('partner', undefined);
      await t?.close();
    }
  });

  const startWatched = async (...args: Parameters<typeof startTestCompanion>) => {
    const started = await startTestCompanion(...args);
    ingest = watchIngest(started.ingestDir);
    return started;
  };
  const get = (p: string) => t.companion.app.request(p);
  const status = (id: string) => t.companion.store.get(id);

  it('search → info → download puts a verified file in the ingest folder', async () => {
    t = await startWatched(world);
    const book = world.books[1];
    const results = (await (await get(`/api/search?query=${encodeURIComponent(book.title)}`)).json()) as {
      id: string;
    }[];
    expect(results.map((r) => r.id)).toContain(book.md5);
    const info = await (await get(`/api/info?id=${book.md5}`)).json();
    expect(info).toMatchObject({ id: book.md5, title: book.title });
    expect(await (await get(`/api/download?id=${book.md5}`)).json()).toEqual({ status: 'queued', priority: 0 });

    const item = await waitFor(
      () => (status(book.md5)?.status === 'available' ? status(book.md5) : undefined),
      'available',
    );
    expect(item.downloadPath).toBe(path.join(t.ingestDir, `${book.md5}.${book.format}`));
    expect(md5Of(item.downloadPath as string)).toBe(book.md5);
    expect(item).toMatchObject({ progress: 100, bytesDone: book.sizeBytes, bytesTotal: book.sizeBytes });
    expect(readdirSync(path.join(t.dataDir, 'staging'))).toEqual([]);

    const file = await get(`/request/api/localdownload?id=${book.md5}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''`);
    expect(
      createHash('md5')
        .update(Buffer.from(await file.arrayBuffer()))
        .digest('hex'),
    ).toBe(book.md5);

    const statusMap = (await (await get('/api/status')).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(statusMap)).toEqual(['available', 'cancelled', 'done', 'downloading', 'error', 'queued']);
    expect(statusMap.available[book.md5]).toMatchObject({
      id: book.md5,
      download_path: item.downloadPath,
      progress: 100,
    });
  });

  it('a transfer that dies mid-stream is resumed with Range and finishes with the right bytes', async () => {
    t = await startWatched(world);
    const book = [...world.books].sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'drop-after', bytes: 100_000 }, { once: true });
    await get(`/api/download?id=${book.md5}`);
    const item = await waitFor(
      () => (status(book.md5)?.status === 'available' ? status(book.md5) : undefined),
      'available',
    );
    expect(md5Of(item.downloadPath as string)).toBe(book.md5);
    const partnerHits = world.counters.records.filter((r) => r.origin === 'partner' && r.md5 === book.md5);
    // The resume starts where the bytes on disk end (at most the 100,000 sent before the drop).
    expect(partnerHits.some((r) => /^bytes=[1-9]\d*-$/.test(r.range ?? ''))).toBe(true);
  });

  it('rejects a file whose md5 does not match, placing nothing', async () => {
    t = await startWatched(world, { env: { MAX_RETRY: '1' } });
    const book = world.books[0];
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes' });
    world.faults.set({ origin: 'libgen', md5: book.md5 }, { kind: 'wrong-bytes' });
    world.faults.set({ origin: 'zlib', md5: book.md5 }, { kind: 'wrong-bytes' });
    await get(`/api/download?id=${book.md5}`);
    const item = await waitFor(
      () => (status(book.md5)?.status === 'error' ? status(book.md5) : undefined),
      'error',
      30_000,
    );
    expect(item.error).toMatch(/md5|sources failed/i);
    expect(readdirSync(t.ingestDir)).toEqual([]);
    expect(readdirSync(path.join(t.dataDir, 'staging'))).toEqual([]);
  });

  it('rejects an HTML page served instead of the file', async () => {
    t = await startWatched(world, { env: { MAX_RETRY: '1' } });
    const book = world.books[2];
    for (const origin of ['partner', 'libgen', 'zlib'] as const) {
      world.faults.set({ origin, md5: book.md5 }, { kind: 'html-instead' });
    }
    await get(`/api/download?id=${book.md5}`);
    const item = await waitFor(
      () => (status(book.md5)?.status === 'error' ? status(book.md5) : undefined),
      'error',
      30_000,
    );
    expect(item.error).toMatch(/HTML|sources failed/i);
    expect(readdirSync(t.ingestDir)).toEqual([]);
  });

  it('cancel mid-transfer stops it and removes the partial file', async () => {
    t = await startWatched(world);
    const book = [...world.books].sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
    world.setThroughput('partner', 200_000);
    await get(`/api/download?id=${book.md5}`);
    await waitFor(() => (status(book.md5)?.bytesDone ?? 0) > 50_000, 'some bytes');
    const res = await t.companion.app.request(`/api/download/${book.md5}/cancel`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ status: 'cancelled', book_id: book.md5 });
    expect(status(book.md5)?.status).toBe('cancelled');
    expect(readdirSync(path.join(t.dataDir, 'staging'))).toEqual([]);
    expect(readdirSync(t.ingestDir)).toEqual([]);
    // The cancel answered after its job ended; a cancelled item is never claimed again (a wake claims at once
    // whatever is due, so no wait decides this).
    const sentBefore = world.counters.records.filter((r) => r.md5 === book.md5).length;
    t.companion.runner.wake();
    expect(t.companion.runner.activeIds()).not.toContain(book.md5);
    expect(status(book.md5)?.status).toBe('cancelled');
    expect(world.counters.records.filter((r) => r.md5 === book.md5).length).toBe(sentBefore);
  });

  it('runs lower priority numbers first, at most MAX_CONCURRENT_DOWNLOADS at once', async () => {
    t = await startWatched(world, { env: { MAX_CONCURRENT_DOWNLOADS: '1' }, start: false });
    const [a, b, c] = world.books;
    await get(`/api/download?id=${a.md5}&priority=5`);
    await get(`/api/download?id=${b.md5}&priority=1`);
    await get(`/api/download?id=${c.md5}&priority=5`);
    const order = (await (await get('/api/queue/order')).json()) as { queue: { id: string }[] };
    expect(order.queue.map((q) => q.id)).toEqual([b.md5, a.md5, c.md5]);

    const started: string[] = [];
    let maxActive = 0;
    const unsubscribe = t.companion.bus.subscribe((event) => {
      if (event.type === 'item' && event.item.status === 'downloading' && !started.includes(event.item.id)) {
        started.push(event.item.id);
      }
      maxActive = Math.max(maxActive, t.companion.store.activeIds().length);
    });
    t.companion.runner.start();
    await waitFor(() => [a, b, c].every((bk) => status(bk.md5)?.status === 'available'), 'all available', 30_000);
    unsubscribe();
    expect(started).toEqual([b.md5, a.md5, c.md5]);
    expect(maxActive).toBe(1);
  });

  it('names files by sanitised title with USE_BOOK_TITLE, even for hostile titles', async () => {
    t = await startWatched(world, { env: { USE_BOOK_TITLE: 'true' } });
    const hostile = world.addBook({ title: '../../etc/passwd: <evil> | "quoted"', format: 'epub', sizeBytes: 20_000 });
    await get(`/api/download?id=${hostile.md5}`);
    const item = await waitFor(
      () => (status(hostile.md5)?.status === 'available' ? status(hostile.md5) : undefined),
      'available',
    );
    expect(path.dirname(item.downloadPath as string)).toBe(t.ingestDir);
    expect(readdirSync(t.ingestDir)).toEqual(['_._etc_passwd_ _evil_ _ _quoted_.epub']);
    expect(existsSync(path.join(t.dataDir, '..', 'etc'))).toBe(false);
  });

  it('honours a short Retry-After in place and then downloads', async () => {
    t = await startWatched(world);
    const book = world.books[3];
    world.faults.set(
      { origin: 'partner', md5: book.md5 },
      { kind: 'status', status: 429, retryAfterSeconds: 1 },
      { once: true },
    );
    await get(`/api/download?id=${book.md5}`);
    await waitFor(() => status(book.md5)?.status === 'available', 'available');
    const hits = world.counters.records.filter((r) => r.origin === 'partner' && r.md5 === book.md5);
    expect(hits.map((r) => r.status)).toEqual([429, 200]);
    expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(950);
  });

  it('follows the libgen link of the record page when no libgen mirror is configured', async () => {
    t = await startWatched(world, { env: { SOURCE_PRIORITY: 'libgen' } });
    const book = world.books[4];
    await get(`/api/download?id=${book.md5}`);
    const item = await waitFor(
      () => (status(book.md5)?.status === 'available' ? status(book.md5) : undefined),
      'available',
    );
    expect(md5Of(item.downloadPath as string)).toBe(book.md5);
    expect(world.counters.count({ origin: 'libgen', pathPrefix: '/get.php', completed: true })).toBeGreaterThan(0);
    expect(world.counters.count({ origin: 'partner' })).toBe(0);
  });
});
