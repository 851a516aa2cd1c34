import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadFileError, fetchToStaging, Md5MismatchError } from '../../../companion/download/fetch-to-staging.js';
import { UpstreamHttpError, UpstreamNetworkError } from '../../../companion/errors.js';
import { createHttpClient } from '../../../companion/net/create-http-client.js';
import type { HttpClient } from '../../../companion/net/http-client.js';
import { startWorld, type World } from '../../world/start-world.js';

describe('fetchToStaging against the world partner server', () => {
  let world: World;
  let client: HttpClient;
  let dir: string;

  beforeAll(async () => {
    world = await startWorld();
    client = createHttpClient({ bodyTimeoutMs: 5000, headersTimeoutMs: 5000 });
  });
  afterAll(async () => {
    await client.close();
    await world.close();
  });
  beforeEach(() => {
    world.reset();
    dir = mkdtempSync(path.join(tmpdir(), 'bookrelay-staging-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  const biggest = () => [...world.books].sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
  const fileUrl = (md5: string) => `${world.origins.partner}/file/${md5}/book`;
  const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

  it('streams the whole file and checks its md5 against the id', async () => {
    const book = biggest();
    const seen: number[] = [];
    const staged = await fetchToStaging({
      client,
      url: fileUrl(book.md5),
      stagingPath: path.join(dir, 'a.part'),
      expectedMd5: book.md5,
      onProgress: (done, total) => {
        expect(total).toBe(book.sizeBytes);
        seen.push(done);
      },
    });
    expect(staged).toMatchObject({ bytes: book.sizeBytes, md5: book.md5, resumed: false });
    expect(md5Of(staged.path)).toBe(book.md5);
    expect(seen.at(-1)).toBe(book.sizeBytes);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('keeps the partial file when the connection dies and resumes it with Range', async () => {
    const book = biggest();
    const stagingPath = path.join(dir, 'b.part');
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'drop-after', bytes: 20_000, once: true });
    await expect(
      fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 }),
    ).rejects.toBeInstanceOf(UpstreamNetworkError);
    const partial = statSync(stagingPath).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(book.sizeBytes);

    const staged = await fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 });
    expect(staged).toMatchObject({ resumed: true, bytes: book.sizeBytes, md5: book.md5 });
    expect(md5Of(stagingPath)).toBe(book.md5);
  });

  it('resumes at exactly the size of the partial file, and the resume carries only the rest', async () => {
    const book = biggest();
    const stagingPath = path.join(dir, 'exact.part');
    writeFileSync(stagingPath, world.bookBytes(book.md5).subarray(0, 123_457));
    const seen: number[] = [];
    const staged = await fetchToStaging({
      client,
      url: fileUrl(book.md5),
      stagingPath,
      expectedMd5: book.md5,
      onProgress: (done) => seen.push(done),
    });
    expect(staged).toMatchObject({ resumed: true, bytes: book.sizeBytes, md5: book.md5 });
    const [only, ...more] = world.counters.records.filter((r) => r.md5 === book.md5);
    expect(more).toEqual([]);
    expect(only).toMatchObject({ range: 'bytes=123457-', status: 206, bytesSent: book.sizeBytes - 123_457 });
    // The first progress is the offset it continues from, and it only grows.
    expect(seen[0]).toBe(123_457);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('starts the partial file over when the server ignores Range (200 with the whole file)', async () => {
    const book = biggest();
    const stagingPath = path.join(dir, 'ignored.part');
    writeFileSync(stagingPath, world.bookBytes(book.md5).subarray(0, 50_000));
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'ignore-range', once: true });
    const staged = await fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 });
    expect(staged).toMatchObject({ resumed: false, bytes: book.sizeBytes, md5: book.md5 });
    expect(statSync(stagingPath).size).toBe(book.sizeBytes);
    expect(md5Of(stagingPath)).toBe(book.md5);
    expect(world.counters.count({ origin: 'partner', md5: book.md5 })).toBe(1);
  });

  it('does not append a 206 that starts elsewhere than the partial file ends', async () => {
    const book = biggest();
    const stagingPath = path.join(dir, 'elsewhere.part');
    writeFileSync(stagingPath, world.bookBytes(book.md5).subarray(0, 40_000));
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'shift-range', by: 1, once: true });
    await expect(
      fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 }),
    ).rejects.toThrow(/sent bytes from 40001 instead of 40000/);
    // The partial is dropped, so the next attempt fetches the whole file instead of a gap.
    expect(existsSync(stagingPath)).toBe(false);
    const staged = await fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 });
    expect(staged).toMatchObject({ resumed: false, md5: book.md5 });
  });

  it('rejects and deletes a file whose bytes do not match the md5', async () => {
    const book = world.books[0];
    const stagingPath = path.join(dir, 'c.part');
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'wrong-bytes' });
    const err = await fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(BadFileError);
    expect(err).toBeInstanceOf(Md5MismatchError);
    expect(err).toMatchObject({ expected: book.md5, actual: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(err.actual).not.toBe(book.md5);
    expect(err.message).toMatch(new RegExp(`Expected md5 ${book.md5}`));
    expect(existsSync(stagingPath)).toBe(false);
  });

  it('rejects an HTML page served instead of the file', async () => {
    const book = world.books[0];
    const stagingPath = path.join(dir, 'd.part');
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'html-instead' });
    await expect(
      fetchToStaging({ client, url: fileUrl(book.md5), stagingPath, expectedMd5: book.md5 }),
    ).rejects.toThrow(/got an HTML page/);
    expect(existsSync(stagingPath)).toBe(false);
  });

  it('reports 429 with the Retry-After it was given', async () => {
    const book = world.books[0];
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'status', status: 429, retryAfterSeconds: 7 });
    const err = await fetchToStaging({
      client,
      url: fileUrl(book.md5),
      stagingPath: path.join(dir, 'e.part'),
      expectedMd5: book.md5,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 7000 });
  });

  it('stops at once when aborted, keeping what it has for a later resume', async () => {
    const book = biggest();
    const stagingPath = path.join(dir, 'f.part');
    world.faults.set({ origin: 'partner', md5: book.md5 }, { kind: 'slow', bytesPerSecond: 50_000 });
    const controller = new AbortController();
    const pending = fetchToStaging({
      client,
      url: fileUrl(book.md5),
      stagingPath,
      expectedMd5: book.md5,
      signal: controller.signal,
      onProgress: (done) => {
        if (done > 10_000) controller.abort(new Error('cancelled by test'));
      },
    });
    await expect(pending).rejects.toThrow(/cancelled by test/);
    expect(statSync(stagingPath).size).toBeLessThan(book.sizeBytes);
  });

  it('rejects a tiny body as an error page, even when its md5 would match', async () => {
    const tiny = world.addBook({ title: 'Tiny', format: 'epub', sizeBytes: 600 });
    const stagingPath = path.join(dir, 'g.part');
    await expect(
      fetchToStaging({ client, url: fileUrl(tiny.md5), stagingPath, expectedMd5: tiny.md5 }),
    ).rejects.toThrow(/got 600 bytes/);
    expect(existsSync(stagingPath)).toBe(false);
  });
});
