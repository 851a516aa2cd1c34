import { DOWNLOAD_STATUSES, type DownloadStatus } from '../../shared/download.js';
import type { QueueItem } from './queue-item.js';
import type { QueueStore } from './store.js';

const encoder = new TextEncoder();

type ViewStore = Pick<QueueStore, 'get' | 'list' | 'orderedIds' | 'subscribe'>;

/**
 * The body of `GET /api/status`, kept up to date from the store's change notifications instead of being rebuilt
 * from every row on each read: each item's JSON is rendered once and again only when that item changes; the id
 * order is re-read (one indexed column) only when items are added, removed or change state, not on progress.
 * A read with nothing changed returns the same string; otherwise the cost is the changed items plus one join.
 */
export function createStatusView(store: ViewStore, render: (item: QueueItem) => unknown) {
  const fragments = new Map<string, { status: DownloadStatus; json: string }>();
  const dirty = new Set<string>();
  let primed = false;
  let order: string[] | undefined;
  let body: string | undefined;
  let bytes: Uint8Array<ArrayBuffer> | undefined;

  const fragment = (item: QueueItem) => ({
    status: item.status,
    json: `${JSON.stringify(item.id)}:${JSON.stringify(render(item))}`,
  });

  const unsubscribe = store.subscribe(({ kind, ids }) => {
    body = undefined;
    bytes = undefined;
    if (kind !== 'progress') order = undefined;
    for (const id of ids) dirty.add(id);
  });

  return {
    /** `{"available":{id: BookInfo, …}, …}`: every status key, items in queue order (priority, then arrival). */
    body(): string {
      if (body !== undefined) return body;
      if (!primed) {
        const items = store.list();
        for (const item of items) fragments.set(item.id, fragment(item));
        order = items.map((item) => item.id);
        primed = true;
      } else {
        for (const id of dirty) {
          const item = store.get(id);
          if (item) fragments.set(id, fragment(item));
          else fragments.delete(id);
        }
      }
      dirty.clear();
      order ??= store.orderedIds();
      const parts = new Map<DownloadStatus, string[]>(DOWNLOAD_STATUSES.map((status) => [status, []]));
      for (const id of order) {
        const f = fragments.get(id);
        if (f) parts.get(f.status)?.push(f.json);
      }
      body = `{${DOWNLOAD_STATUSES.map((status) => `"${status}":{${parts.get(status)?.join(',')}}`).join(',')}}`;
      return body;
    },
    /** The same as UTF-8, encoded once per change: a 10,000-item status is megabytes, too long to encode per read. */
    bytes(): Uint8Array<ArrayBuffer> {
      if (bytes === undefined || body === undefined) bytes = encoder.encode(this.body());
      return bytes;
    },
    close: unsubscribe,
  };
}

export type StatusView = ReturnType<typeof createStatusView>;
