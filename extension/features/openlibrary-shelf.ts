import type { ShelfEntry } from '../../shared/lists-api.js';
import { parseShelfUrl } from '../../shared/shelf-url.js';
import { readText, type ShelfSite, toEntry } from './shelf-site.js';

/**
 * Open Library `people/<user>/books/want-to-read` (and the other reading-log shelves): `li.searchResultItem` rows with
 * the work link `.booktitle a[href^="/works/"]` and author links `.bookauthor a`. The companion reads the same shelf
 * from its JSON, so a watched Open Library shelf needs no browser.
 */
export const openlibraryShelf: ShelfSite = {
  site: 'openlibrary',
  matches: ['https://openlibrary.org/*'],
  isShelfUrl: (url) => parseShelfUrl(url.href)?.site === 'openlibrary',
  read(doc) {
    const entries: ShelfEntry[] = [];
    for (const item of doc.querySelectorAll('li.searchResultItem')) {
      const link = item.querySelector('.booktitle a[href^="/works/"]');
      const work = /^\/works\/(OL\d+W)/.exec(link?.getAttribute('href') ?? '')?.[1];
      const authors = [...item.querySelectorAll('.bookauthor a')].map(readText);
      const entry = work ? toEntry(`openlibrary:/works/${work}`, readText(link), authors) : undefined;
      if (entry) entries.push(entry);
    }
    return entries;
  },
  findAnchor: (doc) => doc.querySelector('.mybooks-details h1, h1') ?? undefined,
};
