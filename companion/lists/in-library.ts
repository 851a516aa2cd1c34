import type { BookInfo } from '../../shared/book.js';
import type { ShelfEntry } from '../../shared/lists-api.js';
import type { QueueItem } from '../queue/queue-item.js';

/** Statuses that mean the book is in the library or on its way; an error or a cancel may be queued again. */
const HELD = new Set(['queued', 'downloading', 'available', 'done']);

const isbnsOf = (book: BookInfo): string[] =>
  Object.entries(book.info ?? {})
    .filter(([key]) => /isbn/i.test(key))
    .flatMap(([, values]) => values.map((value) => value.replace(/[^0-9Xx]/g, '').toUpperCase()));

/** The queue item that already holds this shelf entry's book: the same md5, or the same ISBN. */
export function findInLibrary(items: QueueItem[], wanted: { md5?: string; entry?: ShelfEntry }): QueueItem | undefined {
  const isbns = [wanted.entry?.isbn13, wanted.entry?.isbn10].filter((isbn): isbn is string => Boolean(isbn));
  return items.find(
    (item) =>
      HELD.has(item.status) &&
      ((wanted.md5 !== undefined && item.id === wanted.md5.toLowerCase()) ||
        (isbns.length > 0 && isbnsOf(item.book).some((isbn) => isbns.includes(isbn)))),
  );
}
