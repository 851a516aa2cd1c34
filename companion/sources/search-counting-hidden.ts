import type { HiddenResults } from '../../shared/api.js';
import type { BookInfo, SearchFilters } from '../../shared/book.js';
import type { Source } from './source.js';

export interface SearchDefaults {
  /** `SUPPORTED_FORMATS`. */
  formats: readonly string[];
  /** `BOOK_LANGUAGE` (`all` = no language filter). */
  languages: readonly string[];
}

export interface CountedSearch {
  results: BookInfo[];
  hidden: HiddenResults;
}

const named = (values: string[] | undefined) => (values ?? []).some((value) => value.trim() !== '');
const lower = (values: readonly string[]) => values.map((value) => value.toLowerCase());

/**
 * A search that says how many results the default format/language filters hid: when the request named no format
 * (or no language) and a default applies, the same search runs without the defaults beside it, and its results whose
 * format or language the defaults exclude are the hidden ones (counted per filter they fail; a result may fail both;
 * a result whose format or language AA does not show is not counted).
 * `includeHidden` runs only the unfiltered search, so nothing is hidden.
 */
export async function searchCountingHidden(
  source: Source,
  filters: SearchFilters,
  defaults: SearchDefaults,
  { includeHidden = false, signal }: { includeHidden?: boolean; signal?: AbortSignal } = {},
): Promise<CountedSearch> {
  const formats = lower(defaults.formats);
  const languages = lower(defaults.languages);
  const formatDefault = !named(filters.format) && formats.length > 0;
  const languageDefault = !named(filters.lang) && languages.length > 0 && !languages.includes('all');
  const none: HiddenResults = { total: 0, format: 0, language: 0 };
  if (!formatDefault && !languageDefault) return { results: await source.search(filters, signal), hidden: none };
  if (includeHidden) return { results: await source.search(filters, signal, { applyDefaults: false }), hidden: none };

  const [filtered, unfiltered] = await Promise.allSettled([
    source.search(filters, signal),
    source.search(filters, signal, { applyDefaults: false }),
  ]);
  if (filtered.status === 'rejected') throw filtered.reason;
  const results = filtered.value;
  // The count is a hint: when only the unfiltered search failed, the user still gets the results.
  if (unfiltered.status === 'rejected') return { results, hidden: none };
  const everything = unfiltered.value;
  // Only what the filtered answer lacks: a fallback source that ignores the defaults (libgen) hides nothing.
  const shown = new Set(results.map((book) => book.id));
  const hidden = { ...none };
  for (const book of everything) {
    if (shown.has(book.id)) continue;
    const byFormat = formatDefault && Boolean(book.format) && !formats.includes(String(book.format).toLowerCase());
    const byLanguage = languageDefault && Boolean(book.language) && !matchesLanguage(String(book.language), languages);
    if (byFormat) hidden.format += 1;
    if (byLanguage) hidden.language += 1;
    if (byFormat || byLanguage) hidden.total += 1;
  }
  return { results, hidden };
}

// AA shows a result's languages as "English [en]", sometimes several ("English [en], German [de]"); one wanted
// code is enough.
function matchesLanguage(language: string, wanted: readonly string[]): boolean {
  return language
    .toLowerCase()
    .split(/[\s,;/[\]]+/)
    .some((code) => wanted.includes(code));
}
