import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoodreadsRss } from '../../../companion/lists/parse-goodreads-rss.js';
import { parseHardcoverBooks } from '../../../companion/lists/parse-hardcover-books.js';
import { parseOpenLibraryLog } from '../../../companion/lists/parse-openlibrary-log.js';
import { renderGoodreadsRss, renderOpenLibraryLog } from '../../world/shelf-pages.js';

const fixture = (name: string) => readFileSync(path.resolve('test/fixtures/synthetic/shelves', name), 'utf8');

describe('shelf feed parsers', () => {
  it('Goodreads RSS: book id, bare CDATA title, author and the ISBN when there is one', () => {
    const entries = parseGoodreadsRss(fixture('goodreads_list_rss_to-read.xml'), 'https://www.goodreads.com/x');
    expect(entries).toEqual([
      {
        key: 'goodreads:18423',
        title: 'The Left Hand of Darkness (Hainish Cycle, #6)',
        authors: ['Ursula K. Le Guin'],
        isbn10: '0441478123',
      },
      {
        key: 'goodreads:35031085',
        title: 'Frankenstein',
        authors: ['Mary Wollstonecraft Shelley'],
        isbn10: '0486282112',
      },
      { key: 'goodreads:1885', title: 'Pride and Prejudice', authors: ['Jane Austen'] },
    ]);
  });

  it('Goodreads RSS: the world renders what the parser reads from the fixture', () => {
    const xml = renderGoodreadsRss('1', 'to-read', [
      { id: '9', title: 'A <b> & "c"', author: 'X Y', isbn10: '0441478123' },
    ]);
    expect(parseGoodreadsRss(xml, 'u')).toEqual([
      { key: 'goodreads:9', title: 'A <b> & "c"', authors: ['X Y'], isbn10: '0441478123' },
    ]);
  });

  it('Goodreads RSS: an HTML page, a login wall or junk is a layout error; items without id or title are skipped', () => {
    for (const junk of ['<html><body>Sign in</body></html>', '', '{"a":1}', '<rss><channel>'.repeat(3)]) {
      if (junk.startsWith('<rss')) {
        expect(parseGoodreadsRss(junk, 'u')).toEqual([]);
        continue;
      }
      expect(() => parseGoodreadsRss(junk, 'https://www.goodreads.com/review/list_rss/1?key=secret')).toThrow(
        /Not a Goodreads shelf feed/,
      );
    }
    const partial =
      '<rss><channel><item><title>No id</title></item><item><book_id>5</book_id><title> </title></item><item><book_id>6</book_id><title>Ok</title><isbn>not-an-isbn</isbn></item></channel></rss>';
    expect(parseGoodreadsRss(partial, 'u')).toEqual([{ key: 'goodreads:6', title: 'Ok', authors: [] }]);
    expect(() => parseGoodreadsRss('<html/>', 'https://www.goodreads.com/review/list_rss/1?key=secret')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });

  it('Open Library reading log: work key, title, authors; other shapes are layout errors', () => {
    expect(parseOpenLibraryLog(fixture('openlibrary_people_want-to-read.json'), 'u')).toEqual({
      numFound: 2,
      entries: [
        { key: 'openlibrary:/works/OL450063W', title: 'Frankenstein', authors: ['Mary Shelley'] },
        { key: 'openlibrary:/works/OL59863W', title: 'The Left Hand of Darkness', authors: ['Ursula K. Le Guin'] },
      ],
    });
    expect(
      parseOpenLibraryLog(renderOpenLibraryLog([{ id: 'OL1W', title: 'T', author: 'A' }], 1), 'u').entries,
    ).toEqual([{ key: 'openlibrary:/works/OL1W', title: 'T', authors: ['A'] }]);
    for (const junk of ['<html>', '[]', '{"reading_log_entries": 3}', 'null']) {
      expect(() => parseOpenLibraryLog(junk, 'u')).toThrow(/Not an Open Library reading log/);
    }
    expect(parseOpenLibraryLog('{"reading_log_entries": [null, 1, {"work": {"title": 5}}]}', 'u').entries).toEqual([]);
  });

  it('Hardcover GraphQL: book id, title, authors and the edition ISBNs; errors name Hardcover, not the request', () => {
    expect(parseHardcoverBooks(fixture('hardcover_graphql_want-to-read.json'))).toEqual([
      {
        key: 'hardcover:382700',
        title: 'Frankenstein',
        authors: ['Mary Shelley'],
        isbn13: '9780486282114',
        isbn10: '0486282112',
      },
      { key: 'hardcover:427578', title: 'The Left Hand of Darkness', authors: ['Ursula K. Le Guin'] },
    ]);
    expect(() => parseHardcoverBooks('{"errors":[{"message":"Unable to verify token"}]}')).toThrow(
      'Hardcover refused the query: Unable to verify token',
    );
    expect(() => parseHardcoverBooks('{"data":{"users":[]}}')).toThrow(/no such user/);
    expect(() => parseHardcoverBooks('not json')).toThrow(/without data/);
  });
});
