import { describe, expect, it } from 'vitest';
import { parseShelfUrl } from '../../shared/shelf-url.js';

describe('parseShelfUrl', () => {
  it('reads the four sites’ shelf pages into one key', () => {
    expect(
      parseShelfUrl('https://www.goodreads.com/review/list/12345678-jane-reader?shelf=to-read&per_page=100'),
    ).toEqual({
      site: 'goodreads',
      user: '12345678',
      shelf: 'to-read',
      url: 'https://www.goodreads.com/review/list/12345678?shelf=to-read',
    });
    expect(parseShelfUrl('https://goodreads.com/review/list/42?shelf=sci-fi')?.shelf).toBe('sci-fi');
    expect(parseShelfUrl('https://app.thestorygraph.com/to-read/jane_r')).toMatchObject({
      site: 'storygraph',
      user: 'jane_r',
      shelf: 'to-read',
    });
    expect(parseShelfUrl('https://hardcover.app/@jane/books/want-to-read')).toMatchObject({
      site: 'hardcover',
      user: 'jane',
      shelf: 'want-to-read',
    });
    expect(parseShelfUrl('https://hardcover.app/@jane/lists/summer-2026')).toMatchObject({ shelf: 'list:summer-2026' });
    expect(parseShelfUrl('https://openlibrary.org/people/jane/books/want-to-read')).toMatchObject({
      site: 'openlibrary',
      shelf: 'want-to-read',
    });
    expect(parseShelfUrl('https://openlibrary.org/people/jane/books/already-read.json')?.shelf).toBe('already-read');
  });

  it('refuses book pages, other sites, odd names and non-URLs', () => {
    for (const url of [
      'https://www.goodreads.com/book/show/1885',
      'https://www.goodreads.com/review/list/jane?shelf=to-read',
      'https://www.goodreads.com/review/list/1?shelf=%3Cscript%3E',
      'https://evil.example/review/list/1?shelf=to-read',
      'https://app.thestorygraph.com/books/abc',
      'https://hardcover.app/books/dune',
      'https://hardcover.app/@/books/want-to-read',
      'https://openlibrary.org/people/jane/books/secret-shelf',
      'https://openlibrary.org/people/%E0%A4%A/books/want-to-read',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect([url, parseShelfUrl(url)]).toEqual([url, undefined]);
    }
  });
});
