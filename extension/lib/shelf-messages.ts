import type { BookInfo } from '../../shared/book.js';
import type { ListRun, ListView, ShelfEntry } from '../../shared/lists-api.js';
import type { NoMatchReason } from '../../shared/match/best-match.js';

/** One shelf entry after the best-match rule: the file that would be queued, or why none fits. */
export type ShelfPreviewItem =
  | { entry: ShelfEntry; ok: true; book: Pick<BookInfo, 'id' | 'title' | 'author' | 'format'> }
  | { entry: ShelfEntry; ok: false; reason: NoMatchReason | 'search-failed'; detail: string };

/** What *Send all* queued: md5s, and titles the companion refused. */
export interface ShelfSendAnswer {
  queued: string[];
  failed: Array<{ title: string; message: string }>;
}

/** Shelf pages and the popup's Lists view (background/shelf-handlers.ts). */
declare module './messages.js' {
  interface MessageMap {
    /** *Send all*, step 1: each entry through the best-match rule, nothing queued yet. */
    'shelf:preview': { request: { entries: ShelfEntry[] }; response: ShelfPreviewItem[] };
    /** *Send all*, step 2 (the user confirmed): queue these files. */
    'shelf:send': {
      request: { books: Array<Pick<BookInfo, 'id' | 'title' | 'author' | 'format'>> };
      response: ShelfSendAnswer;
    };
    /** *Watch this shelf*: the companion watches it; the page's entries are the baseline of an extension-read shelf. */
    'shelf:watch': { request: { url: string; entries: ShelfEntry[]; token?: string }; response: ListView };
    /** The watched shelf for a page URL, if any (the panel says *Watching*). */
    'shelf:watched': { request: { url: string }; response: ListView | null };
    /**
     * A shelf page was read (the user opened it, or the alarm opened it in a background tab): a watched shelf the
     * companion cannot read gets the page's entries; `null` when the page is not such a shelf.
     */
    'shelf:visit': { request: { url: string; entries: ShelfEntry[] }; response: ListRun | null };
    'lists:get': { request: Record<string, never>; response: ListView[] };
    'lists:runs': { request: { id: number }; response: ListRun[] };
    'lists:update': { request: { id: number; paused: boolean }; response: ListView };
    'lists:remove': { request: { id: number }; response: { id: number } };
    /** Checks a shelf now: the companion reads it, or (StoryGraph) the extension reads the page and posts it. */
    'lists:check': { request: { id: number }; response: ListRun | null };
  }
}
