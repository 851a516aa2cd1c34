import type { BookInfo, SearchFilters } from '../book.js';
import { type BestMatch, type MatchIdentity, type MatchPreferences, pickBestMatch } from './best-match.js';

/** A search as each side has it: the extension asks the companion, the companion asks its source. */
export type SearchBooks = (filters: SearchFilters) => Promise<BookInfo[]>;

/** Results in display order; `isbnMatchIds` came from the ISBN search (exact edition). */
export interface BookSearch {
  results: BookInfo[];
  isbnMatchIds: string[];
}

// "Hyperion (Hyperion Cantos, #1)", "Siddhartha (suhrkamp taschenbuch)": the search wants the bare main title.
export function buildTextQuery(identity: MatchIdentity): string | undefined {
  const title = identity.title
    ?.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ')
    .split(/\s*[:：]\s*/)[0]
    ?.trim();
  if (!title) return undefined;
  return [title, identity.authors[0]].filter(Boolean).join(' ');
}

/**
 * Searches for a book: the ISBN first (any language: the ISBN names the edition), then title + first author when
 * the ISBN results hold no match. Text results follow the ISBN results, without repeats.
 */
export async function searchForBook(
  search: SearchBooks,
  identity: MatchIdentity,
  preferences: MatchPreferences,
): Promise<BookSearch> {
  const isbn = identity.isbn13 ?? identity.isbn10;
  const isbnResults = isbn ? await search({ isbn: [isbn], lang: ['all'] }) : [];
  const best = isbn
    ? pickBestMatch({
        identity,
        results: isbnResults,
        preferences,
        isbnMatchIds: new Set(isbnResults.map((r) => r.id)),
      })
    : undefined;
  const query = buildTextQuery(identity);
  const textResults = !best?.ok && query ? await search({ query }) : [];
  const seen = new Set(isbnResults.map((r) => r.id));
  return { results: [...isbnResults, ...textResults.filter((r) => !seen.has(r.id))], isbnMatchIds: [...seen] };
}

/** The one rule both sides use to turn a wanted book into a queued file: search, then {@link pickBestMatch}. */
export async function findBestMatch(
  search: SearchBooks,
  identity: MatchIdentity,
  preferences: MatchPreferences,
): Promise<BestMatch> {
  if (!identity.title && !identity.isbn13 && !identity.isbn10)
    return { ok: false, reason: 'no-identity', detail: 'The entry gave neither a title nor an ISBN' };
  const { results, isbnMatchIds } = await searchForBook(search, identity, preferences);
  return pickBestMatch({ identity, results, preferences, isbnMatchIds: new Set(isbnMatchIds) });
}
