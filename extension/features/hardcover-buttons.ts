import { readHardcoverBook } from '../lib/book-identity/read-hardcover-book.js';
import type { BookSite } from './book-site.js';

/** Hardcover `/books/<slug>` (no real capture; synthetic fixture): buttons after the `h1`. */
export const hardcoverButtons: BookSite = {
  site: 'hardcover',
  matches: ['https://hardcover.app/*'],
  isBookUrl: (url) => /^\/books\/[^/]+\/?$/.test(url.pathname) || /^\/books\/[^/]+\/editions\//.test(url.pathname),
  read: readHardcoverBook,
  findAnchor: (doc) => doc.querySelector('main h1, h1') ?? undefined,
};
