import { load } from 'cheerio';
import type { ShelfEntry } from '../../shared/lists-api.js';
import { redactUrl, UpstreamLayoutError } from '../errors.js';
import { normalizeEntry } from './normalize-entry.js';

/**
 * Goodreads' shelf feed (`/review/list_rss/<user>?shelf=`): one `<item>` per book with `book_id`, `title`,
 * `author_name` and `isbn` (often empty). Throws {@link UpstreamLayoutError} when the answer is not that feed.
 */
export function parseGoodreadsRss(xml: string, url: string): ShelfEntry[] {
  const $ = load(xml, { xml: true });
  if ($('rss > channel').length === 0) throw new UpstreamLayoutError(`Not a Goodreads shelf feed: ${redactUrl(url)}`);
  const entries: ShelfEntry[] = [];
  $('rss > channel > item').each((_, element) => {
    const item = $(element);
    const text = (name: string) => item.children(name).first().text();
    const bookId = text('book_id').trim() || item.children('book').attr('id')?.trim();
    const entry = normalizeEntry({
      key: bookId ? `goodreads:${bookId}` : '',
      title: text('title'),
      authors: [text('author_name')],
      isbn: text('isbn'),
      isbn13: text('isbn13'),
    });
    if (entry) entries.push(entry);
  });
  return entries;
}
