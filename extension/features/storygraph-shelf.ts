import type { ShelfEntry } from '../../shared/lists-api.js';
import { parseShelfUrl } from '../../shared/shelf-url.js';
import { readText, type ShelfSite, toEntry } from './shelf-site.js';

/**
 * StoryGraph `to-read/<user>`: one `div.book-pane[data-book-id]` per book, the title link `a[href^="/books/"]` in
 * `.book-title-author-and-series`, author links `a[href^="/authors/"]`. StoryGraph has no feed: a watched To-Read
 * pile is read from this page by the extension (on an alarm) and posted to the companion.
 */
export const storygraphShelf: ShelfSite = {
  site: 'storygraph',
  matches: ['https://app.thestorygraph.com/*'],
  isShelfUrl: (url) => parseShelfUrl(url.href)?.site === 'storygraph',
  read(doc) {
    const entries: ShelfEntry[] = [];
    for (const pane of doc.querySelectorAll('.book-pane[data-book-id]')) {
      const id = pane.getAttribute('data-book-id') ?? '';
      const block = pane.querySelector('.book-title-author-and-series') ?? pane;
      const title = readText(block.querySelector('h3 a[href^="/books/"]') ?? block.querySelector('a[href^="/books/"]'));
      const authors = [...block.querySelectorAll('a[href^="/authors/"]')].map(readText);
      const entry = toEntry(`storygraph:${id}`, title, authors);
      if (entry) entries.push(entry);
    }
    return entries;
  },
  findAnchor: (doc) => doc.querySelector('main h4') ?? doc.querySelector('main') ?? undefined,
};
