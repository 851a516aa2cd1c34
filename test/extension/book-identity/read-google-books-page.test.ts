import { describe, expect, it } from 'vitest';
import {
  readGoogleBooksPage,
  readGoogleBooksVolumeId,
} from '../../../extension/lib/book-identity/read-google-books-page.js';
import { parseHtml, removeAll } from './parse-capture.js';
import { parseFixture } from './read-new-site-fixture.js';

// SYNTHETIC page (no real Google Books HTML capture exists): see test/fixtures/synthetic/BOOK-SITES.md.
const page = 'synthetic/googlebooks/books_id_iEGqEAAAQBAJ.html';
const url = new URL('https://books.google.com/books?id=iEGqEAAAQBAJ');

describe('readGoogleBooksPage (synthetic page)', () => {
  it('reads the metadata table', () => {
    expect(readGoogleBooksPage(parseFixture(page), url)).toEqual({
      ok: true,
      value: {
        isbn13: '9781761186769',
        isbn10: '1761186760',
        title: 'Everything is Beautiful and Everything Hurts',
        authors: ['Josie Shapiro'],
        site: 'googlebooks',
        sourceUrl: url.href,
      },
    });
  });

  it('drifted: no metadata table and no h1 → title and author from <title>, no ISBN', () => {
    const doc = parseFixture(page);
    expect(removeAll(doc, '#metadata_content_table, h1.booktitle')).toBe(2);
    expect(readGoogleBooksPage(doc, url)).toMatchObject({
      ok: true,
      value: { title: 'Everything is Beautiful and Everything Hurts', authors: ['Josie Shapiro'] },
    });
  });

  it('finds the volume id in ?id= and /books/edition/ URLs only', () => {
    expect(readGoogleBooksVolumeId(url)).toBe('iEGqEAAAQBAJ');
    expect(readGoogleBooksVolumeId(new URL('https://www.google.com/books/edition/_/hV--zQEACAAJ'))).toBe(
      'hV--zQEACAAJ',
    );
    expect(readGoogleBooksVolumeId(new URL('https://books.google.com/'))).toBeUndefined();
  });

  it('the Google Books home page is not-a-book-page', () => {
    const doc = parseHtml('<html><head><title>Google Books</title></head><body><input name="q"></body></html>');
    expect(readGoogleBooksPage(doc, new URL('https://books.google.com/'))).toMatchObject({
      ok: false,
      error: { kind: 'not-a-book-page' },
    });
  });
});
