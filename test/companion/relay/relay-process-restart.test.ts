import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayJobList } from '../../../shared/relay-api.js';
import { exited, freePort, startBuiltCompanion } from '../../helpers/built-companion.js';
import { waitFor, worldEnv } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';
import { putChunk, uploadRest } from './relay-kit.js';

describe('a relay job survives kill -9 of the companion process between chunks', () => {
  let world: World;
  let root: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-relay-restart-'));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await world.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the job waiting and the uploaded bytes; the upload resumes from the stored offset', async () => {
    const env = worldEnv(world, root, { RELAY_SITES: '127.0.0.1', SOURCE_PRIORITY: 'aa-slow-nowait' });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const request = (p: string, init?: RequestInit) => fetch(`${base}${p}`, init);
    const book = world.books[2];
    if (!book) throw new Error('no book');
    const bytes = world.bookBytes(book.md5);

    const first = (await startBuiltCompanion(env, port)).child;
    children.push(first);
    expect((await request(`/api/download?id=${book.md5}`)).status).toBe(200);
    await waitFor(async () => {
      const { jobs } = relayJobList.parse(await (await request('/api/jobs/relay')).json());
      return jobs.some((job) => job.id === book.md5);
    }, 'the relay job');
    const half = Math.floor(bytes.length / 2);
    expect((await putChunk(request, book.md5, bytes, 0, half)).status).toBe(200);
    first.kill('SIGKILL');
    await exited(first);

    const second = (await startBuiltCompanion(env, port)).child;
    children.push(second);
    const { jobs } = relayJobList.parse(await (await request('/api/jobs/relay')).json());
    expect(jobs).toMatchObject([{ id: book.md5, offset: half, expectedBytes: bytes.length }]);
    const last = await uploadRest(request, book.md5, bytes, 512 * 1024);
    expect(await last.json()).toMatchObject({ complete: true });
    const placed = path.join(env.INGEST_DIR as string, `${book.md5}.${book.format}`);
    expect(createHash('md5').update(readFileSync(placed)).digest('hex')).toBe(book.md5);
    // The server itself never fetched the file: the browser's bytes are what landed.
    expect(world.counters.count({ origin: 'partner', md5: book.md5 })).toBe(0);
  });
});
