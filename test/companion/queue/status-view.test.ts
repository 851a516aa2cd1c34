import { beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../../companion/queue/queue-item.js';
import { migrateQueue } from '../../../companion/queue/schema.js';
import { createStatusView, type StatusView } from '../../../companion/queue/status-view.js';
import { createQueueStore, type QueueStore } from '../../../companion/queue/store.js';
import { type Db, openDatabase } from '../../../companion/store/open-database.js';
import { DOWNLOAD_STATUSES } from '../../../shared/download.js';

const md5 = (n: number) => n.toString(16).padStart(32, '0');
const book = (n: number) => ({ id: md5(n), title: `Book ${n}` });
const render = (item: QueueItem) => ({
  title: item.book.title,
  priority: item.priority,
  progress: item.progress,
  status_message: item.statusMessage ?? item.error,
});

// What /api/status sent before the view: every row read and rendered on each call.
function naive(store: QueueStore): string {
  const status = Object.fromEntries(DOWNLOAD_STATUSES.map((s) => [s, {} as Record<string, unknown>]));
  for (const item of store.list()) (status[item.status] as Record<string, unknown>)[item.id] = render(item);
  return JSON.stringify(status);
}

describe('status view', () => {
  let db: Db;
  let store: QueueStore;
  let view: StatusView;
  let clock: number;

  beforeEach(() => {
    db = openDatabase(':memory:');
    migrateQueue(db);
    clock = 1_000_000;
    store = createQueueStore({ db, now: () => clock });
    view = createStatusView(store, render);
  });

  it('matches a full re-read byte for byte, key order included, through every kind of change', () => {
    const same = () => expect(view.body()).toBe(naive(store));
    same();
    for (let n = 1; n <= 8; n++) store.enqueue(book(n), n % 3);
    same();
    const a = store.claimNext(60_000) as QueueItem;
    const b = store.claimNext(60_000) as QueueItem;
    same();
    store.setProgress(a.id, a.leaseId as string, { bytesDone: 40, bytesTotal: 100 });
    same();
    store.setProgress(a.id, a.leaseId as string, { bytesDone: 70, bytesTotal: 100, statusMessage: 'partner 2' });
    same();
    store.complete(a.id, a.leaseId as string, '/ingest/a.epub');
    store.fail(b.id, b.leaseId as string, 'every source failed');
    same();
    store.setPriority(md5(8), -5);
    store.reorder({ [md5(6)]: -9, [md5(7)]: 4 });
    same();
    store.cancel(md5(5));
    store.markDone([a.id]);
    same();
    store.clearFinished();
    same();
    store.enqueue(book(2), 1);
    clock += 10_000;
    store.purgeExpired(5_000);
    same();
    expect(Object.keys(JSON.parse(view.body()).queued)).toEqual(store.queueOrder().map((i) => i.id));
  });

  it('answers an unchanged queue with the same string, and renders only the changed item again', () => {
    for (let n = 1; n <= 50; n++) store.enqueue(book(n));
    let renders = 0;
    const counted = createStatusView(store, (item) => {
      renders++;
      return render(item);
    });
    const first = counted.body();
    expect(renders).toBe(50);
    expect(counted.body()).toBe(first);
    expect(renders).toBe(50);
    const claimed = store.claimNext(60_000) as QueueItem;
    store.setProgress(claimed.id, claimed.leaseId as string, { bytesDone: 1, bytesTotal: 2 });
    expect(JSON.parse(counted.body()).downloading[claimed.id].progress).toBe(50);
    expect(renders).toBe(51);
  });

  it('encodes the body once per change', () => {
    store.enqueue(book(1));
    const first = view.bytes();
    expect(Buffer.from(first).toString('utf8')).toBe(view.body());
    expect(view.bytes()).toBe(first);
    store.enqueue(book(2));
    expect(view.bytes()).not.toBe(first);
    expect(Buffer.from(view.bytes()).toString('utf8')).toBe(naive(store));
  });
});
