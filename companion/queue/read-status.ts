import type { QueueItem } from './queue-item.js';
import { refreshQueue } from './refresh-queue.js';
import { createStatusView, type StatusView } from './status-view.js';
import type { QueueStore } from './store.js';

// One kept-rendered view per store (the routes are mounted twice, under /api and /request/api).
const views = new WeakMap<QueueStore, { view: StatusView; lastPurgeMs: number }>();

/**
 * The `GET /api/status` body as UTF-8 JSON. Files CWA took are noticed on every read (CWA-BD's refresh); the age
 * purge, seconds-grained anyway, runs at most every 250 ms. Unchanged queues cost a few indexed reads.
 */
export function readStatus(store: QueueStore, statusTimeoutMs: number, render: (item: QueueItem) => unknown) {
  let entry = views.get(store);
  if (!entry) {
    entry = { view: createStatusView(store, render), lastPurgeMs: 0 };
    views.set(store, entry);
  }
  const now = Date.now();
  const purge = now - entry.lastPurgeMs >= 250;
  if (purge) entry.lastPurgeMs = now;
  refreshQueue(store, statusTimeoutMs, purge);
  return entry.view.bytes();
}
