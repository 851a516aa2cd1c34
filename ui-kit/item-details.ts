import type { QueueItemView } from '../shared/download.js';

/** Fields the companion may add to a queue item (the worker's attempt counter); absent on older companions. */
export type QueueItemWithAttempts = QueueItemView & { attempt?: number | null; maxAttempts?: number | null };

/** "attempt 2 of 6 · partner 4": which try this is and where it comes from, when the companion says so. */
export function describeAttempt(item: QueueItemWithAttempts): string | null {
  const parts: string[] = [];
  if (typeof item.attempt === 'number' && item.attempt > 0) {
    parts.push(
      typeof item.maxAttempts === 'number'
        ? `attempt ${item.attempt} of ${item.maxAttempts}`
        : `attempt ${item.attempt}`,
    );
  }
  if (item.source) parts.push(item.source);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** What the user can do while an item waits on a site (named), or null when nothing is asked of them. */
export function describeWaitingHint(item: Pick<QueueItemView, 'status' | 'waiting'>): string | null {
  if (item.status !== 'downloading' || !item.waiting) return null;
  const { site, kind } = item.waiting;
  switch (kind) {
    case 'clearance':
      return `${site} asks for a browser check: open the Bookrelay extension (or ${site} in a browser with it) to pass it; a headless solve runs meanwhile if it is enabled.`;
    case 'relay':
      return `Waiting for the browser: keep a browser with the Bookrelay extension open, it fetches the file from ${site}.`;
    case 'rate-limit':
      return `${site} asked us to slow down; the download resumes by itself.`;
    case 'countdown':
      return `${site} makes everyone wait before a download; it resumes by itself.`;
  }
}
