import type { QueueItemView } from '../shared/download.js';

export type ItemTone = 'active' | 'waiting' | 'done' | 'failed' | 'idle';

/** One line saying where a queue item stands, in the user's words (pure; the popup and tests share it). */
export function describeItemStatus(
  item: Pick<QueueItemView, 'status' | 'progress' | 'error' | 'waiting' | 'statusMessage'>,
): { text: string; tone: ItemTone } {
  switch (item.status) {
    case 'queued':
      return { text: 'Queued', tone: 'active' };
    case 'downloading': {
      if (item.waiting?.kind === 'clearance')
        return { text: `Waiting for ${item.waiting.site}’s check`, tone: 'waiting' };
      if (item.waiting?.kind === 'rate-limit')
        return { text: `${item.waiting.site} is busy; retrying`, tone: 'waiting' };
      if (item.waiting?.kind === 'countdown')
        return { text: `Waiting for ${item.waiting.site}’s countdown`, tone: 'waiting' };
      if (item.progress === null) return { text: item.statusMessage ?? 'Starting download', tone: 'active' };
      return { text: `Downloading ${Math.floor(item.progress)}%`, tone: 'active' };
    }
    case 'available':
    case 'done':
      return { text: 'In library', tone: 'done' };
    case 'error':
      return { text: item.error ? `Failed: ${item.error}` : 'Failed', tone: 'failed' };
    case 'cancelled':
      return { text: 'Cancelled', tone: 'idle' };
  }
}
