import { isRecord, parseJsonSafely, readString } from './is-record.js';
import { pairIsbns } from './normalize-isbn.js';
import { failRead, succeedRead } from './read-result.js';
import { cleanText, dedupeNames, readText } from './read-text.js';
import type { ReadResult } from './types.js';

// No real Hardcover capture exists (book-sites.md §6): these selectors follow the synthetic page in
// test/fixtures/synthetic/hardcover/ — JSON-LD Book first, then h1 + /authors/ links, then og:title.

function readJsonLdBook(doc: Document): Record<string, unknown> | undefined {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const parsed = parseJsonSafely(script.textContent);
    for (const node of Array.isArray(parsed) ? parsed : [parsed]) {
      if (isRecord(node) && node['@type'] === 'Book') return node;
    }
  }
  return undefined;
}

// Edition details print "ISBN 13" / "ISBN 10" labels (dt, or a bold span) followed by the value.
function readLabelledIsbns(doc: Document): string[] {
  const values: string[] = [];
  for (const label of doc.querySelectorAll('dt, span.font-semibold, div.font-semibold')) {
    if (!/^ISBN\s*-?\s*1[03]:?$/i.test(readText(label) ?? '')) continue;
    const value = readText(label.nextElementSibling);
    if (value) values.push(value);
  }
  return values;
}

// og:title / <title>: "<title> by <author> | Hardcover" (synthetic; the same shape StoryGraph and Open Library use).
function readOgTitle(doc: Document): { title?: string; author?: string } {
  const raw = doc.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? doc.title;
  const og = cleanText(raw?.replace(/\s*\|\s*Hardcover\s*$/i, ''));
  const at = og?.lastIndexOf(' by ') ?? -1;
  if (!og || at <= 0) return { title: og };
  return { title: cleanText(og.slice(0, at)), author: cleanText(og.slice(at + 4)) };
}

/** Reads a Hardcover `/books/<slug>` page; never throws on page content. */
export function readHardcoverBook(doc: Document, url: URL): ReadResult {
  const jsonLd = readJsonLdBook(doc);
  const heading = doc.querySelector('main h1, h1');
  const og = readOgTitle(doc);
  const title = cleanText(readString(jsonLd, 'name')) ?? readText(heading) ?? og.title;
  const ldAuthors = jsonLd?.author;
  const ldNames = (Array.isArray(ldAuthors) ? ldAuthors : ldAuthors ? [ldAuthors] : []).map((a) =>
    typeof a === 'string' ? a : readString(a, 'name'),
  );
  const scope = heading?.parentElement ?? doc;
  const linkNames = [...scope.querySelectorAll('a[href^="/authors/"]')].map((a) => readText(a));
  const authors = dedupeNames(ldNames.length > 0 ? ldNames : linkNames.length > 0 ? linkNames : [og.author]);
  const isbns = pairIsbns([readString(jsonLd, 'isbn'), ...readLabelledIsbns(doc)]);
  if (!title && !isbns.isbn13 && !isbns.isbn10) {
    return /^\/books\/[^/]+/.test(url.pathname) && doc.querySelector('h1, meta[property="og:title"]')
      ? failRead('layout-changed', `Expected a title or ISBN on the Hardcover page ${url.pathname}, found neither`)
      : failRead('not-a-book-page', `No Hardcover book on ${url.pathname}`);
  }
  return succeedRead({ ...isbns, ...(title ? { title } : {}), authors, site: 'hardcover', sourceUrl: url.href });
}
