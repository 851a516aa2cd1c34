import type { ShelfEntry } from '../../shared/lists-api.js';
import type { ShelfSite as ShelfSiteId } from '../../shared/shelf-url.js';

/** One site's shelf pages: where the panel runs, how to read the books on the page, where the panel goes. */
export interface ShelfSite {
  site: ShelfSiteId;
  /** Content-script match patterns (the whole site: shelf pages are reached by in-page navigation too). */
  matches: string[];
  /** Whether `url` is one of this site's shelf pages (shared/shelf-url.ts decides). */
  isShelfUrl(url: URL): boolean;
  /** The books the page shows now; never throws (readShelfEntries guards it). */
  read(doc: Document): ShelfEntry[];
  /** The element the panel goes after; undefined when the page drifted (then it goes first in `<body>`). */
  findAnchor(doc: Document): Element | undefined;
}

const text = (element: Element | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** An ISBN-10/13 from page text, or nothing. */
export function readIsbn(value: string): { isbn13?: string; isbn10?: string } {
  const digits = value.replace(/[^0-9Xx]/g, '').toUpperCase();
  if (/^97[89]\d{10}$/.test(digits)) return { isbn13: digits };
  if (/^\d{9}[\dX]$/.test(digits)) return { isbn10: digits };
  return {};
}

/** Bounded entry fields (pages are untrusted); undefined when the row names no book. */
export function toEntry(key: string, title: string, authors: string[], isbn = ''): ShelfEntry | undefined {
  const cleanTitle = title.replace(/\s+/g, ' ').trim().slice(0, 500);
  if (!key || key.length > 200 || !cleanTitle) return undefined;
  const names = authors
    .map((name) => name.replace(/\s+/g, ' ').trim().slice(0, 200))
    .filter(Boolean)
    .slice(0, 20);
  return { key, title: cleanTitle, authors: names, ...readIsbn(isbn) };
}

/** A site's reader, made safe: a hostile or drifted page gives fewer entries (at most 2000), never an exception. */
export function readShelfEntries(site: ShelfSite, doc: Document): ShelfEntry[] {
  try {
    const seen = new Set<string>();
    return site
      .read(doc)
      .filter((entry) => !seen.has(entry.key) && seen.add(entry.key))
      .slice(0, 2000);
  } catch {
    return [];
  }
}

export { text as readText };
