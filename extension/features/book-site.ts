import { isBotCheckPage } from '../lib/book-identity/is-bot-check-page.js';
import type { BookIdentity, ReadResult, SiteId } from '../lib/book-identity/types.js';

/** One book site: where it runs, how to read the page's book, and where its buttons go. */
export interface BookSite {
  site: SiteId;
  /** Content-script match patterns (the manifest's only host access for this feature). */
  matches: string[];
  /** Whether `url` can be a book page at all (cheap; the reader decides for sure). */
  isBookUrl(url: URL): boolean;
  read(doc: Document, url: URL): ReadResult;
  /** The element the buttons go after; undefined when the page drifted (then they go first in `<body>`). */
  findAnchor(doc: Document): Element | undefined;
  /** Optional extra UI for non-book pages of the site (AA search rows). */
  mountExtras?(doc: Document, url: URL, signal: AbortSignal): void;
}

// "<title> by <author> | Goodreads", "Amazon.com: <title>: …", "<title> - Anna’s Archive": the first part.
function readPageTitle(doc: Document): string | undefined {
  const og = doc.querySelector('meta[property="og:title"]')?.getAttribute('content');
  const raw = og || doc.title || '';
  // Amazon: "Amazon.com: Siddhartha: 9783518366820: Hesse, Hermann: Books" — the part after the store name.
  const amazon = /^Amazon\.[a-z.]+:\s*([^:]+)/i.exec(raw)?.[1];
  const title = (amazon ?? raw.split(/\s+[|–-]\s+|\s+by\s+/)[0])?.replace(/\s+/g, ' ').trim();
  return title && title.length > 1 ? title : undefined;
}

/**
 * The identity the buttons use: the reader's, or — when the page drifted (`layout-changed`) — a title-only one
 * from og:title/<title>, so the buttons still offer a search. Bot checks and non-book pages give none.
 */
export function readIdentityForButtons(site: BookSite, doc: Document, url: URL): BookIdentity | undefined {
  if (isBotCheckPage(doc)) return undefined;
  let result: ReadResult;
  try {
    result = site.read(doc, url);
  } catch {
    // Readers never throw by contract; a hostile page must still not break the content script.
    result = { ok: false, error: { kind: 'layout-changed', detail: 'reader threw' } };
  }
  if (result.ok) return result.value;
  if (result.error.kind !== 'layout-changed') return undefined;
  const title = readPageTitle(doc);
  return title ? { title, authors: [], site: site.site, sourceUrl: url.href } : undefined;
}
