import type { BookInfo, Md5 } from './book.js';

/** CWA-BD's statuses, in its wire order (alphabetical, as Flask sorts keys). */
export const DOWNLOAD_STATUSES = ['available', 'cancelled', 'done', 'downloading', 'error', 'queued'] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];

/** `GET /api/status`: every status key, each a map from id to the full BookInfo (nulls included). */
export type StatusResponse = Record<DownloadStatus, Record<Md5, BookInfo>>;

/** One row of `GET /api/queue/order`. */
export interface QueueOrderItem {
  id: Md5;
  title: string;
  author: string | null;
  priority: number;
  /** Epoch seconds (float), as CWA-BD. */
  added_time: number;
  status: DownloadStatus;
}

/** Why a downloading item is paused, shown to the user. */
export interface WaitingReason {
  kind: 'clearance' | 'rate-limit' | 'countdown' | 'relay';
  site: string;
  untilMs?: number;
}

/** The Bookrelay view of a queue item (`/api/events`, web UI, extension). */
export interface QueueItemView {
  id: Md5;
  title: string;
  author: string | null;
  format: string | null;
  status: DownloadStatus;
  priority: number;
  progress: number | null;
  bytesDone: number;
  bytesTotal: number | null;
  statusMessage: string | null;
  error: string | null;
  waiting: WaitingReason | null;
  /** Where the current (or last) transfer comes from, e.g. "Anna's Archive slow partner #5". */
  source: string | null;
  /** The current transfer's number (each source and each resume counts); `progress` is that attempt's. */
  attempt?: number;
  /** The bound on attempts (MAX_RETRY); null before the first transfer. */
  maxAttempts?: number | null;
  addedAtMs: number;
  updatedAtMs: number;
  /** The file name placed in the ingest folder, while the companion knows it. */
  fileName?: string | null;
}
