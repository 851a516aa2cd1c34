import { isRecord, parseJsonSafely, readString } from './is-record.js';
import { pairIsbns } from './normalize-isbn.js';
import { failRead, succeedRead } from './read-result.js';
import { cleanText, dedupeNames, readText } from './read-text.js';
import type { ReadResult } from './types.js';

interface GoodreadsNextBook {
  title?: string;
  isbn13?: string;
  isbn10?: string;
  asin?: string;
  authors: string[];
}

// "Hyperion (Hyperion Cantos, #1)": JSON-LD `name` and og:title carry the series, see book-sites.md §1.1.
const seriesSuffix = /\s*\([^()]*#\s*\d+(?:[.-]\d+)?\)\s*$/;

/** Drops a trailing Goodreads series suffix such as " (Hyperion Cantos, #1)". */
export function stripSeriesSuffix(title: string | undefined): string | undefined {
  return cleanText(title?.replace(seriesSuffix, ''));
}

/** Keeps authors and co-authors; illustrators, translators, narrators are contributors, not authors. */
function isAuthorRole(role: string | undefined): boolean {
  return !role || /author/i.test(role);
}

function readJsonLdBook(doc: Document): Record<string, unknown> | undefined {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const parsed = parseJsonSafely(script.textContent);
    const nodes = Array.isArray(parsed)
      ? parsed
      : isRecord(parsed) && Array.isArray(parsed['@graph'])
        ? parsed['@graph']
        : [parsed];
    for (const node of nodes) {
      const type = isRecord(node) ? node['@type'] : undefined;
      if (isRecord(node) && (type === 'Book' || (Array.isArray(type) && type.includes('Book')))) return node;
    }
  }
  return undefined;
}

function readJsonLdAuthors(book: Record<string, unknown> | undefined): string[] {
  const raw = book?.author;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return dedupeNames(list.map((person) => (typeof person === 'string' ? person : readString(person, 'name'))));
}

// The page's own Book is the one `getBookByLegacyId` points at; other `Book:` keys are other editions (§1.2).
function readNextDataBook(doc: Document, legacyId: string | undefined): GoodreadsNextBook | undefined {
  const data = parseJsonSafely(doc.querySelector('script#__NEXT_DATA__')?.textContent);
  const props = isRecord(data) ? data.props : undefined;
  const pageProps = isRecord(props) ? props.pageProps : undefined;
  const apollo = isRecord(pageProps) ? pageProps.apolloState : undefined;
  if (!isRecord(apollo) || !isRecord(apollo.ROOT_QUERY)) return undefined;
  const rootQuery = apollo.ROOT_QUERY;
  const queryKeys = Object.keys(rootQuery).filter((key) => key.startsWith('getBookByLegacyId('));
  const exactKey = legacyId ? `getBookByLegacyId(${JSON.stringify({ legacyId })})` : undefined;
  const key = exactKey && exactKey in rootQuery ? exactKey : queryKeys.length === 1 ? queryKeys[0] : undefined;
  const ref = key ? readString(rootQuery[key], '__ref') : undefined;
  const book = ref ? apollo[ref] : undefined;
  if (!isRecord(book)) return undefined;
  // After a client-side navigation the page keeps the first book's __NEXT_DATA__: another book's data is not this one.
  const bookLegacyId = book.legacyId;
  if (legacyId && (typeof bookLegacyId === 'number' || typeof bookLegacyId === 'string')) {
    if (String(bookLegacyId) !== legacyId) return undefined;
  }
  const details = isRecord(book.details) ? book.details : {};
  const edges = [
    book.primaryContributorEdge,
    ...(Array.isArray(book.secondaryContributorEdges) ? book.secondaryContributorEdges : []),
  ];
  const contributors = edges.filter(isRecord).map((edge) => {
    const nodeRef = readString(edge.node, '__ref');
    return { name: nodeRef ? readString(apollo[nodeRef], 'name') : undefined, role: readString(edge, 'role') };
  });
  const authors = dedupeNames(contributors.filter((c) => isAuthorRole(c.role)).map((c) => c.name));
  const asin = cleanText(readString(details, 'asin'));
  return {
    title: cleanText(readString(book, 'title')),
    isbn13: readString(details, 'isbn13'),
    isbn10: readString(details, 'isbn'),
    asin: asin && /^[A-Z0-9]{10}$/.test(asin) ? asin : undefined,
    // An edition whose only contributor is, say, an editor still has someone to search for.
    authors: authors.length > 0 ? authors : dedupeNames(contributors.slice(0, 1).map((c) => c.name)),
  };
}

/** Titles compared by letters and digits only, so punctuation and case do not matter. */
function isSameTitle(a: string | undefined, b: string): boolean {
  const fold = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return a !== undefined && fold(a) === fold(b);
}

function readDomAuthors(doc: Document): string[] {
  const links = [...doc.querySelectorAll('.ContributorLink')];
  const authors = links.filter((link) =>
    isAuthorRole(readText(link.querySelector('.ContributorLink__role'))?.replace(/[()]/g, '')),
  );
  return dedupeNames(authors.map((link) => readText(link.querySelector('.ContributorLink__name'))));
}

/**
 * Reads a Goodreads `/book/show/<id>` page: ISBN from JSON-LD, then `__NEXT_DATA__` (which also gives
 * the bare title, ASIN and author roles), then the server-rendered DOM. Never throws on page content.
 */
export function readGoodreadsBook(doc: Document, url: URL): ReadResult {
  const legacyId = /\/book\/show\/(\d+)/.exec(url.pathname)?.[1];
  const next = readNextDataBook(doc, legacyId);
  const domTitle = readText(doc.querySelector('h1[data-testid="bookTitle"]'));
  // The JSON-LD in a page that navigated client-side can also describe the previous book: trust it only when it
  // names the book the page shows.
  const anyJsonLd = readJsonLdBook(doc);
  const jsonLd =
    domTitle && anyJsonLd && !isSameTitle(stripSeriesSuffix(readString(anyJsonLd, 'name')), domTitle)
      ? undefined
      : anyJsonLd;
  const ogTitle = doc.querySelector('meta[property="og:title"]')?.getAttribute('content') ?? undefined;
  const title = next?.title ?? domTitle ?? stripSeriesSuffix(readString(jsonLd, 'name')) ?? stripSeriesSuffix(ogTitle);
  const isbns = pairIsbns([readString(jsonLd, 'isbn'), next?.isbn13, next?.isbn10]);
  const asin = next?.asin;
  if (!title && !isbns.isbn13 && !isbns.isbn10 && !asin) {
    const looksLikeBook = Boolean(
      jsonLd ||
        doc.querySelector('script#__NEXT_DATA__') ||
        doc.querySelector('meta[property="og:type"][content="books.book"]'),
    );
    return looksLikeBook
      ? failRead('layout-changed', `Expected a title or ISBN on the Goodreads book page ${url.pathname}, found neither`)
      : failRead('not-a-book-page', `No Goodreads book data on ${url.pathname}`);
  }
  const nextAuthors = next?.authors ?? [];
  const domAuthors = readDomAuthors(doc);
  // JSON-LD lists every contributor without roles, so it is the last resort for authors (§1.1).
  const authors = nextAuthors.length > 0 ? nextAuthors : domAuthors.length > 0 ? domAuthors : readJsonLdAuthors(jsonLd);
  return succeedRead({
    ...isbns,
    ...(asin ? { asin } : {}),
    ...(title ? { title } : {}),
    authors,
    site: 'goodreads',
    sourceUrl: url.href,
  });
}
