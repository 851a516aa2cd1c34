import type { Md5 } from './book.js';
import type { QueueItemView } from './download.js';
import type { PendingClearance, RelayJob } from './relay-api.js';

/** Server-Sent Events on `GET /api/events`; the SSE `event:` field is the `type`. */
export type CompanionEvent =
  | { type: 'snapshot'; items: QueueItemView[] }
  | { type: 'item'; item: QueueItemView }
  | { type: 'removed'; ids: Md5[] }
  | { type: 'progress'; id: Md5; progress: number | null; bytesDone: number; bytesTotal: number | null }
  | { type: 'clearance-needed'; site: string; url: string; request?: PendingClearance }
  /** `url` is the first candidate; `job` has them all (as `GET /api/jobs/relay` lists it). */
  | { type: 'relay-needed'; id: Md5; url: string; job?: RelayJob };

export type CompanionEventType = CompanionEvent['type'];
