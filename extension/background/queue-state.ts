import { storage } from 'wxt/utils/storage';
import type { QueueItemView } from '../../shared/download.js';
import type { CompanionEvent } from '../../shared/events.js';
import type { MessageRouter } from './message-router.js';

export type QueueItems = ReadonlyMap<string, QueueItemView>;

/** Where a change came from: a whole list (SSE snapshot or poll) or one live event. */
export type QueueChangeSource = 'list' | 'event';

/** Queued or downloading: the items the badge counts and the live stream stays open for. */
export function isActive(item: Pick<QueueItemView, 'status'>): boolean {
  return item.status === 'queued' || item.status === 'downloading';
}

/**
 * Applies one `/api/events` event to the items (pure; returns the same map when nothing changed).
 * `clearance-needed` and `relay-needed` are not queue state: the clearance hand-off acts on them.
 */
export function applyCompanionEvent(items: QueueItems, event: CompanionEvent): QueueItems {
  switch (event.type) {
    case 'snapshot':
      return new Map(event.items.map((item) => [item.id, item]));
    case 'item':
      return new Map(items).set(event.item.id, event.item);
    case 'removed': {
      if (!event.ids.some((id) => items.has(id))) return items;
      const next = new Map(items);
      for (const id of event.ids) next.delete(id);
      return next;
    }
    case 'progress': {
      const item = items.get(event.id);
      if (!item) return items;
      const { progress, bytesDone, bytesTotal } = event;
      return new Map(items).set(event.id, { ...item, progress, bytesDone, bytesTotal });
    }
    default:
      return items;
  }
}

/** Active items first (oldest first, as the companion works them), then the finished ones, newest first. */
export function sortQueueItems(items: Iterable<QueueItemView>): QueueItemView[] {
  return [...items].sort((a, b) => {
    const activeA = isActive(a);
    if (activeA !== isActive(b)) return activeA ? -1 : 1;
    return activeA ? a.addedAtMs - b.addedAtMs : b.updatedAtMs - a.updatedAtMs;
  });
}

export type QueueListener = (next: QueueItems, previous: QueueItems | null, source: QueueChangeSource) => void;

// Session storage survives the service worker being stopped, so a restart still knows what it told the user.
const savedItem = storage.defineItem<QueueItemView[] | null>('session:queueItems', { fallback: null });

/**
 * The background's copy of the companion's queue, fed by SSE events or a poll. `previous` is `null` until the
 * first list arrives (after a browser start), so listeners can tell "first sight" from "changed".
 */
export function createQueueState({ saved = savedItem }: { saved?: typeof savedItem } = {}) {
  let items: QueueItems | null = null;
  const listeners = new Set<QueueListener>();
  const loaded = saved.getValue().then((list) => {
    if (list && items === null) items = new Map(list.map((item) => [item.id, item]));
  });

  const commit = (next: QueueItems, source: QueueChangeSource) => {
    const previous = items;
    if (next === previous) return;
    items = next;
    void saved.setValue([...next.values()]).catch(() => {});
    for (const listener of listeners) listener(next, previous, source);
  };

  return {
    /** Resolves once the saved copy (if any) is read; apply after it so diffs see it. */
    loaded,
    apply(event: CompanionEvent): void {
      commit(applyCompanionEvent(items ?? new Map(), event), event.type === 'snapshot' ? 'list' : 'event');
    },
    /** A whole list from a poll. */
    replace(list: QueueItemView[]): void {
      commit(applyCompanionEvent(items ?? new Map(), { type: 'snapshot', items: list }), 'list');
    },
    /**
     * Notes a book this browser just queued (context menu) before the companion's answer arrives, so its
     * outcome is news even when the next list already shows it finished. The next list or event replaces it.
     */
    track(id: string, nowMs = Date.now()): void {
      if (items?.has(id)) return;
      const placeholder: QueueItemView = {
        id,
        title: id,
        author: null,
        format: null,
        status: 'queued',
        priority: 0,
        progress: null,
        bytesDone: 0,
        bytesTotal: null,
        statusMessage: null,
        error: null,
        waiting: null,
        source: null,
        addedAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      commit(new Map(items ?? []).set(id, placeholder), 'event');
    },
    list(): QueueItemView[] {
      return sortQueueItems(items?.values() ?? []);
    },
    hasActive(): boolean {
      return [...(items?.values() ?? [])].some(isActive);
    },
    subscribe(listener: QueueListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Answers `queue:get`. */
    register(router: MessageRouter): void {
      router.on('queue:get', async () => {
        await loaded;
        return sortQueueItems(items?.values() ?? []);
      });
    },
  };
}

export type QueueState = ReturnType<typeof createQueueState>;
