import type { ShelfEntry } from '../../shared/lists-api.js';
import { parseShelfUrl } from '../../shared/shelf-url.js';
import { readText, type ShelfSite, toEntry } from './shelf-site.js';

/**
 * Hardcover `@<user>/books/want-to-read` and `@<user>/lists/<slug>`. No capture of these pages exists; the reader
 * assumes what Hardcover's book pages show (book-sites.md §6): book links `a[href^="/books/<slug>"]` with the title
 * as text, author links `a[href^="/authors/"]` in the same card. With a Hardcover API token the companion reads the
 * shelf itself, so this reader only serves *Send all* and watching without a token.
 */
export const hardcoverShelf: ShelfSite = {
  site: 'hardcover',
  matches: ['https://hardcover.app/*'],
  isShelfUrl: (url) => parseShelfUrl(url.href)?.site === 'hardcover',
  read(doc) {
    const entries: ShelfEntry[] = [];
    for (const link of doc.querySelectorAll('main a[href^="/books/"]')) {
      const slug = /^\/books\/([a-z0-9-]+)\/?$/.exec(link.getAttribute('href') ?? '')?.[1];
      const title = readText(link);
      if (!slug || !title) continue;
      const card = link.closest('li, article, [data-testid]') ?? link.parentElement;
      const authors = [...(card?.querySelectorAll('a[href^="/authors/"]') ?? [])].map(readText);
      const entry = toEntry(`hardcover:${slug}`, title, authors);
      if (entry) entries.push(entry);
    }
    return entries;
  },
  findAnchor: (doc) => doc.querySelector('main h1') ?? undefined,
};
