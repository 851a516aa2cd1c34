import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exited, startBuiltCompanion } from '../helpers/built-companion.js';
import { waitFor, worldEnv } from '../helpers/test-companion.js';
import { startWorld, type World } from '../world/start-world.js';

describe('the companion process survives kill -9 and SIGTERM mid-download', () => {
  let world: World;
  let root: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
  });
  afterAll(async () => {
    await world.close();
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    world.setThroughput('partner', undefined);
    rmSync(root, { recursive: true, force: true });
  });

  const status = async (base: string, id: string) => {
    const all = (await (await fetch(`${base}/api/status`)).json()) as Record<
      string,
      Record<string, { progress: number | null }>
    >;
    const entry = Object.entries(all).find(([, items]) => items[id]);
    return entry ? { status: entry[0], progress: entry[1][id].progress } : undefined;
  };

  async function startDownloadAndWaitForBytes(bookSize: number) {
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-restart-'));
    env = worldEnv(world, root);
    const book = world.addBook({ title: `Restart ${Math.random()}`, format: 'epub', sizeBytes: bookSize });
    world.setThroughput('partner', 400_000);
    const first = await startBuiltCompanion(env);
    children.push(first.child);
    await fetch(`${first.base}/api/download?id=${book.md5}`);
    await waitFor(async () => ((await status(first.base, book.md5))?.progress ?? 0) > 15, 'progress above 15%');
    // What a restart can resume from is what reached the disk, not what the status says.
    const partial = path.join(env.DATA_DIR, 'staging', `${book.md5}.part`);
    await waitFor(() => existsSync(partial) && statSync(partial).size > 0, 'bytes on disk');
    return { book, first };
  }

  it('after kill -9 the item resumes from its partial file by Range and finishes with the right bytes', async () => {
    const { book, first } = await startDownloadAndWaitForBytes(1_500_000);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const staging = readdirSync(path.join(env.DATA_DIR, 'staging'));
    expect(staging).toEqual([`${book.md5}.part`]);
    expect(readdirSync(env.INGEST_DIR)).toEqual([]);

    world.setThroughput('partner', undefined);
    const second = await startBuiltCompanion(env);
    children.push(second.child);
    await waitFor(async () => (await status(second.base, book.md5))?.status === 'available', 'available after restart');
    const placed = path.join(env.INGEST_DIR, `${book.md5}.epub`);
    expect(createHash('md5').update(readFileSync(placed)).digest('hex')).toBe(book.md5);
    const resumed = world.counters.records.filter(
      (r) => r.md5 === book.md5 && r.range && !r.range.startsWith('bytes=0-'),
    );
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('SIGTERM stops workers, exits 0 and leaves the item queued with its partial file', async () => {
    const { book, first } = await startDownloadAndWaitForBytes(1_500_000);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(readdirSync(path.join(env.DATA_DIR, 'staging'))).toEqual([`${book.md5}.part`]);
    expect(readdirSync(env.INGEST_DIR)).toEqual([]);

    world.setThroughput('partner', undefined);
    const second = await startBuiltCompanion(env);
    children.push(second.child);
    await waitFor(async () => (await status(second.base, book.md5))?.status === 'available', 'available after restart');
    expect(readdirSync(path.join(env.DATA_DIR, 'staging'))).toEqual([]);
  });
});
