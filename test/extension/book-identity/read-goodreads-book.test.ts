import { describe, expect, it } from 'vitest';
import { readGoodreadsBook, stripSeriesSuffix } from '../../../extension/lib/book-identity/read-goodreads-book.js';
import { parseCapture, parseHtml, removeAll } from './parse-capture.js';

const paperback1984 = 'goodreads/neodb__book_show_56821625_1984_paperback_2025-02.html';
const kindle451 = 'goodreads/neodb__book_show_13079982_fahrenheit451_kindle_2025-08.html';
const hyperion = 'goodreads/neodb__book_show_77566_hyperion_mmpb_2022-12.html';
const huangjin = 'goodreads/neodb__book_show_11798823_zh_paperback_2022-12.html';

const urlOf = (path: string) => new URL(`https://www.goodreads.com/book/show/${path}`);

describe('readGoodreadsBook on real captures', () => {
  it('1984 paperback (2025-02): ISBN-13 from JSON-LD, ISBN-10/ASIN from __NEXT_DATA__', () => {
    const url = urlOf('56821625-1984');
    expect(readGoodreadsBook(parseCapture(paperback1984), url)).toEqual({
      ok: true,
      value: {
        isbn13: '9781847498571',
        isbn10: '1847498574',
        asin: '1847498574',
        title: '1984',
        authors: ['George Orwell'],
        site: 'goodreads',
        sourceUrl: 'https://www.goodreads.com/book/show/56821625-1984',
      },
    });
  });

  it('Fahrenheit 451 Kindle (2025-08): ASIN only, no ISBN', () => {
    const result = readGoodreadsBook(parseCapture(kindle451), urlOf('13079982'));
    expect(result).toEqual({
      ok: true,
      value: {
        asin: 'B0064CPN7I',
        title: 'Fahrenheit 451',
        authors: ['Ray Bradbury'],
        site: 'goodreads',
        sourceUrl: urlOf('13079982').href,
      },
    });
  });

  it('Hyperion (2022-12): bare title, illustrator and translator dropped', () => {
    const result = readGoodreadsBook(parseCapture(hyperion), urlOf('77566.Hyperion'));
    expect(result).toEqual({
      ok: true,
      value: {
        isbn13: '9780553283686',
        isbn10: '0553283685',
        asin: '0553283685',
        title: 'Hyperion',
        authors: ['Dan Simmons'],
        site: 'goodreads',
        sourceUrl: 'https://www.goodreads.com/book/show/77566.Hyperion',
      },
    });
  });

  it('Chinese paperback (2022-12): two authors incl. a non-Latin name, the page Book not the canonical edition', () => {
    const result = readGoodreadsBook(parseCapture(huangjin), urlOf('11798823'));
    expect(result).toEqual({
      ok: true,
      value: {
        isbn13: '9787536025080',
        isbn10: '7536025084',
        asin: '7806859950',
        title: '黄金时代',
        authors: ['Wang Xiaobo', '王小波'],
        site: 'goodreads',
        sourceUrl: urlOf('11798823').href,
      },
    });
  });
});

describe('readGoodreadsBook on drifted copies of real captures', () => {
  it('without JSON-LD, still gets the ISBN-13 from __NEXT_DATA__ details', () => {
    const doc = parseCapture(paperback1984);
    expect(removeAll(doc, 'script[type="application/ld+json"]')).toBe(1);
    const result = readGoodreadsBook(doc, urlOf('56821625'));
    expect(result.ok && result.value).toMatchObject({
      isbn13: '9781847498571',
      isbn10: '1847498574',
      title: '1984',
      authors: ['George Orwell'],
    });
  });

  it('without __NEXT_DATA__, takes the JSON-LD ISBN and the DOM title and role-filtered DOM authors', () => {
    const doc = parseCapture(hyperion);
    expect(removeAll(doc, 'script#__NEXT_DATA__')).toBe(1);
    const result = readGoodreadsBook(doc, urlOf('77566'));
    expect(result).toEqual({
      ok: true,
      value: {
        isbn13: '9780553283686',
        isbn10: '0553283685',
        title: 'Hyperion',
        authors: ['Dan Simmons'],
        site: 'goodreads',
        sourceUrl: urlOf('77566').href,
      },
    });
  });

  it('with only JSON-LD left, strips the series suffix and falls back to its (role-less) author list', () => {
    const doc = parseCapture(hyperion);
    removeAll(doc, 'script#__NEXT_DATA__');
    expect(removeAll(doc, 'h1[data-testid="bookTitle"], .ContributorLink')).toBeGreaterThan(1);
    const result = readGoodreadsBook(doc, urlOf('77566'));
    expect(result.ok && result.value).toMatchObject({
      isbn13: '9780553283686',
      title: 'Hyperion',
      authors: ['Dan Simmons', 'Gary Ruddell', 'Gaetano Luigi Staffilano'],
    });
  });

  it('with neither script, reads the server-rendered title and authors but has no ISBN', () => {
    const doc = parseCapture(huangjin);
    removeAll(doc, 'script#__NEXT_DATA__, script[type="application/ld+json"]');
    const result = readGoodreadsBook(doc, urlOf('11798823'));
    expect(result).toEqual({
      ok: true,
      value: {
        title: '黄金时代',
        authors: ['Wang Xiaobo', '王小波'],
        site: 'goodreads',
        sourceUrl: urlOf('11798823').href,
      },
    });
  });

  it('with corrupted JSON in both scripts, does not throw and uses the DOM', () => {
    const doc = parseCapture(kindle451);
    for (const script of doc.querySelectorAll('script#__NEXT_DATA__, script[type="application/ld+json"]')) {
      script.textContent = (script.textContent ?? '').slice(0, 200);
    }
    const result = readGoodreadsBook(doc, urlOf('13079982'));
    expect(result.ok && result.value).toMatchObject({ title: 'Fahrenheit 451', authors: ['Ray Bradbury'] });
    expect(result.ok && result.value.asin).toBeUndefined();
  });

  it('a book page stripped of every title and id source is layout-changed', () => {
    const doc = parseCapture(paperback1984);
    removeAll(
      doc,
      'script#__NEXT_DATA__, script[type="application/ld+json"], h1[data-testid="bookTitle"], meta[property="og:title"]',
    );
    const result = readGoodreadsBook(doc, urlOf('56821625'));
    expect(result).toMatchObject({ ok: false, error: { kind: 'layout-changed' } });
  });

  it('an empty document is not a book page', () => {
    expect(readGoodreadsBook(parseHtml(''), urlOf('1'))).toMatchObject({
      ok: false,
      error: { kind: 'not-a-book-page' },
    });
  });
});

describe('readGoodreadsBook after a client-side navigation', () => {
  // Goodreads is a Next.js app: moving to another book re-renders the DOM but keeps the first page's __NEXT_DATA__
  // and JSON-LD. Those describe the previous book and must not become this page's identity.
  it('ignores embedded data of another book and reads what the page shows', () => {
    const doc = parseCapture(paperback1984);
    const heading = doc.querySelector('h1[data-testid="bookTitle"]');
    if (!heading) throw new Error('Expected the 1984 capture to have its title heading');
    heading.textContent = 'Animal Farm';
    const result = readGoodreadsBook(doc, urlOf('170448.Animal_Farm'));
    expect(result).toMatchObject({ ok: true, value: { title: 'Animal Farm' } });
    if (!result.ok) return;
    expect(result.value.isbn13).toBeUndefined();
    expect(result.value.isbn10).toBeUndefined();
    expect(result.value.asin).toBeUndefined();
  });

  it('still uses the embedded data when it is about the book the URL names', () => {
    const result = readGoodreadsBook(parseCapture(paperback1984), urlOf('56821625-1984'));
    expect(result).toMatchObject({ ok: true, value: { isbn13: '9781847498571', asin: '1847498574' } });
  });
});

describe('stripSeriesSuffix', () => {
  it('drops "(Series, #n)" and keeps other parentheses', () => {
    expect(stripSeriesSuffix('Hyperion (Hyperion Cantos, #1)')).toBe('Hyperion');
    expect(stripSeriesSuffix('Dune Messiah (Dune #2.5)')).toBe('Dune Messiah');
    expect(stripSeriesSuffix('The Whole Truth (A. Shaw Book 1)')).toBe('The Whole Truth (A. Shaw Book 1)');
  });
});
