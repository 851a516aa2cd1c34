/** Book sites the extension knows; only some have a reader (Hardcover has no real capture yet). */
export type SiteId =
  | 'goodreads'
  | 'amazon'
  | 'storygraph'
  | 'openlibrary'
  | 'googlebooks'
  | 'hardcover'
  | 'annas-archive';

/** What a book page says about the book: identifiers, bare title and real authors only. */
export interface BookIdentity {
  isbn13?: string;
  isbn10?: string;
  asin?: string;
  /** Anna's Archive record pages: the file itself, so "Send" queues exactly this md5. */
  md5?: string;
  title?: string;
  authors: string[];
  site: SiteId;
  sourceUrl: string;
}

/** Why a page gave no book: not a book page, a bot check, or a page we no longer understand. */
export interface ReadError {
  kind: 'not-a-book-page' | 'captcha' | 'layout-changed';
  detail: string;
}

/** Readers never throw on page content; callers switch on `ok` and then `error.kind`. */
export type ReadResult = { ok: true; value: BookIdentity } | { ok: false; error: ReadError };
