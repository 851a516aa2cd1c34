import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListRun, ListView } from '../../../shared/lists-api.js';
import { startBuiltCompanion } from '../../helpers/built-companion.js';
import { waitFor, worldEnv } from '../../helpers/test-companion.js';
import { type ShelfSites, shelfEnv, startShelfSites } from '../../world/shelf-sites.js';
import { startWorld, type World } from '../../world/start-world.js';

const md5Of = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('a watched shelf across a restart of the companion process', () => {
  let world: World;
  let sites: ShelfSites;
  let root: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    sites = await startShelfSites();
    root = mkdtempSync(path.join(tmpdir(), 'bookrelay-shelf-restart-'));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await sites?.close();
    await world?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the book a shelf gains lands once; the restarted companion, polling the same shelf, queues nothing again', async () => {
    // LIST_CHECK_INTERVAL=1: the companion polls the shelf every second by itself (no manual checks here).
    // STATUS_TIMEOUT=1: finished items leave the queue a second after they finish, so only the shelf's own memory
    // of handled entries can keep the restarted companion from queueing the book again.
    const env: Record<string, string> = {
      ...worldEnv(world, root),
      ...shelfEnv(sites),
      LIST_CHECK_INTERVAL: '1',
      STATUS_TIMEOUT: '1',
    };
    const ingest = env.INGEST_DIR as string;
    const book = world.addBook({
      title: 'The Lathe of Heaven',
      author: 'Ursula K. Le Guin',
      format: 'epub',
      sizeBytes: 120_000,
    });
    sites.state.set('goodreads', '4242', 'to-read', [
      { id: '1885', title: 'Pride and Prejudice', author: 'Jane Austen' },
    ]);

    const first = await startBuiltCompanion(env);
    children.push(first.child);
    const created = await fetch(`${first.base}/api/lists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://www.goodreads.com/review/list/4242-reader?shelf=to-read' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as ListView;
    const lists = async (base: string) =>
      ((await (await fetch(`${base}/api/lists`)).json()) as { lists: ListView[] }).lists;
    await waitFor(async () => (await lists(first.base))[0]?.lastCheckedAtMs, 'the baseline check');

    sites.state.add('goodreads', '4242', 'to-read', {
      id: '59716',
      title: 'The Lathe of Heaven',
      author: 'Ursula K. Le Guin',
    });
    const placed = await waitFor(
      () =>
        readdirSync(ingest)
          .map((name) => path.join(ingest, name))
          .find((file) => md5Of(file) === book.md5),
      'the shelf book in the ingest folder',
      30_000,
    );
    await stop(first.child);

    // Calibre-Web-Automated takes the file out of the ingest folder, as it does with every book it imports.
    unlinkSync(placed);
    const second = await startBuiltCompanion(env);
    children.push(second.child);
    // The first read marks the item done (its file is gone), a read a second later purges it.
    await fetch(`${second.base}/api/status`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const purged = (await (await fetch(`${second.base}/api/status`)).json()) as Record<string, Record<string, unknown>>;
    expect(Object.values(purged).every((group) => Object.keys(group).length === 0)).toBe(true);
    const restartedAt = Date.now();
    // Two polls of the unchanged shelf by the new process.
    await waitFor(
      async () => ((await lists(second.base))[0]?.lastCheckedAtMs ?? 0) > restartedAt + 1000,
      'two polls after the restart',
      20_000,
    );
    const runs = ((await (await fetch(`${second.base}/api/lists/${id}/runs`)).json()) as { runs: ListRun[] }).runs;
    const entries = runs.flatMap((run) => run.entries);
    expect(entries.filter((e) => e.outcome === 'queued').map((e) => e.md5)).toEqual([book.md5]);
    expect(entries.map((e) => e.key).sort()).toEqual(['goodreads:1885', 'goodreads:59716']);
    expect(readdirSync(ingest)).toEqual([]);
    const status = (await (await fetch(`${second.base}/api/status`)).json()) as Record<string, Record<string, unknown>>;
    expect(status.queued).toEqual({});
    expect(status.downloading).toEqual({});
    // The shelf site was polled by the second process too (it did read the shelf; it just had nothing new).
    expect(sites.requests.filter((r) => r.line === 'GET /review/list_rss/4242?shelf=to-read').length).toBeGreaterThan(
      3,
    );
    await stop(second.child);
  });
});
