import { escapeHtml } from './html-text.js';

/** A book on a world shelf: what the sites show about it (their id, title, author, maybe an ISBN). */
export interface ShelfBook {
  id: string;
  title: string;
  author: string;
  isbn10?: string;
  isbn13?: string;
}

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/**
 * Goodreads' shelf RSS (`/review/list_rss/<user>?shelf=`), item by item in the markup of
 * test/fixtures/synthetic/shelves/goodreads_list_rss_to-read.xml (newest first, as Goodreads orders it).
 */
export function renderGoodreadsRss(user: string, shelf: string, books: ShelfBook[]): string {
  const items = [...books].reverse().map(
    (book, i) => `
    <item>
      <guid>${cdata(`https://www.goodreads.com/review/show/${9_000_000_000 + i}?utm_medium=api&utm_source=rss`)}</guid>
      <pubDate>${cdata('Mon, 07 Dec 2026 10:12:35 -0800')}</pubDate>
      <title>${cdata(book.title)}</title>
      <link>${cdata(`https://www.goodreads.com/review/show/${9_000_000_000 + i}?utm_medium=api&utm_source=rss`)}</link>
      <book_id>${escapeHtml(book.id)}</book_id>
      <book id="${escapeHtml(book.id)}">
        <num_pages>300</num_pages>
      </book>
      <author_name>${escapeHtml(book.author)}</author_name>
      <isbn>${book.isbn10 ?? ''}</isbn>
      <user_name>Reader</user_name>
      <user_rating>0</user_rating>
      <user_read_at></user_read_at>
      <user_shelves>${escapeHtml(shelf)}</user_shelves>
      <book_published></book_published>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" >
  <channel>
    <title>Reader's bookshelf: ${escapeHtml(shelf)}</title>
    <link>${cdata(`https://www.goodreads.com/review/list_rss/${user}?shelf=${shelf}`)}</link>
    <ttl>60</ttl>${items.join('')}
  </channel>
</rss>
`;
}

/**
 * Goodreads' shelf page (`/review/list/<user>?shelf=`) in the table layout of
 * test/fixtures/synthetic/shelves/goodreads_review_list_to-read.html: `table#books` with one `tr.bookalike.review` per
 * book, `td.field.title a[title]`, `td.field.author a` ("Last, First"), hidden `td.field.isbn`/`isbn13` values.
 */
export function renderGoodreadsShelfPage(user: string, shelf: string, books: ShelfBook[]): string {
  const rows = books.map((book, i) => {
    const [first, ...rest] = book.author.split(' ').reverse();
    const authorName = rest.length > 0 ? `${first}, ${rest.reverse().join(' ')}` : book.author;
    const slug = `${book.id}.${book.title.replace(/[^A-Za-z0-9]+/g, '_')}`;
    return `
      <tr id="review_${9_000_000_000 + i}" class="bookalike review">
        <td class="field checkbox" style="display: none"><label>checkbox</label><div class="value"><input type="checkbox" name="reviews[${i}]"></div></td>
        <td class="field cover"><label>cover</label><div class="value"><div class="js-tooltipTrigger tooltipTrigger" data-resource-id="${escapeHtml(book.id)}" data-resource-type="Book"><a href="/book/show/${escapeHtml(slug)}"><img alt="${escapeHtml(book.title)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a></div></div></td>
        <td class="field title"><label>title</label><div class="value"><a title="${escapeHtml(book.title)}" href="/book/show/${escapeHtml(slug)}">${escapeHtml(book.title)}</a></div></td>
        <td class="field author"><label>author</label><div class="value"><a href="/author/show/${i + 1}">${escapeHtml(authorName)}</a></div></td>
        <td class="field isbn" style="display: none"><label>isbn</label><div class="value">${book.isbn10 ?? ''}</div></td>
        <td class="field isbn13" style="display: none"><label>isbn13</label><div class="value">${book.isbn13 ?? ''}</div></td>
        <td class="field shelves"><label>shelves</label><div class="value"><span><a class="shelfLink" href="/review/list/${user}?shelf=${escapeHtml(shelf)}">${escapeHtml(shelf)}</a></span></div></td>
      </tr>`;
  });
  return `<!DOCTYPE html>
<html class="desktop">
<head><title>Reader's Want to Read books on Goodreads (${books.length} books)</title></head>
<body>
<div class="content" id="bodycontainer">
  <div class="mainContentContainer">
    <div class="mainContent">
      <div id="header"><h1><a href="/user/show/${user}-reader">Reader</a> &gt; <span class="h1Shelf">Want to Read&lrm;</span></h1></div>
      <div id="leftCol" class="reviewListLeft">
        <div id="shelvesSection"><a class="actionLinkLite selectedShelf" href="/review/list/${user}?shelf=${escapeHtml(shelf)}">Want to Read (${books.length})</a></div>
      </div>
      <div id="rightCol">
        <table id="books" class="table stacked" border="0">
          <thead><tr id="booksHeader" class="tableList"><th class="header field title">title</th><th class="header field author">author</th></tr></thead>
          <tbody id="booksBody">${rows.join('')}
          </tbody>
        </table>
      </div>
    </div>
  </div>
</div>
</body>
</html>
`;
}

/** Open Library's reading-log JSON, one page (100 entries a page), as test/fixtures/synthetic/shelves shows it. */
export function renderOpenLibraryLog(books: ShelfBook[], page: number): string {
  const slice = books.slice((page - 1) * 100, page * 100);
  return JSON.stringify({
    page,
    numFound: books.length,
    reading_log_entries: slice.map((book) => ({
      work: {
        title: book.title,
        key: `/works/${book.id}`,
        author_keys: ['/authors/OL1A'],
        author_names: [book.author],
        first_publish_year: 1900,
        lending_edition_s: null,
        edition_key: [],
        cover_id: null,
      },
      logged_edition: '',
      logged_date: '2026/12/07, 10:12:35',
    })),
  });
}

/** Hardcover's GraphQL answer to the Want to Read (`users`) or list (`lists`) query. */
export function renderHardcoverBooks(books: ShelfBook[], kind: 'users' | 'lists'): string {
  const rows = books.map((book) => ({
    book: { id: Number(book.id) || book.id, title: book.title, contributions: [{ author: { name: book.author } }] },
    edition: book.isbn13 || book.isbn10 ? { isbn_13: book.isbn13 ?? null, isbn_10: book.isbn10 ?? null } : null,
  }));
  return JSON.stringify({
    data: { [kind]: [kind === 'users' ? { user_books: rows } : { list_books: rows }] },
  });
}

/**
 * StoryGraph's To-Read page (`/to-read/<user>`), in the markup of test/fixtures/synthetic/shelves/
 * storygraph_to-read.html: one `div.book-pane[data-book-id]` per book, the title link `a[href^="/books/"]` in
 * `.book-title-author-and-series h3`, author links `a[href^="/authors/"]`.
 */
export function renderStoryGraphToRead(user: string, books: ShelfBook[]): string {
  const panes = books.map(
    (book) => `
    <div class="book-pane break-inside-avoid-column" data-book-id="${escapeHtml(book.id)}">
      <div class="book-pane-content grid grid-cols-10">
        <div class="cover-image-column col-span-3"><a href="/books/${escapeHtml(book.id)}"><img alt="${escapeHtml(book.title)}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a></div>
        <div class="book-title-author-and-series col-span-7">
          <h3 class="font-bold text-xl"><a href="/books/${escapeHtml(book.id)}">${escapeHtml(book.title)}</a></h3>
          <p class="font-body mb-1 mt-1"><a class="hover:text-cyan-700" href="/authors/${escapeHtml(book.id)}-author">${escapeHtml(book.author)}</a></p>
        </div>
      </div>
    </div>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head><title>${escapeHtml(user)}'s To-Read Pile | The StoryGraph</title></head>
<body>
<main class="mx-auto">
  <h4 class="font-semibold">To-Read Pile</h4>
  <div class="to-read-books-panes">${panes.join('')}
  </div>
</main>
</body>
</html>
`;
}
