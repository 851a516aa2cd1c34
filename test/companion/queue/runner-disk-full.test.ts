import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../companion/logger.js';
import { createRunner } from '../../../companion/queue/runner.js';
import { migrateQueue } from '../../../companion/queue/schema.js';
import { createQueueStore } from '../../../companion/queue/store.js';
import { isDiskFull } from '../../../companion/store/disk-space.js';
import { openDatabase } from '../../../companion/store/open-database.js';
import { waitFor } from '../../helpers/test-companion.js';

const md5 = (n: number) => n.toString(16).padStart(32, '0');

describe('the runner on a full disk (a real SQLite database capped with max_page_count)', () => {
  it('fails the item with "disk full", reports it, claims nothing while paused and carries on once there is room', async () => {
    const db = openDatabase(':memory:');
    migrateQueue(db);
    db.exec('CREATE TABLE filler (bytes BLOB)');
    const store = createQueueStore({ db });
    store.enqueue({ id: md5(1), title: 'Fills the disk' });
    store.enqueue({ id: md5(2), title: 'Waits for room' });
    const reported: unknown[] = [];
    let full = false;
    const processed: string[] = [];

    const runner = createRunner({
      store,
      logger: silentLogger,
      concurrency: 1,
      stallTimeoutMs: 60_000,
      pollIntervalMs: 50,
      isRetryable: () => true,
      onDiskFull: (err) => {
        reported.push(err);
        full = true;
      },
      paused: () => full,
      process: async (item) => {
        processed.push(item.id);
        if (item.id !== md5(1)) return `/ingest/${item.id}.epub`;
        // The job's own writes fill the database until SQLite itself says it is full.
        db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 8}`);
        const insert = db.prepare('INSERT INTO filler VALUES (randomblob(1000))');
        for (;;) insert.run();
      },
    });
    runner.start();

    const failed = await waitFor(
      () => (store.get(md5(1))?.status === 'error' ? store.get(md5(1)) : undefined),
      'error',
    );
    expect(failed?.error).toMatch(/^Disk full/);
    expect(reported).toHaveLength(1);
    expect(isDiskFull(reported[0])).toBe(true);
    expect((reported[0] as { code?: string }).code).toBe('SQLITE_FULL');

    // Paused: the second item waits although a slot is free.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processed).toEqual([md5(1)]);
    expect(store.get(md5(2))?.status).toBe('queued');

    // Room again: the filler goes, the queue moves on.
    db.exec('DELETE FROM filler');
    full = false;
    await waitFor(() => store.get(md5(2))?.status === 'available', 'the second item');
    await runner.stop();
    db.close();
  });
});
