import type { BookInfo, SearchFilters } from '../../../shared/book.js';
import { ChallengeError, UpstreamLayoutError } from '../../errors.js';
import { siteOf } from '../../net/site-of.js';
import { KNOWN_SEARCH_PATHS, type MirrorPool, MirrorUnusableError } from '../mirrors.js';
import { buildSearchUrl, type SearchDefaults } from './build-search-url.js';
import { type FetchedPage, type FetchPageDeps, fetchPage } from './fetch-page.js';
import { parseSearchPage } from './parse-search-page.js';

export interface AaFetchDeps extends FetchPageDeps {
  pool: MirrorPool;
}

// Words any AA page carries; a 200 without them is a parked or seized domain (shelfmark #1218), not a redesign.
const AA_MARKERS = /\/md5\/|aarecord|anna(?:’|'|&#39;|&#x27;)s archive|\/slow_download\/|\/fast_download\/|\/datasets/i;

/** Whether a page that did not parse still looks like Anna's Archive (a redesign) rather than another site. */
export function looksLikeAnnasArchive(html: string): boolean {
  return AA_MARKERS.test(html);
}

/** CWA-BD's result order: stable by the format's position in the supported formats, unknown formats last. */
export function sortByFormat(books: BookInfo[], formats: string[]): BookInfo[] {
  const rank = (book: BookInfo) => {
    const index = formats.indexOf((book.format ?? '').toLowerCase());
    return index === -1 ? formats.length : index;
  };
  return books
    .map((book, index) => ({ book, index }))
    .sort((a, b) => rank(a.book) - rank(b.book) || a.index - b.index)
    .map(({ book }) => book);
}

/**
 * GETs the search page on `base` at the search path learned for it; a 404 there tries the other known paths
 * (`/search`, `/s/`) and remembers the one that answers. Every path 404 → {@link MirrorUnusableError} (fail over).
 */
async function fetchSearchPage(
  deps: AaFetchDeps,
  base: string,
  filters: SearchFilters,
  defaults: SearchDefaults,
  signal: AbortSignal | undefined,
): Promise<FetchedPage> {
  const learned = deps.pool.searchPath(base);
  const paths = [learned, ...KNOWN_SEARCH_PATHS.filter((path) => path !== learned)];
  for (const path of paths) {
    const url = buildSearchUrl(base, filters, defaults, { path }).href;
    const page = await fetchPage(deps, url, signal ? { signal } : {});
    if (page.status === 404) continue;
    if (path !== learned) deps.pool.learnSearchPath(base, path);
    return page;
  }
  throw new MirrorUnusableError(`${base}${learned}`, `HTTP 404 for the search page at ${paths.join(' and ')}`);
}

/**
 * Searches Anna's Archive on the current mirror (failing over as {@link MirrorPool.run} does). "No files found."
 * is `[]`; a page that is AA's but unreadable throws an UpstreamLayoutError naming the layout change.
 */
export async function fetchSearchResults(
  deps: AaFetchDeps,
  filters: SearchFilters,
  defaults: SearchDefaults,
  signal?: AbortSignal,
): Promise<BookInfo[]> {
  return deps.pool.run(async (base) => {
    const page = await fetchSearchPage(deps, base, filters, defaults, signal);
    const result = parseSearchPage(page.html, page.url);
    if (result.ok) return sortByFormat(result.value, defaults.formats);
    if (result.error.kind === 'challenge') throw new ChallengeError(siteOf(page.url), page.url, 'unsolved page');
    if (!looksLikeAnnasArchive(page.html)) throw new MirrorUnusableError(page.url, 'not an Anna’s Archive page');
    throw new UpstreamLayoutError(
      `Anna's Archive search page could not be read (layout changed?): ${result.error.detail}`,
    );
  }, signal);
}
