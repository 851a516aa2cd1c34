import { failRead, succeedRead } from './read-result.js';
import { cleanText, dedupeNames, readText } from './read-text.js';
import type { ReadResult } from './types.js';

// Record-page titles by era: 2026, 2023–2024 template, 2022 (page-structures.md; companion aaSelectors).
const TITLE_SELECTORS = ['div.font-semibold.text-2xl', 'div.text-3xl.font-bold', 'div.text-xl.font-bold'];

/** The md5 of an AA record URL (`/md5/<md5>`), lower-cased; undefined elsewhere. */
export function readMd5FromPath(pathname: string): string | undefined {
  return /^\/md5\/([0-9a-f]{32})(?:[/?#]|$)/i.exec(pathname)?.[1]?.toLowerCase();
}

/** A title element's own text: the 2026 title carries a 🔍 search link in a `select-none` span. */
export function readOwnTitle(element: Element | null | undefined): string | undefined {
  if (!element) return undefined;
  const parts: string[] = [];
  for (const node of element.childNodes) {
    if (node.nodeType === 3) parts.push(node.textContent ?? '');
    else if (node.nodeType === 1 && !(node as Element).matches('.select-none, a[href*="/search?"]'))
      parts.push(node.textContent ?? '');
  }
  return cleanText(parts.join(' ').replace(/🔍/gu, ''));
}

/** The element holding the record's title, for the reader and as the buttons' mount point. */
export function findAnnasArchiveTitle(doc: Document): Element | undefined {
  for (const selector of TITLE_SELECTORS) {
    const element = doc.querySelector(selector);
    if (readOwnTitle(element)) return element ?? undefined;
  }
  return undefined;
}

/**
 * Reads an Anna's Archive record page `/md5/<md5>`: the md5 comes from the URL (it IS the file), the title and
 * author from the page when they are there. A drifted page still yields the md5; a non-record path yields none.
 */
export function readAnnasArchiveRecord(doc: Document, url: URL): ReadResult {
  const md5 = readMd5FromPath(url.pathname);
  if (!md5) return failRead('not-a-book-page', `Anna's Archive ${url.pathname} is not a /md5/<md5> record`);
  const title =
    readOwnTitle(findAnnasArchiveTitle(doc)) ?? cleanText(doc.title.replace(/\s*-\s*Anna[’']s Archive.*$/u, ''));
  const author =
    readText(doc.querySelector('a:has(> span[class*="mdi--user-edit"])')) ?? readText(doc.querySelector('div.italic'));
  return succeedRead({
    md5,
    ...(title ? { title } : {}),
    authors: dedupeNames([author?.replace(/🔍/gu, '')]),
    site: 'annas-archive',
    sourceUrl: url.href,
  });
}
