import { existsSync } from 'node:fs';
import type { QueueStore } from './store.js';

/**
 * CWA-BD's refresh: an `available` book whose file has left the ingest folder (CWA picked it up) becomes `done`;
 * finished items older than STATUS_TIMEOUT are purged. Runs on every `/api/status`, so it reads only the
 * `available` rows and an indexed age range, never the whole queue; `purge: false` skips the age range.
 */
export function refreshQueue(store: QueueStore, statusTimeoutMs: number, purge = true): void {
  const gone = store
    .availableFiles()
    .filter((item) => !item.downloadPath || !existsSync(item.downloadPath))
    .map((item) => item.id);
  if (gone.length > 0) store.markDone(gone);
  if (purge) store.purgeExpired(statusTimeoutMs);
}
