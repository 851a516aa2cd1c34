import type { CheckMode, ShelfEntry } from '../../shared/lists-api.js';
import { UpstreamHttpError } from '../errors.js';
import type { HttpClient } from '../net/http-client.js';
import { parseGoodreadsRss } from './parse-goodreads-rss.js';
import { hardcoverQuery, parseHardcoverBooks } from './parse-hardcover-books.js';
import { parseOpenLibraryLog } from './parse-openlibrary-log.js';
import type { WatchedList } from './store.js';

/** Where the companion reads shelves (real sites by default; tests point them at the world). */
export interface ShelfEndpoints {
  goodreadsUrl: string;
  openLibraryUrl: string;
  hardcoverApiUrl: string;
}

/** Open Library pages hold 100 entries; a shelf of more than this many pages is read only this far. */
const MAX_OPEN_LIBRARY_PAGES = 20;

/** Who checks a shelf: the companion where the site has a feed or an API it may use, else the extension. */
export function checkModeOf(list: Pick<WatchedList, 'site' | 'token'>): CheckMode {
  if (list.site === 'goodreads' || list.site === 'openlibrary') return 'companion';
  if (list.site === 'hardcover' && list.token) return 'companion';
  return 'extension';
}

async function readOk(client: HttpClient, url: string, init: Parameters<HttpClient['request']>[1] = {}) {
  const res = await client.request(url, init);
  if (res.status !== 200) {
    await res.dump();
    throw new UpstreamHttpError(res.status, url, init.method ?? 'GET');
  }
  return res.text();
}

/** The shelf's entries, newest first as the site orders them, read through the companion's guarded client. */
export async function fetchShelf(
  client: HttpClient,
  endpoints: ShelfEndpoints,
  list: WatchedList,
  signal?: AbortSignal,
): Promise<ShelfEntry[]> {
  if (list.site === 'goodreads') {
    const url = `${endpoints.goodreadsUrl}/review/list_rss/${encodeURIComponent(list.user)}?shelf=${encodeURIComponent(list.shelf)}`;
    return parseGoodreadsRss(await readOk(client, url, { signal, headers: { accept: 'application/rss+xml' } }), url);
  }
  if (list.site === 'openlibrary') {
    const base = `${endpoints.openLibraryUrl}/people/${encodeURIComponent(list.user)}/books/${encodeURIComponent(list.shelf)}.json`;
    const entries: ShelfEntry[] = [];
    for (let page = 1; page <= MAX_OPEN_LIBRARY_PAGES; page++) {
      const url = `${base}?page=${page}`;
      const { entries: found, numFound } = parseOpenLibraryLog(
        await readOk(client, url, { signal, headers: { accept: 'application/json' } }),
        url,
      );
      entries.push(...found);
      if (found.length === 0 || entries.length >= numFound) break;
    }
    return entries;
  }
  if (list.site === 'hardcover' && list.token) {
    const { query, variables } = hardcoverQuery(list.shelf);
    const text = await readOk(client, endpoints.hardcoverApiUrl, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: list.token.startsWith('Bearer ') ? list.token : `Bearer ${list.token}`,
      },
      body: JSON.stringify({ query, variables: { ...variables, user: list.user } }),
    });
    return parseHardcoverBooks(text);
  }
  throw new Error(`${list.site} shelves are read by the browser extension`);
}
