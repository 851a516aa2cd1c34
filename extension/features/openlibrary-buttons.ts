import { readOpenLibraryBook } from '../lib/book-identity/read-openlibrary-book.js';
import type { BookSite } from './book-site.js';

/** Open Library edition pages `/books/OL…M`: buttons after the work title (book-sites.md §4.1). */
export const openlibraryButtons: BookSite = {
  site: 'openlibrary',
  matches: ['https://openlibrary.org/*'],
  isBookUrl: (url) => /^\/books\/OL\d+M/.test(url.pathname),
  read: readOpenLibraryBook,
  findAnchor: (doc) => doc.querySelector('h1.work-title') ?? undefined,
};
