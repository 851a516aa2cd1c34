import { beforeEach, describe, expect, it } from 'vitest';
import { toQueueItemView } from '../../../companion/queue/queue-item.js';
import { migrateQueue } from '../../../companion/queue/schema.js';
import { createQueueStore, type QueueStore } from '../../../companion/queue/store.js';
import { type Db, openDatabase } from '../../../companion/store/open-database.js';
import { queueItemView } from '../../../shared/queue-api.js';

const id = 'b'.repeat(32);

describe('queue store: transfer attempts', () => {
  let db: Db;
  let store: QueueStore;

  beforeEach(() => {
    db = openDatabase(':memory:');
    migrateQueue(db);
    store = createQueueStore({ db });
  });

  const claim = () => {
    store.enqueue({ id, title: 'A Book' });
    return store.claimNext(60_000)?.leaseId as string;
  };

  it('a new attempt shows its number, bound and source, and starts its progress empty', () => {
    const lease = claim();
    store.setProgress(id, lease, { bytesDone: 900, bytesTotal: 1000 });
    expect(
      store.startAttempt(id, lease, {
        attempt: 2,
        maxAttempts: 6,
        source: 'Anna’s Archive slow partner #4',
        statusMessage: 'Downloading from Anna’s Archive slow partner #4 (attempt 2 of 6)',
      }),
    ).toBe(true);
    expect(store.get(id)).toMatchObject({
      attempt: 2,
      maxAttempts: 6,
      source: 'Anna’s Archive slow partner #4',
      statusMessage: 'Downloading from Anna’s Archive slow partner #4 (attempt 2 of 6)',
      bytesDone: 0,
      bytesTotal: null,
      progress: null,
    });
    const view = toQueueItemView(store.get(id) as NonNullable<ReturnType<QueueStore['get']>>);
    expect(view).toMatchObject({ attempt: 2, maxAttempts: 6, source: 'Anna’s Archive slow partner #4' });
    expect(queueItemView.safeParse(view).success).toBe(true);
  });

  it('a worker without the lease cannot announce an attempt', () => {
    claim();
    const attempt = { attempt: 1, maxAttempts: 3, source: 'x', statusMessage: 'x' };
    expect(store.startAttempt(id, 'not-the-lease', attempt)).toBe(false);
    expect(store.get(id)?.attempt).toBe(0);
  });

  it('the count survives a retry later and a restart, and starts over when the book is queued again', () => {
    const lease = claim();
    store.startAttempt(id, lease, { attempt: 3, maxAttempts: 6, source: 'libgen', statusMessage: 'm' });
    store.retryLater(id, lease, 0, 'busy');
    expect(store.get(id)?.attempt).toBe(3);
    const again = store.claimNext(60_000)?.leaseId as string;
    expect(store.get(id)?.attempt).toBe(3);
    store.fail(id, again, 'boom');
    expect(store.get(id)).toMatchObject({ status: 'error', attempt: 3, maxAttempts: 6 });
    store.enqueue({ id, title: 'A Book' });
    expect(store.get(id)).toMatchObject({ status: 'queued', attempt: 0, maxAttempts: null, source: null });
  });

  it('a database from before attempts were shown gains the columns, its rows at attempt 0', () => {
    const old = openDatabase(':memory:');
    migrateQueue(old);
    old.exec('ALTER TABLE queue DROP COLUMN attempt; ALTER TABLE queue DROP COLUMN max_attempts;');
    old
      .prepare(
        `INSERT INTO queue (id, status, priority, seq, book, added_at_ms, updated_at_ms, status_changed_at_ms)
         VALUES (?, 'queued', 0, 1, '{"id":"${id}","title":"Old"}', 1, 1, 1)`,
      )
      .run(id);
    migrateQueue(old);
    expect(createQueueStore({ db: old }).get(id)).toMatchObject({
      book: { title: 'Old' },
      attempt: 0,
      maxAttempts: null,
    });
  });
});
