import type { BookInfo, SearchFilters } from '../../shared/book.js';
import type { QueueItemView } from '../../shared/download.js';
import type { CompanionErrorInfo } from './companion-error.js';

/**
 * Messages from content scripts, the popup and the options page to the background — the only client of the
 * companion. Each `type` maps to its request fields and its answer; a feature adds its own entries here and
 * registers a handler with `background/message-router.ts`.
 */
export interface MessageMap {
  /** Connection state as the background last saw it (no network call). */
  'connection:get': { request: Record<string, never>; response: ConnectionState };
  /** Pings the companion now and returns the fresh state. */
  'connection:test': { request: Record<string, never>; response: ConnectionState };
  search: { request: { filters: SearchFilters }; response: BookInfo[] };
  /** Queues a book; `title`/`author`/`format` let the companion queue it while AA is unreachable. */
  send: {
    request: { id: string; title?: string; author?: string; format?: string; priority?: number };
    response: { status: string };
  };
  cancel: { request: { id: string }; response: { status: 'cancelled' } };
  /** Queue items as the background holds them (SSE snapshot + updates, or the last poll). */
  'queue:get': { request: Record<string, never>; response: QueueItemView[] };
  /** Sites the companion fetches behind a bot wall (its clearance diagnostics, never cookie values). */
  'clearance:sites': { request: Record<string, never>; response: ProtectedSite[] };
}

/** A site the companion uses that sits behind a bot wall; the options page offers host access for it. */
export interface ProtectedSite {
  site: string;
  hasClearance: boolean;
  expiresAtMs: number | null;
  lastPath: string | null;
}

export type MessageType = keyof MessageMap;
export type MessageRequest<T extends MessageType> = { type: T } & MessageMap[T]['request'];
export type MessageResponse<T extends MessageType> = MessageMap[T]['response'];

/** What crosses `runtime.sendMessage`: errors become plain data (Error objects do not survive it). */
export type MessageReply<T> = { ok: true; value: T } | { ok: false; error: CompanionErrorInfo };

/** What the background knows about the companion; the UI renders it, never guesses it. */
export interface ConnectionState {
  status: 'online' | 'offline' | 'unpaired' | 'unknown';
  url: string;
  deviceName: string | null;
  /** Set when `status` is `offline` (or a call failed): why, for {@link describeCompanionError}. */
  error: CompanionErrorInfo | null;
  version: string | null;
  checkedAtMs: number | null;
}
