import type { QueueItemView } from '../shared/download.js';

/**
 * The title to show for a queue item. An item queued while the source was unreachable may carry its md5 (or
 * nothing) as its title: that is said plainly instead of showing a bare hash.
 */
export function displayTitle(item: Pick<QueueItemView, 'id' | 'title'>): string {
  const title = item.title?.trim() ?? '';
  if (title && title.toLowerCase() !== item.id.toLowerCase()) return title;
  return `Unknown title (md5 ${item.id.slice(0, 8)}…)`;
}
