import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CompanionEvent } from '../../../shared/events.js';
import { formatContentRange, RELAY_CHUNK_MAX_BYTES, relayJobList, relayOffset } from '../../../shared/relay-api.js';
import { waitFor } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';
import { putChunk, type RestartableCompanion, startRestartableCompanion, uploadRest } from './relay-kit.js';

const md5Of = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
// Every world origin is 127.0.0.1: with RELAY_SITES=127.0.0.1 every file goes through the browser relay.
const RELAY_ENV = { RELAY_SITES: '127.0.0.1', SOURCE_PRIORITY: 'aa-slow-nowait' };

describe('browser download relay: routes', () => {
  let world: World;
  let h: RestartableCompanion;
  let events: CompanionEvent[];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(async () => {
    world.reset();
    h = await startRestartableCompanion(world, RELAY_ENV);
    events = [];
    h.companion.bus.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    await h.close();
  });

  const request = (path: string, init?: RequestInit) => h.companion.app.request(path, init);
  const item = (id: string) => h.companion.store.get(id);

  /** Queues a book and waits until it waits for the relay. */
  const queueForRelay = async (index = 0) => {
    const book = world.books[index];
    if (!book) throw new Error('no such book');
    expect((await request(`/api/download?id=${book.md5}`)).status).toBe(200);
    await waitFor(() => item(book.md5)?.relay, 'the job to wait for the browser relay');
    return { book, bytes: world.bookBytes(book.md5) };
  };

  it('lists the waiting job with its candidates and offset 0, publishes relay-needed, holds no worker slot', async () => {
    const { book } = await queueForRelay();
    const waiting = item(book.md5);
    expect(waiting).toMatchObject({
      status: 'downloading',
      waiting: { kind: 'relay', site: '127.0.0.1' },
      statusMessage: 'Waiting for the browser extension to download the file from 127.0.0.1',
    });
    // The worker that handed the job over lets go of its slot (it finishes the hand-off first).
    await waitFor(() => h.companion.runner.activeIds().length === 0, 'the worker slot to be free');

    const list = relayJobList.parse(await (await request('/api/jobs/relay')).json());
    expect(list.jobs).toHaveLength(1);
    const job = list.jobs[0];
    expect(job).toMatchObject({ id: book.md5, title: book.title, format: book.format, offset: 0, site: '127.0.0.1' });
    expect(job?.reason).toContain('RELAY_SITES');
    expect(job?.candidates[0]).toMatchObject({ kind: 'file', site: '127.0.0.1' });
    expect(new URL(job?.candidates[0]?.url ?? '').origin).toBe(world.origins.partner);
    // The same list under the other spelling.
    expect(await (await request('/api/jobs?state=needs-relay')).json()).toEqual(list);
    expect((await request('/api/jobs?state=queued')).status).toBe(400);

    const announced = await waitFor(() => events.find((e) => e.type === 'relay-needed'), 'relay-needed');
    expect(announced).toMatchObject({ type: 'relay-needed', id: book.md5, url: job?.candidates[0]?.url });
    expect(relayOffset.parse(await (await request(`/api/jobs/${book.md5}/file`)).json())).toEqual({
      offset: 0,
      total: null,
    });
    // The partner server was never asked for the file by the companion.
    expect(world.counters.count({ origin: 'partner', md5: book.md5 })).toBe(0);
  });

  it('takes the file in chunks, publishes progress, verifies the md5 and places it like its own downloads', async () => {
    const { book, bytes } = await queueForRelay(1);
    const chunk = Math.ceil(bytes.length / 3);
    const first = await putChunk(request, book.md5, bytes, 0, chunk);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ offset: chunk, total: bytes.length, complete: false });
    expect(item(book.md5)).toMatchObject({ status: 'downloading', bytesDone: chunk, bytesTotal: bytes.length });
    // The first chunk changes the status (an item event), later ones are progress events, as downloads publish.
    expect(events).toContainEqual({
      type: 'item',
      item: expect.objectContaining({
        id: book.md5,
        statusMessage: 'Receiving the file from the browser',
        bytesDone: chunk,
        bytesTotal: bytes.length,
      }),
    });
    expect(await (await request(`/api/jobs/${book.md5}/file`)).json()).toEqual({ offset: chunk, total: bytes.length });

    expect((await putChunk(request, book.md5, bytes, chunk, chunk)).status).toBe(200);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'progress', id: book.md5, bytesDone: 2 * chunk, bytesTotal: bytes.length }),
    );
    const last = await uploadRest(request, book.md5, bytes, chunk);
    expect(await last.json()).toEqual({ offset: bytes.length, total: bytes.length, complete: true });
    const done = item(book.md5);
    expect(done).toMatchObject({ status: 'available', progress: 100, relay: null, waiting: null });
    expect(md5Of(readFileSync(done?.downloadPath as string))).toBe(book.md5);
    expect(done?.downloadPath).toBe(`${h.ingestDir}/${book.md5}.${book.format}`);
    expect(readdirSync(h.stagingDir)).toEqual([]);
    // Finished: further chunks are refused, and the job is no longer listed.
    expect((await putChunk(request, book.md5, bytes, 0, 10)).status).toBe(409);
    expect((await (await request('/api/jobs/relay')).json()) as unknown).toEqual({ jobs: [] });
  });

  it('refuses a chunk that does not start at the stored offset with 409 and the offset to resume from', async () => {
    const { book, bytes } = await queueForRelay();
    expect((await putChunk(request, book.md5, bytes, 0, 1000)).status).toBe(200);
    const skipped = await putChunk(request, book.md5, bytes, 2000, 1000);
    expect(skipped.status).toBe(409);
    expect(await skipped.json()).toMatchObject({ code: 'conflict', offset: 1000 });
    const repeated = await putChunk(request, book.md5, bytes, 0, 1000);
    expect(repeated.status).toBe(409);
    expect(await repeated.json()).toMatchObject({ offset: 1000 });
    expect(item(book.md5)?.bytesDone).toBe(1000);
  });

  it('answers 413 for more bytes than announced and for chunks over the limit, 400 for malformed ranges', async () => {
    const { book, bytes } = await queueForRelay();
    const put = (range: string | undefined, body: Buffer) =>
      request(`/api/jobs/${book.md5}/file`, {
        method: 'PUT',
        headers: range ? { 'content-range': range } : {},
        body: new Uint8Array(body),
      });
    const small = bytes.subarray(0, 100);
    // The chunk ends beyond the total it announces.
    const beyond = await put('bytes 0-99/50', small);
    expect(beyond.status).toBe(413);
    expect(await beyond.json()).toMatchObject({ error: expect.stringContaining('at most 50 bytes') });
    // A body longer than its Content-Range: refused, nothing kept.
    expect((await put(formatContentRange(0, 50, bytes.length), small)).status).toBe(413);
    expect((await (await request(`/api/jobs/${book.md5}/file`)).json()) as unknown).toMatchObject({ offset: 0 });
    // A chunk over the per-request limit is refused before its body is read.
    const huge = await put(formatContentRange(0, RELAY_CHUNK_MAX_BYTES + 1, RELAY_CHUNK_MAX_BYTES + 10), small);
    expect(huge.status).toBe(413);
    // Once a total was announced, a larger one is refused.
    expect((await putChunk(request, book.md5, bytes, 0, 100)).status).toBe(200);
    expect((await putChunk(request, book.md5, bytes, 100, 100, { total: bytes.length + 1 })).status).toBe(413);

    for (const range of [undefined, 'bytes=0-99', 'bytes 99-0/100', 'bytes 0-99/*', 'items 0-1/2', 'bytes 0-0/0']) {
      const answer = await put(range, small);
      expect(answer.status, String(range)).toBe(400);
      expect(await answer.json()).toMatchObject({ error: expect.any(String) });
    }
    expect((await request('/api/jobs/not-an-md5/file')).status).toBe(400);
    expect((await request(`/api/jobs/${'0'.repeat(32)}/file`)).status).toBe(404);
    expect((await putChunk(request, '0'.repeat(32), bytes, 0, 10)).status).toBe(404);
    expect(item(book.md5)?.bytesDone).toBe(100);
  });

  it('refuses uploads to a job that is not waiting for the browser with 409', async () => {
    const { book, bytes } = await queueForRelay();
    // A cancelled job no longer waits for the browser.
    expect((await request(`/api/download/${book.md5}/cancel`, { method: 'DELETE' })).status).toBe(200);
    expect(item(book.md5)?.status).toBe('cancelled');
    const answer = await putChunk(request, book.md5, bytes, 0, 100);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ code: 'conflict', error: expect.stringContaining('not waiting') });
    expect((await request(`/api/jobs/${book.md5}/file`)).status).toBe(409);
  });

  it('cancel stops a relay job and removes what was uploaded', async () => {
    const { book, bytes } = await queueForRelay();
    expect((await putChunk(request, book.md5, bytes, 0, 5000)).status).toBe(200);
    expect(readdirSync(h.stagingDir)).toEqual([`${book.md5}.part`]);
    expect((await request(`/api/download/${book.md5}/cancel`, { method: 'DELETE' })).status).toBe(200);
    expect(item(book.md5)).toMatchObject({ status: 'cancelled', relay: null });
    expect(readdirSync(h.stagingDir)).toEqual([]);
    expect((await request('/api/jobs/relay')).status).toBe(200);
    expect(((await (await request('/api/jobs/relay')).json()) as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('a wrong md5 fails the job with that reason and nothing reaches the ingest folder', async () => {
    const { book, bytes } = await queueForRelay();
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] ?? 0) ^ 0xff;
    const answer = await uploadRest(request, book.md5, corrupt, 64 * 1024);
    expect(answer.status).toBe(422);
    const expected = `The browser's download has md5 ${md5Of(corrupt)}, expected ${book.md5}`;
    expect(await answer.json()).toMatchObject({ error: expected });
    expect(item(book.md5)).toMatchObject({ status: 'error', error: expected, relay: null });
    expect(readdirSync(h.ingestDir)).toEqual([]);
    expect(readdirSync(h.stagingDir)).toEqual([]);
  });

  it('survives a companion restart between chunks: the job still waits and resumes from the stored offset', async () => {
    const { book, bytes } = await queueForRelay(2);
    const half = Math.floor(bytes.length / 2);
    expect((await putChunk(request, book.md5, bytes, 0, half)).status).toBe(200);

    await h.restart();
    const after = item(book.md5);
    expect(after).toMatchObject({ status: 'downloading', waiting: { kind: 'relay' }, bytesDone: half });
    expect(existsSync(`${h.stagingDir}/${book.md5}.part`)).toBe(true);
    expect(await (await request(`/api/jobs/${book.md5}/file`)).json()).toEqual({ offset: half, total: bytes.length });
    // The restarted runner did not take the job back for itself (start-up claims synchronously).
    expect(h.companion.runner.activeIds()).toEqual([]);
    expect(world.counters.count({ origin: 'partner', md5: book.md5 })).toBe(0);

    const last = await uploadRest(request, book.md5, bytes, 256 * 1024);
    expect(await last.json()).toMatchObject({ complete: true });
    expect(md5Of(readFileSync(item(book.md5)?.downloadPath as string))).toBe(book.md5);
  });

  it('refuses a second upload of the same job while one is in flight (409), then takes the first to the end', async () => {
    const { book, bytes } = await queueForRelay();
    const server = serve({ fetch: h.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      const length = 40_000;
      const first = http.request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: `/api/jobs/${book.md5}/file`,
        headers: {
          'content-length': String(length),
          'content-range': formatContentRange(0, length, bytes.length),
        },
      });
      const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
        first.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        first.on('error', reject);
      });
      first.write(bytes.subarray(0, 10_000));
      await waitFor(async () => {
        const answer = (await (await request(`/api/jobs/${book.md5}/file`)).json()) as { offset: number };
        return answer.offset === 10_000;
      }, 'the first bytes on disk');

      const second = await putChunk(request, book.md5, bytes, 10_000, 1000);
      expect(second.status).toBe(409);
      expect(await second.json()).toMatchObject({
        error: 'Another upload of this file is in progress',
        offset: 10_000,
      });

      first.end(bytes.subarray(10_000, length));
      const done = await answered;
      expect(done.status).toBe(200);
      expect(JSON.parse(done.body)).toEqual({ offset: length, total: bytes.length, complete: false });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the bytes of a chunk whose connection dropped, so the upload resumes from there', async () => {
    const { book, bytes } = await queueForRelay(1);
    const server = serve({ fetch: h.companion.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    try {
      // Announce 200 000 bytes, send 120 000, then drop the connection.
      const sent = 120_000;
      await new Promise<void>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/api/jobs/${book.md5}/file`,
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': '200000',
            'content-range': formatContentRange(0, 200_000, bytes.length),
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(bytes.subarray(0, sent), () => {
          // Give the companion the bytes before the socket goes away.
          setTimeout(() => req.destroy(), 200);
        });
      });
      const offset = await waitFor(async () => {
        const answer = (await (await request(`/api/jobs/${book.md5}/file`)).json()) as { offset: number };
        return answer.offset === sent ? answer.offset : undefined;
      }, 'the received bytes on disk');
      expect(offset).toBe(sent);

      const fetcher = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init);
      const last = await uploadRest(fetcher, book.md5, bytes, 300_000);
      expect(await last.json()).toMatchObject({ complete: true, offset: bytes.length });
      expect(md5Of(readFileSync(item(book.md5)?.downloadPath as string))).toBe(book.md5);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("browser download relay: placement like the companion's own downloads", () => {
  let world: World;
  let h: RestartableCompanion;
  let scriptDir: string;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    scriptDir = mkdtempSync(path.join(tmpdir(), 'relay-script-'));
    const script = path.join(scriptDir, 'note.sh');
    // CUSTOM_SCRIPT gets the verified file's path before it enters the library.
    writeFileSync(script, `#!/bin/sh\necho "$1" >> "${scriptDir}/seen.txt"\n`);
    chmodSync(script, 0o755);
    h = await startRestartableCompanion(world, { ...RELAY_ENV, CUSTOM_SCRIPT: script, USE_BOOK_TITLE: 'true' });
  });
  afterAll(async () => {
    await h.close();
    await world.close();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  it('runs CUSTOM_SCRIPT on the verified file and names it by title (USE_BOOK_TITLE)', async () => {
    const book = world.books[0];
    if (!book) throw new Error('no book');
    await h.companion.app.request(`/api/download?id=${book.md5}`);
    await waitFor(() => h.companion.store.get(book.md5)?.relay, 'relay');
    const last = await uploadRest(h.companion.app.request, book.md5, world.bookBytes(book.md5), 16 * 1024);
    expect(await last.json()).toMatchObject({ complete: true });
    const placed = h.companion.store.get(book.md5)?.downloadPath as string;
    expect(path.basename(placed)).toBe(`${book.title}.${book.format}`);
    expect(md5Of(readFileSync(placed))).toBe(book.md5);
    expect(readFileSync(path.join(scriptDir, 'seen.txt'), 'utf8').trim()).toBe(
      path.join(h.stagingDir, `${book.md5}.part`),
    );
  });
});

describe('browser download relay: expiry', () => {
  let world: World;
  let h: RestartableCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    h = await startRestartableCompanion(world, { ...RELAY_ENV, RELAY_TIMEOUT: '1' });
  });
  afterAll(async () => {
    await h.close();
    await world.close();
  });

  it('fails a job no browser uploaded in time, with the reason, and removes its partial file', async () => {
    const book = world.books[0];
    if (!book) throw new Error('no book');
    await h.companion.app.request(`/api/download?id=${book.md5}`);
    await waitFor(() => h.companion.store.get(book.md5)?.relay, 'relay');
    expect((await putChunk(h.companion.app.request, book.md5, world.bookBytes(book.md5), 0, 100)).status).toBe(200);
    // Listing sweeps expired jobs (a timer does it too).
    await waitFor(async () => {
      const { jobs } = (await (await h.companion.app.request('/api/jobs/relay')).json()) as { jobs: unknown[] };
      return jobs.length === 0;
    }, 'the job to expire');
    expect(h.companion.store.get(book.md5)).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^No browser downloaded the file within 1 s \(.*\(RELAY_SITES\)\)$/),
      relay: null,
    });
    expect(readdirSync(h.stagingDir)).toEqual([]);
  });
});

describe('browser download relay: auth', () => {
  let world: World;
  let h: RestartableCompanion;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    h = await startRestartableCompanion(world, RELAY_ENV);
    await h.companion.users.create({ name: 'reader', password: 'correct horse battery' });
  });
  afterAll(async () => {
    await h.close();
    await world.close();
  });

  it('answers 401 without a valid token and accepts a device token', async () => {
    const created = h.companion.tokens.create({ name: 'browser', kind: 'api' });
    if (!created.ok) throw new Error(created.error.detail);
    const bearer = { authorization: `Bearer ${created.token}` };
    const book = world.books[0];
    if (!book) throw new Error('no book');
    const request = (path: string, init: RequestInit = {}) => h.companion.app.request(path, init);
    expect((await request(`/api/download?id=${book.md5}`, { headers: bearer })).status).toBe(200);
    await waitFor(() => h.companion.store.get(book.md5)?.relay, 'relay');
    const bytes = world.bookBytes(book.md5);

    for (const path of ['/api/jobs/relay', `/api/jobs/${book.md5}/file`, '/api/clearance/requests']) {
      expect((await request(path)).status, path).toBe(401);
      expect((await request(path, { headers: { authorization: 'Bearer nope' } })).status, path).toBe(401);
    }
    const anonymous = await putChunk(request, book.md5, bytes, 0, 100);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: expect.any(String) });
    expect(h.companion.store.get(book.md5)?.bytesDone).toBe(0);

    expect((await request('/api/jobs/relay', { headers: bearer })).status).toBe(200);
    const withToken = (path: string, init: RequestInit = {}) =>
      request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...bearer } });
    const last = await uploadRest(withToken, book.md5, bytes, 32 * 1024);
    expect(await last.json()).toMatchObject({ complete: true });
  });
});
