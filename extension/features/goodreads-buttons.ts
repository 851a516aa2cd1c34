import { readGoodreadsBook } from '../lib/book-identity/read-goodreads-book.js';
import type { BookSite } from './book-site.js';

/** Goodreads `/book/show/<id>`: buttons after the title heading (book-sites.md §1). */
export const goodreadsButtons: BookSite = {
  site: 'goodreads',
  matches: ['https://www.goodreads.com/*', 'https://goodreads.com/*'],
  isBookUrl: (url) => /^\/book\/show\/\d+/.test(url.pathname),
  read: readGoodreadsBook,
  findAnchor: (doc) => doc.querySelector('h1[data-testid="bookTitle"]') ?? undefined,
};
