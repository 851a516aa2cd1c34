import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { readBookIdentity } from '../../../extension/lib/book-identity/read-book-identity.js';
import { listCaptures, parseCapture, parseHtml, readCapture } from './parse-capture.js';

// Every HTML book-site capture at the URL it was taken from, with one value only its own reader finds.
const pages = [
  [
    'goodreads/neodb__book_show_56821625_1984_paperback_2025-02.html',
    'https://www.goodreads.com/book/show/56821625-1984',
    { site: 'goodreads', isbn13: '9781847498571' },
  ],
  [
    'goodreads/neodb__book_show_13079982_fahrenheit451_kindle_2025-08.html',
    'https://www.goodreads.com/book/show/13079982',
    { site: 'goodreads', asin: 'B0064CPN7I' },
  ],
  [
    'goodreads/neodb__book_show_77566_hyperion_mmpb_2022-12.html',
    'https://www.goodreads.com/book/show/77566.Hyperion',
    { site: 'goodreads', title: 'Hyperion' },
  ],
  [
    'goodreads/neodb__book_show_11798823_zh_paperback_2022-12.html',
    'https://www.goodreads.com/book/show/11798823',
    { site: 'goodreads', isbn13: '9787536025080' },
  ],
  [
    'amazon/metascraper__amazon_com_kindle_B0011UCPM4_2024-01.html',
    'https://www.amazon.com/Whole-Truth-Shaw-Book-ebook/dp/B0011UCPM4',
    { site: 'amazon', asin: 'B0011UCPM4' },
  ],
  [
    'amazon/ntmb__amazon_com_paperback_3518366823_2023-06.html',
    'https://www.amazon.com/Siddhartha-German-Hermann-Hesse/dp/3518366823',
    { site: 'amazon', isbn13: '9783518366820' },
  ],
  [
    'amazon/ntmb__amazon_de_paperback_3518366823_2023-06.html',
    'https://www.amazon.de/dp/3518366823',
    { site: 'amazon', title: 'Siddhartha. Eine indische Dichtung' },
  ],
  [
    'amazon/metascraper__amazon_co_uk_hardcover_1849757097_2017-12.html',
    'https://www.amazon.co.uk/dp/1849757097',
    { site: 'amazon', isbn13: '9781849757096' },
  ],
  [
    'storygraph/neodb__books_fbdd6b7c_hagakure_2026-04.html',
    'https://app.thestorygraph.com/books/fbdd6b7c-f512-47f2-aa94-d8bf0d5f5175',
    { site: 'storygraph', isbn10: '4770026129' },
  ],
  [
    'openlibrary/olscraper__books_OL27154489M_new_jim_crow_2025-10.html',
    'https://openlibrary.org/books/OL27154489M/The_new_Jim_Crow',
    { site: 'openlibrary', isbn13: '9781595586438' },
  ],
  [
    'openlibrary/olscraper__books_OL26499618M_wuthering_heights_no_isbn_2025-10.html',
    'https://openlibrary.org/books/OL26499618M',
    { site: 'openlibrary', title: 'Wuthering Heights' },
  ],
] as const;

const bookUrls = pages.map(([, url]) => new URL(url));

// Parsing a capture with happy-dom costs up to ~2 s on a busy machine (the Amazon pages are large): each page is
// parsed and read once, and every test that only looks at the result shares it.
const identities = new Map<string, ReturnType<typeof readBookIdentity>>();
function identityOf(path: string, url: string): ReturnType<typeof readBookIdentity> {
  const key = `${path} ${url}`;
  let result = identities.get(key);
  if (!result) {
    result = readBookIdentity(parseCapture(path), new URL(url));
    identities.set(key, result);
  }
  return result;
}

describe('readBookIdentity picks the reader by URL', () => {
  it.each(pages)('%s', (path, url, expected) => {
    const result = identityOf(path, url);
    expect(result.ok && result.value).toMatchObject({ ...expected, sourceUrl: url });
  });

  it('returns text only: no markup, no padding, no doubled spaces in any value', () => {
    for (const [path, url] of pages) {
      const result = identityOf(path, url);
      if (!result.ok) throw new Error(`${path}: ${result.error.detail}`);
      for (const text of [result.value.title ?? '', ...result.value.authors]) {
        expect(text, path).not.toMatch(/[<>]|^\s|\s$|\s\s/);
      }
    }
  });

  it('reads the same identity from a jsdom Document as from happy-dom', () => {
    for (const [path, url] of [pages[2], pages[8], pages[9]]) {
      const jsdomDoc = new JSDOM(readCapture(path)).window.document;
      expect(readBookIdentity(jsdomDoc, new URL(url)), path).toEqual(identityOf(path, url));
    }
  });

  it('covers every HTML capture in book-sites/ (the captcha page is tested below)', () => {
    const html = ['goodreads', 'amazon', 'storygraph', 'openlibrary'].flatMap((site) =>
      listCaptures(site)
        .filter((file) => file.endsWith('.html'))
        .map((file) => `${site}/${file}`),
    );
    expect([...pages.map(([path]) => path), 'amazon/ntmb__amazon_com_captcha_robot_check_2023-05.html'].sort()).toEqual(
      html.sort(),
    );
  });

  it('the Amazon robot check is a captcha on any regional host', () => {
    const doc = parseCapture('amazon/ntmb__amazon_com_captcha_robot_check_2023-05.html');
    for (const host of ['www.amazon.com', 'www.amazon.co.jp', 'www.amazon.com.br']) {
      expect(readBookIdentity(doc, new URL(`https://${host}/dp/3518366823`))).toMatchObject({
        ok: false,
        error: { kind: 'captcha' },
      });
    }
  });
});

describe('readBookIdentity on hostile input', () => {
  it('a book page at a non-book path or an unknown host is not a book page', () => {
    const doc = parseCapture('goodreads/neodb__book_show_77566_hyperion_mmpb_2022-12.html');
    for (const url of [
      'https://www.goodreads.com/search?q=hyperion',
      'https://www.goodreads.com/work/1383900-hyperion',
      'https://hardcover.app/books/hyperion',
      'https://annas-archive.org/md5/0123456789abcdef0123456789abcdef',
      'https://amazon.example.com/dp/0553283685',
      'https://openlibrary.org/works/OL45804W',
      'https://app.thestorygraph.com/authors/798fadea-7226-4385-af64-5250c5eda073',
    ]) {
      expect(readBookIdentity(doc, new URL(url))).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
    }
  });

  it('an empty document at every book URL is a typed error, never a throw', () => {
    for (const url of bookUrls) {
      for (const html of ['', '<html><head><title></title></head><body></body></html>', '<p>404 Not Found</p>']) {
        const result = readBookIdentity(parseHtml(html), url);
        expect(result).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
      }
    }
  });

  it('another site’s real page at a book URL is not a book page', () => {
    const doc = parseCapture('../aa_md5/nemonoboru__md5_norse_mythology_2022-12.html');
    for (const url of bookUrls) {
      expect(readBookIdentity(doc, url)).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
    }
  });

  it('every real Cloudflare / PoW challenge capture at a book URL is a captcha', () => {
    const challenges = listCaptures('../challenge').filter((file) => file !== 'cloudscraper__bfm_07_01_2021.html');
    expect(challenges).toHaveLength(12);
    for (const file of challenges) {
      const result = readBookIdentity(parseCapture(`../challenge/${file}`), bookUrls[0] as URL);
      expect(result, file).toMatchObject({ ok: false, error: { kind: 'captcha' } });
    }
  });

  it('a normal page carrying only the passive Cloudflare beacon is not mistaken for a challenge', () => {
    const result = readBookIdentity(parseCapture('../challenge/cloudscraper__bfm_07_01_2021.html'), bookUrls[0] as URL);
    expect(result).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
  });
});
