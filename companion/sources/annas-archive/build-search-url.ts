import type { SearchFilters } from '../../../shared/book.js';
import { readIsbnForms } from './isbn-forms.js';

/** Defaults applied when the filters leave languages or formats empty (CWA-BD's BOOK_LANGUAGE / SUPPORTED_FORMATS). */
export interface SearchDefaults {
  languages: string[];
  formats: string[];
}

export interface SearchUrlOptions {
  /**
   * AA's result layout. CWA-BD asks for `table`; the default here is AA's list layout (`''`), which our real
   * captures cover for 2022–2026. `parseSearchPage` reads both.
   */
  display?: '' | 'table';
  /** The mirror's search path: `/search`, or `/s/` on a mirror that serves it there. */
  path?: string;
}

/**
 * AA's search URL for CWA-BD's filters (reference-cwa-bd.md §5.1), parameters in CWA-BD's order:
 * `index=&page=1&display=…&acc=aa_download&acc=external_download&ext=…&q=…&lang=…&sort=…&content=…&termtype_N=…`.
 * ISBNs become `(('isbn13:A' || 'isbn10:B') || …) <query>`, with both forms computed from each ISBN.
 */
export function buildSearchUrl(
  baseUrl: string,
  filters: SearchFilters,
  defaults: SearchDefaults,
  { display = '', path = '/search' }: SearchUrlOptions = {},
): URL {
  const params: Array<[string, string]> = [
    ['index', ''],
    ['page', '1'],
    ['display', display],
    ['acc', 'aa_download'],
    ['acc', 'external_download'],
  ];
  const formats = nonEmpty(filters.format) ?? defaults.formats;
  for (const format of formats) params.push(['ext', format.toLowerCase()]);
  params.push(['q', buildQuery(filters)]);
  const languages = nonEmpty(filters.lang) ?? defaults.languages;
  if (!languages.some((language) => language.toLowerCase() === 'all')) {
    for (const language of languages) params.push(['lang', language.toLowerCase()]);
  }
  const sort = filters.sort?.trim();
  if (sort && sort !== 'relevance') params.push(['sort', sort]);
  for (const content of filters.content ?? []) params.push(['content', content]);
  let term = 0;
  for (const [type, values] of [
    ['author', filters.author],
    ['title', filters.title],
  ] as const) {
    for (const value of nonEmpty(values) ?? []) {
      term += 1;
      params.push([`termtype_${term}`, type], [`termval_${term}`, value]);
    }
  }
  const url = new URL(path, baseUrl);
  url.search = params.map(([key, value]) => `${key}=${quote(value)}`).join('&');
  return url;
}

function buildQuery(filters: SearchFilters): string {
  const query = filters.query?.trim() ?? '';
  const isbns = nonEmpty(filters.isbn) ?? [];
  if (isbns.length === 0) return query;
  const terms = isbns.map((isbn) => {
    const { isbn13 = isbn.trim(), isbn10 = isbn.trim() } = readIsbnForms(isbn);
    return `('isbn13:${isbn13}' || 'isbn10:${isbn10}')`;
  });
  return `(${terms.join(' || ')}) ${query}`.trim();
}

// Python's `urllib.parse.quote` (CWA-BD): space → %20, "/" kept, `!'()*` escaped too.
function quote(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%2F', '/');
}

function nonEmpty(values: string[] | undefined): string[] | undefined {
  const kept = values?.map((value) => value.trim()).filter((value) => value !== '');
  return kept && kept.length > 0 ? kept : undefined;
}
