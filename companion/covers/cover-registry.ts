import type { BookInfo } from '../../shared/book.js';

/**
 * Cover URLs taken from Anna's Archive results (search rows, record pages), by md5. The cover route fetches only
 * a URL found here, so it is never an open proxy. Bounded: the oldest entries go first.
 */
export interface CoverRegistry {
  remember(books: Iterable<Pick<BookInfo, 'id' | 'preview'>>): void;
  urlOf(md5: string): string | undefined;
}

export function createCoverRegistry({ maxEntries = 5000 }: { maxEntries?: number } = {}): CoverRegistry {
  const urls = new Map<string, string>();
  return {
    remember(books) {
      for (const book of books) {
        if (!book.preview || !URL.canParse(book.preview)) continue;
        const protocol = new URL(book.preview).protocol;
        if (protocol !== 'http:' && protocol !== 'https:') continue;
        urls.delete(book.id);
        urls.set(book.id, book.preview);
        if (urls.size > maxEntries) urls.delete(urls.keys().next().value as string);
      }
    },
    urlOf: (md5) => urls.get(md5),
  };
}
