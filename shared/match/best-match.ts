import type { BookInfo } from '../book.js';
import { compareTitles, hasSharedAuthor } from './compare-titles.js';
import { parseSizeBytes } from './parse-size-bytes.js';
import { readLanguageCodes } from './read-language-codes.js';

/** Why nothing was picked; the button says so and offers the search instead of guessing. */
export type NoMatchReason =
  | 'no-identity'
  | 'no-results'
  | 'different-book'
  | 'unwanted-format'
  | 'unwanted-language'
  | 'implausible-size';

export type BestMatch =
  | { ok: true; book: BookInfo; isbnMatch: boolean }
  | { ok: false; reason: NoMatchReason; detail: string };

export interface MatchPreferences {
  /** Most wanted first; a result in another format is never picked. */
  formats: string[];
  /** Most wanted first (ISO 639-1 codes, or `all`); an exact ISBN match ignores it (that IS the edition). */
  languages: string[];
}

/** What the rule needs to know about the wanted book (a page's BookIdentity or a shelf entry has these). */
export interface MatchIdentity {
  title?: string;
  authors: string[];
  isbn13?: string;
  isbn10?: string;
}

export interface MatchInput {
  identity: MatchIdentity;
  results: BookInfo[];
  preferences: MatchPreferences;
  /** Ids the companion returned for an ISBN search of this identity: AA matched them on the ISBN code. */
  isbnMatchIds?: ReadonlySet<string>;
}

// Plausible file sizes per format: below, it is a stub or a sample; above, a scan or a bundle, not the book.
const SIZE_LIMITS_BYTES: Record<string, [number, number]> = {
  epub: [10_000, 150_000_000],
  mobi: [10_000, 150_000_000],
  azw3: [10_000, 150_000_000],
  azw: [10_000, 150_000_000],
  fb2: [5_000, 100_000_000],
  txt: [2_000, 50_000_000],
  pdf: [30_000, 600_000_000],
  djvu: [30_000, 600_000_000],
  cbz: [500_000, 2_000_000_000],
  cbr: [500_000, 2_000_000_000],
};
const AUDIO_FORMATS = new Set(['mp3', 'm4a', 'm4b', 'aac', 'flac', 'ogg', 'opus', 'wav']);

interface Scored {
  book: BookInfo;
  index: number;
  isbnMatch: boolean;
  similarity: number;
  formatRank: number;
  languageRank: number;
}

function readResultIsbns(book: BookInfo): string[] {
  const info = book.info ?? {};
  return Object.entries(info)
    .filter(([key]) => /isbn/i.test(key))
    .flatMap(([, values]) => values.map((value) => value.replace(/[^0-9Xx]/g, '').toUpperCase()));
}

function isSizePlausible(book: BookInfo, format: string): boolean {
  const limits = SIZE_LIMITS_BYTES[format];
  const size = parseSizeBytes(book.size);
  if (!limits || !size) return true;
  return size.maxBytes >= limits[0] && size.minBytes <= limits[1];
}

/**
 * Picks the result to queue for `identity`, or says why none fits. The rule, in order: never a different book
 * (title and author must agree; an ISBN match needs one of the two), never an audiobook or an unwanted format,
 * never an implausible size; then an exact ISBN match first, then the closest title, then the preferred format,
 * then the preferred language, then the companion's (AA's relevance) order. Pure: no I/O, no clock.
 */
export function pickBestMatch({ identity, results, preferences, isbnMatchIds = new Set() }: MatchInput): BestMatch {
  if (!identity.title && !identity.isbn13 && !identity.isbn10)
    return { ok: false, reason: 'no-identity', detail: 'The page gave neither a title nor an ISBN' };
  if (results.length === 0) return { ok: false, reason: 'no-results', detail: 'The search found nothing' };
  const formats = preferences.formats.map((f) => f.toLowerCase());
  const languages = preferences.languages.map((l) => l.toLowerCase());
  const anyLanguage = languages.length === 0 || languages.includes('all');
  const identityIsbns = [identity.isbn13, identity.isbn10].filter((isbn): isbn is string => Boolean(isbn));
  const rejected: Record<Exclude<NoMatchReason, 'no-identity' | 'no-results'>, number> = {
    'different-book': 0,
    'unwanted-format': 0,
    'unwanted-language': 0,
    'implausible-size': 0,
  };
  const kept: Scored[] = [];
  for (const [index, book] of results.entries()) {
    const isbnMatch = isbnMatchIds.has(book.id) || readResultIsbns(book).some((isbn) => identityIsbns.includes(isbn));
    const titles = identity.title ? compareTitles(identity.title, book.title) : undefined;
    const sharedAuthor = hasSharedAuthor(identity.authors, book.author);
    const sameBook = isbnMatch
      ? !titles || titles.mainSimilarity >= 0.5 || sharedAuthor === true
      : titles?.sameTitle === true && sharedAuthor !== false;
    if (!sameBook) {
      rejected['different-book']++;
      continue;
    }
    const format = (book.format ?? '').toLowerCase();
    const isAudio = AUDIO_FORMATS.has(format) || /audio/i.test(book.content ?? '');
    const formatRank = formats.length === 0 ? 0 : formats.indexOf(format);
    if (isAudio || formatRank < 0) {
      rejected['unwanted-format']++;
      continue;
    }
    if (!isSizePlausible(book, format)) {
      rejected['implausible-size']++;
      continue;
    }
    const codes = readLanguageCodes(book.language);
    const languageRank =
      anyLanguage || codes.length === 0 ? 0 : Math.min(...codes.map((c) => languages.indexOf(c)).filter((i) => i >= 0));
    if (!isbnMatch && !Number.isFinite(languageRank)) {
      rejected['unwanted-language']++;
      continue;
    }
    kept.push({
      book,
      index,
      isbnMatch,
      similarity: titles ? Math.round(titles.similarity * 10) / 10 : 0,
      formatRank,
      languageRank: Number.isFinite(languageRank) ? languageRank : languages.length,
    });
  }
  kept.sort(
    (a, b) =>
      Number(b.isbnMatch) - Number(a.isbnMatch) ||
      b.similarity - a.similarity ||
      a.formatRank - b.formatRank ||
      a.languageRank - b.languageRank ||
      a.index - b.index,
  );
  const best = kept[0];
  if (best) return { ok: true, book: best.book, isbnMatch: best.isbnMatch };
  // The reason is the last check that same-book results failed; "different book" only when none was the book.
  const [reason] = (Object.entries(rejected) as Array<[keyof typeof rejected, number]>)
    .filter(([why, count]) => count > 0 && why !== 'different-book')
    .sort((a, b) => b[1] - a[1])[0] ?? ['different-book'];
  return { ok: false, reason, detail: describeRejections(rejected, results.length) };
}

function describeRejections(rejected: Record<string, number>, total: number): string {
  const parts = Object.entries(rejected)
    .filter(([, count]) => count > 0)
    .map(([why, count]) => `${count} ${why.replace('-', ' ')}`);
  return `None of ${total} results fits: ${parts.join(', ')}`;
}
