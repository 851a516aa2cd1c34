import type { BookInfo } from '../../../shared/book.js';
import type { QueueItemView } from '../../../shared/download.js';
import type { QueueActionResponse } from '../../../shared/web-ui-api.js';
import { api } from './api.js';

const id = (item: Pick<QueueItemView, 'id'>) => encodeURIComponent(item.id);

/** Queues a book; its title, author and format go along so a failed lookup never leaves an md5 as the title. */
export function download(book: BookInfo, priority: number): Promise<unknown> {
  const params = new URLSearchParams({ id: book.id, priority: String(priority), title: book.title });
  if (book.author) params.set('author', book.author);
  if (book.format) params.set('format', book.format);
  return api(`/download?${params}`);
}

export const cancel = (item: QueueItemView) => api(`/download/${id(item)}/cancel`, { method: 'DELETE' });
export const retry = (item: QueueItemView) => api<QueueActionResponse>(`/queue/${id(item)}/retry`, { method: 'POST' });
export const remove = (item: QueueItemView) => api<QueueActionResponse>(`/queue/${id(item)}`, { method: 'DELETE' });
export const clearFinished = () => api('/queue/clear', { method: 'DELETE' });

/** The queued items' new order as CWA-BD's `book_priorities` (position = priority, first = 0). */
export function orderToPriorities(ids: string[]): Record<string, number> {
  return Object.fromEntries(ids.map((itemId, index) => [itemId, index]));
}

/** `ids` with the one at `from` moved to `to` (pure). */
export function move(ids: string[], from: number, to: number): string[] {
  if (from === to || from < 0 || to < 0 || from >= ids.length || to >= ids.length) return ids;
  const next = [...ids];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved as string);
  return next;
}

export const reorder = (ids: string[]) =>
  api('/queue/reorder', { method: 'POST', body: { book_priorities: orderToPriorities(ids) } });

export const setPriority = (item: QueueItemView, priority: number) =>
  api(`/queue/${id(item)}/priority`, { method: 'PUT', body: { priority } });
