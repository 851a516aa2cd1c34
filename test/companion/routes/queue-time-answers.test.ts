import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestCompanion, type TestCompanion, waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

const unknownMd5 = '0123456789abcdef0123456789abcdef';

describe('GET /api/download answers what it knows at queue time', () => {
  let world: World;
  let t: TestCompanion | undefined;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());
  afterEach(async () => {
    for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) world.setReachable(origin, true);
    await t?.close();
    t = undefined;
  });

  const get = async (path: string) => {
    const res = await (t as TestCompanion).companion.app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('an md5 Anna’s Archive has no record of is a 404 with an error, and nothing is queued', async () => {
    t = await startTestCompanion(world, { start: false });
    expect(await get(`/api/download?id=${unknownMd5}`)).toEqual({
      status: 404,
      body: { error: `Anna's Archive has no record of ${unknownMd5}`, code: 'not-found' },
    });
    expect(t.companion.store.get(unknownMd5)).toBeUndefined();
    expect(world.counters.count({ origin: 'aa', path: `/md5/${unknownMd5}` })).toBe(1);
  });

  it('when Anna’s Archive cannot be reached, the request is still queued with what the client sent', async () => {
    t = await startTestCompanion(world, { start: false });
    for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) world.setReachable(origin, false);
    const book = world.books[0];
    expect(await get(`/api/download?id=${book.md5}&title=Some%20Title`)).toEqual({
      status: 200,
      body: { status: 'queued', priority: 0 },
    });
    expect(t.companion.store.get(book.md5)).toMatchObject({ status: 'queued', book: { title: 'Some Title' } });
  });

  it('when Anna’s Archive is challenged (DDoS-Guard), the request is queued at once, without waiting for clearance', async () => {
    t = await startTestCompanion(world, {
      start: false,
      env: { USE_CF_BYPASS: 'false', EXTENSION_CLEARANCE_TIMEOUT: '5' },
    });
    for (const origin of ['aa', 'aa-mirror-0', 'aa-mirror-1'] as const) {
      world.gates.protect({ origin, pathPrefix: '/md5/', kind: 'ddos-guard', mode: 'check-redirect' });
    }
    try {
      const book = world.books[1];
      expect(await get(`/api/download?id=${book.md5}&title=Moby`)).toEqual({
        status: 200,
        body: { status: 'queued', priority: 0 },
      });
      expect(t.companion.store.get(book.md5)).toMatchObject({ status: 'queued', book: { title: 'Moby' } });
      // Nobody was asked for clearance on the client's behalf.
      expect(t.companion.clearanceRequests.list()).toEqual([]);
    } finally {
      world.gates.unprotect();
    }
  });

  it('a book already downloaded and placed is answered "already available", not fetched again', async () => {
    t = await startTestCompanion(world);
    const book = world.books[0];
    expect((await get(`/api/download?id=${book.md5}`)).body).toEqual({ status: 'queued', priority: 0 });
    const store = t.companion.store;
    await waitFor(() => store.get(book.md5)?.status === 'available', 'the book to be placed');
    const requests = world.counters.records.length;
    expect(await get(`/api/download?id=${book.md5}&priority=3`)).toEqual({
      status: 200,
      body: { status: 'already available', priority: 0, book_id: book.md5 },
    });
    expect(store.get(book.md5)?.status).toBe('available');
    expect(world.counters.records.length).toBe(requests);
  });
});
