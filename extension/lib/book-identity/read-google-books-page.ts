import { pairIsbns } from './normalize-isbn.js';
import { failRead, succeedRead } from './read-result.js';
import { cleanText, dedupeNames, readText } from './read-text.js';
import type { ReadResult } from './types.js';

// No real HTML capture exists (book-sites.md §5.2): the classic "About this book" page as scrapers describe it —
// `#metadata_content_table tr.metadata_row` label/value rows, `h1.booktitle`, `<title>` "<Title> - <Author> - Google Books".
function readMetadataRows(doc: Document): Map<string, string> {
  const rows = new Map<string, string>();
  for (const row of doc.querySelectorAll('#metadata_content_table tr')) {
    const label = readText(row.querySelector('td.metadata_label'))?.replace(/:$/, '').toLowerCase();
    const value = readText(row.querySelector('td.metadata_value'));
    if (label && value && !rows.has(label)) rows.set(label, value);
  }
  return rows;
}

/** The volume id of a Google Books URL (`?id=`), the stable key (book-sites.md §5.1). */
export function readGoogleBooksVolumeId(url: URL): string | undefined {
  const id = url.searchParams.get('id') ?? /\/books\/edition\/[^/]*\/([\w-]{12})/.exec(url.pathname)?.[1];
  return id && /^[\w-]{12}$/.test(id) ? id : undefined;
}

/** Reads a Google Books volume page (books.google.com, `/books?id=…`); never throws on page content. */
export function readGoogleBooksPage(doc: Document, url: URL): ReadResult {
  const rows = readMetadataRows(doc);
  // "<Title> - <Author> - Google Books" (localised: "Google Libros", "Google Bücher"…).
  const titleParts = doc.title.split(/\s+-\s+/);
  const fromTitle = titleParts.length >= 3 ? titleParts.slice(0, -2).join(' - ') : undefined;
  const title = readText(doc.querySelector('h1.booktitle')) ?? rows.get('title') ?? cleanText(fromTitle);
  const authorRow = rows.get('author') ?? rows.get('authors');
  const authors = dedupeNames(
    authorRow ? authorRow.split(/,\s*/) : [titleParts.length >= 3 ? titleParts.at(-2) : undefined],
  );
  const isbns = pairIsbns((rows.get('isbn') ?? '').split(/[,\s]+/));
  if (!title && !isbns.isbn13 && !isbns.isbn10) {
    return readGoogleBooksVolumeId(url) && doc.querySelector('#metadata_content_table, h1')
      ? failRead('layout-changed', `Expected a title or ISBN on the Google Books page ${url.search}, found neither`)
      : failRead('not-a-book-page', `No Google Books volume on ${url.pathname}`);
  }
  return succeedRead({ ...isbns, ...(title ? { title } : {}), authors, site: 'googlebooks', sourceUrl: url.href });
}
