import type { ShelfEntry } from '../../shared/lists-api.js';

const clean = (text: string | undefined | null, max: number): string =>
  (text ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

/** A feed's ISBN as digits (and a final X), or undefined when it is empty or not an ISBN. */
export function readIsbn(text: string | undefined | null): { isbn13?: string; isbn10?: string } {
  const digits = (text ?? '').replace(/[^0-9Xx]/g, '').toUpperCase();
  if (/^97[89]\d{10}$/.test(digits)) return { isbn13: digits };
  if (/^\d{9}[\dX]$/.test(digits)) return { isbn10: digits };
  return {};
}

/** One entry with bounded, trimmed fields (feeds are untrusted input); undefined when it names no book. */
export function normalizeEntry(raw: {
  key: string;
  title?: string | null;
  authors?: Array<string | null | undefined>;
  isbn?: string | null;
  isbn13?: string | null;
}): ShelfEntry | undefined {
  const key = clean(raw.key, 200);
  const title = clean(raw.title, 500);
  const authors = (raw.authors ?? [])
    .map((name) => clean(name, 200))
    .filter(Boolean)
    .slice(0, 20);
  const isbns = { ...readIsbn(raw.isbn), ...readIsbn(raw.isbn13) };
  if (!key || (!title && !isbns.isbn13 && !isbns.isbn10)) return undefined;
  return { key, title, authors, ...isbns };
}
