import type { BookInfo, Md5 } from '../../shared/book.js';
import type { DownloadStatus, QueueItemView, WaitingReason } from '../../shared/download.js';
import type { RelayCandidate } from '../../shared/relay-api.js';

/** Why and where an item waits for the browser to fetch its file (the queue's `relay` column). */
export interface RelayState {
  site: string;
  reason: string;
  candidates: RelayCandidate[];
  requestedAtMs: number;
  expiresAtMs: number;
}

/** A queue row as the companion uses it. */
export interface QueueItem {
  id: Md5;
  status: DownloadStatus;
  priority: number;
  book: BookInfo;
  addedAtMs: number;
  updatedAtMs: number;
  statusChangedAtMs: number;
  attempts: number;
  availableAtMs: number;
  leaseId: string | null;
  progress: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  statusMessage: string | null;
  waiting: WaitingReason | null;
  error: string | null;
  source: string | null;
  stagingPath: string | null;
  downloadPath: string | null;
  /** Set while the item waits for the browser relay (status stays `downloading`, no lease). */
  relay: RelayState | null;
  /** Transfers started for this item so far (each source, each resume); `progress` is the current one's. */
  attempt: number;
  /** The bound on `attempt` (MAX_RETRY), once a transfer started. */
  maxAttempts: number | null;
}

export type EnqueueResult = { item: QueueItem; created: boolean };

export interface Row {
  id: string;
  status: DownloadStatus;
  priority: number;
  seq: number;
  book: string;
  added_at_ms: number;
  updated_at_ms: number;
  status_changed_at_ms: number;
  attempts: number;
  available_at_ms: number;
  lease_id: string | null;
  lease_expires_at_ms: number | null;
  progress: number | null;
  bytes_done: number;
  bytes_total: number | null;
  status_message: string | null;
  waiting: string | null;
  error: string | null;
  source: string | null;
  staging_path: string | null;
  download_path: string | null;
  relay: string | null;
  attempt: number;
  max_attempts: number | null;
}

export function toItem(row: Row): QueueItem {
  return {
    id: row.id,
    status: row.status,
    priority: row.priority,
    book: JSON.parse(row.book) as BookInfo,
    addedAtMs: row.added_at_ms,
    updatedAtMs: row.updated_at_ms,
    statusChangedAtMs: row.status_changed_at_ms,
    attempts: row.attempts,
    availableAtMs: row.available_at_ms,
    leaseId: row.lease_id,
    progress: row.progress,
    bytesDone: row.bytes_done,
    bytesTotal: row.bytes_total,
    statusMessage: row.status_message,
    waiting: row.waiting ? (JSON.parse(row.waiting) as WaitingReason) : null,
    error: row.error,
    source: row.source,
    stagingPath: row.staging_path,
    downloadPath: row.download_path,
    relay: row.relay ? (JSON.parse(row.relay) as RelayState) : null,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
  };
}

/** The item as clients see it (`/api/events`, web UI, extension). */
export function toQueueItemView(item: QueueItem): QueueItemView {
  return {
    id: item.id,
    title: item.book.title,
    author: item.book.author ?? null,
    format: item.book.format ?? null,
    status: item.status,
    priority: item.priority,
    progress: item.progress,
    bytesDone: item.bytesDone,
    bytesTotal: item.bytesTotal,
    statusMessage: item.statusMessage,
    error: item.error,
    waiting: item.waiting,
    source: item.source,
    attempt: item.attempt,
    maxAttempts: item.maxAttempts,
    addedAtMs: item.addedAtMs,
    updatedAtMs: item.updatedAtMs,
    ...(item.downloadPath ? { fileName: item.downloadPath.split(/[\\/]/).at(-1) ?? null } : {}),
  };
}
