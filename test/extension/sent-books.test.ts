import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { findSentBook, recordSentBook, sentBooksItem } from '../../extension/lib/sent-books.js';

const md5 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

describe('sent books', () => {
  beforeEach(() => fakeBrowser.reset());

  it('finds a sent book by md5 (AA record pages) and by either ISBN (other sites)', async () => {
    await recordSentBook({ md5, title: '1984', identity: { isbn13: '9781847498571', isbn10: '1847498574' } }, () => 5);
    expect(await findSentBook({ md5 })).toMatchObject({ md5, title: '1984', done: false, sentAtMs: 5 });
    expect(await findSentBook({ isbn10: '1847498574' })).toMatchObject({ md5 });
    expect(await findSentBook({ isbn13: '9780000000002' })).toBeUndefined();
    expect(await findSentBook({})).toBeUndefined();
  });

  it('marks a book done without losing its ISBNs or title', async () => {
    await recordSentBook({ md5, title: '1984', identity: { isbn13: '9781847498571' } });
    await recordSentBook({ md5, title: '', done: true });
    expect(await findSentBook({ isbn13: '9781847498571' })).toMatchObject({ md5, title: '1984', done: true });
  });

  it('keeps at most 1000 books, dropping the oldest', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => {
        const id = i.toString(16).padStart(32, '0');
        return [id, { md5: id, isbns: [], title: `Book ${i}`, sentAtMs: i + 1, done: true }];
      }),
    );
    await sentBooksItem.setValue(many);
    await recordSentBook({ md5, title: 'Newest' }, () => 10_000);
    const stored = await sentBooksItem.getValue();
    expect(Object.keys(stored)).toHaveLength(1000);
    expect(stored[md5]?.title).toBe('Newest');
    expect(stored['0'.padStart(32, '0')]).toBeUndefined();
  });
});
