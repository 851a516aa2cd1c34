import { Hono } from 'hono';
import type { QueueItemsResponse } from '../../shared/queue-api.js';
import { toQueueItemView } from '../queue/queue-item.js';
import { refreshQueue } from '../queue/refresh-queue.js';
import type { QueueStore } from '../queue/store.js';

export interface QueueItemsDeps {
  store: QueueStore;
  /** CWA-BD's STATUS_TIMEOUT: finished items older than this are purged on read, as `/api/status` does. */
  statusTimeoutMs: number;
}

/** The queue as Bookrelay clients see it (the same view `/api/events` streams), for the extension's alarm poll. */
export const queueItemsRoutes = ({ store, statusTimeoutMs }: QueueItemsDeps) =>
  new Hono()
    // GET /api/queue/items
    .get('/queue/items', (c) => {
      refreshQueue(store, statusTimeoutMs);
      return c.json({ items: store.list().map(toQueueItemView) } satisfies QueueItemsResponse);
    });
