export interface TitleComparison {
  /** Token overlap (Dice) of the whole titles, 0–1; ranks candidates. */
  similarity: number;
  /** Token overlap of the main titles (before the first colon, series and bracketed notes dropped). */
  mainSimilarity: number;
  /** Same main title, and no conflicting subtitle: "Manufacturing Consent: The Political Economy…" is not "…: Noam Chomsky and the Media". */
  sameTitle: boolean;
}

/** Lower-case letter/digit tokens with accents folded and `&` read as `and`; a leading article is dropped. */
export function tokenize(text: string): string[] {
  const tokens = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return ['the', 'a', 'an'].includes(tokens[0] ?? '') && tokens.length > 1 ? tokens.slice(1) : tokens;
}

function countShared(a: string[], b: string[]): number {
  const rest = [...b];
  let shared = 0;
  for (const token of a) {
    const at = rest.indexOf(token);
    if (at >= 0) {
      shared++;
      rest.splice(at, 1);
    }
  }
  return shared;
}

function dice(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return (2 * countShared(a, b)) / (a.length + b.length);
}

// A longer subtitle that repeats the shorter one ("…and the Media: the companion book to the film") is no conflict.
function overlap(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return countShared(a, b) / Math.min(a.length, b.length);
}

// "(Hyperion Cantos, #1)", "[Trade Paperback]", "(suhrkamp taschenbuch)": notes, not the title.
function splitTitle(title: string): { main: string[]; subtitle: string[]; whole: string[] } {
  const bare = title.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ');
  const at = bare.search(/\s*[:：]\s*/);
  const main = at > 0 ? bare.slice(0, at) : bare;
  const subtitle = at > 0 ? bare.slice(at + 1) : '';
  return { main: tokenize(main), subtitle: tokenize(subtitle), whole: tokenize(bare) };
}

/** Compares a page's title with a search result's title; pure, order-insensitive within each part. */
export function compareTitles(wanted: string, candidate: string): TitleComparison {
  const a = splitTitle(wanted);
  const b = splitTitle(candidate);
  const similarity = dice(a.whole, b.whole);
  const mainSimilarity = dice(a.main, b.main);
  const subtitleConflict = a.subtitle.length > 0 && b.subtitle.length > 0 && overlap(a.subtitle, b.subtitle) < 0.6;
  const sameTitle = (mainSimilarity >= 0.8 && !subtitleConflict) || similarity >= 0.9;
  return { similarity, mainSimilarity, sameTitle };
}

/**
 * Whether a result's author line names one of the page's authors (any name part of three or more letters, so
 * "Herman, Edward S." matches "Edward S. Herman"); undefined when either side names nobody.
 */
export function hasSharedAuthor(authors: string[], resultAuthor: string | null | undefined): boolean | undefined {
  const theirs = new Set(tokenize(resultAuthor ?? ''));
  const ours = authors
    .flatMap((name) => tokenize(name))
    .filter((token) => token.length >= 3 || /[^\p{Script=Latin}]/u.test(token));
  if (theirs.size === 0 || ours.length === 0) return undefined;
  return ours.some((token) => theirs.has(token));
}
