import { describe, expect, it } from 'vitest';
import { goodreadsShelf } from '../../../extension/features/goodreads-shelf.js';
import { hardcoverShelf } from '../../../extension/features/hardcover-shelf.js';
import { openlibraryShelf } from '../../../extension/features/openlibrary-shelf.js';
import { readShelfEntries, type ShelfSite } from '../../../extension/features/shelf-site.js';
import { storygraphShelf } from '../../../extension/features/storygraph-shelf.js';
import { renderGoodreadsShelfPage, renderStoryGraphToRead } from '../../world/shelf-pages.js';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('shelf page readers', () => {
  it('Goodreads: one entry per table row, "Last, First" authors turned round, the ISBN-13 column', () => {
    const doc = parse(
      renderGoodreadsShelfPage('1001', 'to-read', [
        { id: '13651', title: 'The Dispossessed', author: 'Ursula K. Le Guin', isbn13: '9780061054884' },
        { id: '1885', title: 'Pride and Prejudice', author: 'Jane Austen' },
      ]),
    );
    expect(readShelfEntries(goodreadsShelf, doc)).toEqual([
      { key: 'goodreads:13651', title: 'The Dispossessed', authors: ['Ursula K. Le Guin'], isbn13: '9780061054884' },
      { key: 'goodreads:1885', title: 'Pride and Prejudice', authors: ['Jane Austen'] },
    ]);
    expect(goodreadsShelf.isShelfUrl(new URL('https://www.goodreads.com/review/list/1001-reader?shelf=to-read'))).toBe(
      true,
    );
    expect(goodreadsShelf.isShelfUrl(new URL('https://www.goodreads.com/book/show/1885'))).toBe(false);
  });

  it('StoryGraph: book panes with their book id, title and authors', () => {
    const doc = parse(
      renderStoryGraphToRead('reader', [{ id: 'uuid-1', title: 'Kindred', author: 'Octavia E. Butler' }]),
    );
    expect(readShelfEntries(storygraphShelf, doc)).toEqual([
      { key: 'storygraph:uuid-1', title: 'Kindred', authors: ['Octavia E. Butler'] },
    ]);
  });

  it('Open Library: reading-log rows keyed by work, as the companion keys its JSON', () => {
    const doc = parse(`<ul class="list-books">
      <li class="searchResultItem"><span class="details"><div class="resultTitle"><h3 class="booktitle">
        <a href="/works/OL59863W/The_Left_Hand_of_Darkness?edition=key%3A/books/OL7283914M" class="results">The Left Hand of Darkness</a></h3></div>
        <span class="bookauthor">by <a href="/authors/OL31353A/Ursula_K._Le_Guin" class="results">Ursula K. Le Guin</a></span></span></li>
      <li class="searchResultItem"><h3 class="booktitle"><a href="/books/OL1M">An edition link, no work</a></h3></li>
    </ul>`);
    expect(readShelfEntries(openlibraryShelf, doc)).toEqual([
      { key: 'openlibrary:/works/OL59863W', title: 'The Left Hand of Darkness', authors: ['Ursula K. Le Guin'] },
    ]);
  });

  it('Hardcover: book links with their card’s author links', () => {
    const doc = parse(`<main><h1>Want to Read</h1><ul>
      <li><a href="/books/piranesi">Piranesi</a> by <a href="/authors/susanna-clarke">Susanna Clarke</a></li>
      <li><a href="/books/piranesi/editions">Editions</a></li></ul></main>`);
    expect(readShelfEntries(hardcoverShelf, doc)).toEqual([
      { key: 'hardcover:piranesi', title: 'Piranesi', authors: ['Susanna Clarke'] },
    ]);
  });

  it('a reader that throws or repeats rows gives a clean, bounded list', () => {
    const throwing: ShelfSite = {
      ...goodreadsShelf,
      read: () => {
        throw new Error('hostile');
      },
    };
    expect(readShelfEntries(throwing, parse('<p></p>'))).toEqual([]);
    const repeating: ShelfSite = {
      ...goodreadsShelf,
      read: () => Array.from({ length: 3000 }, (_, i) => ({ key: `k${i % 2500}`, title: 't', authors: [] })),
    };
    expect(readShelfEntries(repeating, parse('<p></p>'))).toHaveLength(2000);
  });
});
