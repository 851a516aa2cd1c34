import { describe, expect, it } from 'vitest';
import { readHardcoverBook } from '../../../extension/lib/book-identity/read-hardcover-book.js';
import { parseHtml, removeAll } from './parse-capture.js';
import { parseFixture } from './read-new-site-fixture.js';

// SYNTHETIC page (no real Hardcover capture exists): see test/fixtures/synthetic/BOOK-SITES.md.
const page = 'synthetic/hardcover/book_project_hail_mary.html';
const url = new URL('https://hardcover.app/books/project-hail-mary');

describe('readHardcoverBook (synthetic page)', () => {
  it('reads title, author and both ISBNs from JSON-LD', () => {
    expect(readHardcoverBook(parseFixture(page), url)).toEqual({
      ok: true,
      value: {
        isbn13: '9780593135204',
        isbn10: '0593135202',
        title: 'Project Hail Mary',
        authors: ['Andy Weir'],
        site: 'hardcover',
        sourceUrl: url.href,
      },
    });
  });

  it('without JSON-LD: h1, author links and the edition ISBN rows', () => {
    const doc = parseFixture(page);
    expect(removeAll(doc, 'script[type="application/ld+json"]')).toBe(1);
    const result = readHardcoverBook(doc, url);
    expect(result.ok && result.value).toMatchObject({
      isbn13: '9780593135204',
      title: 'Project Hail Mary',
      authors: ['Andy Weir', 'Ray Porter'],
    });
  });

  it('drifted: no JSON-LD, h1 or ISBN rows → title and author from og:title', () => {
    const doc = parseFixture(page);
    removeAll(doc, 'script[type="application/ld+json"], h1, section.edition-details, a[href^="/authors/"]');
    const result = readHardcoverBook(doc, url);
    expect(result).toMatchObject({ ok: true, value: { title: 'Project Hail Mary', authors: ['Andy Weir'] } });
    expect(result.ok && result.value.isbn13).toBeUndefined();
  });

  it('a page with nothing of a book is not-a-book-page, never a throw', () => {
    const result = readHardcoverBook(parseHtml('<html><body><p>Trending</p></body></html>'), url);
    expect(result).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
  });
});
