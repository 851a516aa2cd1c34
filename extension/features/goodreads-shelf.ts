import type { ShelfEntry } from '../../shared/lists-api.js';
import { parseShelfUrl } from '../../shared/shelf-url.js';
import { readText, type ShelfSite, toEntry } from './shelf-site.js';

// "Austen, Jane" → "Jane Austen" (the table's author column is "Last, First").
const firstLast = (name: string) => name.replace(/^([^,]+),\s*(.+)$/, '$2 $1');

/**
 * Goodreads `review/list/<user>?shelf=…` (Want to Read and other shelves): the `table#books` rows, one
 * `tr.bookalike.review` per book — title link `td.field.title a`, author `td.field.author a`, ISBNs in the hidden
 * `td.field.isbn13` / `td.field.isbn` columns. Only the rows the page has loaded (Goodreads pages long shelves).
 */
export const goodreadsShelf: ShelfSite = {
  site: 'goodreads',
  matches: ['https://www.goodreads.com/*', 'https://goodreads.com/*'],
  isShelfUrl: (url) => parseShelfUrl(url.href)?.site === 'goodreads',
  read(doc) {
    const entries: ShelfEntry[] = [];
    for (const row of doc.querySelectorAll('#books tr.review, #booksBody tr.bookalike')) {
      const link = row.querySelector<HTMLAnchorElement>('td.field.title a[href*="/book/show/"]');
      const id =
        /\/book\/show\/(\d+)/.exec(link?.getAttribute('href') ?? '')?.[1] ??
        row.querySelector('[data-resource-type="Book"]')?.getAttribute('data-resource-id');
      const title = link?.getAttribute('title') || readText(link);
      const authors = [...row.querySelectorAll('td.field.author a')].map((a) => firstLast(readText(a)));
      const isbn =
        readText(row.querySelector('td.field.isbn13 .value')) || readText(row.querySelector('td.field.isbn .value'));
      const entry = id ? toEntry(`goodreads:${id}`, title, authors, isbn) : undefined;
      if (entry) entries.push(entry);
    }
    return entries;
  },
  findAnchor: (doc) => doc.querySelector('#header h1') ?? doc.querySelector('#books') ?? undefined,
};
