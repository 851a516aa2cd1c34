import type { HiddenResults } from '../../shared/api.js';
import type { BookInfo, SearchFilters } from '../../shared/book.js';
import type { QueueItemView } from '../../shared/download.js';
import type { BookIdentity } from './book-identity/types.js';
import type { BookJob } from './book-job.js';
import type { BookSearchAnswer, SendBestMatchAnswer } from './book-page-answers.js';
import type { CompanionErrorInfo } from './companion-error.js';
import type { SentBook } from './sent-books.js';

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
  /** `includeHidden` lifts the companion's default format/language filters; `hidden` says what they hid. */
  search: {
    request: { filters: SearchFilters; includeHidden?: boolean };
    response: { results: BookInfo[]; hidden: HiddenResults };
  };
  /** Queues a book; `title`/`author`/`format` let the companion queue it while AA is unreachable. */
  send: {
    request: { id: string; title?: string; author?: string; format?: string; priority?: number };
    response: { status: string };
  };
  cancel: { request: { id: string }; response: { status: 'cancelled' } };
  /** Queue items as the background holds them (SSE snapshot + updates, or the last poll). */
  'queue:get': { request: Record<string, never>; response: QueueItemView[] };
  /** Book pages: search for the page's book, ISBN first, then title + author. */
  'book:search': { request: { identity: BookIdentity }; response: BookSearchAnswer };
  /** Book pages: search, pick the best match, queue it — or say why nothing fits. */
  'book:send-best-match': { request: { identity: BookIdentity }; response: SendBestMatchAnswer };
  /** Book pages: queue one result the user picked (search panel, AA rows) and remember it for the page. */
  'book:send-result': {
    request: { book: Pick<BookInfo, 'id' | 'title' | 'author' | 'format'>; identity?: BookIdentity };
    response: { md5: string };
  };
  /** Book pages: one job's state from the companion's `/api/status`. */
  'book:job': { request: { md5: string }; response: BookJob };
  /** Book pages: the book already sent for this page (same md5 or ISBN), if any. */
  'book:sent': { request: { identity: BookIdentity }; response: SentBook | null };
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
// `Record<string, never>` (no fields) would make `{ type }` itself impossible, so it adds nothing here.
export type MessageRequest<T extends MessageType> = { type: T } & (MessageMap[T]['request'] extends Record<
  string,
  never
>
  ? unknown
  : MessageMap[T]['request']);
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
  /** What the companion announced in its last `GET /api/ping` (`lists`, …); absent until a ping has answered. */
  capabilities?: readonly string[];
}

/** Before the background has checked anything. */
export const UNKNOWN_CONNECTION: ConnectionState = Object.freeze({
  status: 'unknown',
  url: '',
  deviceName: null,
  error: null,
  version: null,
  checkedAtMs: null,
});

/** What the options page shows for preferences: the user's choice (`null` = companion default) and the defaults. */
export interface PreferencesView {
  preferences: { formats: string[] | null; languages: string[] | null };
  defaults: { formats: string[]; languages: string[] };
}

/** Pairing and options-page messages (background/pairing-handlers.ts). */
export interface MessageMap {
  /** Stores a new companion URL once the extension may reach its origin, then pings it; a new origin forgets the token. */
  'connection:set-url': { request: { url: string }; response: ConnectionState };
  /** Redeems a one-time pairing code (at `url` when given) for a device token, stores it and pings again. */
  pair: { request: { code: string; deviceName: string; url?: string }; response: ConnectionState };
  /** Asks the companion to revoke this device's token (best effort), then forgets it; `revoked` says if it did. */
  unpair: { request: Record<string, never>; response: { state: ConnectionState; revoked: boolean } };
  'preferences:get': { request: Record<string, never>; response: PreferencesView };
  /** `null` for a list means "use the companion's defaults". */
  'preferences:set': { request: PreferencesView['preferences']; response: PreferencesView };
}
