import { isBotCheckPage } from './is-bot-check-page.js';
import { readAmazonBook } from './read-amazon-book.js';
import { readGoodreadsBook } from './read-goodreads-book.js';
import { readOpenLibraryBook } from './read-openlibrary-book.js';
import { failRead } from './read-result.js';
import { readStorygraphBook } from './read-storygraph-book.js';
import type { ReadResult } from './types.js';

// Amazon runs about 20 regional stores (amazon.com, .co.uk, .de, .com.br, .co.jp …).
const amazonHost =
  /(^|\.)amazon\.(com|ca|de|fr|it|es|nl|se|pl|ie|in|sg|ae|sa|eg|cn|co\.(uk|jp|za)|com\.(au|br|mx|tr|be))$/;

/**
 * Picks the site reader for `url` and runs it on `doc`; a bot check is `captcha`, an unknown site or a
 * non-book path is `not-a-book-page`. Covers the sites with real captures; the content scripts' feature files
 * (extension/features/) call every reader, Hardcover, Google Books pages and Anna's Archive included, directly.
 */
export function readBookIdentity(doc: Document, url: URL): ReadResult {
  const reader = pickReader(url);
  if (!reader.ok) return reader.result;
  if (isBotCheckPage(doc)) return failRead('captcha', `${url.hostname} served a bot check instead of ${url.pathname}`);
  return reader.read(doc, url);
}

type PickedReader = { ok: true; read: (doc: Document, url: URL) => ReadResult } | { ok: false; result: ReadResult };

function pickReader(url: URL): PickedReader {
  const refuse = (detail: string): PickedReader => ({ ok: false, result: failRead('not-a-book-page', detail) });
  const host = url.hostname.toLowerCase();
  if (host === 'goodreads.com' || host.endsWith('.goodreads.com')) {
    return /^\/book\/show\/\d+/.test(url.pathname)
      ? { ok: true, read: readGoodreadsBook }
      : refuse(`Goodreads ${url.pathname} is not a /book/show/<id> page`);
  }
  // Product pages live under /dp/, /gp/product/ and localised slugs, so the reader decides, not the path.
  if (amazonHost.test(host)) return { ok: true, read: readAmazonBook };
  if (host === 'app.thestorygraph.com') {
    return /^\/books\/[0-9a-f-]{36}/.test(url.pathname)
      ? { ok: true, read: readStorygraphBook }
      : refuse(`StoryGraph ${url.pathname} is not a /books/<uuid> page`);
  }
  if (host === 'openlibrary.org' || host.endsWith('.openlibrary.org')) {
    return /^\/books\/OL\d+M/.test(url.pathname)
      ? { ok: true, read: readOpenLibraryBook }
      : refuse(`Open Library ${url.pathname} is not an edition page /books/OL…M`);
  }
  return refuse(`No book reader for ${host}`);
}
