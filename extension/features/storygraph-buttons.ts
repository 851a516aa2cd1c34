import { readStorygraphBook } from '../lib/book-identity/read-storygraph-book.js';
import type { BookSite } from './book-site.js';

/** The StoryGraph `/books/<uuid>`: buttons after the first title box's heading (book-sites.md §3). */
export const storygraphButtons: BookSite = {
  site: 'storygraph',
  matches: ['https://app.thestorygraph.com/*'],
  isBookUrl: (url) => /^\/books\/[0-9a-f-]{36}/.test(url.pathname),
  read: readStorygraphBook,
  // The title box is rendered twice (desktop and mobile); the first visible one gets the buttons.
  findAnchor: (doc) => {
    const headings = [...doc.querySelectorAll('div.book-title-author-and-series h3')];
    return headings.find((h) => (h as HTMLElement).offsetParent !== null) ?? headings[0];
  },
};
