import * as z from 'zod/mini';
import { DOWNLOAD_STATUSES } from './download.js';

/** `GET /api/queue/items`: the Bookrelay queue view, for clients that poll instead of holding `/api/events` open. */
export const QUEUE_ITEMS_PATH = '/api/queue/items';

const waitingReason = z.object({
  kind: z.enum(['clearance', 'rate-limit', 'countdown', 'relay']),
  site: z.string(),
  untilMs: z.optional(z.number()),
});

/** One `QueueItemView` (shared/download.ts) as a schema, so the extension checks what the companion sends. */
export const queueItemView = z.object({
  id: z.string(),
  title: z.string(),
  author: z.nullable(z.string()),
  format: z.nullable(z.string()),
  status: z.enum(DOWNLOAD_STATUSES),
  priority: z.number(),
  progress: z.nullable(z.number()),
  bytesDone: z.number(),
  bytesTotal: z.nullable(z.number()),
  statusMessage: z.nullable(z.string()),
  error: z.nullable(z.string()),
  waiting: z.nullable(waitingReason),
  source: z.nullable(z.string()),
  attempt: z.optional(z.number()),
  maxAttempts: z.optional(z.nullable(z.number())),
  addedAtMs: z.number(),
  updatedAtMs: z.number(),
  fileName: z.optional(z.nullable(z.string())),
});

export const queueItemsResponse = z.object({ items: z.array(queueItemView) });
export type QueueItemsResponse = z.infer<typeof queueItemsResponse>;
