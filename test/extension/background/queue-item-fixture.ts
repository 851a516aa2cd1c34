import type { QueueItemView } from '../../../shared/download.js';

/** A queue item as the companion sends it; tests override what they look at. */
export function makeItem(overrides: Partial<QueueItemView> & Pick<QueueItemView, 'id'>): QueueItemView {
  return {
    title: `Book ${overrides.id.slice(0, 4)}`,
    author: null,
    format: 'epub',
    status: 'queued',
    priority: 0,
    progress: null,
    bytesDone: 0,
    bytesTotal: null,
    statusMessage: null,
    error: null,
    waiting: null,
    source: null,
    addedAtMs: 1_000,
    updatedAtMs: 1_000,
    ...overrides,
  };
}

export const md5 = (n: number) => n.toString(16).padStart(32, '0');
