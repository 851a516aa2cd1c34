import { storage } from 'wxt/utils/storage';
import type { BookIdentity } from './book-identity/types.js';

/** A book this browser sent: its md5 and the ISBNs of the page it was sent from, so that page says *In library*. */
export interface SentBook {
  md5: string;
  isbns: string[];
  title: string;
  sentAtMs: number;
  /** True once the companion reported it done (in the ingest folder). */
  done: boolean;
}

const MAX_SENT_BOOKS = 1000;

export const sentBooksItem = storage.defineItem<Record<string, SentBook>>('local:sentBooks', {
  fallback: {},
  version: 1,
});

function isbnsOf(identity: Pick<BookIdentity, 'isbn13' | 'isbn10'>): string[] {
  return [identity.isbn13, identity.isbn10].filter((isbn): isbn is string => Boolean(isbn));
}

/** Records (or updates) a sent book; the oldest entries go past {@link MAX_SENT_BOOKS}. */
export async function recordSentBook(
  book: { md5: string; title: string; identity?: Pick<BookIdentity, 'isbn13' | 'isbn10'> | undefined; done?: boolean },
  now: () => number = Date.now,
): Promise<SentBook> {
  const all = await sentBooksItem.getValue();
  const previous = all[book.md5];
  const entry: SentBook = {
    md5: book.md5,
    isbns: [...new Set([...(previous?.isbns ?? []), ...(book.identity ? isbnsOf(book.identity) : [])])],
    title: book.title || previous?.title || book.md5,
    sentAtMs: previous?.sentAtMs ?? now(),
    done: book.done ?? previous?.done ?? false,
  };
  const next = { ...all, [book.md5]: entry };
  const keys = Object.keys(next);
  if (keys.length > MAX_SENT_BOOKS) {
    for (const old of keys
      .sort((a, b) => (next[a]?.sentAtMs ?? 0) - (next[b]?.sentAtMs ?? 0))
      .slice(0, keys.length - MAX_SENT_BOOKS))
      delete next[old];
  }
  await sentBooksItem.setValue(next);
  return entry;
}

/** The sent book for a page: the same md5 (AA record pages), else the same ISBN. */
export async function findSentBook(
  identity: Pick<BookIdentity, 'md5' | 'isbn13' | 'isbn10'>,
): Promise<SentBook | undefined> {
  const all = await sentBooksItem.getValue();
  if (identity.md5 && all[identity.md5]) return all[identity.md5];
  const isbns = isbnsOf(identity);
  if (isbns.length === 0) return undefined;
  return Object.values(all).find((book) => book.isbns.some((isbn) => isbns.includes(isbn)));
}
