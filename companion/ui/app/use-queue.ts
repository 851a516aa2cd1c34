import { useEffect, useState } from 'preact/hooks';
import type { QueueItemView } from '../../../shared/download.js';
import type { CompanionEvent } from '../../../shared/events.js';
import { API_BASE } from './api.js';

export interface QueueState {
  items: QueueItemView[];
  /** False while the event stream is (re)connecting. */
  connected: boolean;
  /** Sites that asked for a browser check, from `clearance-needed` events (newest last). */
  clearance: string[];
}

/** Applies one `/api/events` event to the queue (pure, for tests). */
export function applyEvent(items: Map<string, QueueItemView>, event: CompanionEvent): Map<string, QueueItemView> {
  const next = new Map(items);
  switch (event.type) {
    case 'snapshot':
      return new Map(event.items.map((item) => [item.id, item]));
    case 'item':
      next.set(event.item.id, event.item);
      return next;
    case 'removed':
      for (const id of event.ids) next.delete(id);
      return next;
    case 'progress': {
      const item = next.get(event.id);
      if (!item) return items;
      next.set(event.id, {
        ...item,
        progress: event.progress,
        bytesDone: event.bytesDone,
        bytesTotal: event.bytesTotal,
      });
      return next;
    }
    default:
      return items;
  }
}

/** Queue order: priority (lower first), then the time it was added. */
export const byQueueOrder = (a: QueueItemView, b: QueueItemView): number =>
  a.priority - b.priority || a.addedAtMs - b.addedAtMs;

/** The live queue over Server-Sent Events (`GET /api/events`); EventSource reconnects by itself. */
export function useQueue(enabled: boolean): QueueState {
  const [items, setItems] = useState<Map<string, QueueItemView>>(new Map());
  const [connected, setConnected] = useState(false);
  const [clearance, setClearance] = useState<string[]>([]);
  // Bumped when the page comes back from the back/forward cache, to open the stream again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`${API_BASE}/events`);
    const on = (type: CompanionEvent['type']) =>
      source.addEventListener(type, (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as CompanionEvent;
        if (event.type === 'clearance-needed') {
          setClearance((sites) => [...sites.filter((site) => site !== event.site), event.site]);
        } else setItems((current) => applyEvent(current, event));
      });
    for (const type of ['snapshot', 'item', 'removed', 'progress', 'clearance-needed'] as const) on(type);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    // A page left for another keeps no stream open: browsers allow six connections per host, and pages kept in
    // the back/forward cache with an open stream would use them up.
    const onHide = () => source.close();
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) setGeneration((n) => n + 1);
    };
    addEventListener('pagehide', onHide);
    addEventListener('pageshow', onShow);
    return () => {
      source.close();
      removeEventListener('pagehide', onHide);
      removeEventListener('pageshow', onShow);
    };
  }, [enabled, generation]);
  return { items: [...items.values()].sort(byQueueOrder), connected, clearance };
}
