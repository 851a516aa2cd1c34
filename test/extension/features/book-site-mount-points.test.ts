import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { amazonButtons } from '../../../extension/features/amazon-buttons.js';
import { annasArchiveButtons } from '../../../extension/features/annas-archive-buttons.js';
import { type BookSite, readIdentityForButtons } from '../../../extension/features/book-site.js';
import { goodreadsButtons } from '../../../extension/features/goodreads-buttons.js';
import { googlebooksButtons } from '../../../extension/features/googlebooks-buttons.js';
import { hardcoverButtons } from '../../../extension/features/hardcover-buttons.js';
import { openlibraryButtons } from '../../../extension/features/openlibrary-buttons.js';
import { storygraphButtons } from '../../../extension/features/storygraph-buttons.js';
import { parseCapture, parseHtml, readCapture } from '../book-identity/parse-capture.js';
import { parseFixture } from '../book-identity/read-new-site-fixture.js';

interface Case {
  site: BookSite;
  doc: () => Document;
  url: string;
  anchorText: RegExp;
  identity: Record<string, unknown>;
  /** What a drifted copy loses: the anchor and the reader's own sources. */
  drift: string;
  /** What the buttons still get from the drifted copy. */
  driftIdentity: Record<string, unknown>;
}

const cases: Case[] = [
  {
    site: goodreadsButtons,
    doc: () => parseCapture('goodreads/neodb__book_show_56821625_1984_paperback_2025-02.html'),
    url: 'https://www.goodreads.com/book/show/56821625-1984',
    anchorText: /^1984$/,
    identity: { title: '1984', isbn13: '9781847498571', authors: ['George Orwell'] },
    drift: 'h1, script, [data-testid], .ContributorLink',
    driftIdentity: { title: '1984' },
  },
  {
    site: amazonButtons,
    doc: () => parseCapture('amazon/ntmb__amazon_com_paperback_3518366823_2023-06.html'),
    url: 'https://www.amazon.com/Siddhartha-Hermann-Hesse/dp/3518366823',
    anchorText: /Siddhartha/,
    identity: { isbn13: '9783518366820', authors: ['Hermann Hesse'] },
    // Title and byline gone: the ISBN (rpi carousel, detail bullets) still names the book.
    drift: '#productTitle, #ebooksProductTitle, #bylineInfo',
    driftIdentity: { isbn13: '9783518366820', authors: [] },
  },
  {
    site: storygraphButtons,
    doc: () => parseCapture('storygraph/neodb__books_fbdd6b7c_hagakure_2026-04.html'),
    url: 'https://app.thestorygraph.com/books/fbdd6b7c-f512-47f2-aa94-d8bf0d5f5175',
    anchorText: /^Hagakure/,
    identity: { title: 'Hagakure: The Book of the Samurai', isbn10: '4770026129', authors: ['Yamamoto Tsunetomo'] },
    drift: 'div.book-title-author-and-series, div.edition-info',
    driftIdentity: { title: 'Hagakure: The Book of the Samurai' },
  },
  {
    site: hardcoverButtons,
    doc: () => parseFixture('synthetic/hardcover/book_project_hail_mary.html'),
    url: 'https://hardcover.app/books/project-hail-mary',
    anchorText: /^Project Hail Mary$/,
    identity: { title: 'Project Hail Mary', isbn13: '9780593135204', authors: ['Andy Weir'] },
    drift: 'h1, script, section, a',
    driftIdentity: { title: 'Project Hail Mary' },
  },
  {
    site: openlibraryButtons,
    doc: () => parseCapture('openlibrary/olscraper__books_OL27154489M_new_jim_crow_2025-10.html'),
    url: 'https://openlibrary.org/books/OL27154489M/The_New_Jim_Crow',
    anchorText: /new Jim Crow/i,
    identity: { isbn13: '9781595586438', authors: ['Michelle Alexander'] },
    drift: 'h1, dd[itemprop="isbn"], h2.edition-byline',
    driftIdentity: { title: 'The new Jim Crow' },
  },
  {
    site: googlebooksButtons,
    doc: () => parseFixture('synthetic/googlebooks/books_id_iEGqEAAAQBAJ.html'),
    url: 'https://books.google.com/books?id=iEGqEAAAQBAJ',
    anchorText: /^Everything is Beautiful/,
    identity: { title: 'Everything is Beautiful and Everything Hurts', isbn13: '9781761186769' },
    drift: 'h1, #metadata_content_table',
    driftIdentity: { title: 'Everything is Beautiful and Everything Hurts' },
  },
  {
    site: annasArchiveButtons,
    doc: () => parseFixture('real/aa_md5/nemonoboru__md5_norse_mythology_2022-12.html'),
    url: 'https://annas-archive.org/md5/66e3723ed0a6e0b3ccb2ba4c2d1e2e8e',
    anchorText: /^Norse Mythology$/,
    identity: { md5: '66e3723ed0a6e0b3ccb2ba4c2d1e2e8e', title: 'Norse Mythology' },
    drift: 'div.text-xl.font-bold',
    driftIdentity: { title: 'Norse Mythology' },
  },
];

describe.each(cases)('$site.site buttons', ({ site, doc, url, anchorText, identity, drift, driftIdentity }) => {
  it('is a book URL under its own match patterns', () => {
    expect(site.isBookUrl(new URL(url))).toBe(true);
    const host = new URL(url).hostname;
    expect(
      site.matches.some(
        (pattern) => new RegExp(`//(\\*\\.)?${host.replace(/^www\./, '')}/`).test(pattern) || pattern.includes(host),
      ),
    ).toBe(true);
  });

  it('finds the title as the mount point and reads the book', () => {
    const page = doc();
    expect(site.findAnchor(page)?.textContent?.trim()).toMatch(anchorText);
    expect(readIdentityForButtons(site, page, new URL(url))).toMatchObject(identity);
  });

  it('drifted copy: no mount point, still an identity to search with (buttons go first in <body>)', () => {
    const page = doc();
    for (const element of page.querySelectorAll(drift)) element.remove();
    expect(site.findAnchor(page)).toBeUndefined();
    expect(readIdentityForButtons(site, page, new URL(url))).toMatchObject(driftIdentity);
  });

  it('a bot-check page gets no buttons', () => {
    const page = parseHtml(readCapture('../challenge/kxz69web__cf_managed_just_a_moment_2025-02-24.html'));
    expect(readIdentityForButtons(site, page, new URL(url))).toBeUndefined();
  });
});

describe('non-book pages', () => {
  it('Amazon robot check and non-book paths give no buttons', () => {
    const captcha = parseCapture('amazon/ntmb__amazon_com_captcha_robot_check_2023-05.html');
    expect(
      readIdentityForButtons(amazonButtons, captcha, new URL('https://www.amazon.com/dp/3518366823')),
    ).toBeUndefined();
    expect(goodreadsButtons.isBookUrl(new URL('https://www.goodreads.com/search?q=1984'))).toBe(false);
    expect(openlibraryButtons.isBookUrl(new URL('https://openlibrary.org/works/OL45804W'))).toBe(false);
    expect(annasArchiveButtons.isBookUrl(new URL('https://annas-archive.org/search?q=x'))).toBe(false);
  });
});

describe('Amazon regional stores', () => {
  it.each([
    ['www.amazon.de', 'amazon/ntmb__amazon_de_paperback_3518366823_2023-06.html', '9783518366820'],
    ['www.amazon.co.uk', 'amazon/metascraper__amazon_co_uk_hardcover_1849757097_2017-12.html', '9781849757096'],
  ])('%s: matched by the content script, title found, ISBN read', (host, capture, isbn13) => {
    const url = new URL(`https://${host}/dp/${capture.match(/_(\d{9}[\dX])_/)?.[1]}`);
    expect(amazonButtons.matches.some((pattern) => new MatchPattern(pattern).includes(url))).toBe(true);
    expect(amazonButtons.isBookUrl(url)).toBe(true);
    const page = parseCapture(capture);
    expect(amazonButtons.findAnchor(page)?.textContent?.trim().length).toBeGreaterThan(0);
    expect(readIdentityForButtons(amazonButtons, page, url)).toMatchObject({ isbn13 });
  });

  it('covers the stores from .com to .co.jp, and no look-alike hosts', () => {
    const matches = (host: string) =>
      amazonButtons.matches.some((pattern) => new MatchPattern(pattern).includes(`https://${host}/dp/3518366823`));
    for (const host of ['www.amazon.com', 'amazon.com', 'www.amazon.co.jp', 'www.amazon.com.br', 'www.amazon.in'])
      expect(matches(host)).toBe(true);
    expect(matches('www.amazon.com.evil.example')).toBe(false);
  });
});
