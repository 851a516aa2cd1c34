import type { QueueItemView } from '../../shared/download.js';

/** What happened to a book; the payload a webhook receives (no tokens, cookies, paths or URLs). */
export interface BookNotification {
  app: 'bookrelay';
  event: 'placed' | 'failed';
  id: string;
  title: string;
  author: string | null;
  format: string | null;
  /** Why it failed (the queue's own message, which never holds secrets). */
  error: string | null;
  atMs: number;
}

/** The notification for a queue item that just reached `available` (placed) or `error`; undefined otherwise. */
export function toNotification(item: QueueItemView, atMs: number): BookNotification | undefined {
  const event = item.status === 'available' ? 'placed' : item.status === 'error' ? 'failed' : undefined;
  if (!event) return undefined;
  return {
    app: 'bookrelay',
    event,
    id: item.id,
    title: item.title,
    author: item.author,
    format: item.format,
    error: event === 'failed' ? (item.error ?? item.statusMessage ?? 'Download failed') : null,
    atMs,
  };
}
