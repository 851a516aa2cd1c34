import { describe, expect, it } from 'vitest';
import {
  readAnnasArchiveRecord,
  readMd5FromPath,
} from '../../../extension/lib/book-identity/read-annas-archive-record.js';
import { removeAll } from './parse-capture.js';
import { parseFixture } from './read-new-site-fixture.js';

const url2026 = new URL('https://annas-archive.org/md5/f87448722f0072549206b63999ec39e1');
const url2022 = new URL('https://annas-archive.org/md5/66e3723ed0a6e0b3ccb2ba4c2d1e2e8e');

describe('readAnnasArchiveRecord', () => {
  it('2026 record page: md5 from the URL, title without the 🔍 link, author from the icon link', () => {
    const result = readAnnasArchiveRecord(parseFixture('real/aa_md5/ball2jh__detail_page.html'), url2026);
    expect(result).toMatchObject({
      ok: true,
      value: {
        md5: 'f87448722f0072549206b63999ec39e1',
        title: expect.stringMatching(/^Python Programming for Beginners : The Ultimate Guide.*Book 1\)$/),
        site: 'annas-archive',
      },
    });
    expect(result.ok && result.value.title).not.toContain('🔍');
    expect(result.ok && result.value.authors.length).toBe(1);
  });

  it('2022 record page: title from div.text-xl.font-bold', () => {
    const result = readAnnasArchiveRecord(
      parseFixture('real/aa_md5/nemonoboru__md5_norse_mythology_2022-12.html'),
      url2022,
    );
    expect(result).toMatchObject({ ok: true, value: { md5: url2022.pathname.slice(5), title: 'Norse Mythology' } });
  });

  it('drifted: no title element → title from <title>, md5 still from the URL', () => {
    const doc = parseFixture('real/aa_md5/nemonoboru__md5_norse_mythology_2022-12.html');
    expect(removeAll(doc, 'div.text-xl.font-bold')).toBeGreaterThan(0);
    expect(readAnnasArchiveRecord(doc, url2022)).toMatchObject({ ok: true, value: { title: 'Norse Mythology' } });
  });

  it('reads md5s only from /md5/<32 hex> paths', () => {
    expect(readMd5FromPath('/md5/F87448722F0072549206B63999EC39E1')).toBe('f87448722f0072549206b63999ec39e1');
    expect(readMd5FromPath('/md5/f87448722f')).toBeUndefined();
    expect(readMd5FromPath('/search')).toBeUndefined();
    const search = readAnnasArchiveRecord(
      parseFixture('real/aa_md5/nemonoboru__md5_norse_mythology_2022-12.html'),
      new URL('https://annas-archive.org/search?q=x'),
    );
    expect(search).toMatchObject({ ok: false, error: { kind: 'not-a-book-page' } });
  });
});
