import { Hono } from 'hono';
import type { QueueActionResponse } from '../../shared/web-ui-api.js';
import type { Runner } from '../queue/runner.js';
import type { QueueStore } from '../queue/store.js';
import { ApiHttpError } from './http-error.js';
import { readBookId } from './read-params.js';

export interface QueueActionsDeps {
  store: QueueStore;
  runner: Runner;
}

/** The web UI's queue actions CWA-BD lacks: retry a failed or cancelled item, remove a finished one. */
export const queueActionsRoutes = ({ store, runner }: QueueActionsDeps) =>
  new Hono()
    // POST /api/queue/:id/retry
    .post('/queue/:id/retry', (c) => {
      const id = readBookId(c.req.param('id'));
      const item = store.get(id);
      if (!item) throw new ApiHttpError(404, 'Book not found in the queue');
      if (item.status !== 'error' && item.status !== 'cancelled') {
        throw new ApiHttpError(409, `Only a failed or cancelled book can be retried (this one is ${item.status})`);
      }
      // The title, author and format known when it was queued come along (never the md5 as a title).
      store.enqueue(item.book, item.priority);
      runner.wake();
      return c.json({ status: 'queued', book_id: id } satisfies QueueActionResponse);
    })
    // DELETE /api/queue/:id
    .delete('/queue/:id', (c) => {
      const id = readBookId(c.req.param('id'));
      const item = store.get(id);
      if (!item) throw new ApiHttpError(404, 'Book not found in the queue');
      if (!store.remove(id)) {
        throw new ApiHttpError(
          409,
          `Only a finished, failed or cancelled book can be removed (this one is ${item.status})`,
        );
      }
      return c.json({ status: 'removed', book_id: id } satisfies QueueActionResponse);
    });
