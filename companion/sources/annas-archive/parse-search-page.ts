import type { BookInfo } from '../../../shared/book.js';
import { guardDeepNesting, type ParseResult, parsed, parseFailure } from '../parse-result.js';
import { findResultRows } from './find-result-rows.js';
import { isChallengePage } from './is-challenge-page.js';
import { loadPage } from './load-page.js';
import { parseSearchRow } from './parse-search-row.js';
import { normalizeText } from './read-text.js';
import { revealHiddenRows } from './reveal-hidden-rows.js';
import { aaSelectors } from './selectors.js';

// A record page links its own md5 everywhere; without this check the body fallback would read it as one result.
const RECORD_PAGE_MARKERS = `${aaSelectors.recordDownloadPanel}, [id^="cover_aarecord_id__md5:"]`;

/**
 * Reads an AA search page (2026 list, 2025 list incl. comment-hidden rows, `display=table`, 2022 list) into
 * BookInfo results in page order, deduplicated by md5. AA's "No files found." page is a success with `[]`;
 * a protection page is `challenge`; anything else without results is `layout-changed`.
 */
export function parseSearchPage(html: string, pageUrl: URL | string): ParseResult<BookInfo[]> {
  return guardDeepNesting(() => {
    const raw = typeof html === 'string' ? html : '';
    const $ = loadPage(raw, 'htmlparser2');
    if (isChallengePage($, raw)) {
      return parseFailure('challenge', `Expected search results, got a bot-protection page ("${pageTitle($)}")`);
    }
    if ($(RECORD_PAGE_MARKERS).length > 0) {
      return parseFailure('layout-changed', `Expected a search page, got a record page ("${pageTitle($)}")`);
    }
    revealHiddenRows($);
    const base = new URL(pageUrl);
    const books = new Map<string, BookInfo>();
    for (const row of findResultRows($)) {
      const book = parseSearchRow($, $(row), base);
      if (book && isPlausibleResult(book) && !books.has(book.id)) books.set(book.id, book);
    }
    if (books.size > 0) return parsed([...books.values()]);
    if (
      $(aaSelectors.noResults).filter((_, el) => /^No files found\.?$/.test(normalizeText($(el).text()))).length > 0
    ) {
      return parsed([]);
    }
    if (/Error during search\./.test(normalizeText($('main, .main, body').first().text()))) {
      return parseFailure(
        'layout-changed',
        'Anna’s Archive answered "Error during search." (its search backend failed)',
      );
    }
    return parseFailure(
      'layout-changed',
      `Expected search result rows linking to /md5/<md5> or "No files found.", got neither ("${pageTitle($)}")`,
    );
  });
}

// A bare record link with a title (a "recent downloads" ticker, a related-record link) is not a search result.
function isPlausibleResult(book: BookInfo): boolean {
  return Boolean(book.format || book.size || book.author);
}

function pageTitle($: ReturnType<typeof loadPage>): string {
  return normalizeText($('title').first().text()).slice(0, 80) || 'untitled page';
}
